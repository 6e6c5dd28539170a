import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../server/templates/load';
import { runPrintBatch, safeFileName, type BatchRecord } from './batch';
import { oneByteCMap, pdfName, subsetTag, toUnicodeCMap, n } from './pdf-writer';
import { parseSvg } from './svg';

const SAMPLE = join(import.meta.dirname, '../../../assets/sample-campaign');

async function composeSample(rows: number, compression: 0 | 6 = 0): Promise<{ pdf: string; summary: ReturnType<typeof runPrintBatch> }> {
  const loaded = await loadTemplate(SAMPLE);
  if (!loaded.ok) throw new Error('sample does not load');
  const csv = Papa.parse<Record<string, string>>(readFileSync(join(SAMPLE, 'data/customers.csv'), 'utf8'), {
    header: true,
    skipEmptyLines: 'greedy',
  });
  const records: BatchRecord[] = csv.data.slice(0, rows).map((record, i) => ({ row: i + 1, record }));
  const chunks: Uint8Array[] = [];
  const summary = runPrintBatch(
    loaded.pkg,
    records,
    { open: () => ({ write: (c) => void chunks.push(c.slice()) }), commit: () => {}, abort: () => {} },
    { today: '2026-11-22', onError: 'skip', compression },
  );
  return { pdf: Buffer.concat(chunks).toString('latin1'), summary };
}

