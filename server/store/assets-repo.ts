import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../shared/model/package';
import type { Db } from './db';
import { nowIso } from './ids';

/**
 * Content-addressed asset store: bytes on disk at assets/<aa>/<sha256>, one row per distinct content.
 * Storing the same bytes twice is a no-op, so re-publishing an unchanged font stores nothing.
 */
/** Where an asset's bytes live in the assets folder (composition workers read them directly). */
export const assetPath = (dir: string, sha: string): string => join(dir, sha.slice(0, 2), sha);

export class AssetsRepo {
  private readonly has;
  constructor(
    private readonly db: Db,
    private readonly dir: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.has = db.prepare<[string], { bytes: number }>('SELECT bytes FROM assets WHERE sha256 = ?');
  }

  private path(sha: string): string {
    return assetPath(this.dir, sha);
  }

  exists(sha: string): boolean {
    return this.has.get(sha) !== undefined;
  }

  missing(shas: readonly string[]): string[] {
    return [...new Set(shas)].filter((s) => !this.exists(s));
  }

  /** Store bytes whose hash the caller has checked (or that we check here). Returns false if already stored. */
  put(bytes: Uint8Array, mediaType?: string, expectedSha?: string): { sha256: string; created: boolean } {
    const sha = sha256Hex(bytes);
    if (expectedSha !== undefined && sha !== expectedSha) throw new HashMismatchError(expectedSha, sha);
    if (this.exists(sha) && existsSync(this.path(sha))) return { sha256: sha, created: false };
    const file = this.path(sha);
    mkdirSync(join(this.dir, sha.slice(0, 2)), { recursive: true });
    // Write then rename: a crash never leaves a half-written file under a content hash.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
    this.db
      .prepare('INSERT OR IGNORE INTO assets (sha256, bytes, media_type, created_at) VALUES (?, ?, ?, ?)')
      .run(sha, bytes.length, mediaType ?? null, nowIso());
    return { sha256: sha, created: true };
  }

  get(sha: string): { bytes: Uint8Array; mediaType: string | null } | undefined {
    const row = this.db.prepare<[string], { media_type: string | null }>('SELECT media_type FROM assets WHERE sha256 = ?').get(sha);
    if (!row) return undefined;
    return { bytes: new Uint8Array(readFileSync(this.path(sha))), mediaType: row.media_type };
  }
}

export class HashMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`the bytes hash to ${actual}, not ${expected}`);
  }
}
