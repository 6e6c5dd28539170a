import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import type { WebHost } from '../../main/web-host';
import { openStudio, ROOT, type StudioSession } from './studio-session';

/**
 * File ▸ New in Chromium through the web host: Ctrl+N and the Library's button open the dialog; a 4×6
 * postcard with the sample's brand kit and a custom size in millimetres with an empty kit are created,
 * open ready to edit (the proof shows their pages at the chosen proportions) and are kept in the library.
 */
const ARTIFACTS = join(ROOT, 'tests/artifacts/studio');

const shot = async (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });

/** The trim boxes the print proof draws, as width / height. */
const trimRatios = (page: Page) =>
  page
    .locator('.box-trim')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => Math.round((r.width / r.height) * 100) / 100));

describe('New template (File ▸ New) through the web host', () => {
  let session: StudioSession | undefined;
  let host: WebHost;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    session = await openStudio({ prefix: 'new-template-e2e-', artifacts: ARTIFACTS, viewport: { width: 1440, height: 960 }, errors });
    ({ host, page } = session);
  });

  afterAll(() => session?.close());

  it('creates a postcard with a library brand kit and a custom size, both kept in the library', async () => {
    await page.goto(host.url);
    await page.getByTestId('open-sample').click();
    await expect.poll(() => page.getByTestId('current-template').textContent(), { timeout: 30_000 }).toContain('Service reminder');

    // Ctrl+N (the browser studio has no menu bar; Electron's File ▸ New sends the same command).
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    await page.keyboard.press('Control+n');
    const dialog = page.getByTestId('new-template-dialog');
    await dialog.waitFor();
    await page.getByTestId('new-name').fill('Spring postcard');
    await page.getByTestId('new-preset').selectOption('postcard-4x6');
    await expect.poll(() => dialog.textContent()).toContain('Front and Back pages');
    const brandOption = page.getByTestId('new-brand').locator('option', { hasText: 'Service reminder' });
    await expect.poll(() => brandOption.count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('new-brand').selectOption({ label: (await brandOption.textContent())! });
    await shot(page, '11-new-template-dialog');
    await page.getByTestId('new-create').click();

    // Open on the Template screen, ready to edit: two 6×4 in pages in the proof, the sample's swatches in its kit.
    await page.getByRole('heading', { name: 'Spring postcard' }).waitFor();
    expect(await page.getByTestId('current-template').textContent()).toBe('Spring postcard');
    await page.getByTestId('sheet-1').locator('canvas').waitFor({ timeout: 60_000 });
    expect(await trimRatios(page)).toEqual([1.5, 1.5]);
    await shot(page, '12-new-template-opened');
    await page.getByRole('button', { name: 'Brand kit' }).click();
    await page.getByTestId('swatch-brand-navy').waitFor();

    // The Library's button; a custom size in millimetres with bleed, and an empty brand kit.
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByTestId('new-template').click();
    await page.getByTestId('new-name').fill('Door hanger');
    await page.getByTestId('new-preset').selectOption('custom');
    await page.getByTestId('new-unit').selectOption('mm');
    await page.getByTestId('new-width').fill('10');
    await expect.poll(() => page.getByTestId('new-size-problem').textContent()).toContain('at least 0.5 in');
    expect(await page.getByTestId('new-create').isDisabled()).toBe(true);
    await page.getByTestId('new-width').fill('100');
    await page.getByTestId('new-height').fill('250');
    await page.getByTestId('new-bleed').fill('3');
    await page.getByTestId('new-create').click();
    await page.getByRole('heading', { name: 'Door hanger' }).waitFor();
    await page.getByTestId('sheet-0').locator('canvas').waitFor({ timeout: 60_000 });
    expect(await trimRatios(page)).toEqual([0.4]);
    await page.getByRole('button', { name: 'Brand kit' }).click();
    await page.getByTestId('swatches').waitFor();
    expect(await page.locator('[data-testid^="swatch-"]').count()).toBe(0);

    // Both are in the library, and open again from there.
    await page.getByRole('button', { name: 'Library' }).click();
    const cards = page.locator('.card strong');
    await expect
      .poll(() => cards.allTextContents())
      .toEqual(expect.arrayContaining(['Spring postcard', 'Door hanger', expect.stringContaining('Service reminder')]));
    await shot(page, '13-library-after-new');
    await page.locator('.card', { hasText: 'Spring postcard' }).click();
    await page.getByRole('heading', { name: 'Spring postcard' }).waitFor();
    // Escape closes the dialog without creating anything.
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByTestId('new-template').click();
    await page.getByTestId('new-name').press('Escape');
    await expect.poll(() => page.getByTestId('new-template-dialog').count()).toBe(0);
    expect(await cards.count()).toBe(3);
    expect(errors).toEqual([]);
  });
});
