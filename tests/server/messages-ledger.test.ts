import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, samplePackage, startSmtpSink, startTestServer, tempDir, token, waitFor, type SmtpSink } from './harness';
import { writeTemplatePackage } from '../../shared/model/package';
import { openDatabase } from '../../server/store/db';
import type { RunningServer } from '../../server/server';

/**
 * Real-time messages (POST /api/v1/messages) and the ledger, over real loopback HTTP with a real SMTP server:
 * an Idempotency-Key is bound to its first request (another request with it is refused, never answered "sent"
 * while nothing is sent); a deferred message (4xx) is delivered by the ledger's retries and a repeat reports
 * `deferred`, then `sent`; concurrent repeats report the first request's outcome; a 421/451 period during a job
 * with real-time traffic loses nothing and sends nothing twice; real-time rows a crash left pending or in flight
 * are resolved at the next start and listed by GET /api/v1/messages?state=…, and the health queue drains to 0.
 */

let sink: SmtpSink;
let server: RunningServer;
let tmp: ReturnType<typeof tempDir>;
let operator: ReturnType<typeof client>;
let viewer: ReturnType<typeof client>;
const LIMITS = { retryBaseMs: 150, retryMaxMs: 600, maxAttempts: 6 };

/** A sample-campaign record with hostile and non-Latin values in its free-text fields. */
const record = (i: number, email: string) => ({
  customer_id: `C-${i}`,
  first_name: i % 2 ? '<script>alert(1)</script>' : 'Zoë "Ann" <b>',
  last_name: i % 3 ? '{{ 7*7 }}' : 'عبد الله',
  email,
  address1: 'javascript:alert(1)',
  city: '東京 🚗',
  state: 'OH',
  postal_code: '43215',
  vehicle_make: 'Subaru',
  last_service_date: '2026-05-14',
  dealer_id: ['NS01', 'LK02', 'MV03'][i % 3]!,
});

/** The details of an error answer. */
const details = (r: { json: Record<string, unknown> }) => (r.json.error as { details?: { path: string; message: string }[] }).details ?? [];
const paths = (r: { json: Record<string, unknown> }) => details(r).map((d) => d.path);
const received = (address: string) => sink.messages.filter((m) => m.to.includes(address)).length;
const send = (body: unknown, key: string) => operator('POST', '/api/v1/messages', body, { 'idempotency-key': key });

beforeAll(async () => {
  tmp = tempDir('messages');
  sink = await startSmtpSink();
  server = await startTestServer(tmp.dir, { limits: LIMITS }, sink.port);
  operator = client(server.url, token(server, 'operator'));
  viewer = client(server.url, token(server, 'viewer'));
  const publisher = client(server.url, token(server, 'publisher'));
  const { pkg, zip } = await samplePackage();
  expect((await publisher('POST', '/api/v1/templates', zip, { 'content-type': 'application/zip' })).status).toBe(201);
  // Version 2: the same template, renamed.
  const v2 = writeTemplatePackage({ ...pkg, document: { ...pkg.document, name: `${pkg.document.name} (v2)` } });
  const second = await publisher('POST', '/api/v1/templates', v2, { 'content-type': 'application/zip' });
  expect(second.status, second.text).toBe(201);
});

afterAll(async () => {
  await server?.close();
  await sink?.close();
  tmp?.remove();
});

