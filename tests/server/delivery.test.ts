import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  client,
  decodedBody,
  header,
  samplePackage,
  SAMPLE_CSV,
  startSmtpSink,
  startTestServer,
  tempDir,
  token,
  waitFor,
  type SmtpSink,
} from './harness';
import type { RunningServer } from '../../server/server';
import { parseDataFile } from '../../shared/data';

/**
 * End to end over real loopback HTTP with a real SMTP server on 127.0.0.1: publish the sample campaign,
 * run an email job for its 200 records, check every valid address got exactly one message with the right
 * headers, and that the one-click unsubscribe, open pixel and click redirects work and show in the report.
 */

let sink: SmtpSink;
let server: RunningServer;
let tmp: ReturnType<typeof tempDir>;
let publisher: ReturnType<typeof client>;
let operator: ReturnType<typeof client>;
let viewer: ReturnType<typeof client>;

beforeAll(async () => {
  tmp = tempDir('delivery');
  sink = await startSmtpSink();
  server = await startTestServer(tmp.dir, {}, sink.port);
  publisher = client(server.url, token(server, 'publisher'));
  operator = client(server.url, token(server, 'operator'));
  viewer = client(server.url, token(server, 'viewer'));
});

afterAll(async () => {
  await server?.close();
  await sink?.close();
  tmp?.remove();
});

