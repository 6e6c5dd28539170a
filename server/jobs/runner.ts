import type { FastifyBaseLogger } from 'fastify';
import type { JobsRepo, Job } from '../store/jobs-repo';
import type { DeliveriesRepo, NewDelivery } from '../store/deliveries-repo';
import type { DatasetsRepo } from '../store/datasets-repo';
import type { TemplatesRepo } from '../store/templates-repo';
import type { DeliveryEngine } from '../delivery/engine';
import type { DataRecord, JobData } from '../../shared/http/schemas';
import { EMAIL_RE } from '../delivery/composer';
import { conformRecord, parseDataFile } from './data';

/**
 * Runs jobs: promotes scheduled jobs when due, expands a job's data into the per-recipient ledger
 * (idempotently, so a crash mid-expansion is simply expanded again), hands email jobs to the delivery
 * engine and marks them completed when the ledger has nothing left to send.
 */

const CHUNK = 2000;

export class JobRunner {
  private timer: NodeJS.Timeout | undefined;
  private readonly expanding = new Set<string>();
  private stopped = false;

  constructor(
    private readonly d: {
      jobs: JobsRepo;
      deliveries: DeliveriesRepo;
      datasets: DatasetsRepo;
      templates: TemplatesRepo;
      engine: DeliveryEngine;
      log: FastifyBaseLogger;
    },
  ) {}

  /** Start-up: recover the ledger after a crash, then resume every running job. */
  start(): void {
    const recovered = this.d.deliveries.recoverInFlight();
    if (recovered)
      this.d.log.warn({ recovered }, 'messages were in flight at the last stop; retrying them, marked uncertain in the ledger');
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
    if (!job.expanded) {
      this.expanding.add(job.id);
      try {
        const ok = await this.expand(job);
        if (!ok) return;
      } catch (e) {
        this.d.log.error({ err: e, jobId: job.id }, 'job expansion failed');
        this.d.jobs.finish(job.id, 'failed', 'the job could not be prepared; see the server log');
        return;
      } finally {
        this.expanding.delete(job.id);
      }
    }
    const current = this.d.jobs.get(job.id);
    if (current?.status !== 'running') return;
    if (current.channels.includes('email')) this.d.engine.addJob(job.id, job.versionId);
    else this.finishIfDone(job.id);
  }

  private loadRecords(data: JobData): DataRecord[] | string {
    if ('records' in data) return data.records;
    if ('datasetId' in data) return this.d.datasets.records(data.datasetId) ?? `dataset ${data.datasetId} no longer exists`;
    const parsed = parseDataFile(data.file.content, data.file.format);
    return parsed.ok ? parsed.records : parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  }

  private async expand(job: Job): Promise<boolean> {
    const version = this.d.templates.byId(job.versionId);
    if (!version) {
      this.d.jobs.finish(job.id, 'failed', 'template version not found');
      return false;
    }
    const doc = version.document;
    const data = this.d.jobs.data(job.id) as JobData | undefined;
    const loaded = data ? this.loadRecords(data) : 'the job has no data';
    if (typeof loaded === 'string') {
      this.d.jobs.finish(job.id, 'failed', loaded);
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
    for (let i = 0; i < loaded.length; i++) {
      const row = i + 1;
      if (range && (row < range.from || row > range.to)) continue;
      const { record, problems } = conformRecord(loaded[i]!, doc.data);
      if (wanted && keyField && !wanted.has(String(record[keyField] ?? ''))) continue;
      const key = record[doc.data.recordKey];
      const recordKey = key === undefined || key === null ? null : String(key);
      const to = String(record[recipientField] ?? '').trim();
      if (email && !EMAIL_RE.test(to))
        problems.push(to ? `${recipientField} "${to}" is not a valid email address` : `${recipientField} is empty`);
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
      }
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

  /** The engine reports a job with nothing left in the ledger. */
  finishIfDone(jobId: string): void {
    const job = this.d.jobs.get(jobId);
    if (!job || job.status !== 'running') return;
    if (this.d.deliveries.activeCount(jobId) === 0) this.d.jobs.finish(jobId, 'completed');
  }

  cancel(jobId: string): boolean {
    if (!this.d.jobs.finish(jobId, 'canceled')) return false;
    this.d.engine.removeJob(jobId);
    this.d.deliveries.cancelPending(jobId);
    return true;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
