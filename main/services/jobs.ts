import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { StudioError } from '../../shared/ipc/errors';
import type { FileDownload } from '../../shared/ipc/contract';
import { safeFileName } from '../../shared/compose/print/batch';
import type { Emit } from '../ipc/dispatch';
import type { BatchMessage, BatchRequest } from '../workers/batch-protocol';

/** How to start the batch worker: the bundled .js in a packaged app, the .ts source through tsx in development. */
export interface WorkerSpec {
  url: URL;
  execArgv: string[];
}

export const devWorkerSpec = (): WorkerSpec => ({
  url: new URL('../workers/batch-worker-dev.mjs', import.meta.url),
  execArgv: [],
});

interface Job {
  worker: Worker;
  outPath: string;
  fileName: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
}

/**
 * Long work (batch PDFs) runs in a worker thread so main never blocks; progress and the outcome reach the
 * renderer as `job:progress` / `job:finished` events. Cancel terminates the worker and deletes the partial file.
 */
export class JobService {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly exportDir: string,
    private readonly emit: Emit,
    private readonly spec: WorkerSpec = devWorkerSpec(),
  ) {
    mkdirSync(exportDir, { recursive: true });
  }

  startBatch(name: string, req: Omit<BatchRequest, 'outPath'>): string {
    const jobId = randomUUID();
    const fileName = safeFileName(`${name} — batch`);
    const outPath = join(this.exportDir, `${jobId}.pdf`);
    const worker = new Worker(this.spec.url, { workerData: { ...req, outPath } satisfies BatchRequest, execArgv: this.spec.execArgv });
    const job: Job = { worker, outPath, fileName, state: 'running' };
    this.jobs.set(jobId, job);
    const total = req.records.length;
    this.emit('job:progress', { jobId, kind: 'batch', done: 0, total, message: `Composing ${total} records…` });
    worker.on('message', (m: BatchMessage) => {
      if (m.type === 'progress')
        this.emit('job:progress', {
          jobId,
          kind: 'batch',
          done: m.done,
          total: m.total,
          message: `Composed ${m.done} of ${m.total} records`,
        });
      else if (m.type === 'done') {
        job.state = 'done';
        const skipped = m.skipped.length ? `; ${m.skipped.length} skipped (first: row ${m.skipped[0]!.row}, ${m.skipped[0]!.reason})` : '';
        this.emit('job:finished', {
          jobId,
          kind: 'batch',
          ok: true,
          cancelled: false,
          value: m.records,
          code: null,
          message: `${m.records} records, ${m.pages} pages, ${(m.bytes / 1024 / 1024).toFixed(1)} MB${skipped}`,
        });
      } else {
        job.state = 'failed';
        this.emit('job:finished', {
          jobId,
          kind: 'batch',
          ok: false,
          cancelled: false,
          value: null,
          code: m.code,
          message: `The batch stopped: ${m.message}`,
        });
      }
    });
    worker.on('error', (e) => {
      if (job.state !== 'running') return;
      job.state = 'failed';
      this.emit('job:finished', {
        jobId,
        kind: 'batch',
        ok: false,
        cancelled: false,
        value: null,
        code: 'worker-crashed',
        message: `The composition worker crashed (${e.message}); try again.`,
      });
    });
    worker.on('exit', () => {
      if (job.state === 'running') {
        job.state = 'cancelled';
        rmSync(`${outPath}.part`, { force: true });
      }
    });
    return jobId;
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.state !== 'running') return false;
    job.state = 'cancelled';
    void job.worker.terminate().then(() => rmSync(`${job.outPath}.part`, { force: true }));
    this.emit('job:finished', {
      jobId,
      kind: 'batch',
      ok: false,
      cancelled: true,
      value: null,
      code: 'cancelled',
      message: 'Cancelled; no file was written.',
    });
    return true;
  }

  download(jobId: string): FileDownload {
    const job = this.jobs.get(jobId);
    if (!job) throw new StudioError('unknown-job', 'No such export; start the batch export again.');
    if (job.state !== 'done' || !existsSync(job.outPath))
      throw new StudioError(
        'job-not-done',
        job.state === 'running' ? 'The batch is still being composed; wait for it to finish.' : `The batch ${job.state}; nothing to save.`,
      );
    return { fileName: job.fileName, mediaType: 'application/pdf', data: readFileSync(job.outPath).toString('base64') };
  }

  async close(): Promise<void> {
    await Promise.all([...this.jobs.values()].filter((j) => j.state === 'running').map((j) => j.worker.terminate()));
  }
}
