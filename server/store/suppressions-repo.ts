import type { Db } from './db';
import { nowIso } from './ids';

export type SuppressionReason = 'bounced' | 'complained' | 'unsubscribed' | 'manual';
export interface Suppression {
  email: string;
  reason: SuppressionReason;
  detail: string | null;
  createdAt: string;
}

/** Addresses never to mail again. Keys are lower-cased addresses; checked before every send. */
export class SuppressionsRepo {
  private readonly check;
  private readonly insert;
  constructor(private readonly db: Db) {
    this.check = db.prepare<[string], { reason: SuppressionReason }>('SELECT reason FROM suppressions WHERE email = ?');
    this.insert = db.prepare('INSERT OR IGNORE INTO suppressions (email, reason, detail, created_at) VALUES (?, ?, ?, ?)');
  }

  static key(email: string): string {
    return email.trim().toLowerCase();
  }

  reason(email: string): SuppressionReason | undefined {
    return this.check.get(SuppressionsRepo.key(email))?.reason;
  }

  /** Add unless present (the first reason is kept). */
  add(email: string, reason: SuppressionReason, detail?: string): Suppression {
    this.insert.run(SuppressionsRepo.key(email), reason, detail ?? null, nowIso());
    return this.get(email)!;
  }

  get(email: string): Suppression | undefined {
    return this.db
      .prepare<[string], Suppression>('SELECT email, reason, detail, created_at AS createdAt FROM suppressions WHERE email = ?')
      .get(SuppressionsRepo.key(email));
  }

  remove(email: string): boolean {
    return this.db.prepare('DELETE FROM suppressions WHERE email = ?').run(SuppressionsRepo.key(email)).changes > 0;
  }

  list(limit: number, offset: number): { suppressions: Suppression[]; total: number } {
    const total = (this.db.prepare('SELECT COUNT(*) FROM suppressions').pluck().get() as number) ?? 0;
    const suppressions = this.db
      .prepare<[number, number], Suppression>(
        'SELECT email, reason, detail, created_at AS createdAt FROM suppressions ORDER BY created_at DESC, email LIMIT ? OFFSET ?',
      )
      .all(limit, offset);
    return { suppressions, total };
  }
}
