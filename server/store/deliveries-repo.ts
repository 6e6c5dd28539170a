import type { Db } from './db';
import { nowIso } from './ids';

/**
 * The per-recipient delivery ledger and its tracking events (one aggregate). Every state change is one
 * small committed statement, so the ledger on disk is always what really happened up to the last commit.
 */

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'bounced' | 'failed' | 'suppressed' | 'canceled';

export interface NewDelivery {
  row: number;
  idemKey: string;
  recordKey: string | null;
  record: string;
  recipient: string | null;
  domain: string | null;
  status: 'pending' | 'failed';
  error: string | null;
  /** Real-time messages only: the template version composed, and the SHA-256 of the request (see messageRequestSha256). */
  versionId?: string | null;
  requestSha256?: string | null;
}

/** A real-time message (job_id NULL) as the ledger holds it. */
export interface MessageRow {
  id: number;
  idem_key: string;
  status: DeliveryStatus;
  attempts: number;
  deferrals: number;
  uncertain: number;
  recipient: string | null;
  record: string;
  version_id: string | null;
  request_sha256: string | null;
  message_id: string | null;
  response: string | null;
  error: string | null;
  sent_at: string | null;
}

/** Filters of GET /api/v1/messages: a ledger status, or `deferred` (waiting to be retried) or `uncertain`. */
export type MessageState = DeliveryStatus | 'deferred' | 'uncertain';

export interface DueDelivery {
  id: number;
  job_id: string | null;
  row: number;
  record_key: string | null;
  record: string;
  recipient: string;
  domain: string;
  attempts: number;
  uncertain: number;
  /** Real-time rows only (null for job rows: the job names the version). */
  version_id: string | null;
}

export interface DeliveryCounts {
  records: number;
  pending: number;
  sending: number;
  sent: number;
  deferred: number;
  bounced: number;
  suppressed: number;
  failed: number;
  canceled: number;
  uncertain: number;
}

export type EventType = 'open' | 'click' | 'unsubscribe' | 'deferral' | 'bounce';

