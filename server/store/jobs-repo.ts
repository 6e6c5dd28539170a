import type { JobCreateBody, JobDto } from '../../shared/http/schemas';
import type { Db } from './db';
import { newId, nowIso } from './ids';

export type JobStatus = JobDto['status'];
export type Channel = 'email' | 'print';

export interface JobRow {
  id: string;
  version_id: string;
  channels: string;
  status: JobStatus;
  options: string;
  error: string | null;
  record_count: number;
  pdfs: number;
  expanded: number;
  created_by: string;
  created_at: string;
  scheduled_at_ms: number | null;
  started_at: string | null;
  finished_at: string | null;
  printed_at: string | null;
}

export interface JobOutput {
  /** 0 for the job's single PDF. */
  row: number;
  recordKey: string | null;
  file: string;
  bytes: number;
}

export interface Job {
  id: string;
  versionId: string;
  channels: Channel[];
  status: JobStatus;
  options: JobCreateBody['options'];
  error: string | null;
  recordCount: number;
  pdfs: number;
  expanded: boolean;
  createdAt: string;
  scheduledAtMs: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  printedAt: string | null;
}

const toJob = (r: JobRow): Job => ({
  id: r.id,
  versionId: r.version_id,
  channels: JSON.parse(r.channels) as Channel[],
  status: r.status,
  options: JSON.parse(r.options) as JobCreateBody['options'],
  error: r.error,
  recordCount: r.record_count,
  pdfs: r.pdfs,
  expanded: r.expanded === 1,
  createdAt: r.created_at,
  scheduledAtMs: r.scheduled_at_ms,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  printedAt: r.printed_at,
});

/**
 * Every column but `data`: a job's input records (megabytes for a large job, until expansion clears them)
 * are read only by data(), not by every status lookup made while the job runs.
 */
const COLUMNS =
  'id, version_id, channels, status, options, error, record_count, pdfs, expanded, created_by, created_at, scheduled_at_ms, started_at, finished_at, printed_at';

/** Jobs with their per-record errors (one aggregate). */
export class JobsRepo {
  private readonly byIdStmt;
  constructor(private readonly db: Db) {
    this.byIdStmt = db.prepare<[string], JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`);
  }

  create(input: {
    versionId: string;
    channels: Channel[];
    options: JobCreateBody['options'];
    data: unknown;
    by: string;
    scheduledAtMs: number | null;
  }): Job {
    const id = newId('job');
    const status: JobStatus = input.scheduledAtMs !== null && input.scheduledAtMs > Date.now() ? 'scheduled' : 'queued';
    this.db
      .prepare(
        'INSERT INTO jobs (id, version_id, channels, status, options, data, created_by, created_at, scheduled_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        input.versionId,
        JSON.stringify(input.channels),
        status,
        JSON.stringify(input.options),
        JSON.stringify(input.data),
        input.by,
        nowIso(),
        input.scheduledAtMs,
      );
    return this.get(id)!;
  }

  get(id: string): Job | undefined {
    const r = this.byIdStmt.get(id);
    return r ? toJob(r) : undefined;
  }

  data(id: string): unknown {
    const r = this.db.prepare<[string], { data: string | null }>('SELECT data FROM jobs WHERE id = ?').get(id);
    return r?.data ? (JSON.parse(r.data) as unknown) : undefined;
  }

  list(limit: number): Job[] {
    return this.db
      .prepare<[number], JobRow>(`SELECT ${COLUMNS} FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?`)
      .all(limit)
      .map(toJob);
  }

  /** Jobs to work on now: scheduled ones whose time has come become queued; returns queued and running. */
  active(nowMs: number): Job[] {
    this.db.prepare("UPDATE jobs SET status = 'queued' WHERE status = 'scheduled' AND scheduled_at_ms <= ?").run(nowMs);
    return this.db
      .prepare<[], JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE status IN ('queued','running') ORDER BY created_at, rowid`)
      .all()
      .map(toJob);
  }

  nextScheduledMs(): number | undefined {
    return (
      (this.db.prepare("SELECT MIN(scheduled_at_ms) FROM jobs WHERE status = 'scheduled'").pluck().get() as number | null) ?? undefined
    );
  }

  start(id: string): void {
    this.db
      .prepare("UPDATE jobs SET status = 'running', started_at = COALESCE(started_at, ?) WHERE id = ? AND status = 'queued'")
      .run(nowIso(), id);
  }

  markExpanded(id: string, records: number): void {
    // The job's input data is no longer needed once the ledger holds every record (and print has run).
    this.db
      .prepare(
        `UPDATE jobs SET expanded = 1, record_count = ?,
           data = CASE WHEN channels LIKE '%"print"%' AND printed_at IS NULL THEN data ELSE NULL END WHERE id = ?`,
      )
      .run(records, id);
  }

  /** The print part is finished: its files (already renamed into place) are listed, its errors recorded. */
  markPrinted(
    id: string,
    result: { outputs: JobOutput[]; errors: { row: number; key: string | null; message: string }[]; records: number },
  ): void {
    this.db.transaction(() => {
      const out = this.db.prepare('INSERT OR REPLACE INTO outputs (job_id, row, record_key, file, bytes) VALUES (?, ?, ?, ?, ?)');
      for (const o of result.outputs) out.run(id, o.row, o.recordKey, o.file, o.bytes);
      for (const e of result.errors) this.addError(id, e.row, e.key, 'print', e.message);
      this.db
        .prepare(
          `UPDATE jobs SET printed_at = ?, pdfs = ?, record_count = MAX(record_count, ?),
             data = CASE WHEN expanded = 1 OR channels NOT LIKE '%"email"%' THEN NULL ELSE data END WHERE id = ?`,
        )
        .run(nowIso(), result.outputs.length, result.records, id);
    })();
  }

  outputs(jobId: string): JobOutput[] {
    return this.db
      .prepare<[string], JobOutput>('SELECT row, record_key AS recordKey, file, bytes FROM outputs WHERE job_id = ? ORDER BY row')
      .all(jobId);
  }

  output(jobId: string, file: string): JobOutput | undefined {
    return this.db
      .prepare<[string, string], JobOutput>(
        'SELECT row, record_key AS recordKey, file, bytes FROM outputs WHERE job_id = ? AND file = ? LIMIT 1',
      )
      .get(jobId, file);
  }

  finish(id: string, status: 'completed' | 'failed' | 'canceled', error?: string): boolean {
    return (
      this.db
        .prepare("UPDATE jobs SET status = ?, error = ?, finished_at = ? WHERE id = ? AND status IN ('scheduled','queued','running')")
        .run(status, error ?? null, nowIso(), id).changes > 0
    );
  }

  addError(jobId: string, row: number, recordKey: string | null, channel: string, message: string): void {
    this.db
      .prepare('INSERT INTO record_errors (job_id, row, record_key, channel, message) VALUES (?, ?, ?, ?, ?)')
      .run(jobId, row, recordKey, channel, message);
  }

  errors(
    jobId: string,
    limit: number,
    offset: number,
  ): { errors: { row: number; recordKey: string | null; channel: string; message: string }[]; total: number } {
    const total = this.db.prepare('SELECT COUNT(*) FROM record_errors WHERE job_id = ?').pluck().get(jobId) as number;
    const errors = this.db
      .prepare<[string, number, number], { row: number; recordKey: string | null; channel: string; message: string }>(
        'SELECT row, record_key AS recordKey, channel, message FROM record_errors WHERE job_id = ? ORDER BY row, id LIMIT ? OFFSET ?',
      )
      .all(jobId, limit, offset);
    return { errors, total };
  }
}