describe('publish → email job → report', () => {
  let jobId = '';

  it('publishes the sample package once (idempotent) and stores each asset once', async () => {
    const { zip, pkg } = await samplePackage();
    const first = await publisher('POST', '/api/v1/templates', zip, { 'content-type': 'application/zip' });
    expect(first.status).toBe(201);
    expect(first.json.created).toBe(true);
    expect(first.json.assetsStored).toBe(new Set(pkg.document.assets.map((a) => a.sha256)).size);
    const again = await publisher('POST', '/api/v1/templates', zip, { 'content-type': 'application/zip' });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ created: false, assetsStored: 0 });
    expect((again.json.version as { version: number }).version).toBe(1);
    // A client that asks first sends no asset at all.
    const missing = await publisher('POST', '/api/v1/assets/missing', { sha256: pkg.document.assets.map((a) => a.sha256) });
    expect(missing.json).toEqual({ missing: [] });
  });

  it('runs an email job for the 200 sample records: every valid address receives exactly one message', async () => {
    const created = await operator('POST', '/api/v1/jobs', {
      templateId: 'service-reminder',
      version: 1,
      channels: ['email'],
      data: { file: { content: SAMPLE_CSV, format: 'csv' } },
    });
    expect(created.status, created.text).toBe(201);
    jobId = created.json.id as string;
    const done = await waitFor(
      'the job to complete',
      async () => {
        const j = await viewer('GET', `/api/v1/jobs/${jobId}`);
        return j.json.status === 'completed' ? j.json : undefined;
      },
      60_000,
      200,
    );
    const counts = done.counts as Record<string, number>;
    expect(counts).toMatchObject({ records: 200, sent: 198, failed: 2, pending: 0, sending: 0, bounced: 0 });

    const byRecipient = new Map<string, number>();
    for (const m of sink.messages) for (const to of m.to) byRecipient.set(to, (byRecipient.get(to) ?? 0) + 1);
    const parsed = await parseDataFile(new TextEncoder().encode(SAMPLE_CSV), 'customers.csv', (await samplePackage()).pkg.document.data);
    const expected = parsed.records.map((r) => String(r.values.email ?? '')).filter((e) => /^[^@\s]+@[^@\s]+\.[a-z]+$/.test(e));
    expect(expected.length).toBe(198);
    for (const e of expected) expect(byRecipient.get(e), e).toBe(1);
    expect(sink.messages.length).toBe(198);

    const errors = await viewer('GET', `/api/v1/jobs/${jobId}/errors`);
    expect(errors.json.total).toBe(2);
    expect(JSON.stringify(errors.json.errors)).toContain('maria.garcia@@example');
  });

  it('sends marketing mail with the right headers and a working one-click unsubscribe', async () => {
    const m = sink.messages.find((x) => x.to[0] === 'sandra.young30@example.org')!;
    expect(header(m.raw, 'Subject')).toMatch(/Sandra, your Ford is due for service/);
    expect(header(m.raw, 'From')).toContain('service@northside-motors.example');
    expect(header(m.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const listUnsub = header(m.raw, 'List-Unsubscribe')!;
    const url = /<(http[^>]+)>/.exec(listUnsub)![1]!;
    expect(url.startsWith(`${server.url}/u/`)).toBe(true);
    expect(header(m.raw, 'Message-ID')).toMatch(/^<pw\.\d+\./);

    // A GET (link scanner) shows a form and changes nothing.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(server.services.suppressions.reason('sandra.young30@example.org')).toBeUndefined();
    // RFC 8058: POST with List-Unsubscribe=One-Click.
    const post = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(post.status).toBe(200);
    expect(server.services.suppressions.reason('sandra.young30@example.org')).toBe('unsubscribed');
    const sup = await viewer('GET', '/api/v1/suppressions');
    expect(JSON.stringify(sup.json)).toContain('sandra.young30@example.org');

    // A tampered token is refused.
    const bad = await fetch(`${url.slice(0, -3)}AAA`, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'text/plain' },
    });
    expect(bad.status).toBe(400);
  });

  it('tracks opens and clicks through signed URLs only (no open redirect) and reports them, also as CSV', async () => {
    const m = sink.messages.find((x) => x.to[0] === 'mei.scott46@example.org')!;
    const body = decodedBody(m.raw);
    const pixel = /(http:\/\/127\.0\.0\.1:\d+\/t\/o\/[A-Za-z0-9_.-]+)/.exec(body)![1]!;
    const click = /(http:\/\/127\.0\.0\.1:\d+\/t\/c\/[A-Za-z0-9_.-]+)/.exec(body)![1]!;
    expect((await fetch(pixel)).headers.get('content-type')).toBe('image/gif');
    const redirect = await fetch(click, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(/^https:\/\//);
    const forged = await fetch(click.replace(/\/t\/c\/[^.]+/, `/t/c/${Buffer.from('c:1:https://evil.example/').toString('base64url')}`), {
      redirect: 'manual',
    });
    expect(forged.status).toBe(400);

    const report = await viewer('GET', `/api/v1/jobs/${jobId}/report`);
    expect(report.json).toMatchObject({
      recipients: 200,
      sent: 198,
      failed: 2,
      opened: 1,
      clicked: 1,
      unsubscribed: 1,
      bounced: 0,
      queued: 0,
    });
    expect((report.json.clicksByLink as { url: string }[])[0]!.url).toBe(redirect.headers.get('location'));
    const csv = await viewer('GET', `/api/v1/jobs/${jobId}/report.csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines.length).toBe(201);
    expect(lines.find((l) => l.includes('sandra.young30@example.org'))).toMatch(/,sent,.*,yes,/);
  });

  it('checks the suppression list before every send', async () => {
    const before = sink.messages.length;
    const again = await operator('POST', '/api/v1/jobs', {
      templateId: 'service-reminder',
      version: 1,
      channels: ['email'],
      data: { file: { content: SAMPLE_CSV, format: 'csv' } },
      options: { range: { from: 1, to: 3 } },
    });
    const id = again.json.id as string;
    const done = await waitFor(
      'second job',
      async () => ((await viewer('GET', `/api/v1/jobs/${id}`)).json.status === 'completed' ? true : undefined),
      20_000,
    );
    expect(done).toBe(true);
    const rep = await viewer('GET', `/api/v1/jobs/${id}/report`);
    expect(rep.json).toMatchObject({ recipients: 3, sent: 2, suppressed: 1 });
    expect(sink.messages.length - before).toBe(2);
  });

  it('sends a real-time transactional message through POST /api/v1/messages, idempotently', async () => {
    const record = {
      customer_id: 'C-1',
      first_name: 'Ana',
      last_name: 'Lee',
      email: 'ana.lee@example.net',
      address1: '1 Main',
      city: 'X',
      state: 'OH',
      postal_code: '1',
      vehicle_make: 'Kia',
      last_service_date: '2026-05-01',
      dealer_id: 'NS01',
    };
    const before = sink.messages.length;
    const r = await operator(
      'POST',
      '/api/v1/messages',
      { templateId: 'service-reminder', version: 1, record },
      { 'idempotency-key': 'order-42' },
    );
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ status: 'sent', to: 'ana.lee@example.net' });
    const again = await operator(
      'POST',
      '/api/v1/messages',
      { templateId: 'service-reminder', version: 1, record },
      { 'idempotency-key': 'order-42' },
    );
    expect(again.json.status).toBe('sent');
    expect(sink.messages.length - before).toBe(1);
  });
});
