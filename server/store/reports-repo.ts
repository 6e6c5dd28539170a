import type { Db } from './db';

/**
 * Read-only queries for a job's report page: deliveries and engagement over time, and bounces by reason. The
 * counts themselves come from DeliveriesRepo (the JSON/CSV report), so the page shows the same numbers.
 */

export const TIMELINE_KINDS = ['sent', 'deferral', 'bounce', 'open', 'click'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface Timeline {
  /** Start of the first bucket and the bucket width, in epoch milliseconds. */
  startMs: number;
  bucketMs: number;
  buckets: number;
  /** Per kind, the count in each bucket (length `buckets`). */
  series: Record<TimelineKind, number[]>;
}

const NICE_MS = [
  1_000, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/** SQLite expression: an ISO time column as epoch milliseconds. */
const ms = (col: string) => `CAST(ROUND((julianday(${col}) - 2440587.5) * 86400000.0) AS INTEGER)`;

export class ReportsRepo {
  constructor(private readonly db: Db) {}

  /**
   * Sent messages (by the time the relay accepted them), deferrals, bounces, opens and clicks of a job, counted in
   * at most `maxBuckets` equal time buckets of a readable width (1 s … 1 day).
   */
  timeline(jobId: string, maxBuckets = 48): Timeline | undefined {
    const events = `SELECT 'sent' AS kind, ${ms('sent_at')} AS t FROM deliveries WHERE job_id = @job AND status = 'sent' AND sent_at IS NOT NULL
      UNION ALL SELECT type AS kind, ${ms('at')} AS t FROM events WHERE job_id = @job AND type IN ('deferral','bounce','open','click')`;
    const span = this.db
      .prepare<{ job: string }, { lo: number | null; hi: number | null }>(`SELECT MIN(t) AS lo, MAX(t) AS hi FROM (${events})`)
      .get({ job: jobId });
    if (!span || span.lo === null || span.hi === null) return undefined;
    const width = Math.max(1, span.hi - span.lo);
    const bucketMs = NICE_MS.find((b) => width / b < maxBuckets) ?? Math.ceil(width / maxBuckets / 86_400_000) * 86_400_000;
    const startMs = Math.floor(span.lo / bucketMs) * bucketMs;
    const buckets = Math.floor((span.hi - startMs) / bucketMs) + 1;
    const series = Object.fromEntries(TIMELINE_KINDS.map((k) => [k, new Array<number>(buckets).fill(0)])) as Record<TimelineKind, number[]>;
    const rows = this.db
      .prepare<{ job: string; start: number; width: number }, { kind: TimelineKind; b: number; n: number }>(
        `SELECT kind, CAST((t - @start) / @width AS INTEGER) AS b, COUNT(*) AS n FROM (${events}) GROUP BY kind, b`,
      )
      .all({ job: jobId, start: startMs, width: bucketMs });
    for (const r of rows) {
      const s = series[r.kind];
      if (s && r.b >= 0 && r.b < buckets) s[r.b] = r.n;
    }
    return { startMs, bucketMs, buckets, series };
  }

  /** Bounced recipients grouped by the relay's answer (its first 120 characters), most first. */
  bouncesByReason(jobId: string, limit = 20): { reason: string; recipients: number }[] {
    return this.db
      .prepare<[string, number], { reason: string; recipients: number }>(
        `SELECT COALESCE(NULLIF(SUBSTR(TRIM(COALESCE(response, error, '')), 1, 120), ''), '(no answer recorded)') AS reason, COUNT(*) AS recipients
         FROM deliveries WHERE job_id = ? AND status = 'bounced' GROUP BY reason ORDER BY recipients DESC, reason LIMIT ?`,
      )
      .all(jobId, limit);
  }

  /** Messages that could not be composed or sent (status failed), with their error, first by row. */
  failed(jobId: string, limit = 100): { row: number; recordKey: string | null; recipient: string | null; error: string }[] {
    return this.db
      .prepare<[string, number], { row: number; recordKey: string | null; recipient: string | null; error: string }>(
        `SELECT row, record_key AS recordKey, recipient, COALESCE(error, response, '') AS error FROM deliveries
         WHERE job_id = ? AND status = 'failed' ORDER BY row LIMIT ?`,
      )
      .all(jobId, limit);
  }
}
