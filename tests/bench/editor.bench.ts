/**
 * Canvas editor benchmark in Chromium through the web host (the real renderer and main services):
 *
 * 1. drag: a page with 500 elements (250 rectangles, 150 ellipses, 100 text frames), one element dragged
 *    across it with the mouse (120 pointer moves). Figures: the canvas's per-frame paint time
 *    (`canvas:frame`, fabric renderAll + overlay), the per-change sync time (`canvas:sync`: document →
 *    fabric objects), and the animation-frame intervals seen by the page during the drag.
 *    Peer: the same drag on the sample postcard's front (9 elements) in the same run, so the figure shows
 *    what 500 elements cost over the ordinary page.
 * 2. record switch: stepping the previewed record on the sample front; `canvas:relayout` is the time from
 *    the record change to every visible text frame laid out again by shared/text and the fabric objects
 *    updated (the record's values are fetched from main before; painting follows in the next frame).
 *    Peer: main's composition of the PDF proof of the same record (`Composed in … ms`, shared/compose),
 *    i.e. what a preview costs without the canvas.
 *
 * JSON lines on stdout. Run: `npm run bench -- editor` (build the renderer first: `npm run build`).
 * EDITOR_RENDERER_DIR picks a renderer build other than out/renderer; EDITOR_BENCH_PROFILE=file.cpuprofile
 * records a CPU profile (Chrome DevTools Protocol) of the renderer during the 500-element drag.
 */
import { chromium, type Page } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebHost } from '../../main/web-host';
import { SAMPLE_DIR } from '../../main/studio';
import { loadTemplate } from '../../server/templates/load';
import { writeTemplatePackage } from '../../shared/model/package';
import type { TemplateDocument } from '../../shared/model/document';
import type { Element } from '../../shared/model/elements/schema';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  const r = (n: number) => Math.round(n * 100) / 100;
  return {
    n: s.length,
    p50: r(q(0.5)),
    p95: r(q(0.95)),
    max: r(s[s.length - 1] ?? NaN),
    mean: r(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
  };
};

function busyDocument(doc: TemplateDocument): TemplateDocument {
  const elements: Element[] = [];
  const cols = 25;
  for (let i = 0; i < 500; i++) {
    const x = 8 + (i % cols) * 25.5;
    const y = 8 + Math.floor(i / cols) * 21;
    const base = { id: `busy-${i}`, x, y, width: 22, height: 18, rotation: (i % 7) * 3, opacity: 1, locked: false, hidden: false };
    const colour = { swatch: doc.brand.swatches[i % doc.brand.swatches.length]!.id, tint: 100 };
    if (i % 5 === 4)
      elements.push({
        ...base,
        type: 'text',
        style: {
          font: doc.brand.fonts[1]!.id,
          size: 6,
          color: { swatch: doc.brand.swatches[0]!.id, tint: 100 },
          tracking: 0,
          underline: false,
        },
        paragraphs: [{ runs: [{ text: i % 10 === 4 ? `No. ${i}` : '{{ first_name }}' }], spaceBefore: 0, spaceAfter: 0 }],
        align: 'left',
        verticalAlign: 'top',
        leading: 1.2,
        padding: { top: 0, right: 0, bottom: 0, left: 0 },
        fit: { mode: 'overflow' },
      } as Element);
    else if (i % 5 < 2) elements.push({ ...base, type: 'ellipse', fill: colour } as Element);
    else elements.push({ ...base, type: 'rect', fill: colour, cornerRadius: 2 } as Element);
  }
  const front = doc.print!.pages[0]!;
  return {
    ...doc,
    id: `${doc.id}-busy` as TemplateDocument['id'],
    name: 'Busy page (500 elements)',
    print: { ...doc.print!, pages: [{ ...front, id: 'busy' as typeof front.id, name: 'Busy', elements }] },
  };
}

