import type { FastifyBaseLogger } from 'fastify';
import type { JobsRepo, Job } from '../store/jobs-repo';
import type { DeliveriesRepo, NewDelivery } from '../store/deliveries-repo';
import type { DatasetsRepo } from '../store/datasets-repo';
import type { TemplatesRepo } from '../store/templates-repo';
import type { DeliveryEngine } from '../delivery/engine';
import type { WorkerPool } from './pool';
import type { JobData } from '../../shared/http/schemas';
import { isEmailAddress } from '../../shared/links/address';
import { quoteValue } from '../../shared/model/issues';
import { dataSource, pacer, typedRows, type DataSource } from '../data/source';
import { batchRecords } from '../data/batch';
import { formatDataIssue } from '../../shared/data';
import type { BatchRecord } from '../../shared/compose/print/batch';
import type { StoredVersion } from '../store/templates-repo';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs jobs: promotes scheduled jobs when due, expands a job's data into the per-recipient ledger
 * (idempotently, so a crash mid-expansion is simply expanded again), hands email jobs to the delivery
 * engine and marks them completed when the ledger has nothing left to send.
 */

/** Records expanded into the ledger per transaction; the event loop (HTTP, SMTP hand-offs) runs between chunks. */
const CHUNK = 500;

/** A print part in progress: rows composed so far (in memory; a restart composes an unfinished print part again). */
interface Printing {
  done: number;
  row: number;
  total: number;
  cancel: Int32Array;
}

export class JobRunner {
  private timer: NodeJS.Timeout | undefined;
  private readonly expanding = new Set<string>();
  private readonly printing = new Map<string, Printing>();
  private stopped = false;

  constructor(
    private readonly d: {
      jobs: JobsRepo;
      deliveries: DeliveriesRepo;
      datasets: DatasetsRepo;
      templates: TemplatesRepo;
      engine: DeliveryEngine;
      pool: WorkerPool;
      log: FastifyBaseLogger;
      /** Content-addressed assets, and the folder that receives each job's PDFs (`<jobsDir>/<job id>/`). */
      assetsDir: string;
      jobsDir: string;
      today: () => string;
    },
  ) {}

  /** Where a job's PDFs are written. */
  filesDir(jobId: string): string {
    return join(this.d.jobsDir, jobId);
  }

  /** Progress of a print part running now (undefined when none runs). */
  printProgress(jobId: string): { done: number; total: number; fraction: number } | undefined {
    const p = this.printing.get(jobId);
    return p ? { done: p.done, total: p.total, fraction: p.total ? Math.min(1, p.row / p.total) : 0 } : undefined;
  }

  /** Start-up: recover the ledger after a crash, then resume every running job. */
  start(): void {
    this.d.datasets.sweepUnfinished();
    const recovered = this.d.deliveries.recoverInFlight();
    if (recovered)
      this.d.log.warn({ recovered }, 'messages were in flight at the last stop; retrying them, marked uncertain in the ledger');
    // Real-time messages left pending, deferred or in flight have no job to resume them: the engine's lane does.
    this.d.engine.resumeRealtime();
    this.tick();
  }

