import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../server/templates/load';
import { SAMPLE_DIR } from '../../main/studio';
import { parseDataFile } from '../../shared/data/records';
import { createPrintComposer, type PrintComposer } from '../../shared/compose/print/compose';
import type { PlanItem } from '../../shared/compose/plan/types';
import { compileRules, type CompiledRules } from '../../shared/rules/engine';
import { FontLibrary } from '../../shared/text/fonts';
import type { TemplateDocument } from '../../shared/model/document';
import type { DataRow } from '../../shared/data/records';
import { canvasTextFrames } from '../../renderer/canvas/text-frames';

/**
 * The canvas and the PDF agree: for the sample template and its first 20 records, the lines the canvas
 * draws (renderer/canvas/text-frames, what the fabric view paints from) equal the lines of the composed PDF
 * plan (shared/compose/print, what the PDF writer paints), frame by frame, with the same overflow flags.
 * The canvas side builds its own font library from the font bytes and binds each record with
 * shared/rules, as the studio's canvas services do; the PDF side is the composer used by every print job.
 */
const TODAY = '2026-11-22';
const RECORDS = 20;

let doc: TemplateDocument;
let composer: PrintComposer;
let rules: CompiledRules;
let canvasFonts: FontLibrary;
let rows: DataRow[];

beforeAll(async () => {
  const r = await loadTemplate(SAMPLE_DIR);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  doc = r.pkg.document;
  composer = createPrintComposer({ document: doc, assets: r.pkg.assets });
  rules = compileRules(doc, { today: TODAY });
  const assetById = new Map(doc.assets.map((a) => [a.id as string, a]));
  canvasFonts = new FontLibrary(doc.brand, (f) => r.pkg.assets.get(assetById.get(f.asset)?.sha256 ?? ''));
  const csv = readFileSync(join(SAMPLE_DIR, 'data/customers.csv'));
  rows = (await parseDataFile(new Uint8Array(csv), 'customers.csv', doc.data)).rows.slice(0, RECORDS);
});

/** The plan's text items in paint order (static runs and groups flattened). */
function planTexts(items: readonly PlanItem[]): Extract<PlanItem, { kind: 'text' }>[] {
  return items.flatMap((i) => (i.kind === 'text' ? [i] : i.kind === 'static' || i.kind === 'group' ? planTexts(i.items) : []));
}

describe('canvas text = composed PDF text (sample template, 20 records)', () => {
  it('has 20 records with text on both pages', () => {
    expect(rows).toHaveLength(RECORDS);
    expect(doc.print!.pages).toHaveLength(2);
  });

  it('draws the same lines, sizes and overflow flags as the PDF for every record and frame', () => {
    let frames = 0;
    for (const row of rows) {
      const bound = rules.bind(row.values, row.row);
      if (!bound.ok) throw new Error(`row ${row.row}: ${bound.reason}`);
      const composed = composer.composeRecord(bound.bound);
      if (!composed.ok) throw new Error(`row ${row.row}: ${composed.reason}`);
      const pdfOverflow = new Set(
        composed.frames.filter((f) => f.status === 'overflow' || f.status === 'clipped').map((f) => `${f.pageId}/${f.elementId}`),
      );
      for (const [i, page] of doc.print!.pages.entries()) {
        const canvas = canvasTextFrames(page, bound.bound, canvasFonts);
        const pdf = planTexts(composed.pages[i]!.items);
        expect(canvas.length, `row ${row.row} page ${page.id}: number of text frames`).toBe(pdf.length);
        canvas.forEach((c, k) => {
          const p = pdf[k]!.layout;
          const where = `row ${row.row} ${c.elementId}`;
          expect(
            c.lines.map((l) => l.text),
            where,
          ).toEqual(p.lines.map((l) => l.text));
          expect(
            c.lines.map((l) => [l.x, l.baseline]),
            where,
          ).toEqual(p.lines.map((l) => [l.x, l.baseline]));
          expect(c.size, where).toBe(p.size);
          expect(c.status, where).toBe(p.status);
          expect(c.overflow || c.status === 'clipped', where).toBe(pdfOverflow.has(`${page.id}/${c.elementId}`));
          frames += 1;
        });
      }
    }
    // Every record prints several frames; the check is not vacuous.
    expect(frames).toBeGreaterThan(RECORDS * 5);
  });

  it('flags the same frames as overflowing when text does not fit (a squeezed body frame)', async () => {
    const r = await loadTemplate(SAMPLE_DIR);
    if (!r.ok) throw new Error('load failed');
    const squeezed: TemplateDocument = {
      ...doc,
      print: {
        ...doc.print!,
        pages: doc.print!.pages.map((p) => ({
          ...p,
          elements: p.elements.map((e) => (e.id === 'front-body' || e.id === 'back-message' ? { ...e, height: 20 } : e)),
        })),
      },
    };
    const c = createPrintComposer({ document: squeezed, assets: r.pkg.assets });
    const rr = compileRules(squeezed, { today: TODAY });
    let flagged = 0;
    for (const row of rows) {
      const bound = rr.bind(row.values, row.row);
      if (!bound.ok) throw new Error(bound.reason);
      const composed = c.composeRecord(bound.bound);
      if (!composed.ok) throw new Error(composed.reason);
      const pdfOverflow = composed.frames
        .filter((f) => f.status === 'overflow')
        .map((f) => f.elementId)
        .sort();
      const canvasOverflow = squeezed
        .print!.pages.flatMap((p) => canvasTextFrames(p, bound.bound, canvasFonts))
        .filter((f) => f.overflow)
        .map((f) => f.elementId)
        .sort();
      expect(canvasOverflow, `row ${row.row}`).toEqual(pdfOverflow);
      flagged += canvasOverflow.length;
    }
    expect(flagged).toBeGreaterThanOrEqual(RECORDS * 2);
  });

  it('finds a difference when the canvas lays out with another record (the comparison can fail)', () => {
    const a = rules.bind(rows[0]!.values, rows[0]!.row);
    const b = rules.bind(rows[1]!.values, rows[1]!.row);
    if (!a.ok || !b.ok) throw new Error('bind failed');
    const composed = composer.composeRecord(a.bound);
    if (!composed.ok) throw new Error(composed.reason);
    const canvas = canvasTextFrames(doc.print!.pages[0]!, b.bound, canvasFonts).map((f) => f.lines.map((l) => l.text));
    const pdf = planTexts(composed.pages[0]!.items).map((t) => t.layout.lines.map((l) => l.text));
    expect(canvas).not.toEqual(pdf);
  });
});
