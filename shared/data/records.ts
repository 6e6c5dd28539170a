import type { DataField, DataSchema } from '../model/data-schema';
import { CsvTokenizer, detectDelimiter, type CsvRecord } from './csv';
import { binaryOffset, detectEncoding, SNIFF_BYTES, StreamDecoder, UndecodableError, type TextEncodingName } from './decode';
import { typeCell, type TypedValue } from './typing';
import { KeySet } from './key-set';
import { readXlsx, XlsxError, type XlsxCell } from './xlsx';

/**
 * Data files → typed records, one row at a time, each with its own problems.
 *
 * Row numbers are 1-based data rows (the header is not a row); `line` is where the row starts in a text
 * file (CSV/TSV/NDJSON) or the sheet row in XLSX, so people can find it in their editor or in Excel.
 */

export type DataFormat = 'csv' | 'tsv' | 'xlsx' | 'json' | 'ndjson';

export interface DataIssue {
  /** 1-based data row; 0 for problems with the file as a whole (header, encoding). */
  row: number;
  /** Physical line (text files) or sheet row (XLSX). */
  line?: number;
  /** The column header as written in the file. */
  column?: string;
  /** The template field the column maps to. */
  field?: string;
  code:
    | 'bad-value'
    | 'missing-required'
    | 'duplicate-key'
    | 'extra-cells'
    | 'csv-syntax'
    | 'bad-json'
    | 'nested-value'
    | 'unknown-column'
    | 'missing-column'
    | 'duplicate-column'
    | 'encoding'
    | 'bad-xlsx'
    | 'unknown-sheet'
    | 'empty-file'
    | 'value-too-large';
  severity: 'error' | 'warning';
  /** What is wrong and what to do. */
  message: string;
}

export type DataRecord = Record<string, TypedValue>;

export interface DataRow {
  row: number;
  line?: number;
  /** Typed values by field name; fields with empty or unreadable cells are absent. */
  values: DataRecord;
  issues: DataIssue[];
  /** False when an issue has severity "error" (a required value is missing or a value is unreadable). */
  ok: boolean;
}

export interface ReadOptions extends TableOptions {
  schema: DataSchema;
  /** Report repeated record keys (keeps 8 bytes per row in memory; default true). */
  checkDuplicateKeys?: boolean;
}

export interface SourceInfo {
  format: DataFormat;
  encoding?: TextEncodingName;
  delimiter?: string;
  sheet?: string;
  /** Header text → field name (unmapped columns are absent). */
  columns: { header: string; field?: string }[];
}

export function formatFromName(name: string, firstBytes?: Uint8Array): DataFormat {
  const lower = name.toLowerCase();
  if (firstBytes && firstBytes[0] === 0x50 && firstBytes[1] === 0x4b && firstBytes[2] === 3 && firstBytes[3] === 4) return 'xlsx';
  if (lower.endsWith('.xlsx') || lower.endsWith('.xlsm')) return 'xlsx';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) return 'tsv';
  return 'csv';
}

/**
 * The one header matcher (docs/data-and-rules.md, "Data files"): a column matches a field when their names agree
 * ignoring case, spaces, underscores and hyphens, so `E-Mail` = `email`, `KundenNr` = `kunden_nr` and
 * `Postal Code` = `postal_code`. Unicode text is compared in NFC (a decomposed `ü` equals a composed one).
 */
export function headerKey(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s_\u2010-\u2012-]+/g, '');
}

/** Maps headers to fields (by name, label or alias, with `headerKey`) and checks rows. */
export class RowTyper {
  readonly fileIssues: DataIssue[] = [];
  readonly columns: { header: string; field?: DataField }[] = [];
  private readonly seenKeys = new KeySet();
  private readonly keyIndex: number;
  fatal = false;

