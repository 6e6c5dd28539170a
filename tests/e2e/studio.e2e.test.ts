import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'node:http';
import { startWebHost, type WebHost } from '../../main/web-host';
import { SAMPLE_DIR } from '../../main/studio';
import { writeAse } from '../../shared/color/ase';
import { startServer, type RunningServer } from '../../server/server';

/**
 * The studio end to end, in Chromium through the web host (the real renderer, the real main services):
 * open the sample, import a font and an .ase book, import the sample data, step to record 7 and find its
 * name in both previews, export the batch PDF, publish to a real Presswork Server, see the version.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = join(ROOT, 'tests/artifacts/studio');
const FONT = join(ROOT, 'node_modules/@expo-google-fonts/oswald/400Regular/Oswald_400Regular.ttf');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const shot = async (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });

describe('studio through the web host (Chromium)', () => {
  let dir: string;
  let host: WebHost;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let token: string;
  const aseFile = () => {
    const p = join(dir, 'brand-book.ase');
    writeFileSync(
      p,
      writeAse({
        entries: [
          { kind: 'color', name: 'PANTONE 021 C', type: 'spot', color: { model: 'LAB', lab: [64, 58, 80] } },
          { kind: 'color', name: 'Sky Process', type: 'process', color: { model: 'CMYK', cmyk: [70, 15, 0, 0] } },
        ],
      }),
    );
    return p;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'studio-e2e-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServer(
      { env: {}, cwd: dir, overrides: { host: '127.0.0.1', port: 0, dataDir: join(dir, 'server') } },
      { logger: false },
    );
    token = server.services.tokens.create('publisher', 'studio-e2e').token;
    host = await startWebHost({ rendererDir: join(ROOT, 'out/renderer'), userData: join(dir, 'studio') });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
    page = await browser.newPage({ viewport: { width: 1440, height: 960 }, acceptDownloads: true });
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the whole designer flow', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    await shot(page, '01-library-empty');

    await page.getByTestId('open-sample').click();
    await page.getByTestId('print-stage').locator('canvas').first().waitFor();
    await expect.poll(() => page.getByTestId('current-template').textContent()).toContain('Service reminder');

    // Brand kit: a font and an .ase book.
    await page.getByRole('button', { name: 'Brand kit' }).click();
    await page.getByTestId('import-font').setInputFiles(FONT);
    await expect.poll(() => page.getByTestId('brand-note').textContent()).toContain('Oswald 400 imported');
    await page.getByTestId('import-ase').setInputFiles(aseFile());
    await expect.poll(() => page.getByTestId('brand-note').textContent()).toContain('Imported 2 swatches');
    await page.getByText('PANTONE 021 C (Lab').waitFor();
    await shot(page, '02-brand-kit');

    // Data: the sample customers, then record 7.
    await page.getByRole('button', { name: 'Data' }).click();
    await page.getByTestId('import-data').setInputFiles(join(SAMPLE_DIR, 'data/customers.csv'));
    await expect.poll(() => page.getByTestId('data-summary').textContent()).toMatch(/records read from customers\.csv/);
    await page.getByTestId('record-jump').fill('7');
    const csv = readFileSync(join(SAMPLE_DIR, 'data/customers.csv'), 'utf8').split(/\r?\n/);
    const header = csv[0]!.split(',');
    const row7 = csv[7]!.split(',');
    const firstName = row7[header.indexOf('first_name')]!;
    await expect.poll(() => page.getByTestId('record-panel').textContent()).toContain(firstName);
    await expect.poll(() => page.getByTestId('variant').textContent()).not.toBe('');
    await shot(page, '03-data');

    // Print preview: the proof's text layer holds the name (pdf.js renders the composed PDF).
    await page.getByRole('button', { name: 'Template & preview' }).click();
    await page.getByTestId('sheet-0').locator('canvas').waitFor();
    await page.waitForTimeout(500);
    await shot(page, '04-print-preview');

    // Email preview for the same record.
    await page.getByRole('tab', { name: 'Email', exact: true }).click();
    const frame = page.frameLocator('[data-testid="email-frame"]');
    await expect.poll(async () => (await frame.locator('body').textContent()) ?? '', { timeout: 30_000 }).toContain(firstName);
    await shot(page, '05-email-desktop');
    await page.getByRole('tab', { name: 'Mobile (375 px)' }).click();
    await shot(page, '06-email-mobile');
    await page.getByRole('tab', { name: 'Plain text' }).click();
    await expect.poll(() => page.getByTestId('email-text').textContent()).toContain(firstName);

    // Batch PDF with progress, then save it.
    await page.getByTestId('export-batch').click();
    await expect.poll(() => page.getByTestId('job-batch-message').textContent(), { timeout: 120_000 }).toMatch(/records, \d+ pages/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-batch').click()]);
    const pdfPath = join(dir, 'batch.pdf');
    await download.saveAs(pdfPath);
    expect(readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
    await shot(page, '07-batch-done');

    // Publish: first without a server (explained in words), then to the test server.
    await page.getByTestId('publish').click();
    await expect.poll(() => page.getByTestId('job-publish-message').last().textContent()).toContain('No server is set');
    await page.getByRole('button', { name: 'Preferences', exact: true }).click();
    await page.getByTestId('server-url').fill(server.url);
    await page.getByTestId('server-token').fill(token);
    await page.getByTestId('save-prefs').click();
    await page.getByTestId('prefs-saved').waitFor();
    await shot(page, '08-preferences');
    await page.getByRole('button', { name: 'Template & preview' }).click();
    await page.getByTestId('publish').click();
    await page.getByTestId('published-version').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('published-version').textContent()).toMatch(/^v\d+$/);
    await shot(page, '09-published');

    // Dark theme.
    await page.getByRole('button', { name: 'Preferences', exact: true }).click();
    await page.getByTestId('theme').selectOption('dark');
    await page.getByRole('button', { name: 'Template & preview' }).click();
    await page.getByTestId('sheet-0').locator('canvas').waitFor();
    await page.waitForTimeout(500);
    await shot(page, '10-dark-print');
    // Remote images in the email (MJML's social icons) cannot load on offline build machines; everything else must be clean.
    expect(
      errors.filter((e) => !/net::ERR_(NAME_NOT_RESOLVED|INTERNET_DISCONNECTED|CONNECTION|ADDRESS|TIMED_OUT|TUNNEL|PROXY)/.test(e)),
    ).toEqual([]);
  });

  it('refuses calls without the session token', async () => {
    const r = await fetch(`${host.url}ipc/prefs%3Aget`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(403);
    // A DNS-rebinding page would arrive with a foreign Host header, even with a stolen token.
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(host.url);
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: '/ipc/prefs%3Aget',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-studio-token': host.token, host: 'evil.example' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });
});

describe('studio through Electron', () => {
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  it.skipIf(!dist || !existsSync(dist))(
    'skipped: no Electron binary (set ELECTRON_OVERRIDE_DIST_PATH to run the same flow through _electron)',
    async () => {
      const { _electron } = await import('playwright-core');
      const app = await _electron.launch({ args: [join(ROOT, 'out/main/index.js')], timeout: 60_000 });
      try {
        const win = await app.firstWindow();
        await win.getByRole('heading', { name: 'Library' }).waitFor();
        expect(await win.evaluate(() => typeof (globalThis as { studio?: unknown }).studio)).toBe('object');
        expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      } finally {
        await app.close();
      }
    },
  );
});
