import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../shared/http/schemas';
import type { Db } from './db';
import { newId, nowIso } from './ids';

export interface TokenRow {
  id: string;
  name: string;
  role: Role;
}

/**
 * API tokens. The secret is shown once at creation and stored only as its SHA-256: tokens are 256 random
 * bits, so a fast hash is as safe as a slow one here and keeps every request's check cheap.
 */
export class TokensRepo {
  private readonly byHash;
  private readonly touch;
  constructor(private readonly db: Db) {
    this.byHash = db.prepare<[string], TokenRow>('SELECT id, name, role FROM tokens WHERE hash = ? AND revoked_at IS NULL');
    this.touch = db.prepare('UPDATE tokens SET last_used_at = ? WHERE id = ?');
  }

  static hash(secret: string): string {
    return createHash('sha256').update(secret).digest('hex');
  }

  create(role: Role, name: string): { id: string; token: string } {
    const id = newId('tok');
    const token = `pw_${randomBytes(32).toString('base64url')}`;
    this.db
      .prepare('INSERT INTO tokens (id, name, role, hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, name, role, TokensRepo.hash(token), nowIso());
    return { id, token };
  }

  verify(secret: string): TokenRow | undefined {
    const row = this.byHash.get(TokensRepo.hash(secret));
    if (row) this.touch.run(nowIso(), row.id);
    return row;
  }

  list(): (TokenRow & { createdAt: string; lastUsedAt: string | null; revoked: boolean })[] {
    return this.db
      .prepare<[], TokenRow & { createdAt: string; lastUsedAt: string | null; revoked: number }>(
        'SELECT id, name, role, created_at AS createdAt, last_used_at AS lastUsedAt, revoked_at IS NOT NULL AS revoked FROM tokens ORDER BY created_at',
      )
      .all()
      .map((r) => ({ ...r, revoked: Boolean(r.revoked) }));
  }

  revoke(id: string): boolean {
    return this.db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(nowIso(), id).changes > 0;
  }
}