  constructor(
    headers: readonly string[],
    private readonly schema: DataSchema,
    private readonly checkDuplicates: boolean,
    private readonly maxFieldChars = DEFAULT_MAX_FIELD_CHARS,
  ) {
    const lookup = new Map<string, DataField>();
    // Names win over labels, labels over aliases (the first field wins within each), whatever the field order.
    const byPriority = [
      ...schema.fields.map((f) => [f.name, f] as const),
      ...schema.fields.map((f) => [f.label ?? '', f] as const),
      ...schema.fields.flatMap((f) => f.aliases.map((a) => [a, f] as const)),
    ];
    for (const [n, f] of byPriority) if (n && !lookup.has(headerKey(n))) lookup.set(headerKey(n), f);
    const used = new Map<string, string>();
    headers.forEach((h, i) => {
      const header = i === 0 ? h.replace(/^\uFEFF/, '') : h;
      const field = lookup.get(headerKey(header));
      if (!field) {
        if (header.trim())
          this.fileIssues.push({
            row: 0,
            column: header,
            code: 'unknown-column',
            severity: 'warning',
            message: `column "${header}" matches no field and is ignored; rename it or add it to a field's aliases if it is needed`,
          });
        this.columns.push({ header });
        return;
      }
      const prev = used.get(field.name);
      if (prev !== undefined) {
        this.fileIssues.push({
          row: 0,
          column: header,
          field: field.name,
          code: 'duplicate-column',
          severity: 'warning',
          message: `columns "${prev}" and "${header}" both map to field "${field.name}"; the first is used`,
        });
        this.columns.push({ header });
        return;
      }
      used.set(field.name, header);
      this.columns.push({ header, field });
    });
    for (const f of schema.fields)
      if (f.required && !used.has(f.name)) {
        this.fatal = true;
        this.fileIssues.push({
          row: 0,
          field: f.name,
          code: 'missing-column',
          severity: 'error',
          message: `required field "${f.name}" has no column; add a column named "${f.name}"${f.aliases.length ? ` (or ${f.aliases.map((a) => `"${a}"`).join(', ')})` : ''}`,
        });
      }
    this.keyIndex = this.columns.findIndex((c) => c.field?.name === schema.recordKey);
  }

  /** `sizes`: full lengths of cells the reader cut short (cell index → characters). */
  typeRow(
    cells: readonly unknown[],
    row: number,
    line: number | undefined,
    extra: DataIssue[] = [],
    sizes?: ReadonlyMap<number, number>,
  ): DataRow {
    const values: DataRecord = {};
    const issues = extra;
    const opts = { locale: this.schema.locale, currency: this.schema.currency };
    for (let i = 0; i < this.columns.length; i++) {
      const col = this.columns[i]!;
      const f = col.field;
      if (!f) continue;
      const raw = cells[i];
      const size = sizes?.get(i) ?? (typeof raw === 'string' ? raw.length : 0);
      if (size > this.maxFieldChars) {
        issues.push({
          row,
          line,
          column: col.header,
          field: f.name,
          code: 'value-too-large',
          severity: 'error',
          message: `the value of "${col.header}" has ${size.toLocaleString('en-US')} characters, over the limit of ${this.maxFieldChars.toLocaleString('en-US')}; shorten it, or raise the limit (presswork --max-field-chars, PRESSWORK_MAX_FIELD_CHARS) if it is meant to be that long`,
        });
        continue;
      }
      if (raw !== null && typeof raw === 'object') {
        issues.push({
          row,
          line,
          column: col.header,
          field: f.name,
          code: 'nested-value',
          severity: 'error',
          message: `the value of "${col.header}" is a list or object; give a single value`,
        });
        continue;
      }
      const r = typeCell(f, raw, opts);
      // THE policy for an unreadable value (docs/data-and-rules.md, "Unreadable values"): in a required field
      // the record is not produced (error); in an optional field the value is left out and the record goes on
      // (warning). Print, email, preflight and the server all read this severity.
      if (!r.ok)
        issues.push({
          row,
          line,
          column: col.header,
          field: f.name,
          code: 'bad-value',
          severity: f.required ? 'error' : 'warning',
          message: f.required ? r.reason : `${r.reason}; the field is optional, so the value is left out`,
        });
      else if (r.value !== undefined) values[f.name] = r.value;
      else if (f.required)
        issues.push({
          row,
          line,
          column: col.header,
          field: f.name,
          code: 'missing-required',
          severity: 'error',
          message: `"${col.header}" is required but empty; fill it in or remove the row`,
        });
    }
    if (cells.length > this.columns.length && cells.slice(this.columns.length).some((c) => c !== undefined && c !== ''))
      issues.push({
        row,
        line,
        code: 'extra-cells',
        severity: 'warning',
        message: `the row has ${cells.length} cells but the header has ${this.columns.length}; the extra cells are ignored (check for an unquoted delimiter)`,
      });
    if (this.checkDuplicates && this.keyIndex >= 0) {
      const key = values[this.schema.recordKey];
      if (key !== undefined) {
        const k = String(key);
        if (!this.seenKeys.add(k))
          issues.push({
            row,
            line,
            column: this.columns[this.keyIndex]!.header,
            field: this.schema.recordKey,
            code: 'duplicate-key',
            severity: 'error',
            message: `record key "${k}" appears again; each record needs its own ${this.schema.recordKey}`,
          });
      }
    }
    return { row, line, values, issues, ok: !issues.some((i) => i.severity === 'error') };
  }
}

