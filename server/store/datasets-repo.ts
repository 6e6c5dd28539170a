import type { DataRecord } from '../../shared/http/schemas';
import type { Db } from './db';
import { newId, nowIso } from './ids';

export interface DatasetMeta {
  id: string;
  name: string;
  records: number;
  fields: string[];
  createdAt: string;
}

/** Stored data files, parsed once into records (kept as JSON text) so later jobs can name them. */
export class DatasetsRepo {
  constructor(private readonly db: Db) {}

  create(name: string, fields: string[], records: DataRecord[]): DatasetMeta {
    const id = newId('ds');
    const createdAt = nowIso();
    this.db
      .prepare('INSERT INTO datasets (id, name, fields, records, record_count, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, name, JSON.stringify(fields), JSON.stringify(records), records.length, createdAt);
    return { id, name, records: records.length, fields, createdAt };
  }

  list(): DatasetMeta[] {
    return this.db
      .prepare<[], { id: string; name: string; records: number; fields: string; createdAt: string }>(
        'SELECT id, name, record_count AS records, fields, created_at AS createdAt FROM datasets ORDER BY created_at DESC',
      )
      .all()
      .map((r) => ({ ...r, fields: JSON.parse(r.fields) as string[] }));
  }

  records(id: string): DataRecord[] | undefined {
    const row = this.db.prepare<[string], { records: string }>('SELECT records FROM datasets WHERE id = ?').get(id);
    return row ? (JSON.parse(row.records) as DataRecord[]) : undefined;
  }
}
