import { createHash } from 'node:crypto';
import {
  encodingFromLabel,
  readTable,
  tableFromObjects,
  typeTable,
  type DataFormat,
  type DataIssue,
  type RecordStream,
  type SourceInfo,
  type TableEvent,
  type TableStream,
  type TextEncodingName,
} from '../../shared/data';
import type { DataSchema } from '../../shared/model/data-schema';
import type { JobData } from '../../shared/http/schemas';
import type { DatasetMeta, DatasetsRepo, StoredRow } from '../store/datasets-repo';

/**
 * The server's one data path (docs/server.md, "Data"): every way data reaches the server — a dataset upload,
 * a file or inline records in a job or an approval, a real-time message's record — becomes a shared/data table
 * and is typed by `typeTable` for the template, exactly as `presswork compose` and the studio read a file.
 * Datasets are stored row by row as they stream in and are read back page by page, so no step holds a whole
 * dataset in memory.
 */

/** Rows per store transaction while an upload streams in (the event loop runs between them). */
const PAGE = 2000;
/** Rows per page read back for a job: small, so typing a page never holds the event loop for long. */
const READ_PAGE = 500;

const tick = () => new Promise<void>((r) => setImmediate(r));

/**
 * Cooperative yielding for long loops on the main thread: `await pause()` gives the event loop a turn (HTTP
 * requests, SMTP hand-offs) once `budgetMs` of work has passed since the last turn, and is free otherwise.
 */
export function pacer(budgetMs = 8): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < budgetMs) return undefined;
    return tick().then(() => {
      since = performance.now();
    });
  };
}

/** A problem with data as a whole, for a 4xx: `status` 415 for an unsupported declaration, 422 for content. */
export class DataInputError extends Error {
  constructor(
    readonly status: 415 | 422,
    message: string,
    readonly issues: DataIssue[] = [],
  ) {
    super(message);
    this.name = 'DataInputError';
  }
}

/** The encoding declared by a `charset` (Content-Type parameter or `file.charset`); 415 when Presswork does not read it. */
export function declaredEncoding(charset: string | undefined): TextEncodingName | undefined {
  if (charset === undefined || charset.trim() === '') return undefined;
  const e = encodingFromLabel(charset);
  if (!e)
    throw new DataInputError(
      415,
      `charset "${charset}" is not one Presswork reads; send UTF-8, UTF-16 or Windows-1252/ISO-8859-1 (or leave charset out to have it detected)`,
    );
  return e;
}

/** Upload media types → the data format they carry (undefined: take it from the name or the bytes). */
export const DATA_MEDIA_TYPES: Record<string, DataFormat | undefined> = {
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/x-ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/octet-stream': undefined,
};

/** The upload media types whose bodies are streamed (not buffered) to the dataset handler. */
export const STREAMED_DATA_TYPES = Object.keys(DATA_MEDIA_TYPES).filter((t) => t !== 'application/octet-stream');

/** A table's row as the plain object its hash is made of: trimmed header → cell. */
function rawObject(headers: readonly string[], cells: readonly unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  headers.forEach((h, i) => {
    if (cells[i] !== undefined) o[h.trim()] = cells[i];
  });
  return o;
}

/** sha256 of the records as a JSON array, written as they pass (the same value as hashing `JSON.stringify(records)`). */
class RecordsHash {
  private readonly h = createHash('sha256').update('[');
  private n = 0;
  get count(): number {
    return this.n;
  }
  add(record: unknown): void {
    this.h.update(`${this.n++ ? ',' : ''}${JSON.stringify(record) ?? 'null'}`);
  }
  digest(): string {
    return this.h.update(']').digest('hex');
  }
}

/** What went wrong with the file as a whole (errors), for a 422. */
function fatal(fileIssues: DataIssue[]): DataIssue[] {
  return fileIssues.filter((i) => i.severity === 'error');
}