/** A stream of typed rows with the file-level facts learned on the way (available once iteration starts). */
export interface RecordStream extends AsyncIterable<DataRow> {
  readonly info: SourceInfo;
  /** Problems with the file as a whole (row 0). Complete once iteration has finished. */
  readonly fileIssues: DataIssue[];
}

/**
 * One step of a table: its header row (once, before the first row with cells), or one data row with its raw
 * cells (strings from text files; strings, numbers and booleans from XLSX and JSON) and the problems found
 * while reading it (CSV syntax, a JSON line that is not an object: then `cells` is absent).
 */
export type TableEvent =
  | { kind: 'headers'; headers: string[] }
  | {
      kind: 'row';
      row: number;
      line?: number;
      cells?: unknown[];
      issues: DataIssue[];
      /** Cells the reader cut short at the field limit: cell index → their full length in characters. */
      sizes?: Map<number, number>;
    };

/**
 * A data file read as a table, not yet typed: what a store keeps before it knows the template (a dataset
 * uploaded to the server), and what `typeTable` turns into typed rows for a given schema.
 */
export interface TableStream extends AsyncIterable<TableEvent> {
  readonly info: SourceInfo;
  readonly fileIssues: DataIssue[];
}

export interface TableOptions {
  /** File name: its extension picks the format (.csv .tsv .txt .xlsx .json .ndjson .jsonl). */
  name: string;
  /** XLSX: the sheet to read (default: the first). */
  sheet?: string;
  format?: DataFormat;
  /** The encoding the sender declared (an HTTP charset); a byte-order mark still wins. Default: detected. */
  encoding?: TextEncodingName;
  /**
   * The longest value accepted in one field, in characters (default DEFAULT_MAX_FIELD_CHARS, 64 Ki). A longer value
   * fails its record (`value-too-large`) and is never held in memory whole: a 50 MB cell costs what the limit does.
   */
  maxFieldChars?: number;
}

