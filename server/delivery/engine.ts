import type { FastifyBaseLogger } from 'fastify';
import type { DeliveriesRepo, DueDelivery } from '../store/deliveries-repo';
import type { SuppressionsRepo } from '../store/suppressions-repo';
import type { TemplatesRepo } from '../store/templates-repo';
import type { JobsRepo } from '../store/jobs-repo';
import type { WorkerPool } from '../jobs/pool';
import type { EmailOutcome } from '../jobs/protocol';
import { RateLimiter, type RateLimitConfig } from './rate-limit';
import { SendError, type Transport } from './transport';

/**
 * The delivery engine (main thread). For every running email job it reads due recipients from the
 * ledger, has workers compose them (bounded read-ahead), checks suppression and rate limits, commits
 * 'sending', hands the message to the transport, and commits the outcome:
 *
 *   250            → sent
 *   4xx / network  → pending again with exponential backoff (and the domain paused); failed after maxAttempts
 *   5xx            → bounced, and the address is suppressed
 *
 * Because 'sending' is committed before the bytes leave and 'sent' after the relay's 250, a crash can
 * leave in doubt only the messages claimed at that instant: at most one per SMTP connection (see
 * IN_FLIGHT_PER_CONNECTION), real-time sends included. Transitions are committed in groups: once per
 * event-loop turn, one transaction confirms the 250s received since the last one and claims the next
 * messages for the connections those 250s freed, so a connection's next claim is never durable before its
 * previous confirmation. At start-up the rows left 'sending' are retried and flagged `uncertain` in the
 * ledger and the report. Each message keeps its Message-ID across retries, so a duplicate of an uncertain
 * message is recognisable downstream.
 *
 * Composition runs ahead of sending (workers fill a bounded read-ahead of finished messages), so a freed
 * connection waits only for the next group commit, never for composition.
 */

export interface RetryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

interface Ready {
  jobId: string;
  deliveryId: number;
  domain: string;
  from: string;
  to: string;
  messageId: string;
  raw: Uint8Array;
  attempts: number;
}

interface JobState {
  versionId: string;
  inPipeline: number;
  exhausted: boolean;
}

export interface EngineDeps {
  deliveries: DeliveriesRepo;
  suppressions: SuppressionsRepo;
  templates: TemplatesRepo;
  jobs: JobsRepo;
  pool: WorkerPool;
  transport: Transport;
  limits: RateLimitConfig;
  retry: RetryPolicy;
  log: FastifyBaseLogger;
  today: () => string;
  /** Called when a job has no pending or in-flight recipients left. */
  onJobDrained: (jobId: string) => void;
}

const BATCH = 50;
/**
 * Messages claimed (`sending`) per SMTP connection: exactly one, the message handed to it and not yet
 * acknowledged. This is what a crash can leave in doubt: at most one message per connection
 * (`smtp.maxConnections`; with one connection configured, at most one message).
 */
export const IN_FLIGHT_PER_CONNECTION = 1;

export class DeliveryEngine {
  private readonly jobs = new Map<string, JobState>();
  private readonly inPipeline = new Set<number>();
  private readonly ready: Ready[] = [];
  private readonly limiter: RateLimiter;
  private composing = 0;
  private inFlight = 0;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private stopped = false;
  private roundRobin = 0;
  private readonly settled = new Set<Promise<unknown>>();
  /** Real-time sends waiting for a connection; they are served before job traffic. */
  private readonly urgent: ((go: boolean) => void)[] = [];
  /** 250s received but not committed yet: committed together with the next claims, once per event-loop turn. */
  private sentBuffer: { id: number; response: string }[] = [];
  private flushScheduled = false;

  constructor(private readonly d: EngineDeps) {
    this.limiter = new RateLimiter(d.limits);
  }

  get highWater(): number {
    return Math.max(4 * BATCH, this.window * 8);
  }

  /** Messages that may be claimed and handed off at once (see IN_FLIGHT_PER_CONNECTION). */
  get window(): number {
    return this.d.transport.maxInFlight * IN_FLIGHT_PER_CONNECTION;
  }