describe('PDF writer', () => {
  it('writes static content once as Form XObjects and each image once, however many records', async () => {
    const six = await composeSample(6);
    const twelve = await composeSample(12);
    const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;
    const formBodies = (s: string) => [...s.matchAll(/\/Subtype\/Form[^>]*>>stream\n([^]*?)\nendstream/g)].map((m) => m[1]!);
    const forms = (s: string) => formBodies(s).length;
    // A recurring text painting (a dealer's name, an offer seen a third time) is a form holding one text object.
    // (Its colour and font may be set just before the BT.)
    const textForms = (s: string) =>
      formBodies(s).filter((b) => /^(?:\/\w+ cs [\d. ]*scn|[\d. ]+ (?:k|g|rg)|\/\w+ [\d.]+ Tf|\s)*BT[^]*ET$/.test(b) && !/ Do\b/.test(b))
        .length;
    expect(forms(six.pdf)).toBeGreaterThan(0);
    // Static runs are forms from the first record; a dealer logo in the same place becomes a form on its second
    // use: twice the records add at most one form per dealer (three) besides recurring text, never one per record.
    expect(forms(twelve.pdf) - textForms(twelve.pdf) - (forms(six.pdf) - textForms(six.pdf))).toBeLessThanOrEqual(3);
    expect(textForms(twelve.pdf)).toBeLessThan(12);
    // Images: hero, and the dealer logos used by these records (each once), with their soft masks.
    expect(count(twelve.pdf, /\/Subtype\/Image/g)).toBeLessThanOrEqual(1 + 3 + 3);
    // Every page draws its static forms by reference (in its own content or a content prefix shared by pages).
    const one = await composeSample(1);
    const perPage = (s: string) => {
      const streams = new Map([...s.matchAll(/(\d+) 0 obj<<[^]*?>>stream\n([^]*?)\nendstream/g)].map((m) => [m[1]!, m[2]!]));
      return [...s.matchAll(/\/Type\/Page\/[^]*?\/Contents *(\[[^\]]*\]|\d+ 0 R)/g)].map((m) =>
        [...m[1]!.matchAll(/(\d+) 0 R/g)].reduce((k, r) => k + count(streams.get(r[1]!) ?? '', /\/[a-zA-Z][0-9a-zA-Z]* Do/g), 0),
      );
    };
    expect(perPage(one.pdf)).toHaveLength(2);
    expect(Math.min(...perPage(one.pdf))).toBeGreaterThan(0);
    expect(perPage(twelve.pdf)).toHaveLength(24);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(perPage(twelve.pdf))).toBeGreaterThanOrEqual(12 * sum(perPage(one.pdf)));
    expect(twelve.summary.pages).toBe(24);
  });

  it('grows with the variable content only', async () => {
    const a = await composeSample(2, 6);
    const b = await composeSample(6, 6);
    const perRecord = (b.pdf.length - a.pdf.length) / 4;
    // The hero photo alone is far larger than a record's pages.
    expect(perRecord).toBeLessThan(a.pdf.length / 4);
  });

  it('names spot inks as PDF names, with reserved characters escaped', () => {
    expect(pdfName('PANTONE 2758 C')).toBe('/PANTONE#202758#20C');
    expect(pdfName('A/B(1)')).toBe('/A#2FB#281#29');
  });

  it('derives a six-letter subset tag from the glyph set', () => {
    const t = subsetTag([0, 5, 9, 12], 'Oswald-Bold');
    expect(t).toMatch(/^[A-Z]{6}$/);
    expect(subsetTag([0, 5, 9, 12], 'Oswald-Bold')).toBe(t);
    expect(subsetTag([0, 5, 9, 13], 'Oswald-Bold')).not.toBe(t);
  });

  it('maps CIDs back to text, ligatures to several characters', () => {
    const cmap = toUnicodeCMap([[], [72], [102, 102], [0x1f600]]);
    expect(cmap).toContain('<0001> <0048>');
    expect(cmap).toContain('<0002> <00660066>');
    expect(cmap).toContain('<0003> <d83dde00>');
  });

  it('maps one-byte codes to CIDs in ranges, and one-byte codes back to text', () => {
    const cids = new Array<number>(256).fill(-1);
    cids[0x41] = 1;
    cids[0x42] = 2;
    cids[0x43] = 3;
    cids[0x00] = 7;
    const cmap = oneByteCMap('Presswork-ABCDEF-1', cids);
    expect(cmap).toContain('<00> <FF>');
    expect(cmap).toContain('2 begincidrange\n<00> <00> 7\n<41> <43> 1\nendcidrange');
    const uni = toUnicodeCMap([[0x66, 0x66], [], [0x3a9]], 1);
    expect(uni).toContain('<00> <00660066>');
    expect(uni).toContain('<02> <03a9>');
    expect(uni).not.toContain('<01>');
  });

  it('formats numbers without exponents and leading zeros', () => {
    expect(n(1e-7)).toBe('0');
    expect(n(12.34567)).toBe('12.346');
    expect(n(-0.0001)).toBe('0');
    expect(n(0.9)).toBe('.9');
    expect(n(-0.25)).toBe('-.25');
    expect(n(-3.5)).toBe('-3.5');
  });

  it('makes safe file names', () => {
    expect(safeFileName('../etc/passwd')).toBe('__etc_passwd.pdf');
    expect(safeFileName('C-1 Müller.pdf')).toBe('C-1 Müller.pdf');
    expect(safeFileName('nul\u0000byte')).toBe('nul_byte.pdf');
    expect(safeFileName('🙂🚗 Ünïcödé')).toBe('🙂🚗 Ünïcödé.pdf');
    expect(safeFileName('CON')).toBe('_CON.pdf');
    expect(safeFileName('aux.txt')).toBe('_aux.txt.pdf');
    expect(safeFileName('name. . ')).toBe('name.pdf');
    expect(safeFileName('')).toBe('record.pdf');
    const long = safeFileName('🙂'.repeat(5000));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(124);
    expect(long).toMatch(/^(🙂)+-[0-9a-f]{8}\.pdf$/);
    expect(safeFileName(`${'x'.repeat(5000)}a`)).not.toBe(safeFileName(`${'x'.repeat(5000)}b`));
  });
});

describe('SVG art', () => {
  it('places the sample network mark as vector shapes, brand colours mapped to swatches', () => {
    const src = readFileSync(join(SAMPLE, 'assets/logos/network-mark.svg'), 'utf8');
    const art = parseSvg(src, (hex) =>
      hex === '#14358c' ? { kind: 'spot', name: 'PANTONE 2758 C', cmyk: [1, 0.85, 0.05, 0.22], tint: 1 } : { kind: 'rgb', rgb: [0, 0, 0] },
    );
    expect(art.width).toBeGreaterThan(0);
    expect(art.items.length).toBeGreaterThan(1);
    expect(art.items.some((i) => i.kind === 'shape' && i.fill?.kind === 'spot')).toBe(true);
  });

  it('refuses text and gradients with a reason', () => {
    expect(() => parseSvg('<svg viewBox="0 0 10 10"><text>Hi</text></svg>', () => ({ kind: 'rgb', rgb: [0, 0, 0] }))).toThrow(/outlines/);
    expect(() =>
      parseSvg('<svg viewBox="0 0 10 10"><rect width="5" height="5" fill="url(#g)"/></svg>', () => ({ kind: 'rgb', rgb: [0, 0, 0] })),
    ).toThrow(/gradients/);
  });
});
