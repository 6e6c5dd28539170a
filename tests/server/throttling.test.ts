import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, samplePackage, startSmtpSink, startTestServer, tempDir, token, waitFor, type SmtpSink } from './harness';
import type { RunningServer } from '../../server/server';

/**
 * The SMTP server answers 421 and 451 for a while: the job slows, retries with backoff, and finishes with
 * every recipient received exactly once. A 550 is a bounce: recorded once, never retried, and suppressed.
 */

let sink: SmtpSink;
let server: RunningServer;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  tmp = tempDir('throttle');
  sink = await startSmtpSink();
  server = await startTestServer(tmp.dir, { limits: { retryBaseMs: 150, retryMaxMs: 1000, maxAttempts: 30 } }, sink.port);
});

afterAll(async () => {
  await server?.close();
  await sink?.close();
  tmp?.remove();
});

const record = (i: number, email: string) => ({
  customer_id: `C-${i}`,
  first_name: `Name${i}`,
  last_name: 'Test',
  email,
  address1: '1 Main St',
  city: 'Columbus',
  state: 'OH',
  postal_code: '43215',
  vehicle_make: 'Subaru',
  last_service_date: '2026-05-14',
  dealer_id: ['NS01', 'LK02', 'MV03'][i % 3]!,
});

describe('throttling and bounces', () => {
  it('retries 421/451 with backoff, loses nothing, sends nothing twice; bounces a 550 once and suppresses it', async () => {
    const publisher = client(server.url, token(server, 'publisher'));
    const operator = client(server.url, token(server, 'operator'));
    await publisher('POST', '/api/v1/templates', (await samplePackage()).zip, { 'content-type': 'application/zip' });

    // The relay refuses everything for 1.5 s from the first attempt on.
    let throttleUntil = 0;
    let refusals = 0;
    sink.rcptPolicy = (address) => {
      if (address === 'nobody@bounce.example') return 550;
      throttleUntil ||= Date.now() + 1500;
      if (Date.now() < throttleUntil) {
        refusals++;
        return refusals % 2 ? 421 : 451;
      }
      return undefined;
    };
    const records = Array.from({ length: 120 }, (_, i) =>
      record(i, i === 7 ? 'nobody@bounce.example' : `user${i}@${['a', 'b', 'c'][i % 3]}.example`),
    );
    const created = await operator('POST', '/api/v1/jobs', {
      templateId: 'service-reminder',
      version: 1,
      channels: ['email'],
      data: { records },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    await waitFor(
      'throttled job to complete',
      async () => ((await operator('GET', `/api/v1/jobs/${id}`)).json.status === 'completed' ? true : undefined),
      90_000,
      100,
    );

    expect(refusals).toBeGreaterThan(0);
    expect(Date.now()).toBeGreaterThan(throttleUntil);
    const got = new Map<string, number>();
    for (const m of sink.messages) for (const to of m.to) got.set(to, (got.get(to) ?? 0) + 1);
    for (const r of records) expect(got.get(r.email), r.email).toBe(r.email === 'nobody@bounce.example' ? undefined : 1);

    const report = (await operator('GET', `/api/v1/jobs/${id}/report`)).json;
    expect(report).toMatchObject({ recipients: 120, sent: 119, bounced: 1, queued: 0, failed: 0 });
    expect(report.deferred as number).toBeGreaterThan(0);
    expect(server.services.suppressions.reason('nobody@bounce.example')).toBe('bounced');
  }, 120_000);
});