/** Drag the element at page point (x, y) by 120 pointer moves; returns the canvas timings of the drag. */
async function dragBench(page: Page, pagePoint: { x: number; y: number }, size: { w: number; h: number; bleed: number }, profile?: string) {
  await page.getByTestId('zoom-fit').click();
  const box = (await page.getByTestId('editor-canvas').boundingBox())!;
  const inner = { w: box.width - 2, h: box.height - 2 };
  const zoom = Math.min((inner.w - 64) / (size.w + 2 * size.bleed), (inner.h - 64) / (size.h + 2 * size.bleed));
  const at = (x: number, y: number) => ({
    x: box.x + 1 + inner.w / 2 + (x - size.w / 2) * zoom,
    y: box.y + 1 + inner.h / 2 + (y - size.h / 2) * zoom,
  });
  const a = at(pagePoint.x, pagePoint.y);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.waitForTimeout(200);
  // A string, not a function: tsx would wrap named functions in a helper the page does not have.
  await page.evaluate(`(() => {
    performance.clearMeasures('canvas:frame');
    performance.clearMeasures('canvas:sync');
    window.__raf = [];
    window.__rafOn = true;
    const tick = (t) => {
      window.__raf.push(t);
      if (window.__rafOn) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const cdp = profile ? await page.context().newCDPSession(page) : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  for (let i = 1; i <= 120; i++) await page.mouse.move(a.x + i * 2.5, a.y + Math.sin(i / 10) * 30);
  await page.waitForTimeout(100);
  await page.mouse.up();
  if (cdp && profile) {
    const { profile: p } = await cdp.send('Profiler.stop');
    writeFileSync(profile, JSON.stringify(p));
    await cdp.detach();
  }
  const r = (await page.evaluate(`(() => {
    window.__rafOn = false;
    const raf = window.__raf;
    return {
      frame: performance.getEntriesByName('canvas:frame').map((e) => e.duration),
      sync: performance.getEntriesByName('canvas:sync').map((e) => e.duration),
      raf: raf.slice(1).map((t, i) => t - raf[i]),
    };
  })()`)) as { frame: number[]; sync: number[]; raf: number[] };
  await page.keyboard.press('Control+z');
  return r;
}

const dir = mkdtempSync(join(tmpdir(), 'editor-bench-'));
const host = await startWebHost({
  rendererDir: process.env.EDITOR_RENDERER_DIR ?? join(ROOT, 'out/renderer'),
  userData: join(dir, 'studio'),
});
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.setDefaultTimeout(60_000);
  const loaded = await loadTemplate(SAMPLE_DIR);
  if (!loaded.ok) throw new Error('sample template does not load');
  const busyZip = join(dir, 'busy.zip');
  writeFileSync(busyZip, writeTemplatePackage({ document: busyDocument(loaded.pkg.document), assets: loaded.pkg.assets }));

  await page.goto(host.url);
  // The sample with its data, so text frames show record values.
  await page.getByTestId('open-sample').click();
  await page.getByRole('button', { name: 'Data' }).click();
  await page.getByTestId('import-data').setInputFiles(join(SAMPLE_DIR, 'data/customers.csv'));
  await page.getByTestId('data-summary').waitFor();
  await page.getByRole('button', { name: 'Template & preview' }).click();
  await page.getByRole('tab', { name: 'Design', exact: true }).click();
  await page.getByTestId('canvas-text').locator('[role="listitem"]').first().waitFor();
  await page.waitForTimeout(1000);

  // Record switch on the sample front: EDITOR_SWITCH_STEPS steps (default 100), so p95 is not just the maximum.
  const relayout: number[] = [];
  const steps = Number(process.env.EDITOR_SWITCH_STEPS ?? 100);
  for (let i = 0; i < steps; i++) {
    await page.evaluate(() => performance.clearMeasures('canvas:relayout'));
    await page.getByRole('button', { name: 'Next record' }).click();
    await page.waitForFunction(() => performance.getEntriesByName('canvas:relayout').length > 0);
    relayout.push(await page.evaluate(() => performance.getEntriesByName('canvas:relayout').at(-1)!.duration));
  }
  const textFrames = await page.getByTestId('canvas-text').locator('[role="listitem"]').count();
  await page.getByRole('tab', { name: 'Print proof' }).click();
  await page.getByTestId('proof-time').waitFor();
  const proofMs = Number((await page.getByTestId('proof-time').textContent())!.replace(/\D+/g, ''));
  process.stdout.write(
    `${JSON.stringify({ bench: 'editor:record-switch', page: 'sample front', textFrames, relayoutMs: stats(relayout), peer: { name: 'PDF proof of one record (main, shared/compose)', ms: proofMs } })}\n`,
  );

  // Drag on the sample front (peer), then on the 500-element page.
  await page.getByRole('tab', { name: 'Design', exact: true }).click();
  await page.getByTestId('canvas-text').locator('[role="listitem"]').first().waitFor();
  await page.waitForTimeout(500);
  const small = await dragBench(page, { x: 150, y: 355 }, { w: 648, h: 432, bleed: 9 });
  await page.getByRole('button', { name: 'Library' }).click();
  await page.getByTestId('open-package').setInputFiles(busyZip);
  await page.getByRole('tab', { name: 'Design', exact: true }).click();
  await page.getByTestId('canvas-text').locator('[role="listitem"]').first().waitFor();
  await page.waitForTimeout(1000);
  const elements = await page.getByTestId('layers-panel').locator('[data-testid^="layer-"]').count();
  const big = await dragBench(page, { x: 8 + 11, y: 8 + 9 }, { w: 648, h: 432, bleed: 9 }, process.env.EDITOR_BENCH_PROFILE);
  const over = (xs: number[]) => xs.filter((x) => x > 1000 / 60 + 1).length;
  process.stdout.write(
    `${JSON.stringify({
      bench: 'editor:drag',
      elements,
      frameMs: stats(big.frame),
      syncMs: stats(big.sync),
      rafIntervalMs: stats(big.raf),
      rafOver16_7: over(big.raf),
      peer: {
        name: 'same drag, sample front (9 elements)',
        frameMs: stats(small.frame),
        syncMs: stats(small.sync),
        rafIntervalMs: stats(small.raf),
        rafOver16_7: over(small.raf),
      },
    })}\n`,
  );
} finally {
  await browser.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
}
