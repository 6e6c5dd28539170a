import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebHost, type WebHost } from '../../main/web-host';
import { SAMPLE_DIR } from '../../main/studio';

/**
 * The canvas editor in Chromium through the web host (the real renderer and main services): the sample
 * template drawn by the fabric view from the document, then the postcard front built from an empty page.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = join(ROOT, 'tests/artifacts/editor');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const shot = async (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });

describe('canvas editor through the web host (Chromium)', () => {
  let dir: string;
  let host: WebHost;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'editor-e2e-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    host = await startWebHost({ rendererDir: join(ROOT, 'out/renderer'), userData: join(dir, 'studio') });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws the sample template from the document with the current record', async () => {
    await page.goto(host.url);
    await page.getByTestId('open-sample').click();
    await page.getByRole('button', { name: 'Data' }).click();
    await page.getByTestId('import-data').setInputFiles(join(SAMPLE_DIR, 'data/customers.csv'));
    await expect.poll(() => page.getByTestId('data-summary').textContent()).toMatch(/records read/);
    await page.getByRole('button', { name: 'Template & preview' }).click();
    await page.getByRole('tab', { name: 'Design' }).click();
    await page.getByTestId('editor-canvas').locator('canvas').first().waitFor();
    await page.waitForTimeout(1500);
    await shot(page, '01-sample-front');
    expect(errors).toEqual([]);
  });
});
