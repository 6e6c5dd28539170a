import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { openDatabase } from '../store/db';
import { DeliveriesRepo, type NewDelivery } from '../store/deliveries-repo';
import { SuppressionsRepo } from '../store/suppressions-repo';
import type { JobsRepo } from '../store/jobs-repo';
import type { TemplatesRepo } from '../store/templates-repo';
import type { WorkerPool } from '../jobs/pool';
import type { EmailOutcome, TaskRequest, TaskResponse } from '../jobs/protocol';
import { DeliveryEngine, type RealtimeResult } from './engine';
import { SendError, type Transport } from './transport';

/**
 * The in-doubt bound, checked at every hand-off and after every commit: the ledger never holds more 'sending'
 * rows than the transport has connections, with real-time sends interleaved with job traffic — including a
 * real-time send arriving in the instant after a job message's 250 was received and before it was committed
 * (the moment a real-time claim of its own would have made it connections + 1). Also: a deferred real-time
 * message is delivered by the ledger's retries, and real-time rows a crash left behind are resolved.
 */

const N = 60;

function setup(connections: number, opts: { refuse?: (to: string) => SendError | undefined } = {}) {
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

  const observed = { maxSending: 0, maxConcurrent: 0, concurrent: 0, handOffs: 0, commits: 0, sent: [] as string[] };
  // The bound after every grouped commit, too (a claim is durable from that moment).
  const commitGroup = deliveries.commitGroup.bind(deliveries);
  deliveries.commitGroup = (sent, claims) => {
    const r = commitGroup(sent, claims);
    observed.commits++;
    observed.maxSending = Math.max(observed.maxSending, sendingNow());
    return r;
  };
  const hooks = { afterJobAck: undefined as ((to: string) => void) | undefined };
  const transport: Transport = {
    kind: 'smtp',
    maxInFlight: connections,
    async send(envelope) {
      observed.concurrent++;
      observed.handOffs++;
      observed.maxConcurrent = Math.max(observed.maxConcurrent, observed.concurrent);
      observed.maxSending = Math.max(observed.maxSending, sendingNow());
      await new Promise((r) => setTimeout(r, 1 + Math.random() * 3));
      observed.concurrent--;
      const refused = opts.refuse?.(envelope.to);
      if (refused) throw refused;
      observed.sent.push(envelope.to);
      if (!envelope.to.startsWith('rt')) {
        // Runs after the engine has taken this 250 (buffered, not yet committed) and freed the connection.
        let p = Promise.resolve();
        for (let i = 0; i < 8; i++) p = p.then(() => undefined);
        void p.then(() => hooks.afterJobAck?.(envelope.to));
      }
      return { response: '250 OK' };
    },
    async close() {},
  };
  const outcome = (deliveryId: number, to: string): EmailOutcome => ({
    deliveryId,
    ok: true,
    from: 'from@example.com',
    to,
    messageId: `<${deliveryId}@example.com>`,
    raw: new TextEncoder().encode(`Subject: ${deliveryId}\r\n\r\nhello\r\n`),
  });
  const pool = {
    idle: 1,
    async run(task: TaskRequest): Promise<TaskResponse> {
      if (task.kind !== 'email') throw new Error('email only');
      await new Promise((r) => setImmediate(r));
      return { kind: 'email', outcomes: task.items.map((i) => outcome(i.deliveryId, i.to!)) };
    },
  } as unknown as WorkerPool;
  let drained!: () => void;
  const done = new Promise<void>((r) => (drained = r));
  const engine = new DeliveryEngine({
    deliveries,
    suppressions: new SuppressionsRepo(db),
    templates: { byId: (id: string) => (id === 'ver-1' ? { document: {} } : undefined) } as unknown as TemplatesRepo,
    jobs: { addError: () => undefined } as unknown as JobsRepo,
    pool,
    transport,
    limits: { globalPerSecond: 0, perDomainPerSecond: 0, domains: {} },
    retry: { maxAttempts: 4, retryBaseMs: 10, retryMaxMs: 40 },
    log: pino({ level: 'silent' }),
    today: () => '2026-11-22',
    onJobDrained: () => drained(),
  });
  let rt = 0;
  /** One real-time request: a new ledger row, composed and sent now (what POST /api/v1/messages does). */
  const realtime = (to = `rt${rt}@example.com`): Promise<RealtimeResult> => {
    const { id } = deliveries.insertOne(null, {
      row: 1,
      idemKey: `msg:${rt++}`,
      recordKey: null,
      record: '{}',
      recipient: to,
      domain: to.split('@')[1]!,
      status: 'pending',
      error: null,
      versionId: 'ver-1',
    });
    return engine.realtimeSend(id, to.split('@')[1]!, 0, async () => outcome(id, to));
  };
  return { db, deliveries, engine, observed, done, hooks, realtime, sendingNow };
}

