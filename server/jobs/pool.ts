import { Worker } from 'node:worker_threads';
import type { FromWorker, TaskRequest, TaskResponse, WorkerInit } from './protocol';

/**
 * A fixed pool of composition workers. Tasks queue in two lanes — real-time sends before batch jobs —
 * and each worker takes one task at a time. Template documents are sent to a worker only the first time
 * it needs a version (the worker says so), so the per-task messages stay small.
 */

interface Pending {
  task: TaskRequest;
  document: () => string;
  resolve: (r: TaskResponse) => void;
  reject: (e: Error) => void;
  onProgress?: ((p: { done: number; row: number }) => void) | undefined;
}

interface Slot {
  worker: Worker;
  busy: Pending | undefined;
  taskId: number;
  versions: Set<string>;
  born: number;
}

const WORKER_URL = new URL('./worker-entry.mjs', import.meta.url);

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly urgent: Pending[] = [];
  private readonly batch: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly init: WorkerInit,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_URL, { workerData: this.init });
    const slot: Slot = { worker, busy: undefined, taskId: 0, versions: new Set(), born: Date.now() };
    worker.on('message', (msg: FromWorker) => this.onMessage(slot, msg));
    worker.on('error', (err) => this.onCrash(slot, err));
    worker.on('exit', (code) => {
      if (!this.closed) this.onCrash(slot, new Error(`composition worker exited with code ${code}`));
    });
    worker.unref();
    return slot;
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    const p = slot.busy;
    if (!p || msg.id !== slot.taskId) return;
    if ('progress' in msg) {
      p.onProgress?.(msg.progress);
      return;
    }
    slot.busy = undefined;
    if (msg.ok) {
      slot.versions.add(p.task.versionId);
      p.resolve(msg.result);
    } else if (msg.needsDocument) {
      p.task = { ...p.task, document: p.document() };
      this.assign(slot, p);
      return;
    } else p.reject(new Error(msg.error));
    this.drain();
  }

  private onCrash(slot: Slot, err: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    slot.busy?.reject(err);
    if (this.closed) return;
    // A worker that dies right after starting would die again: back off instead of spinning.
    const delay = Date.now() - slot.born < 2000 ? 2000 : 0;
    setTimeout(() => {
      if (this.closed) return;
      this.slots.push(this.spawn());
      this.drain();
    }, delay).unref();
  }

  private assign(slot: Slot, p: Pending): void {
    slot.busy = p;
    slot.taskId = this.nextId++;
    const task = slot.versions.has(p.task.versionId)
      ? { ...p.task, document: undefined }
      : { ...p.task, document: p.task.document ?? p.document() };
    slot.worker.postMessage({ id: slot.taskId, task });
  }

  private drain(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const p = this.urgent.shift() ?? this.batch.shift();
      if (!p) return;
      this.assign(slot, p);
    }
  }

  /** Run a task; `document` supplies the template JSON when a worker has not seen the version yet. */
  run(
    task: TaskRequest,
    document: () => string,
    urgent = false,
    onProgress?: (p: { done: number; row: number }) => void,
  ): Promise<TaskResponse> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise((resolve, reject) => {
      (urgent ? this.urgent : this.batch).push({ task, document, resolve, reject, onProgress });
      this.drain();
    });
  }

  get idle(): number {
    return this.slots.filter((s) => !s.busy).length;
  }

  get queued(): number {
    return this.urgent.length + this.batch.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of [...this.urgent, ...this.batch]) p.reject(new Error('worker pool is closed'));
    this.urgent.length = 0;
    this.batch.length = 0;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
