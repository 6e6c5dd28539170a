import type { FastifyBaseLogger } from 'fastify';
import type { DeliveriesRepo, DueDelivery, MessageRow } from '../store/deliveries-repo';
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
 * previous confirmation. Real-time sends are claimed in the same grouped commit (ahead of job traffic), never
 * on their own. At start-up the rows left 'sending' are retried and flagged `uncertain` in the ledger and the
 * report. Each message keeps its Message-ID across retries, so a duplicate of an uncertain message is
 * recognisable downstream.
 *
 * Real-time messages (`POST /api/v1/messages`, ledger rows without a job) are composed and handed off while
 * their request waits. A deferred one (4xx) stays in the ledger and is retried by the engine's real-time lane
 * with the same backoff as job traffic, as are the real-time rows a crash left pending or in flight; a repeated
 * request with the same Idempotency-Key reads the ledger's current state (see `realtimeSend`).
 *
 * Composition runs ahead of sending (workers fill a bounded read-ahead of finished messages), so a freed
 * connection waits only for the next group commit, never for composition.
 */

export interface RetryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/** What a real-time send reports: the ledger's outcome for the message. */
export interface RealtimeResult {
  status: 'sent' | 'deferred' | 'bounced' | 'suppressed' | 'failed';
  response: string | null;
  messageId: string;
  /** Why a message failed (composition, or given up after maxAttempts). */
  error?: string;
  /** True when the message could not be composed (nothing was handed off). */
  notComposed?: boolean;
}

/** Where a ready message came from: a job, the real-time retry lane, or a real-time request waiting for it. */
type Source = 'job' | 'retry' | 'request';