const sourceOf = (info: SourceInfo, warnings: DataIssue[]) => ({
  format: info.format,
  ...(info.encoding ? { encoding: info.encoding } : {}),
  ...(info.delimiter ? { delimiter: info.delimiter } : {}),
  ...(info.sheet ? { sheet: info.sheet } : {}),
  warnings,
});

/**
 * Store a table as a dataset, row by row (transactions of 2,000 rows, the event loop running between them).
 * A file that cannot be read as a whole (undecodable, no header, broken JSON or XLSX) stores nothing and throws
 * a `DataInputError` listing why.
 */
export async function storeDataset(repo: DatasetsRepo, name: string, table: TableStream, maxRows = 10_000_000): Promise<DatasetMeta> {
  const id = repo.newId();
  const hash = new RecordsHash();
  let headers: string[] = [];
  let batch: StoredRow[] = [];
  let rows = 0;
  const pause = pacer();
  try {
    for await (const e of table) {
      await pause();
      if (e.kind === 'headers') {
        headers = e.headers;
        continue;
      }
      rows++;
      if (rows > maxRows) throw new DataInputError(422, `the data has more than ${maxRows} rows; split it into several datasets`);
      hash.add(e.cells ? rawObject(headers, e.cells) : null);
      batch.push({ row: e.row, line: e.line ?? null, cells: e.cells ?? null, issues: e.issues });
      if (batch.length >= PAGE) {
        repo.insertRows(id, batch);
        batch = [];
        await tick();
      }
    }
    const errors = fatal(table.fileIssues);
    if (errors.length) throw new DataInputError(422, 'the data file could not be read', errors);
    if (rows === 0)
      throw new DataInputError(422, 'the data file has a header row but no records; add at least one row', [
        { row: 0, code: 'empty-file', severity: 'error', message: 'the file has no data rows' },
      ]);
    repo.insertRows(id, batch);
    const warnings = table.fileIssues.filter((i) => i.severity === 'warning');
    return repo.finish(id, name, headers, rows, hash.digest(), sourceOf(table.info, warnings));
  } catch (e) {
    repo.discard(id);
    throw e;
  }
}

/** A stored dataset read back as a table, page by page. */
function datasetTable(repo: DatasetsRepo, id: string, headers: string[]): TableStream {
  const info: SourceInfo = { format: 'csv', columns: headers.map((header) => ({ header })) };
  async function* generate(): AsyncGenerator<TableEvent> {
    yield { kind: 'headers', headers };
    let after = 0;
    for (;;) {
      const page = repo.page(id, after, READ_PAGE);
      for (const r of page)
        yield {
          kind: 'row',
          row: r.row,
          ...(r.line !== null ? { line: r.line } : {}),
          ...(r.cells ? { cells: r.cells } : {}),
          issues: r.issues,
        };
      if (page.length < READ_PAGE) return;
      after = page[page.length - 1]!.row;
      await tick();
    }
  }
  return { info, fileIssues: [], [Symbol.asyncIterator]: () => generate() };
}

/** Bytes of a `file` in a job or approval body: its text, or its bytes sent as base64. */
function fileBytes(file: Extract<JobData, { file: unknown }>['file']): Uint8Array {
  if (file.base64 !== undefined) return new Uint8Array(Buffer.from(file.base64, 'base64'));
  const content = file.content ?? '';
  // Text decoded with the wrong encoding before it was sent carries U+FFFD where the bytes did not fit; storing it
  // would keep the damage. The bytes themselves can be read (base64): the encoding is then detected here.
  const bad = content.indexOf('\uFFFD');
  if (bad >= 0)
    throw new DataInputError(
      422,
      `the file's text holds a replacement character (U+FFFD) at character ${bad}: it was decoded with the wrong encoding before it was sent; send the file's bytes instead (data.file.base64), and the server reads its encoding (UTF-8, UTF-16 or Windows-1252) as the CLI does`,
    );
  return new TextEncoder().encode(content);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  // In 64 KiB slices, so a large file is decoded and tokenized in steps as a stream would be.
  for (let o = 0; o < bytes.length; o += 1 << 16) {
    yield bytes.subarray(o, o + (1 << 16));
    if (o && o % (1 << 22) === 0) await tick();
  }
}

