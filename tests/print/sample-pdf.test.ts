import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../server/templates/load';
import { createPrintComposer } from '../../shared/compose/print/compose';
import { compileRules } from '../../shared/rules/engine';
import { layoutText } from '../../shared/text/layout';
import type { TextElement } from '../../shared/model/elements/text';
import { CUSTOMERS, SAMPLE, cli, readPng, tool } from './helpers';

/**
 * The sample campaign through the real CLI, checked with real tools: pdffonts, qpdf, Ghostscript separations,
 * pdftotext, pdfinfo boxes, and pdftoppm goldens. Rows 1–6 (two pages each).
 */
const TODAY = '2026-11-22';
const ROWS = 6;
let dir: string;
let pdf: string;
let summary: { ok: boolean; pages: number; recordsDone: number; recordsSkipped: unknown[]; overflow: { frames: unknown[] } };
const records = Papa.parse<Record<string, string>>(readFileSync(CUSTOMERS, 'utf8'), { header: true, skipEmptyLines: 'greedy' }).data;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-print-'));
  pdf = join(dir, 'sample.pdf');
  const r = cli(['compose', 'print', SAMPLE, '--data', CUSTOMERS, '--range', `1-${ROWS}`, '--out', pdf, '--today', TODAY, '--json']);
  expect(r.status, r.stderr).toBe(0);
  summary = JSON.parse(r.stdout) as typeof summary;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('compose print: the sample postcard', () => {
  it('reports pages and records in its JSON summary', () => {
    expect(summary.ok).toBe(true);
    expect(summary.recordsDone).toBe(ROWS);
    expect(summary.pages).toBe(ROWS * 2);
    expect(existsSync(pdf)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('passes qpdf --check', () => {
    const out = tool('qpdf', ['--check', pdf]);
    expect(out).toContain('No syntax or stream encoding errors');
  });

  it('embeds every font as a tagged subset with a ToUnicode map (pdffonts)', () => {
    const lines = tool('pdffonts', [pdf]).trim().split('\n').slice(2);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      const cols = line.split(/\s+/);
      expect(cols[0], line).toMatch(/^[A-Z]{6}\+/);
      // name type... encoding emb sub uni object ID: the three flags sit before the object number.
      expect(cols.slice(-5, -2), line).toEqual(['yes', 'yes', 'yes']);
    }
    const names = lines.map((l) => l.split(/\s+/)[0]!.slice(7));
    expect(names).toEqual(expect.arrayContaining(['Oswald-Bold', 'SourceSans3-Regular', 'SourceSans3-Bold', 'SourceSans3-It']));
  });

  it('prints the spot swatch on its own plate (gs tiffsep)', () => {
    const sep = join(dir, 'sep');
    tool('gs', [
      '-q',
      '-dBATCH',
      '-dNOPAUSE',
      '-dSAFER',
      '-r20',
      '-dFirstPage=1',
      '-dLastPage=1',
      '-sDEVICE=tiffsep',
      `-sOutputFile=${sep}.tif`,
      pdf,
    ]);
    const plates = readdirSync(dir).filter((f) => f.startsWith('sep'));
    expect(plates.some((f) => f.includes('PANTONE 2758 C'))).toBe(true);
    expect(plates.some((f) => f.includes('Cyan'))).toBe(true);
  });

  it('has TrimBox and BleedBox of the template page size (pdfinfo)', () => {
    const info = tool('pdfinfo', ['-box', '-f', '1', '-l', '2', pdf]);
    const box = (name: string) => {
      const m = new RegExp(`Page\\s+1 ${name}:\\s+([-\\d.]+)\\s+([-\\d.]+)\\s+([-\\d.]+)\\s+([-\\d.]+)`).exec(info);
      expect(m, name).not.toBeNull();
      const [x0, y0, x1, y1] = m!.slice(1).map(Number) as [number, number, number, number];
      return { w: x1 - x0, h: y1 - y0, x0, y0 };
    };
    const trim = box('TrimBox');
    const bleed = box('BleedBox');
    const media = box('MediaBox');
    expect([trim.w, trim.h]).toEqual([648, 432]);
    expect([bleed.w, bleed.h]).toEqual([666, 450]);
    expect(bleed.x0).toBeCloseTo(trim.x0 - 9);
    // Crop marks sit outside the bleed, so the media box is larger than the bleed box.
    expect(media.w).toBeGreaterThan(bleed.w + 2 * 12);
  });

  it('page N carries record N’s personalised values (pdftotext)', () => {
    for (let i = 0; i < ROWS; i++) {
      const rec = records[i]!;
      const front = tool('pdftotext', ['-f', String(2 * i + 1), '-l', String(2 * i + 1), pdf, '-']);
      const back = tool('pdftotext', ['-f', String(2 * i + 2), '-l', String(2 * i + 2), pdf, '-']);
      const first = rec.first_name!.trim();
      expect(front.replace(/\s+/g, ' ')).toContain(first ? `Hi ${first},` : 'Hello,');
      expect(front.replace(/\s+/g, ' ')).toContain(`your ${rec.vehicle_make} is due`);
      expect(back).toContain(rec.address1!.trim());
      expect(back.replace(/\s+/g, ' ')).toContain(`${rec.city}, ${rec.state} ${rec.postal_code}`);
      expect(back).toContain(`${rec.first_name!.trim()} ${rec.last_name}`.trim());
    }
  });

  it('prints the line breaks the text engine reported (the contract the canvas relies on)', async () => {
    const loaded = await loadTemplate(SAMPLE);
    if (!loaded.ok) throw new Error('sample does not load');
    const doc = loaded.pkg.document;
    const composer = createPrintComposer(loaded.pkg);
    const bound = compileRules(doc, { today: TODAY }).bind(records[0]!, 1);
    if (!bound.ok) throw new Error(bound.reason);
    const back = doc.print!.pages[1]!;
    const el = back.elements.find((e) => e.id === 'back-message') as TextElement;
    const layout = layoutText(el, bound.bound, composer.ctx.fonts);
    expect(layout.lines.length).toBeGreaterThan(3);
    // Page 2's media box starts 32 pt left of and above the trim (crop marks at 12 + 18 + 2).
    const m = 32;
    const text = tool('pdftotext', [
      '-f',
      '2',
      '-l',
      '2',
      '-r',
      '72',
      '-x',
      String(m + el.x),
      '-y',
      String(m + el.y),
      '-W',
      String(el.width + 2),
      '-H',
      String(el.height),
      '-nopgbrk',
      pdf,
      '-',
    ]);
    const printed = text
      .split('\n')
      .map((l) => l.replace(/\s+/g, ' ').trim())
      .filter(Boolean);
    expect(printed).toEqual(layout.lines.map((l) => l.text.replace(/\s+/g, ' ').trim()).filter(Boolean));
  });

  it('matches the reviewed golden images (pdftoppm, 50 dpi, small tolerance)', () => {
    for (const page of [1, 2]) {
      const base = join(dir, `g${page}`);
      tool('pdftoppm', ['-r', '50', '-png', '-f', String(page), '-l', String(page), '-singlefile', pdf, base]);
      const golden = join(import.meta.dirname, 'golden', `sample-row1-page${page}.png`);
      if (!existsSync(golden) || process.env.UPDATE_GOLDEN === '1') {
        copyFileSync(`${base}.png`, golden);
        continue;
      }
      const a = readPng(`${base}.png`);
      const b = readPng(golden);
      expect([a.width, a.height]).toEqual([b.width, b.height]);
      let sum = 0;
      let bad = 0;
      for (let i = 0; i < a.rgb.length; i++) {
        const d = Math.abs(a.rgb[i]! - b.rgb[i]!);
        sum += d;
        if (d > 64) bad++;
      }
      const mean = sum / a.rgb.length;
      if (mean > 1.5 || bad / a.rgb.length > 0.005) writeFileSync(`${golden}.actual.png`, readFileSync(`${base}.png`));
      expect(mean, `page ${page}: mean difference`).toBeLessThan(1.5);
      expect(bad / a.rgb.length, `page ${page}: share of very different samples`).toBeLessThan(0.005);
    }
  });
});