export class DeliveriesRepo {
  private readonly s;
  private readonly countsCache = new Map<string, { at: number; counts: DeliveryCounts }>();
  constructor(private readonly db: Db) {
    this.s = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO deliveries (job_id, row, idem_key, record_key, record, recipient, domain, status, error, version_id, request_sha256)
         VALUES (@jobId, @row, @idemKey, @recordKey, @record, @recipient, @domain, @status, @error, @versionId, @requestSha256)`,
      ),
      due: db.prepare<[string, number, number], DueDelivery>(
        `SELECT id, job_id, row, record_key, record, recipient, domain, attempts, uncertain, version_id FROM deliveries
         WHERE job_id = ? AND status = 'pending' AND next_attempt_ms <= ? ORDER BY next_attempt_ms, id LIMIT ?`,
      ),
      dueRealtime: db.prepare<[number, number], DueDelivery>(
        `SELECT id, job_id, row, record_key, record, recipient, domain, attempts, uncertain, version_id FROM deliveries
         WHERE job_id IS NULL AND status = 'pending' AND next_attempt_ms <= ? ORDER BY next_attempt_ms, id LIMIT ?`,
      ),
      nextDueRealtime: db.prepare<[], { t: number | null }>(
        "SELECT MIN(next_attempt_ms) AS t FROM deliveries WHERE job_id IS NULL AND status = 'pending'",
      ),
      message: db.prepare<[number], MessageRow>(
        `SELECT id, idem_key, status, attempts, deferrals, uncertain, recipient, record, version_id, request_sha256, message_id,
           response, error, sent_at FROM deliveries WHERE id = ? AND job_id IS NULL`,
      ),
      nextDue: db.prepare<[string], { t: number | null }>(
        "SELECT MIN(next_attempt_ms) AS t FROM deliveries WHERE job_id = ? AND status = 'pending'",
      ),
      sending: db.prepare(
        "UPDATE deliveries SET status = 'sending', attempts = attempts + 1, message_id = ? WHERE id = ? AND status = 'pending'",
      ),
      sent: db.prepare("UPDATE deliveries SET status = 'sent', response = ?, sent_at = ? WHERE id = ?"),
      deferred: db.prepare(
        "UPDATE deliveries SET status = 'pending', deferrals = deferrals + 1, next_attempt_ms = ?, response = ? WHERE id = ?",
      ),
      final: db.prepare('UPDATE deliveries SET status = ?, response = ?, error = ? WHERE id = ?'),
      event: db.prepare('INSERT INTO events (delivery_id, job_id, type, url, detail, at) VALUES (?, ?, ?, ?, ?, ?)'),
      active: db.prepare<[string], { n: number }>(
        "SELECT COUNT(*) AS n FROM deliveries WHERE job_id = ? AND status IN ('pending','sending')",
      ),
      byId: db.prepare<[number], { id: number; job_id: string | null; recipient: string | null; status: DeliveryStatus }>(
        'SELECT id, job_id, recipient, status FROM deliveries WHERE id = ?',
      ),
    };
  }

  /** Insert ledger rows; rows whose idempotency key exists are left alone. Returns the rows newly inserted. */
  insertMany(jobId: string | null, rows: readonly NewDelivery[]): Set<number> {
    const inserted = new Set<number>();
    this.db.transaction(() => {
      for (const r of rows) if (this.s.insert.run({ jobId, versionId: null, requestSha256: null, ...r }).changes) inserted.add(r.row);
    })();
    return inserted;
  }

  /** Insert one row; when its idempotency key exists, the existing row's id with `inserted: false`. */
  insertOne(jobId: string | null, r: NewDelivery): { id: number; inserted: boolean } {
    const info = this.s.insert.run({ jobId, versionId: null, requestSha256: null, ...r });
    if (info.changes === 0)
      return { id: this.db.prepare('SELECT id FROM deliveries WHERE idem_key = ?').pluck().get(r.idemKey) as number, inserted: false };
    return { id: Number(info.lastInsertRowid), inserted: true };
  }

  /** Start-up recovery: rows left in 'sending' were in flight at a crash. Retry them, flagged uncertain. */
  recoverInFlight(): number {
    return this.db.prepare("UPDATE deliveries SET status = 'pending', uncertain = 1 WHERE status = 'sending'").run().changes;
  }

  due(jobId: string, nowMs: number, limit: number): DueDelivery[] {
    return this.s.due.all(jobId, nowMs, limit);
  }

  /** Real-time messages due for a retry (deferred, or left pending or in flight by a crash). */
  dueRealtime(nowMs: number, limit: number): DueDelivery[] {
    return this.s.dueRealtime.all(nowMs, limit);
  }

  /** When the next real-time retry is due; undefined when no real-time message is waiting. */
  nextDueRealtimeMs(): number | undefined {
    return this.s.nextDueRealtime.get()?.t ?? undefined;
  }

  /** A real-time message by ledger id (undefined for job rows). */
  message(id: number): MessageRow | undefined {
    return this.s.message.get(id);
  }

  /** Real-time messages, newest first, optionally in one state. */
  messages(
    state: MessageState | undefined,
    limit: number,
    offset: number,
  ): { rows: (MessageRow & { template_id: string | null; version: number | null })[]; total: number } {
    const where =
      state === undefined
        ? ''
        : state === 'deferred'
          ? "AND d.status = 'pending' AND d.deferrals > 0"
          : state === 'uncertain'
            ? 'AND d.uncertain = 1'
            : 'AND d.status = @state';
    const params = state && state !== 'deferred' && state !== 'uncertain' ? { state } : {};
    const total = this.db.prepare(`SELECT COUNT(*) FROM deliveries d WHERE d.job_id IS NULL ${where}`).pluck().get(params) as number;
    const rows = this.db
      .prepare<Record<string, unknown>, MessageRow & { template_id: string | null; version: number | null }>(
        `SELECT d.id, d.idem_key, d.status, d.attempts, d.deferrals, d.uncertain, d.recipient, d.record, d.version_id, d.request_sha256,
           d.message_id, d.response, d.error, d.sent_at, v.template_id, v.version
         FROM deliveries d LEFT JOIN template_versions v ON v.id = d.version_id
         WHERE d.job_id IS NULL ${where} ORDER BY d.id DESC LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit, offset });
    return { rows, total };
  }

  nextDueMs(jobId: string): number | undefined {
    return this.s.nextDue.get(jobId)?.t ?? undefined;
  }

  activeCount(jobId: string): number {
    return this.s.active.get(jobId)?.n ?? 0;
  }

  /**
   * One commit for a group of transitions: the relay's 250s received since the last commit (`sent`), then
   * the next messages claimed for hand-off (`sending`). Returns, per claim, whether it was still pending.
   * This is the ONLY way a row becomes `sending` (job and real-time messages alike): a connection's next claim
   * is never durable before its previous confirmation, which is what bounds the messages in doubt at a crash.
   */
  commitGroup(sent: readonly { id: number; response: string }[], claims: readonly { id: number; messageId: string }[]): boolean[] {
    return this.db.transaction(() => {
      const at = nowIso();
      for (const x of sent) this.s.sent.run(x.response, at, x.id);
      return claims.map((c) => this.s.sending.run(c.messageId, c.id).changes > 0);
    })();
  }

  markDeferred(id: number, jobId: string | null, nextMs: number, response: string): void {
    this.db.transaction(() => {
      this.s.deferred.run(nextMs, response, id);
      this.s.event.run(id, jobId, 'deferral', null, response, nowIso());
    })();
  }

  markFinal(
    id: number,
    status: 'bounced' | 'failed' | 'suppressed',
    response: string | null,
    error: string | null,
    jobId: string | null,
  ): void {
    this.db.transaction(() => {
      this.s.final.run(status, response, error, id);
      if (status === 'bounced') this.s.event.run(id, jobId, 'bounce', null, response, nowIso());
    })();
  }

  cancelPending(jobId: string): number {
    return this.db.prepare("UPDATE deliveries SET status = 'canceled' WHERE job_id = ? AND status = 'pending'").run(jobId).changes;
  }

  get(id: number): { id: number; job_id: string | null; recipient: string | null; status: DeliveryStatus } | undefined {
    return this.s.byId.get(id);
  }

  addEvent(deliveryId: number, jobId: string | null, type: EventType, url: string | null = null, detail: string | null = null): void {
    this.s.event.run(deliveryId, jobId, type, url, detail, nowIso());
  }

  hasEvent(deliveryId: number, type: EventType): boolean {
    return this.db.prepare('SELECT 1 FROM events WHERE delivery_id = ? AND type = ? LIMIT 1').get(deliveryId, type) !== undefined;
  }

  counts(jobId: string): DeliveryCounts {
    const rows = this.db
      .prepare<[string], { status: DeliveryStatus; n: number; d: number; u: number }>(
        'SELECT status, COUNT(*) AS n, SUM(deferrals > 0) AS d, SUM(uncertain) AS u FROM deliveries WHERE job_id = ? GROUP BY status',
      )
      .all(jobId);
    const c: DeliveryCounts = {
      records: 0,
      pending: 0,
      sending: 0,
      sent: 0,
      deferred: 0,
      bounced: 0,
      suppressed: 0,
      failed: 0,
      canceled: 0,
      uncertain: 0,
    };
    for (const r of rows) {
      c[r.status] = r.n;
      c.records += r.n;
      c.deferred += r.d;
      c.uncertain += r.u;
    }
    return c;
  }

  /**
   * Counts for progress polling of a running job: at most `maxAgeMs` old. Counting scans the job's index
   * entries (20,000 for a 20,000-recipient job), which a dashboard polling every 50 ms would otherwise repeat
   * on the main thread that also feeds the SMTP connections. Reports and finished jobs use counts().
   */
  recentCounts(jobId: string, maxAgeMs = 250, now = Date.now()): DeliveryCounts {
    const hit = this.countsCache.get(jobId);
    if (hit && now - hit.at < maxAgeMs) return { ...hit.counts };
    const counts = this.counts(jobId);
    if (this.countsCache.size > 100) this.countsCache.clear();
    this.countsCache.set(jobId, { at: now, counts });
    return { ...counts };
  }

  engagement(jobId: string): {
    opened: number;
    clicked: number;
    unsubscribed: number;
    links: { url: string; clicks: number; recipients: number }[];
  } {
    const distinct = (type: EventType) =>
      this.db.prepare('SELECT COUNT(DISTINCT delivery_id) FROM events WHERE job_id = ? AND type = ?').pluck().get(jobId, type) as number;
    const links = this.db
      .prepare<[string], { url: string; clicks: number; recipients: number }>(
        "SELECT url, COUNT(*) AS clicks, COUNT(DISTINCT delivery_id) AS recipients FROM events WHERE job_id = ? AND type = 'click' GROUP BY url ORDER BY clicks DESC, url",
      )
      .all(jobId);
    return { opened: distinct('open'), clicked: distinct('click'), unsubscribed: distinct('unsubscribe'), links };
  }

  /** One row per recipient for the CSV report. */
  recipients(jobId: string): Iterable<{
    row: number;
    record_key: string | null;
    recipient: string | null;
    status: DeliveryStatus;
    attempts: number;
    deferrals: number;
    uncertain: number;
    response: string | null;
    error: string | null;
    sent_at: string | null;
    opens: number;
    clicks: number;
    unsubscribed: number;
  }> {
    return this.db
      .prepare<
        [string],
        {
          row: number;
          record_key: string | null;
          recipient: string | null;
          status: DeliveryStatus;
          attempts: number;
          deferrals: number;
          uncertain: number;
          response: string | null;
          error: string | null;
          sent_at: string | null;
          opens: number;
          clicks: number;
          unsubscribed: number;
        }
      >(
        `SELECT d.row, d.record_key, d.recipient, d.status, d.attempts, d.deferrals, d.uncertain, d.response, d.error, d.sent_at,
           (SELECT COUNT(*) FROM events e WHERE e.delivery_id = d.id AND e.type = 'open') AS opens,
           (SELECT COUNT(*) FROM events e WHERE e.delivery_id = d.id AND e.type = 'click') AS clicks,
           (SELECT COUNT(*) FROM events e WHERE e.delivery_id = d.id AND e.type = 'unsubscribe') AS unsubscribed
         FROM deliveries d WHERE d.job_id = ? ORDER BY d.row`,
      )
      .iterate(jobId);
  }

  pendingTotal(): number {
    return this.db.prepare("SELECT COUNT(*) FROM deliveries WHERE status IN ('pending','sending')").pluck().get() as number;
  }
}
