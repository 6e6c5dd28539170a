import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebHost, type WebHost } from '../../main/web-host';
import { SAMPLE_DIR } from '../../main/studio';
import { startServer, type RunningServer } from '../../server/server';
import { samplePackage } from '../server/harness';
import { VersionApprovalsSchema } from '../../shared/http/approvals';
import Papa from 'papaparse';

/**
 * Brand review in Chromium through the web host against a real Presswork Server: the sample campaign, published,
 * with its data: one tile per dealer (each with its own logo on the front page), approve one, see the approval in
 * the tile, on the server and in the report; open a tile to compare with the base design.
 * REVIEW_RENDERER_DIR picks a renderer build other than out/renderer.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = join(ROOT, 'tests/artifacts/review');
const RENDERER = process.env.REVIEW_RENDERER_DIR ?? join(ROOT, 'out/renderer');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const shot = async (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

describe('review grid (Chromium)', () => {
  let dir: string;
  let host: WebHost;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let approver: string;
  let viewer: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'review-e2e-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServer(
      { env: {}, cwd: dir, overrides: { host: '127.0.0.1', port: 0, dataDir: join(dir, 'server'), requireApproval: true } },
      { logger: false },
    );
    const publisher = server.services.tokens.create('publisher', 'designer').token;
    approver = server.services.tokens.create('approver', 'brand-manager').token;
    viewer = server.services.tokens.create('viewer', 'viewer').token;
    const { zip } = await samplePackage();
    const pub = await fetch(`${server.url}/api/v1/templates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${publisher}`, 'content-type': 'application/zip' },
      body: zip,
    });
    expect(pub.status).toBe(201);
    host = await startWebHost({ rendererDir: RENDERER, userData: join(dir, 'studio') });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(60_000);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows a tile per dealer with its own front page, and records an approval', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    await page.getByTestId('open-sample').click();
    await expect.poll(() => page.getByTestId('current-template').textContent()).toContain('Service reminder');

    await page.getByRole('button', { name: 'Preferences', exact: true }).click();
    await page.getByTestId('server-url').fill(server.url);
    await page.getByTestId('server-token').fill(approver);
    await page.getByTestId('save-prefs').click();
    await page.getByTestId('prefs-saved').waitFor();

    await page.getByRole('button', { name: 'Data' }).click();
    await page.getByTestId('import-data').setInputFiles(join(SAMPLE_DIR, 'data/customers.csv'));
    await expect.poll(() => page.getByTestId('data-summary').textContent()).toMatch(/records read from customers\.csv/);

    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await page.getByTestId('review-grid').waitFor({ timeout: 120_000 });
    const tiles = page.getByTestId('review-tile');
    await expect
      .poll(() => tiles.evaluateAll((ts) => ts.map((t) => t.getAttribute('data-variant'))))
      .toEqual(['NS01', 'LK02', 'MV03', '(fallback)']);
    await expect.poll(() => page.getByTestId('review-version').textContent()).toContain('Published version 1');
    // Every front page composed; the three dealers' pages differ from each other (their own logo, name, colours).
    await expect
      .poll(() => page.locator('[data-testid="tile-proof"]').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-state'))), {
        timeout: 120_000,
      })
      .toEqual(['ready', 'ready', 'ready', 'ready']);
    const pixels = await page
      .locator('[data-testid="tile-proof"]')
      .evaluateAll((cs) => cs.slice(0, 3).map((c) => (c as unknown as { toDataURL(): string }).toDataURL()));
    expect(new Set(pixels).size).toBe(3);
    // Each tile also shows the record's email.
    await expect.poll(() => page.getByTestId('tile-email').count(), { timeout: 60_000 }).toBe(4);
    for (const key of ['NS01', 'LK02', 'MV03'])
      expect(await page.locator(`[data-variant="${key}"] [data-testid="tile-status"]`).textContent()).toBe('Not reviewed');
    await shot(page, '01-review-grid');

    // Approve Northside with a comment.
    const ns = page.locator('[data-variant="NS01"]');
    await ns.getByRole('textbox').fill('Logo, phone and address checked against the dealer sheet');
    await ns.getByTestId('approve').click();
    await expect.poll(() => ns.getByTestId('tile-status').textContent()).toBe('Approved');
    await expect.poll(() => ns.getByTestId('tile-decision').textContent()).toContain('brand-manager');
    await shot(page, '02-approved-one');

    const st = await fetch(`${server.url}/api/v1/templates/service-reminder/versions/1/approvals`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    const approvals = VersionApprovalsSchema.parse(await st.json());
    expect(approvals.variants.find((v) => v.variant === 'NS01')?.status).toBe('approved');
    expect(approvals.variants.find((v) => v.variant === 'MV03')?.status).toBe('pending');
    expect(approvals.history[0]).toMatchObject({ by: 'brand-manager', dataLabel: 'customers.csv' });

    // The representative record is the dealer's record with the longest values, and any other can be picked.
    const csv = Papa.parse<string[]>(readFileSync(join(SAMPLE_DIR, 'data/customers.csv'), 'utf8').trim()).data.slice(1);
    const longest = csv.reduce(
      (best, cells, i) => {
        const len = cells.join('').length;
        return cells[14] === 'LK02' && len > best.len ? { i, len } : best;
      },
      { i: -1, len: -1 },
    );
    const lk = page.locator('[data-variant="LK02"]');
    const picker = lk.getByTestId('tile-record');
    expect(await picker.inputValue()).toBe(String(longest.i));
    expect(await picker.locator('option:checked').textContent()).toContain('(longest values)');
    // The front page carries the dealer's branding; the email is personalised, so it shows the record picked.
    const mail = () => lk.getByTestId('tile-email').locator('iframe').getAttribute('srcdoc', { timeout: 60_000 });
    const who = (i: number) => `${csv[i]![1]}`; // first_name
    const other = csv.findIndex((cells, i) => cells[14] === 'LK02' && i !== longest.i && cells[1] !== csv[longest.i]![1]);
    expect(await mail()).toContain(who(longest.i));
    await picker.selectOption(String(other));
    await expect.poll(mail, { timeout: 60_000 }).toContain(who(other));
    expect(await mail()).not.toContain(who(longest.i));
    await picker.selectOption(String(longest.i));

    // Each finding says its severity, element, record(s) and how to fix it; a row picks that record in the tile.
    const invalid = lk.locator('[data-testid="finding"][data-code="email-invalid-address"]');
    expect(await invalid.textContent()).toMatch(/email · field "email" · row 71.*Fix: [A-Z].*\./);
    await invalid.getByRole('button', { name: '71' }).click();
    await expect.poll(() => picker.inputValue()).toBe('70');
    await expect.poll(mail, { timeout: 60_000 }).toContain(csv[70]![1]!);
    await page.getByTestId('template-findings').locator('summary').click();
    expect(await page.getByTestId('template-findings').locator('[data-testid="finding"]').count()).toBe(3);
    expect(await page.getByTestId('template-findings').textContent()).toMatch(/swatch "brand-navy".*every record.*Fix: /);
    await page.getByTestId('filter-finding').selectOption('email-invalid-address');
    await expect.poll(() => tiles.evaluateAll((ts) => ts.map((t) => t.getAttribute('data-variant')))).toEqual(['LK02']);
    await page.getByTestId('filter-finding').selectOption('any');

    // Filter: approved only.
    await page.getByTestId('filter-status').selectOption('approved');
    await expect.poll(() => tiles.count()).toBe(1);
    await page.getByTestId('filter-status').selectOption('all');

    // The approval report.
    await page.getByRole('tab', { name: 'Approval report' }).click();
    await expect.poll(() => page.getByTestId('approval-report').textContent()).toContain('Northside Motors');
    await shot(page, '03-approval-report');

    // Open a tile: side by side with the base design, differences in red.
    await page.getByRole('tab', { name: 'Dealers' }).click();
    await page.locator('[data-variant="LK02"]').getByRole('button', { name: 'Compare' }).click();
    await expect.poll(() => page.getByTestId('diff-share').textContent(), { timeout: 60_000 }).toMatch(/% of the page differs/);
    await shot(page, '04-compare-lakeview');
    expect(errors).toEqual([]);
  });
});
