import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import {
  client,
  decodedBody,
  SAMPLE_CSV,
  samplePackage,
  startSmtpSink,
  startTestServer,
  tempDir,
  token,
  waitFor,
  type SmtpSink,
} from '../server/harness';
import type { RunningServer } from '../../server/server';

/**
 * The server's own pages in Chromium (issue 21 items 5 and 6): the development outbox (a message's HTML runs no
 * script and follows no link) and a job's report page, each saved as a screenshot under docs/images/.
 */

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const IMAGES = fileURLToPath(new URL('../../docs/images', import.meta.url));

let browser: Browser;
let outboxServer: RunningServer;
let reportServer: RunningServer;
let sink: SmtpSink;
const tmp = tempDir('server-pages');

async function publishAndRun(server: RunningServer, csv: string): Promise<string> {
  await client(server.url, token(server, 'publisher'))('POST', '/api/v1/templates', (await samplePackage()).zip, {
    'content-type': 'application/zip',
  });
  const operator = client(server.url, token(server, 'operator'));
  const job = await operator('POST', '/api/v1/jobs', {
    templateId: 'service-reminder',
    version: 1,
    channels: ['email'],
    data: { file: { content: csv, format: 'csv' } },
  });
  const id = job.json.id as string;
  await waitFor(
    'job',
    async () => ((await operator('GET', `/api/v1/jobs/${id}`)).json.status === 'completed' ? true : undefined),
    150_000,
    250,
  );
  return id;
}

beforeAll(async () => {
  mkdirSync(IMAGES, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  const lines = SAMPLE_CSV.trim().split(/\r?\n/);
  outboxServer = await startTestServer(join(tmp.dir, 'outbox'));
  await publishAndRun(outboxServer, `${lines.slice(0, 41).join('\n')}\n`);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await outboxServer?.close();
  await reportServer?.close();
  await sink?.close();
  tmp.remove();
});

describe('server pages in Chromium', () => {
  it('the outbox shows a message rendered; its scripts do not run and its links are not followed', async () => {
    // A message nobody should trust: a script, a link, a form and a meta refresh.
    writeFileSync(
      join(tmp.dir, 'outbox', 'outbox', 'hostile.eml'),
      [
        'To: victim@example.org',
        'Subject: hostile',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<html><head><meta http-equiv="refresh" content="0;url=https://evil.example/"></head><body>',
        '<p id="p">static</p><script>document.getElementById("p").textContent="script ran"</script>',
        '<a id="a" href="https://evil.example/steal">click me</a><a id="b" target="_top" href="https://evil.example/top">top</a>',
        '<img src="https://evil.example/pixel.gif" alt="">',
        '</body></html>',
      ].join('\r\n'),
    );
    const page = await browser.newPage();
    // Anything that leaves the page for evil.example is answered here and counted (a request the page's policy
    // blocks never gets this far).
    const requests: string[] = [];
    await page.route('https://evil.example/**', async (route) => {
      requests.push(route.request().url());
      await route.fulfill({ status: 200, body: 'reached' });
    });
    const popups: unknown[] = [];
    page.on('popup', (p) => popups.push(p));
    await page.goto(`${outboxServer.url}/outbox?open=hostile.eml`);
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    await frame.waitForSelector('#p');
    expect(await frame.textContent('#p')).toBe('static');
    await frame.click('#a');
    await frame.click('#b');
    await page.waitForTimeout(500);
    expect(page.url()).toBe(`${outboxServer.url}/outbox?open=hostile.eml`);
    expect(
      page
        .frames()
        .find((f) => f !== page.mainFrame())!
        .url(),
    ).toBe('about:srcdoc');
    expect(popups).toHaveLength(0);
    expect(requests).toEqual([]);

    // The sample job's messages, as a newcomer sees them.
    rmSync(join(tmp.dir, 'outbox', 'outbox', 'hostile.eml'));
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.goto(`${outboxServer.url}/outbox`);
    const rows = await page.locator('table.list tbody tr').count();
    expect(rows).toBe(25);
    await page.locator('table.list a.subj').nth(1).click();
    await page.waitForLoadState('load');
    expect(await page.locator('iframe.html').count()).toBe(1);
    await page.screenshot({ path: join(IMAGES, 'outbox.png'), fullPage: false });
    await page.close();
  });

  it('the report page shows counts and charts without scripts', async () => {
    sink = await startSmtpSink();
    let deferred = false;
    sink.rcptPolicy = (to) => {
      if (to.startsWith('b')) return 550;
      if (to.startsWith('m') && !deferred) {
        deferred = true;
        return 451;
      }
      return undefined;
    };
    reportServer = await startTestServer(
      join(tmp.dir, 'report'),
      { limits: { globalPerSecond: 12, retryBaseMs: 1500, retryMaxMs: 3000 } },
      sink.port,
    );
    const id = await publishAndRun(reportServer, SAMPLE_CSV);
    // Some recipients open, a few click.
    for (const [i, m] of sink.messages.slice(0, 40).entries()) {
      const body = decodedBody(m.raw);
      if (i % 2 === 0) await fetch(/(http:\/\/127\.0\.0\.1:\d+\/t\/o\/[A-Za-z0-9_.-]+)/.exec(body)![1]!);
      if (i % 5 === 0) await fetch(/(http:\/\/127\.0\.0\.1:\d+\/t\/c\/[A-Za-z0-9_.-]+)/.exec(body)![1]!, { redirect: 'manual' });
      if (i % 8 === 0) await new Promise((r) => setTimeout(r, 1000));
    }
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${token(reportServer, 'viewer')}` });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${reportServer.url}/api/v1/jobs/${id}/report.html`);
    expect(await page.locator('svg[role="img"]').count()).toBe(2);
    expect(await page.locator('svg rect').count()).toBeGreaterThan(3);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(IMAGES, 'report.png'), fullPage: true });
    await page.close();
  }, 240_000);
});
