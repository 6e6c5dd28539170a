import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, decodedBody, samplePackage, startSmtpSink, startTestServer, tempDir, token, waitFor, type SmtpSink } from './harness';
import type { RunningServer } from '../../server/server';

/**
 * Issue 21 item 6: a job's report as a page for a viewer token, over real loopback HTTP with a real SMTP receiver
 * that bounces and defers some recipients: the same numbers as the JSON and CSV reports, charts as inline SVG,
 * top links, bounces by reason and per-record errors, nothing active or external.
 */

let sink: SmtpSink;
let server: RunningServer;
let tmp: ReturnType<typeof tempDir>;
let jobId: string;
let viewerToken: string;
const deferredOnce = new Set<string>();

const record = (i: number, first_name: string, email = `r${i}@example.org`) => ({
  customer_id: `C-${i}`,
  first_name,
  last_name: 'Report',
  email,
  address1: '1 Main St',
  city: 'Columbus',
  state: 'OH',
  postal_code: '43215',
  vehicle_make: 'Subaru',
  last_service_date: '2026-05-14',
  dealer_id: 'MV03',
});

beforeAll(async () => {
  tmp = tempDir('report-page');
  sink = await startSmtpSink();
  // Two mailboxes do not exist (550), one is busy on the first try (451).
  sink.rcptPolicy = (to) => {
    if (to.startsWith('gone')) return 550;
    if (to === 'busy@example.org' && !deferredOnce.has(to)) {
      deferredOnce.add(to);
      return 451;
    }
    return undefined;
  };
  server = await startTestServer(tmp.dir, { limits: { retryBaseMs: 200, retryMaxMs: 400 } }, sink.port);
  viewerToken = token(server, 'viewer');
  const publisher = client(server.url, token(server, 'publisher'));
  await publisher('POST', '/api/v1/templates', (await samplePackage()).zip, { 'content-type': 'application/zip' });
  const operator = client(server.url, token(server, 'operator'));
  const records = [
    ...Array.from({ length: 8 }, (_, i) => record(i, `Kunde${i}`)),
    record(8, '<script>alert(1)</script>', 'gone1@example.org'),
    record(9, 'مريم', 'gone2@example.org'),
    record(10, '美咲 🚗', 'busy@example.org'),
    record(11, 'No Address', 'not-an-address'),
  ];
  const job = await operator('POST', '/api/v1/jobs', {
    templateId: 'service-reminder',
    version: 1,
    channels: ['email'],
    data: { records },
  });
  jobId = job.json.id as string;
  await waitFor(
    'report job',
    async () => ((await operator('GET', `/api/v1/jobs/${jobId}`)).json.status === 'completed' ? true : undefined),
    90_000,
  );
  // Two recipients open, one clicks twice.
  for (const to of ['r1@example.org', 'r2@example.org']) {
    const body = decodedBody(sink.messages.find((m) => m.to[0] === to)!.raw);
    await fetch(/(http:\/\/127\.0\.0\.1:\d+\/t\/o\/[A-Za-z0-9_.-]+)/.exec(body)![1]!);
    if (to === 'r1@example.org') {
      const click = /(http:\/\/127\.0\.0\.1:\d+\/t\/c\/[A-Za-z0-9_.-]+)/.exec(body)![1]!;
      await fetch(click, { redirect: 'manual' });
      await fetch(click, { redirect: 'manual' });
    }
  }
}, 180_000);

afterAll(async () => {
  await server?.close();
  await sink?.close();
  tmp?.remove();
});

const card = (html: string, label: string) => {
  const m = new RegExp(`data-count="${label}"><b>([\\d,]+)</b>`).exec(html);
  return m ? Number(m[1]!.replace(/,/g, '')) : undefined;
};

describe('report page', () => {
  it('shows the JSON report numbers, charts as inline SVG, top links, bounces by reason and record errors', async () => {
    const viewer = client(server.url, viewerToken);
    const json = (await viewer('GET', `/api/v1/jobs/${jobId}/report`)).json as Record<string, unknown> & {
      clicksByLink: { url: string; clicks: number }[];
    };
    expect(json).toMatchObject({ recipients: 12, sent: 9, bounced: 2, deferred: 1, opened: 2, clicked: 1 });
    const res = await viewer('GET', `/api/v1/jobs/${jobId}/report.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = res.text;
    for (const k of [
      'recipients',
      'sent',
      'queued',
      'deferred',
      'bounced',
      'suppressed',
      'failed',
      'uncertain',
      'opened',
      'clicked',
      'unsubscribed',
    ])
      expect(card(html, k), k).toBe(json[k]);
    // The charts' totals agree with the report: every sent message, every bounce, the deferral, two opens, two clicks.
    expect(html).toContain('Deliveries over time');
    expect(html).toMatch(/<svg role="img" aria-label="Deliveries over time"/);
    expect(html).toMatch(/<\/i>sent 9<\/span>/);
    expect(html).toMatch(/<\/i>bounced 2<\/span>/);
    expect(html).toMatch(/<\/i>deferrals 1<\/span>/);
    expect(html).toMatch(/<svg role="img" aria-label="Opens and clicks over time"/);
    expect(html).toMatch(/<\/i>opens 2<\/span>/);
    expect(html).toMatch(/<\/i>clicks 2<\/span>/);
    // Top links: the clicked URL with its count.
    const link = json.clicksByLink[0]!;
    expect(html).toContain(`${link.url.replace(/&/g, '&#38;')}</td><td class="num">2</td>`);
    // Bounces by reason: the relay's 550 answer, two recipients.
    expect(html).toMatch(/<td>550[^<]*<\/td><td class="num">2<\/td>/);
    // The record without an address is a per-record error, row 12.
    expect(html).toMatch(/<td class="num">12<\/td><td>C-11<\/td>/);
    // Nothing active and nothing fetched from elsewhere; hostile values stay text.
    expect(html).not.toMatch(/<script|javascript:|src="http|href="http|@import|url\(/i);
  });

  it('needs a token like the JSON report, and says so for an unknown job', async () => {
    expect((await fetch(`${server.url}/api/v1/jobs/${jobId}/report.html`)).status).toBe(401);
    const missing = await client(server.url, viewerToken)('GET', '/api/v1/jobs/job_nope/report.html');
    expect(missing.status).toBe(404);
    expect(missing.json.error?.message).toContain('no job "job_nope"');
  });
});
