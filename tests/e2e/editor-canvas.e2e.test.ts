import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { WebHost } from '../../main/web-host';
import { openStudio, ROOT, type StudioSession } from './studio-session';
import { SAMPLE_DIR } from '../../main/studio';

/**
 * The canvas view's own behaviour in Chromium through the web host: rulers, in-place text editing (through
 * to the exported PDF), the application menu's Undo/Redo reaching the editor, and the drag's layered paint
 * drawing exactly what a full repaint draws. EDITOR_RENDERER_DIR picks a renderer build other than out/renderer.
 */
const RENDERER = process.env.EDITOR_RENDERER_DIR ?? join(ROOT, 'out/renderer');
const ARTIFACTS = join(ROOT, 'tests/artifacts/editor-canvas');
const FRONT = { w: 648, h: 432, bleed: 9 };

describe('canvas view through the web host (Chromium)', () => {
  let session: StudioSession | undefined;
  let dir: string;
  let host: WebHost;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    session = await openStudio({
      prefix: 'editor-canvas-e2e-',
      artifacts: ARTIFACTS,
      viewport: { width: 1600, height: 1000 },
      acceptDownloads: true,
      errors,
      rendererDir: RENDERER,
      consoleError: (m) => m.text(),
    });
    ({ dir, host, page } = session);
    await page.goto(host.url);
    await page.getByTestId('open-sample').click();
    await page.getByRole('button', { name: 'Data' }).click();
    await page.getByTestId('import-data').setInputFiles(join(SAMPLE_DIR, 'data/customers.csv'));
    await page.getByTestId('data-summary').filter({ hasText: 'records read' }).waitFor();
    await page.getByRole('button', { name: 'Template & preview' }).click();
    await page.getByRole('tab', { name: 'Design', exact: true }).click();
    await page.getByTestId('canvas-text').locator('[role="listitem"]').first().waitFor({ state: 'attached' });
  });

  afterAll(() => session?.close());

  const shot = (name: string) => page.getByTestId('editor-canvas').screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  /** Screen position of a page point after "Fit" (the page with its bleed centred, 32 px margin). */
  const fit = async () => {
    await page.getByTestId('zoom-fit').click();
    const box = (await page.getByTestId('editor-canvas').boundingBox())!;
    const inner = { w: box.width - 2, h: box.height - 2 };
    const zoom = Math.min((inner.w - 64) / (FRONT.w + 2 * FRONT.bleed), (inner.h - 64) / (FRONT.h + 2 * FRONT.bleed));
    return (x: number, y: number) => ({
      x: box.x + 1 + inner.w / 2 + (x - FRONT.w / 2) * zoom,
      y: box.y + 1 + inner.h / 2 + (y - FRONT.h / 2) * zoom,
    });
  };
  const canvasText = async () => ((await page.getByTestId('canvas-text').textContent()) ?? '').replace(/\s+/g, ' ');
  /** Share of a ruler's pixels in the selection-extent blue. */
  // Page scripts as strings (tsx would wrap functions in a helper the page does not have; no DOM types here).
  const rulerBlue = (testId: string) =>
    page.evaluate(`(() => {
      const c = document.querySelector('[data-testid="${testId}"]');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let blue = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 2] > 200 && d[i] < 200 && d[i + 2] - d[i] > 20) blue++;
      return blue / (d.length / 4);
    })()`) as Promise<number>;
  const focused = (testId: string) => page.evaluate(`document.activeElement?.dataset?.testid === '${testId}'`) as Promise<boolean>;

  it('draws rulers in the chosen unit from the trim corner, following zoom, with the selection extent marked', async () => {
    const at = await fit();
    await page.waitForTimeout(300);
    expect(await page.getByTestId('ruler-unit').textContent()).toBe('mm');
    expect(await rulerBlue('ruler-horizontal')).toBe(0);
    await shot('01-rulers-mm');
    // Select the headline: its extent shows on both rulers.
    const p = at(60, 110);
    await page.mouse.click(p.x, p.y);
    await expect.poll(() => rulerBlue('ruler-horizontal')).toBeGreaterThan(0.05);
    expect(await rulerBlue('ruler-vertical')).toBeGreaterThan(0.05);
    await page.getByTestId('unit').selectOption('in');
    await expect.poll(() => page.getByTestId('ruler-unit').textContent()).toBe('in');
    await page.waitForTimeout(200);
    await shot('02-rulers-in-headline-selected');
    await page.getByTestId('zoom-100').click();
    await page.waitForTimeout(300);
    await shot('03-rulers-in-100');
    await page.getByTestId('unit').selectOption('pt');
    await page.getByTestId('zoom-fit').click();
    await page.waitForTimeout(300);
    await shot('04-rulers-pt');
    await page.getByTestId('unit').selectOption('mm');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('edits the headline in place: field chips, commit is one undoable step, Escape cancels, the PDF has the text', async () => {
    const at = await fit();
    const headline = at(100, 120);
    const before = await canvasText();
    // Double-click: the editor opens over the frame, fields shown by name.
    await page.mouse.dblclick(headline.x, headline.y);
    const box = page.getByTestId('text-editor');
    await box.waitFor();
    await expect.poll(() => focused('text-editor')).toBe(true);
    expect(await box.textContent()).toContain('«rules.greeting»');
    expect(await box.textContent()).toContain('«vehicle_make»');
    await shot('05-text-editing');
    await page.keyboard.type(' today');
    await page.keyboard.press('Control+Enter');
    await box.waitFor({ state: 'detached' });
    await expect.poll(() => canvasText()).toMatch(/is due for service today/);
    await page.waitForTimeout(300);
    await shot('06-text-committed');
    // Undo restores the text (one step), redo brings it back.
    await page.getByTestId('undo').click();
    await expect.poll(() => canvasText()).toBe(before);
    await page.getByTestId('redo').click();
    await expect.poll(() => canvasText()).toMatch(/is due for service today/);

    // Escape cancels: nothing changes, no step.
    const body = at(100, 270);
    await page.mouse.dblclick(body.x, body.y);
    await page.getByTestId('text-editor').waitFor();
    await expect.poll(() => focused('text-editor')).toBe(true);
    const textBefore = await canvasText();
    await page.keyboard.type('xyz');
    await page.keyboard.press('Escape');
    await page.getByTestId('text-editor').waitFor({ state: 'detached' });
    await page.waitForTimeout(300);
    expect(await canvasText()).toBe(textBefore);
    // No step was made: Undo now undoes the headline edit, Redo brings it back.
    await page.getByTestId('undo').click();
    await expect.poll(() => canvasText()).toBe(before);
    await page.getByTestId('redo').click();
    await expect.poll(() => canvasText()).toBe(textBefore);

    // Click-away commits: Enter on the selected body frame, type, click the empty canvas.
    await page.getByTestId('editor-canvas').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('text-editor').waitFor();
    await expect.poll(() => focused('text-editor')).toBe(true);
    await page.keyboard.type(' Call us.');
    const away = at(-30, 200);
    await page.mouse.click(away.x, away.y);
    await page.getByTestId('text-editor').waitFor({ state: 'detached' });
    await expect.poll(() => canvasText()).toMatch(/same day\. Call us\./);

    // The exported proof (main composes the journalled draft) has the new text, fields resolved.
    await expect.poll(() => page.getByTestId('draft-state').textContent()).toMatch(/Draft saved/);
    await page.waitForTimeout(800);
    const download = page.waitForEvent('download');
    await page.getByTestId('export-proof').click();
    const file = join(dir, 'proof.pdf');
    await (await download).saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toMatch(/is due for service today/);
    expect(text).toMatch(/Call us\./);
    expect(text).not.toMatch(/\{\{/);
    expect(errors).toEqual([]);
  });

  it('the application menu’s Undo and Redo (menu:command pushed by the host) reach the editor', async () => {
    const withToday = await canvasText();
    expect(withToday).toMatch(/Call us\./);
    await page.getByTestId('editor-canvas').focus();
    host.emit('menu:command', { command: 'undo' });
    await expect.poll(() => canvasText()).not.toMatch(/Call us\./);
    host.emit('menu:command', { command: 'redo' });
    await expect.poll(() => canvasText()).toMatch(/Call us\./);
    // With the focus in a text field, the menu's Undo is the field's own (the document stays).
    await page.getByTestId('layers-panel').locator('button.list-main').first().dblclick();
    const name = page.getByRole('textbox', { name: 'Layer name' });
    await name.fill('Renamed');
    host.emit('menu:command', { command: 'undo' });
    await page.waitForTimeout(400);
    expect(await canvasText()).toMatch(/Call us\./);
    await name.press('Escape');
    expect(errors).toEqual([]);
  });

  it('paints a drag from cached layers exactly as a full repaint does', async () => {
    const at = await fit();
    await page.getByLabel('Snap').uncheck();
    // The accent bar sits mid-stack: below it the background, hero, logo and headline; above it the rest.
    const a = at(60, 242);
    const b = at(200, 300);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 3 });
    await page.mouse.move(b.x, b.y, { steps: 3 });
    await page.waitForTimeout(300);
    // Pixels compared in the page (millions of values are too many to ship to the test).
    const capture = (name: string) =>
      page.evaluate(`(() => {
        const c = document.querySelector('[data-testid="canvas-page"]');
        window['${name}'] = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        return window['${name}'].length / 4;
      })()`) as Promise<number>;
    const differing = (a: string, b: string, tolerance: number) =>
      page.evaluate(`(() => {
        const a = window['${a}'], b = window['${b}'];
        let n = 0;
        for (let i = 0; i < a.length; i += 4)
          if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > ${tolerance}) n++;
        return n;
      })()`) as Promise<number>;
    const size = await capture('__during');
    await shot('07-drag-layered');
    await page.mouse.up();
    await page.waitForTimeout(400);
    await capture('__after');
    await shot('08-drag-released');
    expect(size).toBeGreaterThan(100_000);
    expect(await differing('__during', '__after', 6)).toBeLessThan(size / 10_000);
    // The bar did move (so the comparison is of a moved state, not of nothing).
    await page.getByTestId('undo').click();
    await page.waitForTimeout(400);
    await capture('__reverted');
    const moved = await differing('__after', '__reverted', 0);
    expect(moved).toBeGreaterThan(200);
    expect(errors).toEqual([]);
  });
});
