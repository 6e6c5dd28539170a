import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/**
 * Open the store: WAL journal (readers never block the writer), NORMAL sync (durable at each WAL
 * checkpoint, and every commit survives a process crash — only a power loss can drop the last ones),
 * foreign keys on, a busy timeout so a CLI process can share the file with a running server.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Delivery commits twice per message; checkpointing the WAL every 16k pages instead of 1k keeps the
  // (fsyncing) checkpoints rare while a large job runs.
  db.pragma('wal_autocheckpoint = 16384');
  migrate(db);
  return db;
}

/** Apply the numbered migrations not yet applied, each in its own transaction. */
export function migrate(db: Db): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const latest = Math.max(0, ...done);
  const known = Math.max(0, ...MIGRATIONS.map((m) => m.version));
  if (latest > known)
    throw new Error(`the database is at schema version ${latest}, newer than this Presswork (${known}); upgrade Presswork`);
  const applied: string[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    })();
    applied.push(`${m.version}-${m.name}`);
  }
  return applied;
}
