import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, samplePackage, startTestServer, tempDir, token, waitFor } from './harness';
import type { RunningServer } from '../../server/server';

/**
 * The development outbox page (issue 21 item 5) and its privacy (issue 14 item 7), over real loopback HTTP: a
 * readable list (newest first, filters, pages) with one message rendered, and no answer to a forged Host.
 */

let server: RunningServer;
let tmp: ReturnType<typeof tempDir>;
let port: number;
let jobA: string;
let jobB: string;
let viewer: string;

/** GET over a real loopback socket with any Host header (fetch does not let a caller set Host). */
function get(
  path: string,
  host: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const record = (i: number, first_name: string, extra: Record<string, string> = {}) => ({
  customer_id: `C-${i}`,
  first_name,
  last_name: 'Outbox',
  email: `o${i}@example.org`,
  address1: '1 Main St',
  city: 'Columbus',
  state: 'OH',
  postal_code: '43215',
  vehicle_make: 'Subaru',
  last_service_date: '2026-05-14',
  dealer_id: 'MV03',
  ...extra,
});

async function runJob(records: ReturnType<typeof record>[]): Promise<string> {
  const operator = client(server.url, token(server, 'operator'));
  const job = await operator('POST', '/api/v1/jobs', {
    templateId: 'service-reminder',
    version: 1,
    channels: ['email'],
    data: { records },
  });
  const id = job.json.id as string;
  await waitFor(
    'outbox job',
    async () => ((await operator('GET', `/api/v1/jobs/${id}`)).json.status === 'completed' ? true : undefined),
    90_000,
  );
  return id;
}

beforeAll(async () => {
  tmp = tempDir('outbox-page');
  server = await startTestServer(tmp.dir);
  port = Number(new URL(server.url).port);
  viewer = token(server, 'viewer');
  const publisher = client(server.url, token(server, 'publisher'));
  await publisher('POST', '/api/v1/templates', (await samplePackage()).zip, { 'content-type': 'application/zip' });
  // 27 ordinary records and three from the field: hostile markup, RTL, CJK with emoji.
  const records = Array.from({ length: 27 }, (_, i) => record(i, `Kunde${i}`));
  records.push(record(27, '<script>alert(1)</script>{{ 7*7 }}'), record(28, 'مريم'), record(29, '美咲 🚗'));
  jobA = await runJob(records);
  // A later job: its messages are newer than every message of the first.
  await new Promise((r) => setTimeout(r, 1100));
  jobB = await runJob([record(100, 'Zoë'), record(101, 'Łukasz')]);
}, 240_000);

afterAll(async () => {
  await server?.close();
  tmp?.remove();
});

describe('development outbox page', () => {
  it('lists newest first, 25 a page, and shows the newest message rendered: headers, sandboxed HTML, text part', async () => {
    const r = await get('/outbox', `127.0.0.1:${port}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('32 messages written to disk');
    expect(r.body).toContain('Showing 1–25, newest first');
    expect(r.body).toContain('Page 1 of 2');
    // The second job's messages come first.
    const firstRow = r.body.indexOf(jobB);
    expect(firstRow).toBeGreaterThan(0);
    expect(firstRow).toBeLessThan(r.body.indexOf(jobA));
    // The opened message: its headers, its HTML in a frame that may run nothing, and its text part.
    expect(r.body).toMatch(/<iframe class="html"[^>]* sandbox=""[^>]* srcdoc="[^"]*Content-Security-Policy/);
    expect(r.body).toMatch(/<td>list-unsubscribe-post<\/td><td>List-Unsubscribe=One-Click<\/td>/);
    expect(r.body).toContain('<pre class="text">');
    // The open pixel is not in the frame (viewing a message must not record an open).
    const srcdoc = /srcdoc="([^"]*)"/.exec(r.body)![1]!;
    expect(srcdoc).not.toContain('/t/o/');
    expect(r.headers['content-security-policy']).toMatch(/default-src 'none'.*frame-src 'none'/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');

    const p2 = await get('/outbox?page=2', `localhost:${port}`);
    expect(p2.status).toBe(200);
    expect(p2.body).toContain('Showing 26–32');
    expect(p2.body).toContain('‹ Newer');
  });

  it('filters by job, recipient and subject; hostile and non-Latin values are shown as text', async () => {
    const byJob = await get(`/outbox?job=${encodeURIComponent(jobB)}`, `127.0.0.1:${port}`);
    expect(byJob.body).toContain('2 match the filters');
    expect(byJob.body).not.toContain(`${jobA}-`);
    const byTo = await get('/outbox?to=O28%40EXAMPLE.org', `127.0.0.1:${port}`);
    expect(byTo.body).toContain('1 match the filters');
    expect(byTo.body).toContain('Hi مريم');
    const bySubject = await get(`/outbox?subject=${encodeURIComponent('美咲 🚗')}`, `127.0.0.1:${port}`);
    expect(bySubject.body).toContain('1 match the filters');
    const hostile = await get('/outbox?subject=script', `127.0.0.1:${port}`);
    expect(hostile.body).toContain('1 match the filters');
    expect(hostile.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(hostile.body).not.toMatch(/<script>alert/);
    // The filter values come back escaped in the form.
    const echoed = await get(`/outbox?to=${encodeURIComponent('"><script>x</script>')}`, `127.0.0.1:${port}`);
    expect(echoed.body).not.toContain('<script>x');
    expect(echoed.body).toContain('No message matches these filters.');
    // An unknown or unsafe file to open is ignored: the newest on the page is shown instead.
    const unsafe = await get('/outbox?open=..%2Fpresswork.db', `127.0.0.1:${port}`);
    expect(unsafe.status).toBe(200);
    expect(unsafe.body).not.toContain('SQLite');
  });

  it('answers only loopback Host names, so a DNS-rebinding page or a proxy cannot read the mail', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'localhost', `LOCALHOST:${port}`]) {
      expect((await get('/outbox', host)).status, host).toBe(200);
    }
    const file = /href="\/outbox\/([^"]+\.eml)"/.exec((await get('/outbox', `127.0.0.1:${port}`)).body)![1]!;
    expect((await get(`/outbox/${file}`, `localhost:${port}`)).status).toBe(200);
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1.evil.example:${port}`,
      'localhost.evil.example',
      'mail.example.com',
    ]) {
      const page = await get('/outbox', host);
      expect(page.status, host).toBe(401);
      expect(page.body).not.toContain('example.org');
      expect(page.body).toContain('only at http://127.0.0.1:<port>/outbox');
      const eml = await get(`/outbox/${file}`, host);
      expect(eml.status, host).toBe(401);
      expect(eml.body).not.toContain('List-Unsubscribe');
    }
    // With a valid token the outbox answers behind any name (a proxy that passes the token on); a bad token does not help.
    expect((await get('/outbox', 'mail.example.com', { authorization: `Bearer ${viewer}` })).status).toBe(200);
    expect((await get(`/outbox/${file}`, 'evil.example', { authorization: `Bearer ${viewer}` })).status).toBe(200);
    expect((await get('/outbox', 'evil.example', { authorization: 'Bearer pw_forged' })).status).toBe(401);
  });

  it('reads a message the server did not write itself without failing (single part, no subject)', async () => {
    writeFileSync(join(tmp.dir, 'outbox', 'hand-made.eml'), 'To: a@example.org\r\nContent-Type: text/plain\r\n\r\nplain body\r\n');
    const r = await get('/outbox?open=hand-made.eml', `127.0.0.1:${port}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('This message has no HTML part.');
    expect(r.body).toContain('plain body');
  });
});
