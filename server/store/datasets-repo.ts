import type { DataIssue, SourceInfo } from '../../shared/data';
import type { Db } from './db';
import { newId, nowIso } from './ids';

export interface DatasetMeta {
  id: string;
  name: string;
  records: number;
  fields: string[];
  createdAt: string;
}

/** What reading the file found: format, encoding, delimiter, sheet, and file-level warnings. */
export interface DatasetSource {
  format: SourceInfo['format'];
  encoding?: string;
  delimiter?: string;
  sheet?: string;
  warnings: DataIssue[];
}

/** One stored row: the raw cells as shared/data read them (not typed: a dataset belongs to no template). */
export interface StoredRow {
  row: number;
  line: number | null;
  /** Absent when the row could not be read as cells (a JSON line that is not an object); `issues` says why. */
  cells: unknown[] | null;
  issues: DataIssue[];
}

/**
 * Stored data files (one aggregate: the dataset and its rows). A dataset is written row by row while the upload
 * streams in, in transactions of a few thousand rows, and becomes visible (a `datasets` row) only when complete;
 * rows of an upload that never completed are removed by `sweepUnfinished`. Jobs read it back page by page.
 */
export class DatasetsRepo {
  private readonly insertRow;
  private readonly pageStmt;
  constructor(private readonly db: Db) {
    this.insertRow = db.prepare('INSERT INTO dataset_rows (dataset_id, row, line, cells, issues) VALUES (?, ?, ?, ?, ?)');
    this.pageStmt = db.prepare<[string, number, number], { row: number; line: number | null; cells: string | null; issues: string | null }>(
      'SELECT row, line, cells, issues FROM dataset_rows WHERE dataset_id = ? AND row > ? ORDER BY row LIMIT ?',
    );
  }

  /** An id for a dataset about to be written. */
  newId(): string {
    return newId('ds');
  }

  /** Store a batch of rows of a dataset being written (one transaction). */
  insertRows(id: string, rows: readonly StoredRow[]): void {
    this.db.transaction(() => {
      for (const r of rows)
        this.insertRow.run(id, r.row, r.line, r.cells ? JSON.stringify(r.cells) : null, r.issues.length ? JSON.stringify(r.issues) : null);
    })();
  }

  /** The upload is complete: the dataset becomes visible. */
  finish(id: string, name: string, headers: string[], rows: number, sha256: string, source: DatasetSource): DatasetMeta {
    const createdAt = nowIso();
    this.db
      .prepare(
        "INSERT INTO datasets (id, name, fields, records, record_count, created_at, sha256, source) VALUES (?, ?, ?, '', ?, ?, ?, ?)",
      )
      .run(id, name, JSON.stringify(headers), rows, createdAt, sha256, JSON.stringify(source));
    return { id, name, records: rows, fields: headers, createdAt };
  }

  /** Remove the rows of an upload that failed. */
  discard(id: string): void {
    this.db.prepare('DELETE FROM dataset_rows WHERE dataset_id = ?').run(id);
  }

  /** Start-up: rows of uploads cut off by a crash belong to no dataset. */
  sweepUnfinished(): number {
    return this.db.prepare('DELETE FROM dataset_rows WHERE dataset_id NOT IN (SELECT id FROM datasets)').run().changes;
  }

  list(): DatasetMeta[] {
    return this.db
      .prepare<[], { id: string; name: string; records: number; fields: string; createdAt: string }>(
        'SELECT id, name, record_count AS records, fields, created_at AS createdAt FROM datasets ORDER BY created_at DESC',
      )
      .all()
      .map((r) => ({ ...r, fields: JSON.parse(r.fields) as string[] }));
  }

  /** A dataset's facts (not its rows); `sha256` is null for datasets stored before row storage (compute it from the rows). */
  get(id: string): (DatasetMeta & { sha256: string | null; legacy: boolean }) | undefined {
    const r = this.db
      .prepare<
        [string],
        { id: string; name: string; records: number; fields: string; createdAt: string; sha256: string | null; legacy: number }
      >(
        "SELECT id, name, record_count AS records, fields, created_at AS createdAt, sha256, records <> '' AS legacy FROM datasets WHERE id = ?",
      )
      .get(id);
    return r ? { ...r, fields: JSON.parse(r.fields) as string[], legacy: r.legacy === 1 } : undefined;
  }

  /** Up to `limit` rows after row `after` (rows are numbered from 1). */
  page(id: string, after: number, limit: number): StoredRow[] {
    return this.pageStmt.all(id, after, limit).map((r) => ({
      row: r.row,
      line: r.line,
      cells: r.cells === null ? null : (JSON.parse(r.cells) as unknown[]),
      issues: r.issues === null ? [] : (JSON.parse(r.issues) as DataIssue[]),
    }));
  }

  /** The records of a dataset stored before row storage (migration 5), as objects by header. */
  legacyRecords(id: string): Record<string, unknown>[] | undefined {
    const row = this.db.prepare<[string], { records: string }>("SELECT records FROM datasets WHERE id = ? AND records <> ''").get(id);
    return row ? (JSON.parse(row.records) as Record<string, unknown>[]) : undefined;
  }
}