describe('DeliveryEngine', () => {
  it.each([1, 3])(
    'with %i connection(s), never holds more sending rows than connections while real-time sends interleave with a job',
    async (connections) => {
      const { deliveries, engine, observed, done, hooks, realtime } = setup(connections);
      const results: Promise<RealtimeResult>[] = [];
      // A real-time request right after every third job message's 250, before that 250 is committed.
      let acks = 0;
      hooks.afterJobAck = () => {
        if (acks++ % 3 === 0) results.push(realtime());
      };
      engine.addJob('job-1', 'ver-1');
      // And a burst while the job keeps every connection busy.
      await new Promise((r) => setTimeout(r, 5));
      for (let i = 0; i < 3; i++) results.push(realtime());
      await done;
      hooks.afterJobAck = undefined;
      const statuses = (await Promise.all(results)).map((r) => r.status);
      await engine.stop();
      expect(statuses.length).toBeGreaterThan(N / 3);
      expect(new Set(statuses)).toEqual(new Set(['sent']));
      expect(observed.maxConcurrent).toBeLessThanOrEqual(connections);
      expect(observed.maxSending).toBeLessThanOrEqual(connections);
      expect(observed.maxSending).toBeGreaterThan(0);
      expect(new Set(observed.sent).size).toBe(N + statuses.length);
      expect(observed.sent).toHaveLength(N + statuses.length);
      expect(deliveries.counts('job-1')).toMatchObject({ records: N, sent: N, sending: 0, pending: 0 });
      expect(deliveries.pendingTotal()).toBe(0);
    },
  );

  it('delivers a deferred real-time message through the ledger retries, and fails it after maxAttempts', async () => {
    let refusals = 0;
    const { deliveries, engine, realtime, observed } = setup(2, {
      refuse: (to) => {
        if (to === 'later@example.com' && refusals++ < 2) return new SendError('451 4.7.1 try again later', true, 451);
        if (to === 'never@example.com') return new SendError('421 4.3.2 busy', true, 421);
        return undefined;
      },
    });
    deliveries.cancelPending('job-1'); // real-time traffic only
    const later = await realtime('later@example.com');
    expect(later.status).toBe('deferred');
    expect(later.response).toContain('451');
    const id = Number(deliveries.messages('deferred', 10, 0).rows[0]!.id);
    expect(engine.ledgerState(id).status).toBe('deferred');
    const never = await realtime('never@example.com');
    expect(never.status).toBe('deferred');
    const until = Date.now() + 5000;
    while (deliveries.pendingTotal() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await engine.stop();
    expect(engine.ledgerState(id)).toMatchObject({ status: 'sent', response: '250 OK' });
    expect(deliveries.message(id)).toMatchObject({ status: 'sent', attempts: 3, deferrals: 2 });
    expect(observed.sent.filter((t) => t === 'later@example.com')).toHaveLength(1);
    const failed = deliveries.messages('failed', 10, 0).rows;
    expect(failed.map((r) => [r.recipient, r.attempts, r.error])).toEqual([['never@example.com', 4, 'gave up after 4 attempts']]);
    expect(deliveries.pendingTotal()).toBe(0);
  });

  it('resolves the real-time rows a crash left pending or in flight: retried (uncertain where in flight), or failed', async () => {
    const { db, deliveries, engine, observed } = setup(2);
    deliveries.cancelPending('job-1');
    const insert = (key: string, to: string, versionId: string | null) =>
      deliveries.insertOne(null, {
        row: 1,
        idemKey: key,
        recordKey: null,
        record: '{}',
        recipient: to,
        domain: 'example.com',
        status: 'pending',
        error: null,
        versionId,
      }).id;
    const inFlight = insert('msg:a', 'inflight@example.com', 'ver-1');
    const queued = insert('msg:b', 'queued@example.com', 'ver-1');
    const orphan = insert('msg:c', 'orphan@example.com', null);
    db.prepare("UPDATE deliveries SET status = 'sending', attempts = 1 WHERE id = ?").run(inFlight);
    // What start-up does (JobRunner.start).
    expect(deliveries.recoverInFlight()).toBe(1);
    engine.resumeRealtime();
    const until = Date.now() + 5000;
    while (deliveries.pendingTotal() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await engine.stop();
    expect(deliveries.message(inFlight)).toMatchObject({ status: 'sent', uncertain: 1, attempts: 2 });
    expect(deliveries.message(queued)).toMatchObject({ status: 'sent', uncertain: 0, attempts: 1 });
    expect(deliveries.message(orphan)).toMatchObject({
      status: 'failed',
      error: 'the template version of this message is unknown; send it again',
    });
    expect(deliveries.messages('uncertain', 10, 0).rows.map((r) => r.id)).toEqual([inFlight]);
    expect(observed.sent.sort()).toEqual(['inflight@example.com', 'queued@example.com']);
    expect(deliveries.pendingTotal()).toBe(0);
  });
});