  addJob(jobId: string, versionId: string): void {
    if (!this.jobs.has(jobId)) this.jobs.set(jobId, { versionId, inPipeline: 0, exhausted: false });
    this.kick();
  }

  /** Stop working on a job (cancel): composed messages not yet handed off are dropped. */
  removeJob(jobId: string): void {
    this.jobs.delete(jobId);
    for (let i = this.ready.length - 1; i >= 0; i--)
      if (this.ready[i]!.jobId === jobId) {
        this.inPipeline.delete(this.ready[i]!.deliveryId);
        this.ready.splice(i, 1);
      }
  }

  get activeJobs(): number {
    return this.jobs.size;
  }

  kick(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private wakeIn(ms: number): void {
    const at = Date.now() + Math.max(1, ms);
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.kick();
    }, at - Date.now());
  }

  /** Keep a handle on work in progress (for stop()), and never let a failure in it go unhandled. */
  private track(p: Promise<unknown>): void {
    const settled = p.then(
      () => undefined,
      (err: unknown) => this.d.log.error({ err }, 'delivery step failed'),
    );
    this.settled.add(settled);
    void settled.finally(() => this.settled.delete(settled));
  }

  private pump(): void {
    if (this.stopped) return;
    // Refill below half the read-ahead only: each refill is a ledger query, not something to do per message.
    if (this.ready.length + this.composing * BATCH < this.highWater / 2 || this.composing === 0) this.fill();
    this.sendReady();
  }

  /** Compose stage: keep up to highWater messages composed or composing. */
  private fill(): void {
    const ids = [...this.jobs.keys()];
    let guard = ids.length;
    while (
      ids.length &&
      guard > 0 &&
      this.composing < Math.max(2, this.d.pool.idle + 1) &&
      this.ready.length + this.composing * BATCH < this.highWater
    ) {
      const jobId = ids[this.roundRobin++ % ids.length]!;
      const job = this.jobs.get(jobId)!;
      const now = Date.now();
      const rows = this.d.deliveries
        .due(jobId, now, BATCH + job.inPipeline)
        .filter((r) => !this.inPipeline.has(r.id))
        .slice(0, BATCH);
      if (rows.length === 0) {
        guard--;
        if (job.inPipeline === 0) this.checkDrained(jobId);
        continue;
      }
      guard = ids.length;
      this.composeBatch(jobId, job, rows);
    }
  }

  private checkDrained(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (!job || job.inPipeline > 0) return;
    if (this.d.deliveries.activeCount(jobId) === 0) {
      this.jobs.delete(jobId);
      this.d.onJobDrained(jobId);
      return;
    }
    const next = this.d.deliveries.nextDueMs(jobId);
    if (next !== undefined) this.wakeIn(next - Date.now());
  }

  private composeBatch(jobId: string, job: JobState, rows: DueDelivery[]): void {
    for (const r of rows) this.inPipeline.add(r.id);
    job.inPipeline += rows.length;
    this.composing++;
    const version = this.d.templates.byId(job.versionId);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const p = this.d.pool
      .run(
        {
          kind: 'email',
          versionId: job.versionId,
          today: this.d.today(),
          // The ledger's JSON goes to the worker as it is: parsed there, off the main thread.
          items: rows.map((r) => ({ deliveryId: r.id, row: r.row, record: r.record, to: r.recipient })),
        },
        () => JSON.stringify(version?.document),
      )
      .then(
        (res) => {
          if (res.kind === 'email') for (const o of res.outcomes) this.accept(jobId, byId.get(o.deliveryId)!, o);
        },
        (e: unknown) => {
          // A worker crash: put the rows back to be composed again later.
          this.d.log.error({ err: e, jobId }, 'composition batch failed; will retry');
          for (const r of rows) this.release(jobId, r.id);
          this.wakeIn(1000);
        },
      )
      .finally(() => {
        this.composing--;
        this.kick();
      });
    this.track(p);
  }

  private release(jobId: string, deliveryId: number): void {
    if (!this.inPipeline.delete(deliveryId)) return;
    const job = this.jobs.get(jobId);
    if (job) job.inPipeline--;
  }

  private accept(jobId: string, row: DueDelivery, o: EmailOutcome): void {
    if (!this.jobs.has(jobId)) {
      this.inPipeline.delete(row.id);
      return;
    }
    if (!o.ok) {
      this.d.deliveries.markFinal(row.id, 'failed', null, o.error, jobId);
      this.d.jobs.addError(jobId, row.row, row.record_key, 'email', o.error);
      this.release(jobId, row.id);
      return;
    }
    // The URL policy dropped a link or image from this message (it is still sent): the record's errors say so.
    if (o.warnings?.length) this.d.jobs.addError(jobId, row.row, row.record_key, 'email', o.warnings.join('; '));
    this.ready.push({
      jobId,
      deliveryId: row.id,
      domain: row.domain,
      from: o.from,
      to: o.to,
      messageId: o.messageId,
      raw: o.raw,
      attempts: row.attempts,
    });
  }

  /** Send stage: hand off ready messages while connections are free and limits allow. */
  private sendReady(): void {
    if (this.stopped) return;
    // Real-time sends first: each takes a free connection (and claims its own message).
    while (this.inFlight < this.window && this.urgent.length) {
      this.inFlight++;
      this.urgent.shift()!(true);
    }
    let minWait = Infinity;
    const picked: Ready[] = [];
    while (this.inFlight + picked.length < this.window && this.ready.length) {
      const g = this.limiter.globalWait();
      if (g > 0) {
        minWait = Math.min(minWait, g);
        break;
      }
      let pick = -1;
      const blocked = new Set<string>();
      for (let i = 0; i < this.ready.length && i < 2000; i++) {
        const dom = this.ready[i]!.domain;
        if (blocked.has(dom)) continue;
        const w = this.limiter.domainWait(dom);
        if (w === 0) {
          pick = i;
          break;
        }
        blocked.add(dom);
        minWait = Math.min(minWait, w);
      }
      if (pick < 0) break;
      const msg = this.ready.splice(pick, 1)[0]!;
      this.limiter.take(msg.domain);
      const suppressed = this.d.suppressions.reason(msg.to);
      if (suppressed) {
        this.d.deliveries.markFinal(msg.deliveryId, 'suppressed', null, `address is suppressed (${suppressed})`, msg.jobId);
        this.release(msg.jobId, msg.deliveryId);
        this.kick();
        continue;
      }
      picked.push(msg);
    }
    if (minWait !== Infinity) this.wakeIn(minWait);
    if (picked.length === 0 && this.sentBuffer.length === 0) return;
    // One commit: the confirmations received since the last one, and 'sending' for every message about to leave.
    const sent = this.sentBuffer;
    this.sentBuffer = [];
    const claimed = this.d.deliveries.commitGroup(
      sent,
      picked.map((m) => ({ id: m.deliveryId, messageId: m.messageId })),
    );
    picked.forEach((msg, i) => {
      if (claimed[i]) this.dispatch(msg);
      else this.release(msg.jobId, msg.deliveryId);
    });
  }

  /** Commit buffered confirmations (and claim what is ready) once per event-loop turn. */
  private scheduleFlush(): void {
    // After stop() the store may be closing: a late 250 stays 'sending' and is retried as uncertain at start-up.
    if (this.flushScheduled || this.stopped) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.sendReady();
      this.kick();
    });
  }

  /** Hand one claimed message to the transport. Its 'sent' is committed with the next group (see sendReady). */
  private dispatch(msg: Ready): void {
    this.inFlight++;
    const p = this.d.transport
      .send({ from: msg.from, to: msg.to }, msg.raw, `${msg.jobId}-${msg.deliveryId}`)
      .then(
        (ok) => {
          this.sentBuffer.push({ id: msg.deliveryId, response: ok.response });
        },
        (e: unknown) => this.failed(msg.jobId, msg.deliveryId, msg.to, msg.domain, msg.attempts + 1, e),
      )
      .finally(() => {
        this.inFlight--;
        this.release(msg.jobId, msg.deliveryId);
        this.scheduleFlush();
      });
    this.track(p);
  }

  private failed(jobId: string | null, deliveryId: number, to: string, domain: string, attempts: number, e: unknown): void {
    const err = e instanceof SendError ? e : new SendError(e instanceof Error ? e.message : String(e), true, undefined);
    if (!err.temporary) {
      this.d.deliveries.markFinal(deliveryId, 'bounced', err.message, null, jobId);
      this.d.suppressions.add(to, 'bounced', err.message);
      return;
    }
    const { maxAttempts, retryBaseMs, retryMaxMs } = this.d.retry;
    if (attempts >= maxAttempts) {
      this.d.deliveries.markFinal(deliveryId, 'failed', err.message, `gave up after ${attempts} attempts`, jobId);
      return;
    }
    const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** (attempts - 1)) * (0.8 + Math.random() * 0.4);
    this.d.deliveries.markDeferred(deliveryId, jobId, Date.now() + Math.round(delay), err.message);
    this.limiter.pause(domain, Math.min(retryBaseMs, delay));
    this.wakeIn(delay);
  }

  /**
   * Real-time: hand one composed message off now, ahead of queued job traffic (it still counts against
   * the rate limits it can see, and still checks suppression and the ledger).
   */
  async sendNow(
    deliveryId: number,
    o: Extract<EmailOutcome, { ok: true }>,
    domain: string,
  ): Promise<{ status: 'sent' | 'deferred' | 'bounced' | 'suppressed'; response: string | null }> {
    const { deliveries } = this.d;
    const suppressed = this.d.suppressions.reason(o.to);
    if (suppressed) {
      deliveries.markFinal(deliveryId, 'suppressed', null, `address is suppressed (${suppressed})`, null);
      return { status: 'suppressed', response: null };
    }
    // Wait for a free connection (ahead of job traffic) before claiming, so the message is 'sending' only
    // while a connection carries it: the in-doubt bound of one per connection holds for real-time sends too.
    if (this.inFlight < this.window) this.inFlight++;
    else if (!(await new Promise<boolean>((resolve) => this.urgent.push(resolve)))) {
      deliveries.markFinal(deliveryId, 'failed', null, 'the server is stopping; send again later', null);
      return { status: 'deferred', response: null };
    }
    if (!deliveries.markSending(deliveryId, o.messageId)) {
      this.inFlight--;
      this.kick();
      return { status: 'sent', response: 'already handed off (idempotent repeat)' };
    }
    this.limiter.take(domain);
    try {
      const ok = await this.d.transport.send({ from: o.from, to: o.to }, o.raw, `msg-${deliveryId}`);
      deliveries.markSent(deliveryId, ok.response);
      return { status: 'sent', response: ok.response };
    } catch (e) {
      const err = e instanceof SendError ? e : new SendError(e instanceof Error ? e.message : String(e), true, undefined);
      if (!err.temporary) {
        deliveries.markFinal(deliveryId, 'bounced', err.message, null, null);
        this.d.suppressions.add(o.to, 'bounced', err.message);
        return { status: 'bounced', response: err.message };
      }
      // A real-time caller is waiting: report the deferral instead of retrying behind its back.
      deliveries.markFinal(deliveryId, 'failed', err.message, 'relay deferred the message; send again later', null);
      this.limiter.pause(domain, this.d.retry.retryBaseMs);
      return { status: 'deferred', response: err.message };
    } finally {
      this.inFlight--;
      this.kick();
    }
  }

  /** Stop taking new work and wait (bounded) for hand-offs in flight to finish. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const go of this.urgent.splice(0)) go(false);
    await Promise.race([Promise.allSettled([...this.settled]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    this.flushSent();
  }

  /** Commit the confirmations still buffered (an orderly stop; a crash leaves them 'sending' → uncertain). */
  private flushSent(): void {
    if (this.sentBuffer.length === 0) return;
    const sent = this.sentBuffer;
    this.sentBuffer = [];
    this.d.deliveries.commitGroup(sent, []);
  }
}
