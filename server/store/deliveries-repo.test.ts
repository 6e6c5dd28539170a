import { describe, expect, it } from 'vitest';
import { openDatabase } from './db';
import { DeliveriesRepo, type NewDelivery } from './deliveries-repo';

const row = (n: number): NewDelivery => ({
  row: n,
  idemKey: `job-1:${n}`,
  recordKey: `K${n}`,
  record: JSON.stringify({ email: `r${n}@example.com` }),
  recipient: `r${n}@example.com`,
  domain: 'example.com',
  status: 'pending',
  error: null,
});

function repo(): DeliveriesRepo {
  const db = openDatabase(':memory:');
  db.pragma('foreign_keys = OFF'); // ledger rows without a job row: this test is about the ledger alone
  const r = new DeliveriesRepo(db);
  r.insertMany('job-1', [row(1), row(2), row(3)]);
  return r;
}

describe('DeliveriesRepo', () => {
  it('commits a group: confirmations, then claims of rows still pending only', () => {
    const r = repo();
    const [a, b, c] = r.due('job-1', Date.now(), 10).map((d) => d.id);
    expect(r.commitGroup([], [{ id: a!, messageId: '<a@x>' }])).toEqual([true]);
    r.cancelPending('job-1');
    expect(
      r.commitGroup(
        [{ id: a!, response: '250 OK' }],
        [
          { id: b!, messageId: '<b@x>' },
          { id: c!, messageId: '<c@x>' },
        ],
      ),
    ).toEqual([false, false]);
    expect(r.counts('job-1')).toMatchObject({ records: 3, sent: 1, sending: 0, canceled: 2 });
  });

  it('serves progress counts at most maxAgeMs old, then counts again', () => {
    const r = repo();
    const t0 = 1_000_000;
    expect(r.recentCounts('job-1', 250, t0)).toMatchObject({ pending: 3, sent: 0 });
    const [a] = r.due('job-1', Date.now(), 1).map((d) => d.id);
    r.commitGroup([], [{ id: a!, messageId: '<a@x>' }]);
    r.commitGroup([{ id: a!, response: '250 OK' }], []);
    expect(r.recentCounts('job-1', 250, t0 + 100)).toMatchObject({ pending: 3, sent: 0 });
    expect(r.recentCounts('job-1', 250, t0 + 250)).toMatchObject({ pending: 2, sent: 1 });
    expect(r.counts('job-1')).toMatchObject({ pending: 2, sent: 1 });
  });
});
