import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { openDatabase } from '../store/db';
import { DeliveriesRepo, type NewDelivery } from '../store/deliveries-repo';
import { SuppressionsRepo } from '../store/suppressions-repo';
import type { JobsRepo } from '../store/jobs-repo';
import type { TemplatesRepo } from '../store/templates-repo';
import type { WorkerPool } from '../jobs/pool';
import type { TaskRequest, TaskResponse } from '../jobs/protocol';
import { DeliveryEngine } from './engine';
import type { Transport } from './transport';

/**
 * The in-doubt bound, checked at every hand-off: the ledger never holds more 'sending' rows than the
 * transport has connections, real-time sends included, so a crash at any instant leaves at most one
 * message per connection uncertain.
 */

const CONNECTIONS = 2;
const N = 60;

function setup() {
  const db = openDatabase(':memory:');
  db.pragma('foreign_keys = OFF'); // ledger rows without job and template rows: the engine alone is under test
  const deliveries = new DeliveriesRepo(db);
  const rows: NewDelivery[] = Array.from({ length: N }, (_, i) => ({
    row: i + 1,
    idemKey: `job-1:${i + 1}`,
    recordKey: null,
    record: JSON.stringify({ email: `r${i}@d${i % 3}.example` }),
    recipient: `r${i}@d${i % 3}.example`,
    domain: `d${i % 3}.example`,
    status: 'pending',
    error: null,
  }));
  deliveries.insertMany('job-1', rows);
  const sendingNow = () => db.prepare("SELECT COUNT(*) FROM deliveries WHERE status = 'sending'").pluck().get() as number;

  const observed = { maxSending: 0, maxConcurrent: 0, concurrent: 0, sent: [] as string[] };
  const transport: Transport = {
    kind: 'smtp',
    maxInFlight: CONNECTIONS,
    async send(envelope) {
      observed.concurrent++;
      observed.maxConcurrent = Math.max(observed.maxConcurrent, observed.concurrent);
      observed.maxSending = Math.max(observed.maxSending, sendingNow());
      await new Promise((r) => setTimeout(r, 1 + Math.random() * 3));
      observed.concurrent--;
      observed.sent.push(envelope.to);
      return { response: '250 OK' };
    },
    async close() {},
  };
  const pool = {
    idle: 1,
    async run(task: TaskRequest): Promise<TaskResponse> {
      if (task.kind !== 'email') throw new Error('email only');
      await new Promise((r) => setImmediate(r));
      return {
        kind: 'email',
        outcomes: task.items.map((i) => ({
          deliveryId: i.deliveryId,
          ok: true as const,
          from: 'from@example.com',
          to: i.to!,
          messageId: `<${i.deliveryId}@example.com>`,
          raw: new TextEncoder().encode(`Subject: ${i.deliveryId}\r\n\r\nhello\r\n`),
        })),
      };
    },
  } as unknown as WorkerPool;
  let drained!: () => void;
  const done = new Promise<void>((r) => (drained = r));
  const engine = new DeliveryEngine({
    deliveries,
    suppressions: new SuppressionsRepo(db),
    templates: { byId: () => ({ document: {} }) } as unknown as TemplatesRepo,
    jobs: { addError: () => undefined } as unknown as JobsRepo,
    pool,
    transport,
    limits: { globalPerSecond: 0, perDomainPerSecond: 0, domains: {} },
    retry: { maxAttempts: 3, retryBaseMs: 10, retryMaxMs: 100 },
    log: pino({ level: 'silent' }),
    today: () => '2026-11-22',
    onJobDrained: () => drained(),
  });
  return { db, deliveries, engine, observed, done };
}

describe('DeliveryEngine', () => {
  it('claims at most one message per connection, real-time sends included, and sends every recipient once', async () => {
    const { deliveries, engine, observed, done } = setup();
    engine.addJob('job-1', 'ver-1');
    // Real-time sends arriving while the job keeps every connection busy wait for a free one before claiming.
    await new Promise((r) => setTimeout(r, 5));
    const realtime = await Promise.all(
      [0, 1, 2].map((i) => {
        const id = deliveries.insertOne(null, {
          row: 1,
          idemKey: `rt:${i}`,
          recordKey: null,
          record: '{}',
          recipient: `rt${i}@example.com`,
          domain: 'example.com',
          status: 'pending',
          error: null,
        });
        return engine.sendNow(
          id,
          {
            deliveryId: id,
            ok: true,
            from: 'from@example.com',
            to: `rt${i}@example.com`,
            messageId: `<rt${i}@x>`,
            raw: new Uint8Array([65]),
          },
          'example.com',
        );
      }),
    );
    await done;
    await engine.stop();
    expect(realtime.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    expect(observed.maxConcurrent).toBeLessThanOrEqual(CONNECTIONS);
    expect(observed.maxSending).toBeLessThanOrEqual(CONNECTIONS);
    expect(observed.maxSending).toBeGreaterThan(0);
    expect(new Set(observed.sent).size).toBe(N + 3);
    expect(observed.sent).toHaveLength(N + 3);
    expect(deliveries.counts('job-1')).toMatchObject({ records: N, sent: N, sending: 0, pending: 0 });
  });
});