interface Ready {
  source: Source;
  /** null for real-time messages. */
  jobId: string | null;
  deliveryId: number;
  domain: string;
  from: string;
  to: string;
  messageId: string;
  raw: Uint8Array;
  attempts: number;
  /** A real-time request waiting for this message's outcome. */
  reply?: (r: RealtimeResult) => void;
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
  /** Real-time requests' messages waiting for a connection; they are claimed before job traffic. */
  private readonly urgent: Ready[] = [];
  /** 250s received but not committed yet: committed together with the next claims, once per event-loop turn. */
  private sentBuffer: { id: number; response: string; reply?: ((r: RealtimeResult) => void) | undefined; messageId: string }[] = [];
  private flushScheduled = false;
  /** Real-time sends in progress, by ledger id: a concurrent request with the same Idempotency-Key awaits the same outcome. */
  private readonly realtime = new Map<number, Promise<RealtimeResult>>();
  /** The real-time retry lane: on while real-time rows wait in the ledger (deferred, or left by a crash). */
  private realtimeLane = false;
  private realtimeInPipeline = 0;

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
      this.composeBatch(jobId, job.versionId, rows);
    }
    if (this.realtimeLane && this.composing < Math.max(2, this.d.pool.idle + 1)) this.fillRealtime();
  }

  /**
   * The real-time lane: real-time messages waiting in the ledger (deferred by the relay, or left pending or in
   * flight by a crash) are composed again from their template version and sent like job traffic.
   */
  private fillRealtime(): void {
    const due = this.d.deliveries.dueRealtime(Date.now(), BATCH + this.realtimeInPipeline + this.realtime.size);
    const rows = due.filter((r) => !this.inPipeline.has(r.id)).slice(0, BATCH);
    if (rows.length === 0) {
      // Rows in the pipeline, or held by their own requests, come back through kick() when they settle.
      if (this.realtimeInPipeline > 0 || due.length > 0) return;
      const next = this.d.deliveries.nextDueRealtimeMs();
      if (next === undefined) this.realtimeLane = false;
      else this.wakeIn(next - Date.now());
      return;
    }
    const byVersion = new Map<string, DueDelivery[]>();
    for (const r of rows) {
      if (!r.version_id || !this.d.templates.byId(r.version_id)) {
        // Written before the ledger kept real-time versions (or the version is gone): nothing to compose it from.
        this.d.deliveries.markFinal(r.id, 'failed', null, 'the template version of this message is unknown; send it again', null);
        continue;
      }
      byVersion.set(r.version_id, [...(byVersion.get(r.version_id) ?? []), r]);
    }
    for (const [versionId, group] of byVersion) this.composeBatch(null, versionId, group);
  }

  /** Have the real-time lane look for due real-time messages (after a deferral, and at start-up). */
  resumeRealtime(): void {
    this.realtimeLane = true;
    this.kick();
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

  private composeBatch(jobId: string | null, versionId: string, rows: DueDelivery[]): void {
    for (const r of rows) this.inPipeline.add(r.id);
    const job = jobId === null ? undefined : this.jobs.get(jobId);
    if (job) job.inPipeline += rows.length;
    else this.realtimeInPipeline += rows.length;
    this.composing++;
    const version = this.d.templates.byId(versionId);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const p = this.d.pool
      .run(
        {
          kind: 'email',
          versionId,
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

  /** A job or retry-lane message leaves the pipeline (a request's own message is released by realtimeSend). */
  private release(jobId: string | null, deliveryId: number): void {
    if (!this.inPipeline.delete(deliveryId)) return;
    if (jobId === null) {
      this.realtimeInPipeline--;
      return;
    }
    const job = this.jobs.get(jobId);
    if (job) job.inPipeline--;
  }

  /** A ready message leaves the pipeline; a request's own message stays reserved until realtimeSend settles. */
  private releaseReady(msg: Ready): void {
    if (msg.source !== 'request') this.release(msg.jobId, msg.deliveryId);
  }

  private accept(jobId: string | null, row: DueDelivery, o: EmailOutcome): void {
    if (jobId !== null && !this.jobs.has(jobId)) {
      this.inPipeline.delete(row.id);
      return;
    }
    if (!o.ok) {
      this.d.deliveries.markFinal(row.id, 'failed', null, o.error, jobId);
      if (jobId !== null) this.d.jobs.addError(jobId, row.row, row.record_key, 'email', o.error);
      this.release(jobId, row.id);
      return;
    }
    // The URL policy dropped a link or image from this message (it is still sent): the record's errors say so.
    if (o.warnings?.length && jobId !== null) this.d.jobs.addError(jobId, row.row, row.record_key, 'email', o.warnings.join('; '));
    this.ready.push({
      source: jobId === null ? 'retry' : 'job',
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
    let minWait = Infinity;
    const picked: Ready[] = [];
    // Real-time requests first: each takes the next free connection, claimed in this same grouped commit. They
    // count against the rate limits (without waiting for them: a caller is waiting).
    while (this.inFlight + picked.length < this.window && this.urgent.length) {
      const msg = this.urgent.shift()!;
      this.limiter.take(msg.domain);
      if (!this.suppressed(msg)) picked.push(msg);
    }
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
      if (this.suppressed(msg)) {
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
    // A real-time caller hears 'sent' once the ledger says so.
    for (const x of sent) x.reply?.({ status: 'sent', response: x.response, messageId: x.messageId });
    picked.forEach((msg, i) => {
      if (claimed[i]) this.dispatch(msg);
      else {
        this.releaseReady(msg);
        msg.reply?.(this.ledgerState(msg.deliveryId, msg.messageId));
      }
    });
  }

  /** The suppression list is checked immediately before every hand-off: a suppressed message is final. */
  private suppressed(msg: Ready): boolean {
    const reason = this.d.suppressions.reason(msg.to);
    if (!reason) return false;
    this.d.deliveries.markFinal(msg.deliveryId, 'suppressed', null, `address is suppressed (${reason})`, msg.jobId);
    this.releaseReady(msg);
    msg.reply?.({ status: 'suppressed', response: null, messageId: msg.messageId });
    return true;
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
      .send({ from: msg.from, to: msg.to }, msg.raw, `${msg.jobId ?? 'msg'}-${msg.deliveryId}`)
      .then(
        (ok) => {
          this.sentBuffer.push({ id: msg.deliveryId, response: ok.response, reply: msg.reply, messageId: msg.messageId });
        },
        (e: unknown) => {
          const r = this.failed(msg.jobId, msg.deliveryId, msg.to, msg.domain, msg.attempts + 1, e);
          msg.reply?.({ ...r, messageId: msg.messageId });
        },
      )
      .finally(() => {
        this.inFlight--;
        this.releaseReady(msg);
        this.scheduleFlush();
      });
    this.track(p);
  }

  /** A refused hand-off: bounced (5xx), deferred with backoff (4xx, network), or failed after maxAttempts. */
  private failed(
    jobId: string | null,
    deliveryId: number,
    to: string,
    domain: string,
    attempts: number,
    e: unknown,
  ): { status: 'bounced' | 'deferred' | 'failed'; response: string; error?: string } {
    const err = e instanceof SendError ? e : new SendError(e instanceof Error ? e.message : String(e), true, undefined);
    if (!err.temporary) {
      this.d.deliveries.markFinal(deliveryId, 'bounced', err.message, null, jobId);
      this.d.suppressions.add(to, 'bounced', err.message);
      return { status: 'bounced', response: err.message };
    }
    const { maxAttempts, retryBaseMs, retryMaxMs } = this.d.retry;
    if (attempts >= maxAttempts) {
      const error = `gave up after ${attempts} attempts`;
      this.d.deliveries.markFinal(deliveryId, 'failed', err.message, error, jobId);
      return { status: 'failed', response: err.message, error };
    }
    const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** (attempts - 1)) * (0.8 + Math.random() * 0.4);
    this.d.deliveries.markDeferred(deliveryId, jobId, Date.now() + Math.round(delay), err.message);
    this.limiter.pause(domain, Math.min(retryBaseMs, delay));
    // A deferred real-time message is retried by the real-time lane (it has no job to carry it).
    if (jobId === null) this.realtimeLane = true;
    this.wakeIn(delay);
    return { status: 'deferred', response: err.message };
  }

  /** The outcome of a real-time send in progress for this ledger row (a concurrent repeat awaits it), if any. */
  realtimeInProgress(deliveryId: number): Promise<RealtimeResult> | undefined {
    return this.realtime.get(deliveryId);
  }

  /**
   * Real-time: compose the message of a ledger row this request has just created and hand it off now, ahead of
   * queued job traffic, claimed in the same grouped commit as job messages (so the in-doubt bound holds). The row
   * is the request's until its outcome: the real-time lane leaves it alone, and a concurrent request with the same
   * Idempotency-Key gets the same promise (realtimeInProgress). A deferral (4xx) leaves the row in the ledger,
   * and the lane retries it.
   */
  realtimeSend(
    deliveryId: number,
    domain: string,
    attempts: number,
    compose: () => Promise<EmailOutcome | undefined>,
  ): Promise<RealtimeResult> {
    const existing = this.realtime.get(deliveryId);
    if (existing) return existing;
    this.inPipeline.add(deliveryId);
    const p = (async (): Promise<RealtimeResult> => {
      let o: EmailOutcome | undefined;
      try {
        o = await compose();
      } catch (e) {
        // A worker crash: the row stays pending, and the real-time lane composes it again.
        this.d.log.error({ err: e, deliveryId }, 'real-time composition failed; the ledger will retry it');
        this.realtimeLane = true;
        this.wakeIn(this.d.retry.retryBaseMs);
        return { status: 'deferred', response: 'composition failed for now; the message stays queued and is retried', messageId: '' };
      }
      if (!o?.ok) {
        const error = o && !o.ok ? o.error : 'no result';
        this.d.deliveries.markFinal(deliveryId, 'failed', null, error, null);
        return { status: 'failed', response: null, messageId: '', error, notComposed: true };
      }
      return this.sendNow(deliveryId, o, domain, attempts);
    })();
    this.realtime.set(deliveryId, p);
    const done = p.finally(() => {
      this.realtime.delete(deliveryId);
      this.inPipeline.delete(deliveryId);
      this.kick();
    });
    this.track(done);
    return p;
  }

  /** Queue one composed real-time message for the next free connection (ahead of job traffic). */
  private sendNow(deliveryId: number, o: Extract<EmailOutcome, { ok: true }>, domain: string, attempts: number): Promise<RealtimeResult> {
    if (this.stopped) return Promise.resolve(this.stopping(o.messageId));
    return new Promise<RealtimeResult>((reply) => {
      this.urgent.push({
        source: 'request',
        jobId: null,
        deliveryId,
        domain,
        from: o.from,
        to: o.to,
        messageId: o.messageId,
        raw: o.raw,
        attempts,
        reply,
      });
      this.scheduleFlush();
    });
  }

  private stopping(messageId: string): RealtimeResult {
    // The row stays pending: the real-time lane sends it after the restart.
    this.realtimeLane = true;
    return { status: 'deferred', response: 'the server is stopping; the message stays queued and is sent after the restart', messageId };
  }

  /** What the ledger says about a real-time message now (a claim that found the row no longer pending). */
  ledgerState(deliveryId: number, messageId = ''): RealtimeResult {
    const row = this.d.deliveries.message(deliveryId);
    return row ? messageResult(row) : { status: 'failed', response: null, messageId, error: 'no such message in the ledger' };
  }

  /** Stop taking new work and wait (bounded) for hand-offs in flight to finish. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const msg of this.urgent.splice(0)) msg.reply?.(this.stopping(msg.messageId));
    await Promise.race([Promise.allSettled([...this.settled]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    this.flushSent();
  }

  /** Commit the confirmations still buffered (an orderly stop; a crash leaves them 'sending' → uncertain). */
  private flushSent(): void {
    if (this.sentBuffer.length === 0) return;
    const sent = this.sentBuffer;
    this.sentBuffer = [];
    this.d.deliveries.commitGroup(sent, []);
    for (const x of sent) x.reply?.({ status: 'sent', response: x.response, messageId: x.messageId });
  }
}

/**
 * A real-time message's state as the ledger holds it, as POST /api/v1/messages reports it: `deferred` while it
 * waits for a retry (or is being sent), then `sent`, `bounced`, `suppressed` or `failed`.
 */
export function messageResult(row: MessageRow): RealtimeResult {
  const messageId = row.message_id ?? '';
  switch (row.status) {
    case 'sent':
    case 'bounced':
    case 'suppressed':
      return { status: row.status, response: row.response, messageId };
    case 'failed':
    case 'canceled':
      return {
        status: 'failed',
        response: row.response,
        messageId,
        error: row.error ?? 'failed',
        ...(row.attempts === 0 ? { notComposed: true } : {}),
      };
    default:
      return { status: 'deferred', response: row.response, messageId };
  }
}
