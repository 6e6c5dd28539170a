import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebHost } from '../../main/web-host';
import { openStudio, ROOT, RENDERER_DIR, type StudioSession } from './studio-session';
import { SAMPLE_DIR } from '../../main/studio';

/**
 * The canvas editor in Chromium through the web host (the real renderer and main services): the sample
 * template drawn by the fabric view from the document, then the postcard front built from an empty page.
 */
const ARTIFACTS = join(ROOT, 'tests/artifacts/editor');

const shot = async (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });

describe('canvas editor through the web host (Chromium)', () => {
  let session: StudioSession | undefined;
  let host: WebHost;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    session = await openStudio({
      prefix: 'editor-e2e-',
      artifacts: ARTIFACTS,
      viewport: { width: 1600, height: 1000 },
      errors,
      rendererDir: process.env.EDITOR_RENDERER_DIR ?? RENDERER_DIR,
      consoleError: (m) => m.text(),
    });
    ({ host, page } = session);
  });

  afterAll(() => session?.close());

  /** Screen position of a page point on the canvas after "Fit" (the page with its bleed centred, 32 px margin). */
  const fit = async (page: Page, size: { w: number; h: number; bleed: number }) => {
    await page.getByTestId('zoom-fit').click();
    const box = (await page.getByTestId('editor-canvas').boundingBox())!;
    const inner = { w: box.width - 2, h: box.height - 2 }; // 1 px border each side
    const zoom = Math.min((inner.w - 64) / (size.w + 2 * size.bleed), (inner.h - 64) / (size.h + 2 * size.bleed));
    return (x: number, y: number) => ({
      x: box.x + 1 + inner.w / 2 + (x - size.w / 2) * zoom,
      y: box.y + 1 + inner.h / 2 + (y - size.h / 2) * zoom,
    });
  };
  const drag = async (page: Page, at: (x: number, y: number) => { x: number; y: number }, from: [number, number], to: [number, number]) => {
    const a = at(...from);
    const b = at(...to);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
    await page.mouse.move(b.x, b.y, { steps: 4 });
    await page.mouse.up();
  };
  const canvasText = (page: Page) => page.getByTestId('canvas-text').textContent();
  const layers = (page: Page) => page.getByTestId('layers-panel').locator('[data-testid^="layer-"]').count();
  const csv = readFileSync(join(SAMPLE_DIR, 'data/customers.csv'), 'utf8').split(/\r?\n/);
  const header = csv[0]!.split(',');
  const firstName = (record: number) => csv[record]!.split(',')[header.indexOf('first_name')]!;

  it('draws the sample template from the document with the current record, as the proof does', async () => {
    await page.goto(host.url);
    await page.getByTestId('open-sample').click();
    await page.getByRole('button', { name: 'Data' }).click();
    await page.getByTestId('import-data').setInputFiles(join(SAMPLE_DIR, 'data/customers.csv'));
    await expect.poll(() => page.getByTestId('data-summary').textContent()).toMatch(/records read/);
    await page.getByRole('button', { name: 'Template & preview' }).click();
    await page.getByTestId('sheet-0').locator('canvas').waitFor();
    await page.waitForTimeout(800);
    await shot(page, '01-proof-front-record-1');
    await page.getByRole('tab', { name: 'Design', exact: true }).click();
    await expect.poll(() => canvasText(page)).toContain(`Hi ${firstName(1)},`);
    await page.waitForTimeout(500);
    await shot(page, '02-canvas-front-record-1');
    await page.getByTestId('show-field-names').check();
    await expect.poll(() => canvasText(page)).toContain('«rules.greeting»');
    await shot(page, '03-canvas-field-names');
    await page.getByTestId('show-field-names').uncheck();
    expect(errors).toEqual([]);
  });

  it('builds the postcard front from an empty page, steps records, undoes and redoes everything', async () => {
    const canvas = page.getByTestId('editor-canvas');
    // An empty 6×9 postcard page.
    await page.getByRole('combobox', { name: 'Page size' }).selectOption('postcard-6x9');
    await page.getByTestId('add-page').click();
    // A new page goes after the current one (the front): it is the second page.
    await page.getByTestId('page-2').waitFor();
    expect(await page.getByTestId('page-1').getAttribute('aria-current')).toBe('true');
    expect(await layers(page)).toBe(0);
    const at = await fit(page, { w: 648, h: 432, bleed: 9 });

    // A spot-colour rectangle (Network Navy is PANTONE 2758 C).
    await page.getByTestId('tool-rect').click();
    await drag(page, at, [-9, -9], [300, 441]);
    await page.getByTestId('prop-fill-brand-navy').click();
    await expect.poll(() => layers(page)).toBe(1);

    // A text frame with a data field, white on the navy.
    await page.getByTestId('tool-text').click();
    await drag(page, at, [36, 120], [280, 250]);
    await page.getByTestId('run-0-0').fill('Hi');
    await page.getByTestId('run-0-0').press('Enter');
    await page.getByTestId('insert-field').selectOption('first_name');
    await page.getByTestId('prop-size').fill('30');
    await page.getByTestId('prop-size').press('Enter');
    await page.getByTestId('prop-font').selectOption('font-oswald-bold');
    await page.getByTestId('prop-text-color-paper').click();
    await expect.poll(() => canvasText(page)).toContain(`Hi ${firstName(1)}`);

    // The dealer's logo, per record.
    await page.getByTestId('tool-image').click();
    await drag(page, at, [36, 30], [200, 90]);
    await page.getByTestId('prop-image-source').selectOption('{{ dealer.logo }}');

    // A QR code with its data expression (checked as typed: an unknown field is refused).
    await page.getByTestId('tool-barcode').click();
    await drag(page, at, [520, 300], [612, 392]);
    await page.getByTestId('prop-barcode-data').fill('{{ dealer.website }}');
    await expect.poll(() => page.getByTestId('prop-barcode-data-problem').textContent()).toContain('not a dealer field');
    await page.getByTestId('prop-barcode-data').fill('{{ dealer.url }}/service?c={{ customer_id }}');
    await page.getByTestId('prop-barcode-data').press('Enter');
    await expect.poll(() => layers(page)).toBe(4);

    // Keyboard: nudge, duplicate, delete, undo — on the QR code (selected).
    await canvas.focus();
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Control+d');
    await expect.poll(() => layers(page)).toBe(5);
    await page.keyboard.press('Delete');
    await expect.poll(() => layers(page)).toBe(4);
    await page.keyboard.press('Control+z');
    await expect.poll(() => layers(page)).toBe(5);
    await page.keyboard.press('Control+z');
    await expect.poll(() => layers(page)).toBe(4);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    await shot(page, '04-built-front-record-1');

    // Step records: the text and the dealer logo follow the record bar.
    for (const record of [2, 3]) {
      await page.getByRole('button', { name: 'Next record' }).click();
      await expect.poll(() => canvasText(page)).toContain(`Hi ${firstName(record)}`);
      await page.waitForTimeout(300);
      await shot(page, `05-built-front-record-${record}`);
    }
    const built = await page.getByTestId('pages-panel').textContent();

    // Undo everything (the page too), then redo everything.
    let undos = 0;
    while (await page.getByTestId('undo').isEnabled()) {
      await page.getByTestId('undo').click();
      undos += 1;
    }
    expect(undos).toBeGreaterThan(10);
    await expect.poll(() => page.getByTestId('page-2').count()).toBe(0);
    await shot(page, '06-undone');
    // Redo replays everything, including the duplicate and delete undone by Ctrl+Z above (the redo stack kept them).
    let redos = 0;
    while (await page.getByTestId('redo').isEnabled()) {
      await page.getByTestId('redo').click();
      redos += 1;
    }
    expect(redos).toBe(undos + 2);
    await page.getByTestId('page-1').locator('button').first().click();
    await expect.poll(() => layers(page)).toBe(4);
    await expect.poll(() => canvasText(page)).toContain(`Hi ${firstName(3)}`);
    expect(await page.getByTestId('pages-panel').textContent()).toBe(built);
    await shot(page, '07-redone');

    // The proof of the same record, composed by main from the autosaved draft.
    await page.getByRole('tab', { name: 'Print proof' }).click();
    await page.getByTestId('sheet-2').locator('canvas').waitFor();
    await page.getByTestId('sheet-1').scrollIntoViewIfNeeded();
    await page.waitForTimeout(800);
    await page.getByTestId('sheet-1').screenshot({ path: join(ARTIFACTS, '08-proof-built-front-record-3.png') });
    expect(errors).toEqual([]);
  });
});
