import Database from 'better-sqlite3';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

/**
 * The local library: one SQLite file in the user-data folder. Schema changes are numbered migrations,
 * applied in order inside a transaction and recorded in `user_version`; never edit a shipped step.
 */
const MIGRATIONS: { name: string; sql: string }[] = [
  {
    name: '001-templates-drafts-items',
    sql: `
      CREATE TABLE templates (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        package BLOB NOT NULL,            -- the saved template package (.zip bytes)
        path TEXT,                         -- where on disk it was opened from / saved to
        saved_at TEXT NOT NULL
      );
      -- Autosave journal: the working document after every change; newer than saved_at means unsaved work.
      CREATE TABLE drafts (
        template_id TEXT PRIMARY KEY REFERENCES templates(id) ON DELETE CASCADE,
        document TEXT NOT NULL,
        assets BLOB,                       -- zip of assets added since the last save (sha256 → bytes)
        saved_at TEXT NOT NULL
      );
      -- Brand kits, fonts, images, datasets and dealer variant sets: typed items with their bytes.
      CREATE TABLE items (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('brand-kit','font','image','dataset','variant-set')),
        name TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        meta TEXT NOT NULL DEFAULT '{}',
        data BLOB,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX items_kind ON items(kind, updated_at);
      CREATE TABLE recent (path TEXT PRIMARY KEY, name TEXT NOT NULL, opened_at TEXT NOT NULL);
      CREATE TABLE prefs (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
];

export type Db = Database.Database;

export function openLibrary(userData: string): Db {
  mkdirSync(userData, { recursive: true });
  const db = new Database(join(userData, 'library.sqlite'));
  db.pragma('journal_mode = WAL');
  // FULL: an autosave survives a crash of the app and of the machine.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

export function migrate(db: Db): string[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const applied: string[] = [];
  MIGRATIONS.forEach((m, i) => {
    const version = i + 1;
    if (version <= current) return;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${version}`);
    })();
    applied.push(m.name);
  });
  return applied;
}

export const LIBRARY_VERSION = MIGRATIONS.length;