/** The default per-field limit: 65,536 characters (a long letter is ~5,000). */
export const DEFAULT_MAX_FIELD_CHARS = 65_536;

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of chunks) {
    parts.push(c);
    n += c.length;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Bytes → a table: format, encoding (BOM, declared, detected) and delimiter found, cells split, nothing typed.
 * CSV/TSV and NDJSON are processed chunk by chunk in constant memory; XLSX and JSON arrays are read whole.
 * A file that cannot be decoded (binary data, a declared encoding it does not have, broken UTF-16) ends with an
 * `encoding` error in `fileIssues`.
 */
export function readTable(chunks: AsyncIterable<Uint8Array>, options: TableOptions): TableStream {
  const fileIssues: DataIssue[] = [];
  const info: SourceInfo = { format: options.format ?? formatFromName(options.name), columns: [] };
  const fileIssue = (code: DataIssue['code'], message: string, severity: DataIssue['severity'] = 'error') =>
    fileIssues.push({ row: 0, code, severity, message });
  const headersOf = (headers: string[]): TableEvent => {
    info.columns = headers.map((header) => ({ header }));
    return { kind: 'headers', headers };
  };

  async function* generate(): AsyncGenerator<TableEvent> {
    const iterator = chunks[Symbol.asyncIterator]();
    // Sniff: gather the first 64 KiB (or the whole file if smaller).
    const head: Uint8Array[] = [];
    let headLen = 0;
    let done = false;
    while (headLen < SNIFF_BYTES) {
      const r = await iterator.next();
      if (r.done) {
        done = true;
        break;
      }
      head.push(r.value);
      headLen += r.value.length;
    }
    const first = await collect(
      (async function* () {
        yield* head;
      })(),
    );
    if (!options.format) info.format = formatFromName(options.name, first);
    const rest = async function* (): AsyncGenerator<Uint8Array> {
      yield first;
      if (done) return;
      for (;;) {
        const r = await iterator.next();
        if (r.done) return;
        yield r.value;
      }
    };
    if (first.length === 0) {
      fileIssue('empty-file', 'the file is empty; export the data again with a header row');
      return;
    }

    if (info.format === 'xlsx') {
      let sheet;
      try {
        sheet = readXlsx(await collect(rest()), options.sheet);
      } catch (e) {
        if (e instanceof XlsxError) {
          fileIssue(e.code, e.message);
          return;
        }
        throw e;
      }
      info.sheet = sheet.sheet;
      const [header, ...body] = sheet.rows;
      if (!header) {
        fileIssue('empty-file', `sheet "${sheet.sheet}" is empty; put the column names in row 1`);
        return;
      }
      yield headersOf(Array.from(header.cells, (c: XlsxCell) => (c === undefined ? '' : String(c))));
      let row = 0;
      for (const r of body) {
        if (r.cells.every((c) => c === undefined || c === '')) continue;
        yield { kind: 'row', row: ++row, line: r.row, cells: r.cells, issues: [] };
      }
      return;
    }

    const detected = detectEncoding(first, options.encoding);
    info.encoding = detected.encoding;
    const decoder = new StreamDecoder(detected.encoding, (m) => fileIssue('encoding', m, 'warning'), detected.declared);
    const utf16 = detected.encoding !== 'utf-8' && detected.encoding !== 'windows-1252';
    let offset = 0;
    const texts = async function* (): AsyncGenerator<string> {
      let skip = detected.bomLength;
      for await (const chunk of rest()) {
        const c = skip ? chunk.subarray(skip) : chunk;
        skip = 0;
        const zero = utf16 ? -1 : binaryOffset(c);
        if (zero >= 0)
          throw new UndecodableError(
            `the file holds binary data (a zero byte at offset ${offset + zero + detected.bomLength}), so it is not a text export; save the data as CSV (UTF-8), XLSX or JSON`,
          );
        offset += c.length;
        const t = decoder.decode(c);
        if (t) yield t;
      }
      const tail = decoder.decode(new Uint8Array(0), true);
      if (tail) yield tail;
    };

    try {
      if (info.format === 'json' || info.format === 'ndjson')
        yield* jsonTable(texts(), info.format, fileIssue, headersOf, options.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS);
      else yield* csvTable(texts(), info, headersOf);
    } catch (e) {
      if (!(e instanceof UndecodableError)) throw e;
      fileIssue('encoding', e.message);
    }
  }

  async function* csvTable(
    texts: AsyncIterable<string>,
    info: SourceInfo,
    headersOf: (h: string[]) => TableEvent,
  ): AsyncGenerator<TableEvent> {
    let tokenizer: CsvTokenizer | undefined;
    let headers: string[] | undefined;
    let row = 0;
    const pending: CsvRecord[] = [];
    const handle = function* (): Generator<TableEvent> {
      for (const rec of pending) {
        if (!headers) {
          headers = rec.cells;
          yield headersOf(headers);
          continue;
        }
        if (rec.cells.length === 1 && rec.cells[0]!.trim() === '' && headers.length > 1) continue;
        row++;
        const issues: DataIssue[] = rec.warnings.map((w) => ({
          row,
          line: rec.line,
          code: 'csv-syntax' as const,
          severity: 'warning' as const,
          message: w,
        }));
        yield { kind: 'row', row, line: rec.line, cells: rec.cells, issues, ...(rec.oversized ? { sizes: rec.oversized } : {}) };
      }
      pending.length = 0;
    };
    for await (const text of texts) {
      if (!tokenizer) {
        const delimiter = info.format === 'tsv' ? '\t' : detectDelimiter(text.slice(0, SNIFF_BYTES));
        info.delimiter = delimiter;
        tokenizer = new CsvTokenizer(delimiter, options.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS);
      }
      tokenizer.push(text, pending);
      yield* handle();
    }
    tokenizer?.finish(pending);
    // A quote opened and never closed swallows every line after it into one value: rows would be lost silently.
    if (tokenizer?.unclosedQuoteLine !== undefined) {
      fileIssue(
        'csv-syntax',
        `line ${tokenizer.unclosedQuoteLine}: a quoted value is not closed before the end of the file, so every line after it was read as part of that value; close the quote (a quote inside a value is written "")`,
      );
      return;
    }
    yield* handle();
    if (!headers) fileIssue('empty-file', 'the file has no header row');
  }

  return { info, fileIssues, [Symbol.asyncIterator]: () => generate() };
}

/**
 * Records that are already objects (inline JSON records sent to the server, a real-time message's record) as a
 * table, read exactly as a `.json` file holding the same array is read.
 */
export function tableFromObjects(objects: Iterable<unknown> | AsyncIterable<unknown>): TableStream {
  const fileIssues: DataIssue[] = [];
  const info: SourceInfo = { format: 'json', columns: [] };
  const reader = new JsonRowReader((headers) => {
    info.columns = headers.map((header) => ({ header }));
    return { kind: 'headers', headers };
  });
  async function* generate(): AsyncGenerator<TableEvent> {
    for await (const o of objects) yield* reader.push(o, undefined);
  }
  return { info, fileIssues, [Symbol.asyncIterator]: () => generate() };
}

/** JSON values → table events: the first object's keys are the headers; later keys outside them are reported. */
class JsonRowReader {
  private headers: string[] | undefined;
  private row = 0;
  constructor(private readonly headersOf: (h: string[]) => TableEvent) {}

  *push(obj: unknown, line: number | undefined): Generator<TableEvent> {
    const row = ++this.row;
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      yield {
        kind: 'row',
        row,
        line,
        issues: [
          { row, line, code: 'bad-json', severity: 'error', message: 'each record must be a JSON object like {"first_name": "Maria"}' },
        ],
      };
      return;
    }
    const o = obj as Record<string, unknown>;
    if (!this.headers) {
      this.headers = Object.keys(o);
      yield this.headersOf(this.headers);
    }
    const known = new Set(this.headers);
    const issues: DataIssue[] = [];
    for (const k of Object.keys(o))
      if (!known.has(k))
        issues.push({
          row,
          line,
          column: k,
          code: 'unknown-column',
          severity: 'warning',
          message: `key "${k}" is not in the first record's keys and matches no known column; it is ignored`,
        });
    yield { kind: 'row', row, line, cells: this.headers.map((h) => (Object.hasOwn(o, h) ? o[h] : undefined)), issues };
  }

  badLine(line: number, message: string, code: DataIssue['code'] = 'bad-json'): TableEvent {
    const row = ++this.row;
    return { kind: 'row', row, line, issues: [{ row, line, code, severity: 'error', message }] };
  }

  /** How many columns the first record had (0 before it). */
  get width(): number {
    return this.headers?.length ?? 0;
  }
}