/** A data file held in memory (an upload already read, a `file` in a body) as a table. */
export function bytesTable(bytes: Uint8Array, format: DataFormat | undefined, name: string, charset?: string): TableStream {
  const encoding = declaredEncoding(charset);
  return readTable(once(bytes), { name, ...(format ? { format } : {}), ...(encoding ? { encoding } : {}) });
}

/** Job or approval data, readable as often as needed, with its hash (approvals) and a name for people. */
export interface DataSource {
  /** A name for people (approval decisions, reports); a file's says how many records once `sha256()` has run. */
  label: string;
  table(): TableStream;
  sha256(): Promise<string>;
}

/**
 * Job or approval data → a source. A `file` is checked here (so a bad file is a 4xx when the request arrives);
 * a missing dataset is undefined.
 */
export function dataSource(repo: DatasetsRepo, data: JobData): DataSource | undefined {
  if ('records' in data) {
    const records = data.records;
    return {
      label: `${records.length} inline records`,
      table: () => tableFromObjects(records),
      sha256: async () => {
        const h = new RecordsHash();
        for (const r of records) h.add(r);
        return h.digest();
      },
    };
  }
  if ('datasetId' in data) {
    const meta = repo.get(data.datasetId);
    if (!meta) return undefined;
    const legacy = meta.legacy ? repo.legacyRecords(meta.id) : undefined;
    const table = () => (legacy ? tableFromObjects(legacy) : datasetTable(repo, meta.id, meta.fields));
    return {
      label: `${meta.name} (${meta.id})`,
      table,
      sha256: async () => meta.sha256 ?? (await hashTable(table())).sha256,
    };
  }
  const f = data.file;
  const bytes = fileBytes(f);
  const format = f.format;
  const table = () => bytesTable(bytes, format, `data.${format}`, f.charset);
  const src: DataSource = {
    label: `${format.toUpperCase()} file`,
    table,
    sha256: async () => {
      const h = await hashTable(table());
      src.label = `${format.toUpperCase()} file, ${h.records} records`;
      return h.sha256;
    },
  };
  return src;
}

/** The hash of a table's records (a dataset, its file and its records as JSON agree). */
export async function hashTable(table: TableStream): Promise<{ sha256: string; records: number }> {
  const h = new RecordsHash();
  let headers: string[] = [];
  for await (const e of table) {
    if (e.kind === 'headers') headers = e.headers;
    else h.add(e.cells ? rawObject(headers, e.cells) : null);
  }
  const errors = fatal(table.fileIssues);
  if (errors.length) throw new DataInputError(422, 'the data file could not be read', errors);
  return { sha256: h.digest(), records: h.count };
}

/** Typed rows of a source for a template, as `presswork compose` types a file. */
export function typedRows(source: DataSource, schema: DataSchema, options: { checkDuplicateKeys?: boolean } = {}): RecordStream {
  return typeTable(source.table(), schema, options);
}

/** Type one record (a real-time message, a record given inline) exactly as a one-record JSON file is typed. */
export async function typeRecord(
  record: Record<string, unknown>,
  schema: DataSchema,
): Promise<{ values: Record<string, string | number | boolean>; issues: DataIssue[] }> {
  const stream = typeTable(tableFromObjects([record]), schema, { checkDuplicateKeys: false });
  const issues: DataIssue[] = [];
  let values: Record<string, string | number | boolean> = {};
  for await (const r of stream) {
    values = r.values;
    issues.push(...r.issues);
  }
  return { values, issues: [...stream.fileIssues, ...issues] };
}
