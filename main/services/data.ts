import { createHash, randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { DatasetView, RecordView } from '../../shared/ipc/contract';
import { StudioError } from '../../shared/ipc/errors';
import type { DataSchema } from '../../shared/model/data-schema';
import type { TemplateDocument } from '../../shared/model/document';
import { parseDataFile, type ParsedData } from '../../shared/data/records';
import { guessFieldsForColumns, type ColumnGuess } from '../../shared/ops/column-guess';
import type { Db } from './library-db';
import type { TemplateService } from './templates';

interface DatasetMeta {
  fileName: string;
  templateId: string;
  /** field → column chosen by the user (absent: the schema's own name and aliases decide). */
  mapping: Record<string, string | null>;
  /** SHA-256 of the bytes: the same file imported again for the same template is the same dataset (absent in older libraries). */
  sha256?: string;
}

interface Loaded {
  id: string;
  meta: DatasetMeta;
  bytes: Uint8Array;
  parsed: ParsedData;
  /** Every header in the file, in order. */
  headers: string[];
  /** The template's data schema this parse used (JSON): a different one (fields edited) parses again. */
  schemaKey: string;
  /** Guesses for the columns no field reads (computed on first view). */
  ignored?: ColumnGuess[];
}

const rowCount = (n: number) => `${n} row${n === 1 ? '' : 's'}`;

/** How many rows the "create fields from these columns" guesses look at. */
const GUESS_ROWS = 500;

/** A schema whose fields read the columns the user mapped (a mapped column becomes the field's only alias). */
export function mappedSchema(schema: DataSchema, mapping: Record<string, string | null>): DataSchema {
  return {
    ...schema,
    fields: schema.fields.map((f) => {
      const col = mapping[f.name];
      if (col === undefined) return f;
      // null: deliberately unmapped — give it an alias no header can have.
      return { ...f, aliases: col === null ? [] : [col], name: f.name };
    }),
  };
}

const display = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Data sources kept in the library (kind "dataset"): the file's bytes, its template and the column mapping. */
export class DataService {
  private readonly cache = new Map<string, Loaded>();

  constructor(
    private readonly db: Db,
    private readonly templates: TemplateService,
    private readonly now: () => Date,
  ) {}

  private schemaOf(doc: TemplateDocument): DataSchema {
    if (!doc.data)
      throw new StudioError(
        'no-data-schema',
        'This template declares no data fields; add fields to its data schema before importing data.',
      );
    return doc.data;
  }

  async import(templateId: string, fileName: string, bytes: Uint8Array): Promise<DatasetView> {
    const name = basename(fileName);
    if (!/\.(csv|tsv|txt|xlsx|json|ndjson|jsonl)$/i.test(name))
      throw new StudioError(
        'data-unknown-format',
        `${name}: Presswork reads .csv, .tsv, .txt, .xlsx, .json and .ndjson files; save the data in one of those formats.`,
      );
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // The same file for the same template again: the dataset it already is (one library entry per file).
    const same = (
      this.db.prepare("SELECT id, meta FROM items WHERE kind = 'dataset' AND name = ?").all(name) as { id: string; meta: string }[]
    ).find((r) => {
      const m = JSON.parse(r.meta) as DatasetMeta;
      return m.templateId === templateId && m.sha256 === sha256;
    });
    if (same) return this.select(same.id);
    const id = randomUUID();
    const meta: DatasetMeta = { fileName: name, templateId, mapping: {}, sha256 };
    const loaded = await this.parse(id, meta, bytes);
    this.db
      .prepare('INSERT INTO items (id, kind, name, detail, meta, data, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, 'dataset', name, rowCount(loaded.parsed.rows.length), JSON.stringify(meta), Buffer.from(bytes), this.now().toISOString());
    return this.view(loaded);
  }

  private schemaKey(templateId: string): string {
    return JSON.stringify(this.schemaOf(this.templates.get(templateId).document));
  }

  private async parse(id: string, meta: DatasetMeta, bytes: Uint8Array): Promise<Loaded> {
    const doc = this.templates.get(meta.templateId).document;
    const schema = mappedSchema(this.schemaOf(doc), meta.mapping);
    const parsed = await parseDataFile(bytes, meta.fileName, schema);
    const loaded: Loaded = {
      id,
      meta,
      bytes,
      parsed,
      headers: parsed.info.columns.map((c) => c.header),
      schemaKey: JSON.stringify(this.schemaOf(doc)),
    };
    this.cache.set(id, loaded);
    return loaded;
  }

  /** The dataset parsed with its template's current fields (a field added, renamed or retyped parses it again). */
  private async load(id: string): Promise<Loaded> {
    const hit = this.cache.get(id);
    if (hit && hit.schemaKey === this.schemaKey(hit.meta.templateId)) return hit;
    if (hit) return this.parse(id, hit.meta, hit.bytes);
    const row = this.db.prepare("SELECT meta, data FROM items WHERE id = ? AND kind = 'dataset'").get(id) as
      { meta: string; data: Buffer } | undefined;
    if (!row) throw new StudioError('unknown-dataset', 'That data source is no longer in the library; import the file again.');
    return this.parse(id, JSON.parse(row.meta) as DatasetMeta, new Uint8Array(row.data));
  }

  /** Raw cells of the columns no field reads (first rows only), typed-guessed for new fields. */
  private async guesses(l: Loaded, doc: TemplateDocument): Promise<ColumnGuess[]> {
    if (l.ignored) return l.ignored;
    const headers = l.parsed.info.columns.filter((c) => c.field === undefined && c.header.trim() !== '').map((c) => c.header);
    if (!headers.length) return (l.ignored = []);
    // Read those columns as text: one text field per header, the header its alias.
    const raw: DataSchema = {
      fields: headers.map((h, i) => ({ name: `c${i}`, type: 'text', required: false, aliases: [h] })),
      recordKey: 'c0',
      locale: doc.data.locale,
      currency: doc.data.currency,
    };
    const parsed = await parseDataFile(l.bytes, l.meta.fileName, raw);
    const rows = parsed.rows
      .slice(0, GUESS_ROWS)
      .map((r) => Object.fromEntries(headers.map((h, i) => [h, r.values[`c${i}`] === undefined ? undefined : String(r.values[`c${i}`])])));
    return (l.ignored = guessFieldsForColumns(doc, headers, rows));
  }

  private async view(l: Loaded): Promise<DatasetView> {
    const doc = this.templates.get(l.meta.templateId).document;
    // The library's row count follows the fields (a file reads more rows once its key column is a field).
    const detail = rowCount(l.parsed.rows.length);
    this.db.prepare('UPDATE items SET detail = ? WHERE id = ? AND detail != ?').run(detail, l.id, detail);
    const schema = this.schemaOf(doc);
    const mapping: Record<string, string | null> = {};
    for (const f of schema.fields) mapping[f.name] = l.parsed.info.columns.find((c) => c.field === f.name)?.header ?? null;
    return {
      id: l.id,
      templateId: l.meta.templateId,
      name: l.meta.fileName,
      rows: l.parsed.rows.length,
      columns: l.headers,
      mapping,
      fields: schema.fields.map((f) => ({ name: f.name, type: f.type, required: f.required })),
      problems: l.parsed.issues.slice(0, 500).map((i) => ({
        row: i.row === 0 ? null : i.row,
        column: i.column ?? i.field ?? null,
        severity: i.severity,
        message: i.message,
      })),
      ignored: await this.guesses(l, doc),
    };
  }

  /** The template's datasets, most recently used first. */
  list(templateId: string): { id: string; name: string; rows: number; updatedAt: string }[] {
    const rows = this.db
      .prepare("SELECT id, name, detail, meta, updated_at FROM items WHERE kind = 'dataset' ORDER BY updated_at DESC, rowid DESC")
      .all() as { id: string; name: string; detail: string; meta: string; updated_at: string }[];
    return rows
      .filter((r) => (JSON.parse(r.meta) as DatasetMeta).templateId === templateId)
      .map((r) => ({ id: r.id, name: r.name, rows: Number.parseInt(r.detail, 10) || 0, updatedAt: r.updated_at }));
  }

  /** Make a dataset its template's current one (the template reopens with it). */
  async select(id: string): Promise<DatasetView> {
    const l = await this.load(id);
    this.db.prepare('UPDATE items SET updated_at = ? WHERE id = ?').run(this.now().toISOString(), id);
    return this.view(l);
  }

  async get(id: string): Promise<DatasetView> {
    return this.view(await this.load(id));
  }

  async map(id: string, mapping: Record<string, string | null>): Promise<DatasetView> {
    const l = await this.load(id);
    const schema = this.schemaOf(this.templates.get(l.meta.templateId).document);
    for (const [field, col] of Object.entries(mapping)) {
      if (!schema.fields.some((f) => f.name === field))
        throw new StudioError('unknown-field', `The template has no field "${field}"; refresh the Data screen.`);
      if (col !== null && !l.headers.includes(col))
        throw new StudioError('unknown-column', `The file has no column "${col}"; pick one of: ${l.headers.join(', ')}.`);
    }
    const meta = { ...l.meta, mapping: { ...l.meta.mapping, ...mapping } };
    this.db.prepare('UPDATE items SET meta = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(meta), this.now().toISOString(), id);
    return this.view(await this.parse(id, meta, l.bytes));
  }

  /** The file as imported (name and bytes) with its typed rows and issues: what review sends the server. */
  async source(id: string): Promise<{ fileName: string; bytes: Uint8Array; parsed: ParsedData }> {
    const l = await this.load(id);
    return { fileName: l.meta.fileName, bytes: l.bytes, parsed: l.parsed };
  }

  /** The typed rows of a dataset (all rows, in file order). */
  async rows(id: string): Promise<ParsedData['rows']> {
    return (await this.load(id)).parsed.rows;
  }

  async record(
    templateId: string,
    datasetId: string | null,
    index: number,
  ): Promise<{ view: RecordView; values: Record<string, unknown>; row: number }> {
    const doc = this.templates.get(templateId).document;
    let values: Record<string, unknown>;
    let total: number;
    let row: number;
    // A file that reads no records yet (its key column is not a field yet) stands in with the sample record.
    if (datasetId !== null && (await this.rows(datasetId)).length === 0 && index === 0) datasetId = null;
    if (datasetId === null) {
      // No data imported yet: the schema's sample values stand in for one record.
      values = Object.fromEntries((doc.data?.fields ?? []).filter((f) => f.sample !== undefined).map((f) => [f.name, f.sample]));
      total = 1;
      row = 1;
      if (index !== 0)
        throw new StudioError('out-of-range', 'Without imported data there is one sample record; import data to step through records.');
    } else {
      const rows = await this.rows(datasetId);
      total = rows.length;
      const r = rows[index];
      if (!r) throw new StudioError('out-of-range', `Record ${index + 1} does not exist; the data has ${total} records.`);
      values = r.values;
      row = r.row;
    }
    const vs = doc.variants;
    let variant: RecordView['variant'] = null;
    if (vs) {
      const key = values[vs.keyField];
      const item = vs.items.find((v) => v.key === display(key));
      variant = item
        ? { key: item.key, name: item.label, fallback: false }
        : { key: key === undefined ? null : display(key), name: vs.fallback.label, fallback: true };
    }
    return {
      view: { index, total, values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, display(v)])), variant },
      values,
      row,
    };
  }

  async find(datasetId: string, query: string, from: number): Promise<number | null> {
    const rows = await this.rows(datasetId);
    const q = query.toLowerCase();
    for (let k = 0; k < rows.length; k += 1) {
      const i = (from + k) % rows.length;
      const r = rows[i]!;
      if (Object.values(r.values).some((v) => display(v).toLowerCase().includes(q))) return i;
    }
    return null;
  }
}