async function* jsonTable(
  texts: AsyncIterable<string>,
  format: 'json' | 'ndjson',
  fileIssue: (code: DataIssue['code'], message: string) => void,
  headersOf: (h: string[]) => TableEvent,
  maxField: number,
): AsyncGenerator<TableEvent> {
  const reader = new JsonRowReader(headersOf);
  if (format === 'ndjson') {
    let buf = '';
    let line = 0;
    const lineOf = function* (l: string): Generator<TableEvent> {
      line++;
      const s = l.trim();
      if (!s) return;
      let obj: unknown;
      try {
        obj = JSON.parse(s);
      } catch (e) {
        yield reader.badLine(line, `not valid JSON (${e instanceof Error ? e.message : String(e)}); each line must hold one JSON object`);
        return;
      }
      yield* reader.push(obj, line);
    };
    // A line may hold every field at its limit; a longer one fails its record and is skipped, not held in memory.
    const maxLine = () => maxField * Math.max(reader.width, 1) + 65_536;
    let skipping = 0;
    const tooLong = (chars: number): TableEvent =>
      reader.badLine(
        ++line,
        `the line has ${chars.toLocaleString('en-US')} characters, more than every field at its limit (${maxLine().toLocaleString('en-US')}); shorten its values`,
        'value-too-large',
      );
    for await (const t of texts) {
      let chunk = t;
      if (skipping) {
        const nl = chunk.indexOf('\n');
        if (nl < 0) {
          skipping += chunk.length;
          continue;
        }
        yield tooLong(skipping + nl);
        skipping = 0;
        chunk = chunk.slice(nl + 1);
      }
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        yield* lineOf(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
      if (buf.length > maxLine()) {
        skipping = buf.length;
        buf = '';
      }
    }
    if (skipping) yield tooLong(skipping);
    else if (buf) yield* lineOf(buf);
    return;
  }

  let text = '';
  for await (const t of texts) text += t;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    fileIssue(
      'bad-json',
      `not valid JSON (${e instanceof Error ? e.message : String(e)}); give an array of objects, or one object per line (.ndjson)`,
    );
    return;
  }
  if (data && typeof data === 'object' && !Array.isArray(data) && Array.isArray((data as { records?: unknown }).records))
    data = (data as { records: unknown[] }).records;
  if (!Array.isArray(data)) {
    fileIssue('bad-json', 'the JSON must be an array of records (or {"records": [...]})');
    return;
  }
  for (const item of data) yield* reader.push(item, undefined);
}