  tick(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const job of this.d.jobs.active(Date.now()))
      this.advance(job).catch((err: unknown) => this.d.log.error({ err, jobId: job.id }, 'job step failed'));
    const next = this.d.jobs.nextScheduledMs();
    if (next !== undefined) this.timer = setTimeout(() => this.tick(), Math.min(2 ** 31 - 1, Math.max(10, next - Date.now())));
  }

  private async advance(job: Job): Promise<void> {
    if (this.expanding.has(job.id)) return;
    if (job.status === 'queued') this.d.jobs.start(job.id);
    const email = job.channels.includes('email');
    if (job.channels.includes('print') && job.printedAt === null && !this.printing.has(job.id)) {
      // Read the data before the email expansion may clear it; the print part runs alongside the email part.
      const data = this.d.jobs.data(job.id) as JobData | undefined;
      const src = data ? this.source(data) : 'the job has no data';
      if (typeof src === 'string') {
        this.d.jobs.finish(job.id, 'failed', src);
        return;
      }
      this.print(job, src);
    }
    if (!email) return;
    if (!job.expanded) {
      this.expanding.add(job.id);
      try {
        const ok = await this.expand(job);
        if (!ok) return;
      } catch (e) {
        this.d.log.error({ err: e, jobId: job.id }, 'job expansion failed');
        this.d.jobs.finish(job.id, 'failed', 'the job could not be prepared; see the server log');
        // Rows expanded before the failure will never be sent: cancel them, so the queue count drains.
        this.d.deliveries.cancelPending(job.id);
        return;
      } finally {
        this.expanding.delete(job.id);
      }
    }
    const current = this.d.jobs.get(job.id);
    if (current?.status !== 'running') return;
    this.d.engine.addJob(job.id, job.versionId);
  }

  /** Compose the print part in a worker; its files are listed and its bad records recorded when it ends. */
  private print(job: Job, src: DataSource): void {
    const version = this.d.templates.byId(job.versionId);
    if (!version) {
      this.d.jobs.finish(job.id, 'failed', 'template version not found');
      return;
    }
    const cancel = new SharedArrayBuffer(4);
    const state: Printing = { done: 0, row: 0, total: 0, cancel: new Int32Array(cancel) };
    this.printing.set(job.id, state);
    // The records are typed here, page by page (the event loop runs between pages), as `compose print` types a file.
    batchRecords(typedRows(src, version.document.data), version.document.data)
      .then((records) => {
        if (this.stopped || Atomics.load(state.cancel, 0)) {
          this.printing.delete(job.id);
          return;
        }
        this.compose(job, version, records, state, cancel);
      })
      .catch((e: unknown) => {
        this.printing.delete(job.id);
        if (this.stopped) return;
        this.d.jobs.finish(job.id, 'failed', e instanceof Error ? e.message : String(e));
      });
  }

  private compose(job: Job, version: StoredVersion, records: BatchRecord[], state: Printing, cancel: SharedArrayBuffer): void {
    const { range, variants, split, onError } = job.options;
    const total = range ? Math.max(0, Math.min(range.to, records.length) - range.from + 1) : records.length;
    state.total = total;
    const first = range?.from ?? 1;
    this.d.pool
      .run(
        {
          kind: 'print',
          versionId: job.versionId,
          today: this.d.today(),
          assetsDir: this.d.assetsDir,
          records,
          onError: onError ?? 'skip',
          range,
          variants,
          splitPattern: split,
          outDir: this.filesDir(job.id),
          fileName: `${job.id}.pdf`,
          cancel,
        },
        () => JSON.stringify(version.document),
        false,
        (p) => {
          state.done = p.done;
          state.row = p.row - first + 1;
        },
      )
      .then(
        (res) => {
          if (res.kind !== 'print' || this.stopped) return;
          if (res.canceled) return;
          this.d.jobs.markPrinted(job.id, {
            outputs: res.files.map((f) => ({ row: f.row, recordKey: f.recordKey, file: f.name, bytes: f.bytes })),
            errors: res.skipped,
            records: total,
          });
          if (!res.ok) this.d.jobs.finish(job.id, 'failed', res.error ?? 'the print part failed');
          else this.finishIfDone(job.id);
        },
        (e: unknown) => {
          if (this.stopped) return;
          this.d.log.error({ err: e, jobId: job.id }, 'print composition failed');
          this.d.jobs.finish(job.id, 'failed', 'the PDFs could not be composed; see the server log');
        },
      )
      .finally(() => this.printing.delete(job.id));
  }

  /** The job's data as one source (server/data/source.ts), or why it cannot be read. */
  private source(data: JobData): DataSource | string {
    try {
      const src = dataSource(this.d.datasets, data);
      return src ?? `dataset ${(data as { datasetId: string }).datasetId} no longer exists`;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  private async expand(job: Job): Promise<boolean> {
    const version = this.d.templates.byId(job.versionId);
    if (!version) {
      this.d.jobs.finish(job.id, 'failed', 'template version not found');
      return false;
    }
    const doc = version.document;
    const data = this.d.jobs.data(job.id) as JobData | undefined;
    const src = data ? this.source(data) : 'the job has no data';
    if (typeof src === 'string') {
      this.d.jobs.finish(job.id, 'failed', src);
      return false;
    }
    const { range, variants } = job.options;
    const keyField = doc.variants?.keyField;
    const wanted = variants ? new Set(variants) : undefined;
    const recipientField = doc.email?.recipientField ?? 'email';
    const email = job.channels.includes('email');
    let count = 0;
    let batch: NewDelivery[] = [];
    // Record errors are written for rows inserted by this expansion only (a resumed expansion adds none twice).
    const inserted = new Set<number>();
    const errors: { row: number; key: string | null; message: string }[] = [];
    // Typed as `presswork compose email` types a file: a row with an error is not sent, its problems are listed.
    const stream = typedRows(src, doc.data);
    const pause = pacer();
    for await (const r of stream) {
      await pause();
      const row = r.row;
      if (range && row < range.from) continue;
      if (range && row > range.to) break;
      const record = r.values;
      const problems = r.issues.filter((i) => i.severity === 'error').map(formatDataIssue);
      if (wanted && keyField && !wanted.has(String(record[keyField] ?? ''))) continue;
      const key = record[doc.data.recordKey];
      const recordKey = key === undefined || key === null ? null : String(key);
      const to = String(record[recipientField] ?? '').trim();
      if (email && !isEmailAddress(to)) {
        // An unreadable address in an optional field was left out by typing (a warning): the email still cannot be
        // written, and the reason names the value as the data had it.
        const unread = r.issues.find((i) => i.field === recipientField);
        problems.push(
          unread
            ? formatDataIssue({ ...unread, severity: 'error' })
            : to
              ? `${recipientField} ${quoteValue(to)} is not a valid email address`
              : `${recipientField} is empty`,
        );
      }
      const error = problems.length ? problems.join('; ') : null;
      if (error) errors.push({ row, key: recordKey, message: error });
      batch.push({
        row,
        idemKey: `${job.id}:${row}`,
        recordKey,
        record: JSON.stringify(record),
        recipient: to || null,
        domain: to.includes('@') ? to.slice(to.lastIndexOf('@') + 1).toLowerCase() : null,
        status: error ? 'failed' : 'pending',
        error,
      });
      count++;
      if (batch.length >= CHUNK) {
        for (const r of this.d.deliveries.insertMany(job.id, batch)) inserted.add(r);
        batch = [];
        // Let the HTTP loop breathe between chunks of a large job.
        await new Promise((r) => setImmediate(r));
        if (this.d.jobs.get(job.id)?.status !== 'running') return false;
        // Delivery starts on the rows already in the ledger while the rest are expanded (a job is complete
        // only once it is expanded, so the engine running dry between chunks finishes nothing early).
        if (email) this.d.engine.addJob(job.id, job.versionId);
      }
    }
    const fatal = stream.fileIssues.filter((i) => i.severity === 'error');
    if (fatal.length) {
      this.d.jobs.finish(job.id, 'failed', `the data cannot be used: ${fatal.map(formatDataIssue).join('; ')}`);
      return false;
    }
    for (const r of this.d.deliveries.insertMany(job.id, batch)) inserted.add(r);
    for (const e of errors) if (inserted.has(e.row)) this.d.jobs.addError(job.id, e.row, e.key, 'data', e.message);
    if (count === 0) {
      this.d.jobs.finish(job.id, 'failed', 'no records selected: check the data and the range/variants options');
      return false;
    }
    this.d.jobs.markExpanded(job.id, count);
    return true;
  }

  /** The engine reports a job with nothing left in the ledger, or the print part ended: complete when both are done. */
  finishIfDone(jobId: string): void {
    const job = this.d.jobs.get(jobId);
    if (!job || job.status !== 'running') return;
    if (job.channels.includes('print') && job.printedAt === null) return;
    if (job.channels.includes('email') && (!job.expanded || this.d.deliveries.activeCount(jobId) > 0)) return;
    this.d.jobs.finish(jobId, 'completed');
  }

  cancel(jobId: string): boolean {
    if (!this.d.jobs.finish(jobId, 'canceled')) return false;
    this.d.engine.removeJob(jobId);
    this.d.deliveries.cancelPending(jobId);
    const p = this.printing.get(jobId);
    if (p) Atomics.store(p.cancel, 0, 1);
    else if (this.d.jobs.get(jobId)?.printedAt === null) rmSync(this.filesDir(jobId), { recursive: true, force: true });
    return true;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
