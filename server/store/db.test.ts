import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from './db';
import { MIGRATIONS } from './migrations';

describe('openDatabase', () => {
  it('applies every numbered migration once, in order, and refuses a database from a newer Presswork', () => {
    const db = openDatabase(':memory:');
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    expect(() => migrate(db)).toThrow(/newer than this Presswork/);
    db.close();
  });
});