describe('real-time messages and the ledger', () => {
  it('binds an Idempotency-Key to its first request: a different request is refused 409 naming what differs, and nothing is sent', async () => {
    const r = record(1, 'bound@example.net');
    const first = await send({ templateId: 'service-reminder', version: 1, record: r }, 'order-1');
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ status: 'sent', to: 'bound@example.net' });
    expect(received('bound@example.net')).toBe(1);

    // The same request, its fields in another order: a repeat, answered from the ledger.
    const reordered = Object.fromEntries(Object.entries(r).reverse());
    const again = await send({ templateId: 'service-reminder', version: 1, record: reordered }, 'order-1');
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ id: first.json.id, status: 'sent', messageId: first.json.messageId });

    // Another record, recipient or version with the same key: refused, naming the conflict.
    const otherRecord = await send({ templateId: 'service-reminder', version: 1, record: { ...r, first_name: 'Mallory' } }, 'order-1');
    expect(otherRecord.status, otherRecord.text).toBe(409);
    expect(otherRecord.json.error).toMatchObject({ code: 'conflict' });
    expect(otherRecord.json.error!.message).toContain('Idempotency-Key "order-1"');
    expect(paths(otherRecord)).toEqual(['record.first_name']);

    const otherRecipient = await send(
      { templateId: 'service-reminder', version: 1, record: { ...r, email: 'someone.else@example.net' } },
      'order-1',
    );
    expect(otherRecipient.status).toBe(409);
    expect(paths(otherRecipient)).toEqual(['to', 'record.email']);

    const otherTo = await send({ templateId: 'service-reminder', version: 1, record: r, to: 'boss@example.net' }, 'order-1');
    expect(otherTo.status).toBe(409);
    expect(paths(otherTo)).toEqual(['to']);

    const otherVersion = await send({ templateId: 'service-reminder', version: 2, record: r }, 'order-1');
    expect(otherVersion.status).toBe(409);
    expect(details(otherVersion)).toEqual([
      {
        path: 'version',
        message: 'the key was first used with "service-reminder" version 1; this request names "service-reminder" version 2',
      },
    ]);
    expect(received('bound@example.net')).toBe(1);
    expect(received('someone.else@example.net') + received('boss@example.net')).toBe(0);
  });

  it('delivers a deferred message through the ledger retries: a repeat reports deferred, then sent; concurrent repeats report the first outcome', async () => {
    const refused = new Map<string, number>();
    sink.rcptPolicy = (address) => {
      const n = refused.get(address) ?? 0;
      if (!address.endsWith('@defer.example') || n >= 2) return undefined;
      refused.set(address, n + 1);
      return n % 2 ? 421 : 451;
    };
    try {
      const body = { templateId: 'service-reminder', version: 1, record: record(2, 'later@defer.example') };
      const first = await send(body, 'order-2');
      expect(first.status, first.text).toBe(200);
      expect(first.json).toMatchObject({ status: 'deferred', to: 'later@defer.example' });
      expect(first.json.response).toMatch(/451/);
      const listed = await viewer('GET', '/api/v1/messages?state=deferred');
      expect(listed.status, listed.text).toBe(200);
      expect((listed.json.messages as { id: string; idempotencyKey: string; deferrals: number }[])[0]).toMatchObject({
        id: first.json.id,
        idempotencyKey: 'order-2',
        status: 'pending',
        deferrals: 1,
      });
      const repeated = await waitFor(
        'the ledger to deliver the deferred message',
        async () => {
          const r = await send(body, 'order-2');
          expect(r.json.id).toBe(first.json.id);
          expect(['deferred', 'sent']).toContain(r.json.status);
          return r.json.status === 'sent' ? r.json : undefined;
        },
        15_000,
        100,
      );
      expect(repeated).toMatchObject({ status: 'sent', messageId: first.json.messageId });
      expect(received('later@defer.example')).toBe(1);

      // Five requests at once with one key: one message; all report the first request's outcome.
      const body2 = { templateId: 'service-reminder', version: 1, record: record(3, 'burst@defer.example') };
      const burst = await Promise.all(Array.from({ length: 5 }, () => send(body2, 'order-3')));
      expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(new Set(burst.map((r) => r.json.id)).size).toBe(1);
      expect(burst.map((r) => r.json.status)).toEqual(['deferred', 'deferred', 'deferred', 'deferred', 'deferred']);
      await waitFor(
        'the burst message to be sent',
        async () => ((await send(body2, 'order-3')).json.status === 'sent' ? true : undefined),
        15_000,
      );
      expect(received('burst@defer.example')).toBe(1);
      const sent = (await viewer('GET', '/api/v1/messages?state=sent&limit=1000')).json.messages as { to: string; deferrals: number }[];
      expect(sent.find((m) => m.to === 'burst@defer.example')).toMatchObject({ deferrals: 2 });
    } finally {
      sink.rcptPolicy = undefined;
    }
  });

  it('loses nothing and sends nothing twice when real-time sends arrive during a job through a 421/451 period', async () => {
    let throttleUntil = 0;
    let refusals = 0;
    sink.rcptPolicy = () => {
      throttleUntil ||= Date.now() + 1200;
      if (Date.now() >= throttleUntil) return undefined;
      refusals++;
      return refusals % 2 ? 421 : 451;
    };
    try {
      const records = Array.from({ length: 90 }, (_, i) => record(i, `job${i}@mixed${i % 3}.example`));
      const created = await operator('POST', '/api/v1/jobs', {
        templateId: 'service-reminder',
        version: 1,
        channels: ['email'],
        data: { records },
      });
      expect(created.status, created.text).toBe(201);
      const answers = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          await new Promise((r) => setTimeout(r, i * 150));
          return send({ templateId: 'service-reminder', version: 1, record: record(100 + i, `rt${i}@mixed.example`) }, `mixed-${i}`);
        }),
      );
      for (const a of answers) {
        expect(a.status, a.text).toBe(200);
        expect(['sent', 'deferred']).toContain(a.json.status);
      }
      await waitFor(
        'the job and every real-time message to be delivered',
        async () => {
          const h = await viewer('GET', '/api/v1/health');
          const j = await viewer('GET', `/api/v1/jobs/${created.json.id as string}`);
          return j.json.status === 'completed' && (h.json.queue as { messagesPending: number }).messagesPending === 0 ? true : undefined;
        },
        60_000,
        200,
      );
      expect(refusals).toBeGreaterThan(0);
      for (const r of records) expect(received(r.email), r.email).toBe(1);
      for (let i = 0; i < 8; i++) expect(received(`rt${i}@mixed.example`)).toBe(1);
      for (let i = 0; i < 8; i++)
        expect(
          (await send({ templateId: 'service-reminder', version: 1, record: record(100 + i, `rt${i}@mixed.example`) }, `mixed-${i}`)).json
            .status,
        ).toBe('sent');
      expect((await viewer('GET', '/api/v1/messages?state=pending')).json.total).toBe(0);
    } finally {
      sink.rcptPolicy = undefined;
    }
  });

  it('resolves at start-up the real-time rows a crash left pending or in flight, lists them by state, and drains the health queue', async () => {
    // Three requests reach the ledger, then the server "crashes" with their rows in the states a kill leaves.
    const ids: string[] = [];
    for (const [i, to] of ['inflight@crash.example', 'queued@crash.example', 'legacy@crash.example'].entries()) {
      const r = await send({ templateId: 'service-reminder', version: 1, record: record(200 + i, to) }, `crash-${i}`);
      ids.push(r.json.id as string);
    }
    const before = sink.messages.length;
    await server.close();
    const db = openDatabase(`${tmp.dir}/presswork.db`);
    const set = db.prepare('UPDATE deliveries SET status = ?, attempts = ?, sent_at = NULL, response = NULL WHERE id = ?');
    set.run('sending', 1, ids[0]); // handed off, its 250 not committed
    set.run('pending', 0, ids[1]); // accepted, not yet claimed
    set.run('pending', 0, ids[2]);
    db.prepare('UPDATE deliveries SET version_id = NULL, request_sha256 = NULL WHERE id = ?').run(ids[2]); // written before migration 5
    db.close();

    server = await startTestServer(tmp.dir, { limits: LIMITS }, sink.port);
    operator = client(server.url, token(server, 'operator'));
    viewer = client(server.url, token(server, 'viewer'));
    await waitFor(
      'the health queue to drain',
      async () => ((await viewer('GET', '/api/v1/health')).json.queue as { messagesPending: number }).messagesPending === 0 || undefined,
      15_000,
    );
    const uncertain = (await viewer('GET', '/api/v1/messages?state=uncertain')).json;
    expect(uncertain).toMatchObject({
      total: 1,
      messages: [{ id: ids[0], to: 'inflight@crash.example', status: 'sent', uncertain: true, attempts: 2 }],
    });
    const failed = (await viewer('GET', '/api/v1/messages?state=failed')).json.messages as { id: string; error: string }[];
    expect(failed.find((m) => m.id === ids[2])).toMatchObject({ error: 'the template version of this message is unknown; send it again' });
    expect(sink.messages.length - before).toBe(2);
    const repeat = await send({ templateId: 'service-reminder', version: 1, record: record(201, 'queued@crash.example') }, 'crash-1');
    expect(repeat.json).toMatchObject({ id: ids[1], status: 'sent' });
    expect((await viewer('GET', '/api/v1/messages?state=bogus')).status).toBe(400);
  });
});