/**
 * A table → typed rows for a template's data schema: headers mapped to fields (`headerKey`), every cell typed
 * (`typeCell`), per-row issues. A missing required column stops the rows (every row would fail).
 */
export function typeTable(
  table: TableStream,
  schema: DataSchema,
  options: { checkDuplicateKeys?: boolean; maxFieldChars?: number } = {},
): RecordStream {
  const fileIssues: DataIssue[] = [];
  const info: SourceInfo = table.info;
  async function* generate(): AsyncGenerator<DataRow> {
    let typer: RowTyper | undefined;
    try {
      for await (const e of table) {
        if (e.kind === 'headers') {
          typer = new RowTyper(e.headers, schema, options.checkDuplicateKeys ?? true, options.maxFieldChars);
          fileIssues.push(...typer.fileIssues);
          info.columns = typer.columns.map((c) => ({ header: c.header, field: c.field?.name }));
          if (typer.fatal) return;
          continue;
        }
        if (!e.cells || !typer) {
          yield { row: e.row, line: e.line, values: {}, issues: e.issues, ok: !e.issues.some((i) => i.severity === 'error') };
          continue;
        }
        yield typer.typeRow(e.cells, e.row, e.line, e.issues, e.sizes);
      }
    } finally {
      // File-level problems found while reading (encoding, JSON syntax, XLSX) come after the header's.
      fileIssues.push(...table.fileIssues);
    }
  }
  return { info, fileIssues, [Symbol.asyncIterator]: () => generate() };
}

/**
 * The streaming API: byte chunks in (from a file stream, an upload, or memory), typed rows out.
 * CSV/TSV and NDJSON are processed chunk by chunk in constant memory (apart from the duplicate-key set);
 * XLSX and JSON arrays are read whole.
 */
export function readRecords(chunks: AsyncIterable<Uint8Array>, options: ReadOptions): RecordStream {
  return typeTable(readTable(chunks, options), options.schema, options);
}

export interface ParsedData {
  info: SourceInfo;
  rows: DataRow[];
  /** File-level issues followed by every row's issues. */
  issues: DataIssue[];
  /** Rows without errors. */
  records: DataRow[];
}

/** Convenience: a whole file in memory → typed rows and every issue. */
export async function parseDataFile(
  bytes: Uint8Array,
  name: string,
  schema: DataSchema,
  options: Omit<ReadOptions, 'name' | 'schema'> = {},
): Promise<ParsedData> {
  const stream = readRecords(
    (async function* () {
      yield bytes;
    })(),
    { ...options, name, schema },
  );
  const rows: DataRow[] = [];
  for await (const r of stream) rows.push(r);
  return { info: stream.info, rows, issues: [...stream.fileIssues, ...rows.flatMap((r) => r.issues)], records: rows.filter((r) => r.ok) };
}

/** One line per issue for people: `row 12 (line 13), column "Email": …`. */
export function formatDataIssue(i: DataIssue): string {
  const where = i.row === 0 ? 'file' : `row ${i.row}${i.line !== undefined ? ` (line ${i.line})` : ''}`;
  const col = i.column !== undefined ? `, column "${i.column}"` : i.field !== undefined ? `, field "${i.field}"` : '';
  return `${where}${col}: ${i.severity === 'warning' ? 'warning: ' : ''}${i.message}`;
}
