import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { DatasetView, RecordView } from '../../shared/ipc/contract';
import { StudioError } from '../../shared/ipc/errors';
import type { DataSchema } from '../../shared/model/data-schema';
import type { TemplateDocument } from '../../shared/model/document';
import { parseDataFile, type ParsedData } from '../../shared/data/records';
import type { Db } from './library-db';
import type { TemplateService } from './templates';

interface DatasetMeta {
  fileName: string;
  templateId: string;
  /** field → column chosen by the user (absent: the schema's own name and aliases decide). */
  mapping: Record<string, string | null>;
}

interface Loaded {
  id: string;
  meta: DatasetMeta;
  bytes: Uint8Array;
  parsed: ParsedData;
  /** Every header in the file, in order. */
  headers: string[];
}

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
    const id = randomUUID();
    const meta: DatasetMeta = { fileName: name, templateId, mapping: {} };
    const loaded = await this.parse(id, meta, bytes);
    this.db
      .prepare('INSERT INTO items (id, kind, name, detail, meta, data, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, 'dataset', name, `${loaded.parsed.rows.length} rows`, JSON.stringify(meta), Buffer.from(bytes), this.now().toISOString());
    return this.view(loaded);
  }

  private async parse(id: string, meta: DatasetMeta, bytes: Uint8Array): Promise<Loaded> {
    const doc = this.templates.get(meta.templateId).document;
    const schema = mappedSchema(this.schemaOf(doc), meta.mapping);
    const parsed = await parseDataFile(bytes, meta.fileName, schema);
    const loaded: Loaded = { id, meta, bytes, parsed, headers: parsed.info.columns.map((c) => c.header) };
    this.cache.set(id, loaded);
    return loaded;
  }

  private async load(id: string): Promise<Loaded> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const row = this.db.prepare("SELECT meta, data FROM items WHERE id = ? AND kind = 'dataset'").get(id) as
      { meta: string; data: Buffer } | undefined;
    if (!row) throw new StudioError('unknown-dataset', 'That data source is no longer in the library; import the file again.');
    return this.parse(id, JSON.parse(row.meta) as DatasetMeta, new Uint8Array(row.data));
  }

  private view(l: Loaded): DatasetView {
    const doc = this.templates.get(l.meta.templateId).document;
    const schema = this.schemaOf(doc);
    const mapping: Record<string, string | null> = {};
    for (const f of schema.fields) mapping[f.name] = l.parsed.info.columns.find((c) => c.field === f.name)?.header ?? null;
    return {
      id: l.id,
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
    };
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
