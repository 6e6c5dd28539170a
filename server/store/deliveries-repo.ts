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
}

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
        `INSERT OR IGNORE INTO deliveries (job_id, row, idem_key, record_key, record, recipient, domain, status, error)
         VALUES (@jobId, @row, @idemKey, @recordKey, @record, @recipient, @domain, @status, @error)`,
      ),
      due: db.prepare<[string, number, number], DueDelivery>(
        `SELECT id, job_id, row, record_key, record, recipient, domain, attempts, uncertain FROM deliveries
         WHERE job_id = ? AND status = 'pending' AND next_attempt_ms <= ? ORDER BY next_attempt_ms, id LIMIT ?`,
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
      for (const r of rows) if (this.s.insert.run({ jobId, ...r }).changes) inserted.add(r.row);
    })();
    return inserted;
  }

  insertOne(jobId: string | null, r: NewDelivery): number {
    const info = this.s.insert.run({ jobId, ...r });
    if (info.changes === 0) return this.db.prepare('SELECT id FROM deliveries WHERE idem_key = ?').pluck().get(r.idemKey) as number;
    return Number(info.lastInsertRowid);
  }

  /** Start-up recovery: rows left in 'sending' were in flight at a crash. Retry them, flagged uncertain. */
  recoverInFlight(): number {
    return this.db.prepare("UPDATE deliveries SET status = 'pending', uncertain = 1 WHERE status = 'sending'").run().changes;
  }

  due(jobId: string, nowMs: number, limit: number): DueDelivery[] {
    return this.s.due.all(jobId, nowMs, limit);
  }

  nextDueMs(jobId: string): number | undefined {
    return this.s.nextDue.get(jobId)?.t ?? undefined;
  }

  activeCount(jobId: string): number {
    return this.s.active.get(jobId)?.n ?? 0;
  }

  /** Commit "handing off now" before the bytes leave. False if the row is no longer pending (canceled). */
  markSending(id: number, messageId: string): boolean {
    return this.s.sending.run(messageId, id).changes > 0;
  }

  markSent(id: number, response: string): void {
    this.s.sent.run(response, nowIso(), id);
  }

  /**
   * One commit for a group of transitions: the relay's 250s received since the last commit (`sent`), then
   * the next messages claimed for hand-off (`sending`). Returns, per claim, whether it was still pending.
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
