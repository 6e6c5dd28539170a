import type { DataField, DataSchema } from '../model/data-schema';
import { CsvTokenizer, detectDelimiter, type CsvRecord } from './csv';
import { detectEncoding, SNIFF_BYTES, StreamDecoder, type TextEncodingName } from './decode';
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

export interface ReadOptions {
  /** File name: its extension picks the format (.csv .tsv .txt .xlsx .json .ndjson .jsonl). */
  name: string;
  schema: DataSchema;
  /** XLSX: the sheet to read (default: the first). */
  sheet?: string;
  format?: DataFormat;
  /** Report repeated record keys (keeps 8 bytes per row in memory; default true). */
  checkDuplicateKeys?: boolean;
  /**
   * The longest value accepted in one field, in characters (default DEFAULT_MAX_FIELD_CHARS, 64 Ki). A longer value
   * fails its record (`value-too-large`) and is never held in memory whole: a 50 MB cell costs what the limit does.
   */
  maxFieldChars?: number;
}

/** The default per-field limit: 65,536 characters (a long letter is ~5,000). */
export const DEFAULT_MAX_FIELD_CHARS = 65_536;

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

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/** Maps headers to fields (by name or alias, case-insensitive, spaces/underscores/hyphens alike) and checks rows. */
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
    for (const f of schema.fields) {
      lookup.set(norm(f.name), f);
      if (f.label) lookup.set(norm(f.label), f);
      for (const a of f.aliases) lookup.set(norm(a), f);
    }
    const used = new Map<string, string>();
    headers.forEach((h, i) => {
      const header = i === 0 ? h.replace(/^\uFEFF/, '') : h;
      const field = lookup.get(norm(header));
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
      if (!r.ok) issues.push({ row, line, column: col.header, field: f.name, code: 'bad-value', severity: 'error', message: r.reason });
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
 * The streaming API: byte chunks in (from a file stream, an upload, or memory), typed rows out.
 * CSV/TSV and NDJSON are processed chunk by chunk in constant memory (apart from the duplicate-key set);
 * XLSX and JSON arrays are read whole.
 */
export function readRecords(chunks: AsyncIterable<Uint8Array>, options: ReadOptions): RecordStream {
  const fileIssues: DataIssue[] = [];
  const info: SourceInfo = { format: options.format ?? formatFromName(options.name), columns: [] };
  const checkDup = options.checkDuplicateKeys ?? true;
  const maxField = options.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS;
  const fileIssue = (code: DataIssue['code'], message: string, severity: DataIssue['severity'] = 'error') =>
    fileIssues.push({ row: 0, code, severity, message });

  async function* generate(): AsyncGenerator<DataRow> {
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
      const headers = Array.from(header.cells, (c: XlsxCell) => (c === undefined ? '' : String(c)));
      const typer = new RowTyper(headers, options.schema, checkDup, maxField);
      setup(typer);
      if (typer.fatal) return;
      let row = 0;
      for (const r of body) {
        if (r.cells.every((c) => c === undefined || c === '')) continue;
        yield typer.typeRow(r.cells, ++row, r.row);
      }
      return;
    }

    const detected = detectEncoding(first);
    info.encoding = detected.encoding;
    const decoder = new StreamDecoder(detected.encoding, (m) => fileIssue('encoding', m, 'warning'));
    const texts = async function* (): AsyncGenerator<string> {
      let skip = detected.bomLength;
      for await (const chunk of rest()) {
        const c = skip ? chunk.subarray(skip) : chunk;
        skip = 0;
        const t = decoder.decode(c);
        if (t) yield t;
      }
      const tail = decoder.decode(new Uint8Array(0), true);
      if (tail) yield tail;
    };

    if (info.format === 'json' || info.format === 'ndjson') {
      yield* jsonRows(texts(), info, options, checkDup, fileIssue, setup);
      return;
    }

    // CSV / TSV
    let tokenizer: CsvTokenizer | undefined;
    let typer: RowTyper | undefined;
    let row = 0;
    const pending: CsvRecord[] = [];
    const handle = function* (): Generator<DataRow> {
      for (const rec of pending) {
        if (!typer) {
          typer = new RowTyper(rec.cells, options.schema, checkDup, maxField);
          setup(typer);
          if (typer.fatal) return;
          continue;
        }
        if (typer.fatal) return;
        const extra: DataIssue[] = rec.warnings.map((w) => ({
          row: row + 1,
          line: rec.line,
          code: 'csv-syntax' as const,
          severity: 'warning' as const,
          message: w,
        }));
        if (rec.cells.length === 1 && rec.cells[0]!.trim() === '' && typer.columns.length > 1) continue;
        yield typer.typeRow(rec.cells, ++row, rec.line, extra, rec.oversized);
      }
      pending.length = 0;
    };
    for await (const text of texts()) {
      if (!tokenizer) {
        const delimiter = info.format === 'tsv' ? '\t' : detectDelimiter(text.slice(0, SNIFF_BYTES));
        info.delimiter = delimiter;
        tokenizer = new CsvTokenizer(delimiter, maxField);
      }
      tokenizer.push(text, pending);
      yield* handle();
      if (typer?.fatal) return;
    }
    tokenizer?.finish(pending);
    yield* handle();
    if (!typer) fileIssue('empty-file', 'the file has no header row');
  }

  function setup(typer: RowTyper) {
    fileIssues.push(...typer.fileIssues);
    info.columns = typer.columns.map((c) => ({ header: c.header, field: c.field?.name }));
  }

  return { info, fileIssues, [Symbol.asyncIterator]: () => generate() };
}

async function* jsonRows(
  texts: AsyncIterable<string>,
  info: SourceInfo,
  options: ReadOptions,
  checkDup: boolean,
  fileIssue: (code: DataIssue['code'], message: string) => void,
  setup: (t: RowTyper) => void,
): AsyncGenerator<DataRow> {
  // Headers are the schema's field names plus every key seen in the first object (extra keys are reported).
  let typer: RowTyper | undefined;
  let row = 0;
  const emit = (obj: unknown, line: number | undefined): DataRow | undefined => {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      row++;
      return {
        row,
        line,
        values: {},
        ok: false,
        issues: [
          { row, line, code: 'bad-json', severity: 'error', message: 'each record must be a JSON object like {"first_name": "Maria"}' },
        ],
      };
    }
    const o = obj as Record<string, unknown>;
    if (!typer) {
      typer = new RowTyper(Object.keys(o), options.schema, checkDup, options.maxFieldChars);
      setup(typer);
    }
    if (typer.fatal) return undefined;
    const byHeader = new Map(Object.entries(o));
    const cells = typer.columns.map((c) => byHeader.get(c.header));
    const extra: DataIssue[] = [];
    for (const k of byHeader.keys())
      if (!typer.columns.some((c) => c.header === k))
        extra.push({
          row: row + 1,
          line,
          column: k,
          code: 'unknown-column',
          severity: 'warning',
          message: `key "${k}" is not in the first record's keys and matches no known column; it is ignored`,
        });
    return typer.typeRow(cells, ++row, line, extra);
  };

  if (info.format === 'ndjson') {
    let buf = '';
    let line = 0;
    const lineOf = function* (l: string): Generator<DataRow> {
      line++;
      const s = l.trim();
      if (!s) return;
      let obj: unknown;
      try {
        obj = JSON.parse(s);
      } catch (e) {
        row++;
        yield {
          row,
          line,
          values: {},
          ok: false,
          issues: [
            {
              row,
              line,
              code: 'bad-json',
              severity: 'error',
              message: `not valid JSON (${e instanceof Error ? e.message : String(e)}); each line must hold one JSON object`,
            },
          ],
        };
        return;
      }
      const r = emit(obj, line);
      if (r) yield r;
    };
    // A line may hold every field at its limit; a longer one fails its record and is skipped, not held in memory.
    const maxLine = (options.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS) * Math.max(options.schema.fields.length, 1) + 65_536;
    let skipping = 0;
    const tooLong = (chars: number): DataRow => {
      line++;
      row++;
      const message = `the line has ${chars.toLocaleString('en-US')} characters, more than every field at its limit (${maxLine.toLocaleString('en-US')}); shorten its values`;
      return { row, line, values: {}, ok: false, issues: [{ row, line, code: 'value-too-large', severity: 'error', message }] };
    };
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
        if (typer?.fatal) return;
      }
      if (buf.length > maxLine) {
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
  for (const item of data) {
    const r = emit(item, undefined);
    if (!r) return;
    yield r;
  }
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
