import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts, fill, rectangle, rgb } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composePrintJob } from '../../server/print/compose-job';
import { TemplateDocumentSchema } from '../../shared/model/document';
import { sha256Hex } from '../../shared/model/package';
import { ROOT, readPng, tool } from './helpers';

/**
 * PDF artwork placed as vectors: the first page of a PDF asset becomes one Form XObject (with its fonts, images
 * and nested forms copied once) however many records use it, placed with the frame's fit and clipped; broken
 * and encrypted files are per-record errors. Checked with qpdf, pdftotext and pdftoppm.
 */
let dir: string;
let art: Uint8Array;

/** 200 × 100 pt artwork: red square (left), blue disc (right), a nested green form, a PNG logo and text. */
async function makeArtwork(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const inner = await PDFDocument.create();
  inner.addPage([20, 20]).drawRectangle({ x: 0, y: 0, width: 20, height: 20, color: rgb(0, 0.6, 0) });
  const [nested] = await doc.embedPdf(await inner.save());
  const logo = await doc.embedPng(readFileSync(join(ROOT, 'assets/sample-campaign/assets/logos/northside.png')));
  const font = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([200, 100]);
  page.drawRectangle({ x: 0, y: 0, width: 100, height: 100, color: rgb(1, 0, 0) });
  page.drawCircle({ x: 150, y: 50, size: 40, color: rgb(0, 0, 1) });
  page.drawPage(nested!, { x: 5, y: 75 });
  page.drawImage(logo, { x: 110, y: 2, width: 30, height: 10 });
  page.drawText('ARTWORK', { x: 10, y: 40, size: 14, font, color: rgb(1, 1, 1) });
  // A mark in the default colour (no colour operator): black, whatever colour the placing page was using.
  page.pushOperators(rectangle(170, 2, 25, 7), fill());
  return doc.save();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pw-artwork-'));
  art = await makeArtwork();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FONT = join(ROOT, 'node_modules/source-sans/TTF/SourceSans3-Regular.ttf');

function compose(files: Record<string, Uint8Array>, records: Record<string, string>[], out: string, withArt = true) {
  const font = new Uint8Array(readFileSync(FONT));
  const all = { font, ...files };
  const assets = new Map<string, Uint8Array>();
  const list = Object.entries(all).map(([id, bytes]) => {
    const sha = sha256Hex(bytes);
    assets.set(sha, bytes);
    const mediaType = id === 'font' ? 'font/ttf' : 'application/pdf';
    return { id, name: `${id}.${id === 'font' ? 'ttf' : 'pdf'}`, mediaType, sha256: sha, bytes: bytes.length };
  });
  const doc = TemplateDocumentSchema.parse({
    format: 'presswork-template',
    formatVersion: 1,
    id: 'artwork',
    name: 'Artwork',
    brand: {
      name: 'Test',
      fonts: [{ id: 'body', family: 'Source Sans 3', weight: 400, asset: 'font', licence: 'OFL' }],
      swatches: [{ id: 'ink', name: 'Ink', cmyk: [0, 100, 100, 0], srgb: '#ff0000' }],
    },
    assets: list,
    data: { recordKey: 'id', fields: [{ name: 'id' }, { name: 'name' }, { name: 'art' }] },
    print: {
      pages: [
        {
          id: 'p1',
          name: 'Card',
          width: 400,
          height: 300,
          elements: [
            {
              id: 'name',
              type: 'text',
              x: 20,
              y: 250,
              width: 300,
              height: 30,
              style: { font: 'body', size: 14, color: { swatch: 'ink' } },
              paragraphs: [{ runs: [{ text: '{{ name }}' }] }],
            },
            ...(withArt
              ? [
                  // 200 × 200 frame, art 2:1 → contain: 200 × 100, centred vertically (y 70–170).
                  { id: 'contain', type: 'image', x: 20, y: 20, width: 200, height: 200, source: '{{ art }}', fit: 'contain' },
                  // 60 × 60 frame, cover with the focal point at the left: the red half, clipped at x = 300.
                  {
                    id: 'cover',
                    type: 'image',
                    x: 240,
                    y: 20,
                    width: 60,
                    height: 60,
                    source: '{{ art }}',
                    fit: 'cover',
                    focal: { x: 0, y: 0.5 },
                  },
                ]
              : []),
          ],
        },
      ],
    },
  });
  return composePrintJob(
    { document: doc, assets },
    records.map((record, i) => ({ row: i + 1, record })),
    {
      out,
      onError: 'skip',
      today: '2026-11-22',
    },
  );
}

const people = (n: number, art = 'art') => Array.from({ length: n }, (_, i) => ({ id: `R${i + 1}`, name: `Person ${i + 1}`, art }));

describe('PDF artwork', () => {
  it('places the first page as one Form XObject for 50 records, with its fonts, images and nested forms once', () => {
    const out = join(dir, 'fifty.pdf');
    const r = compose({ art }, people(50), out);
    expect(r.ok).toBe(true);
    expect(r.recordsSkipped).toEqual([]);
    expect(r.pages).toBe(50);
    expect(tool('qpdf', ['--check', out])).toContain('No syntax or stream encoding errors');

    // Every object once: the artwork's form (its BBox is the 200 × 100 page), its font, its PNG and nested form.
    const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', out, '-'], { maxBuffer: 64 << 20 }).toString('latin1');
    expect(qdf.match(/\/BBox \[\s*0\s+0\s+200\s+100\s*\]/g)).toHaveLength(1);
    expect(qdf.match(/\/BaseFont \/Helvetica-Bold/g)).toHaveLength(1);
    expect(qdf.match(/\/BBox \[\s*0\s+0\s+20\s+20\s*\]/g)).toHaveLength(1);
    expect(qdf.match(/\/Subtype \/Image/g)).toHaveLength(2); // the logo and its soft mask

    // Its text is real text, on every page.
    for (const p of [1, 50]) {
      const text = tool('pdftotext', ['-f', String(p), '-l', String(p), out, '-']);
      expect(text).toContain('ARTWORK');
      expect(text).toContain(`Person ${p}`);
    }

    // The file grows by about one copy of the artwork, not one per record.
    const without = join(dir, 'without.pdf');
    expect(compose({ art }, people(50), without, false).ok).toBe(true);
    const growth = statSync(out).size - statSync(without).size;
    expect(growth).toBeGreaterThan(art.length * 0.5);
    expect(growth).toBeLessThan(art.length * 1.5 + 50 * 40);
  });

  it('draws the artwork in its frame with the frame’s fit and focal point, clipped (pdftoppm)', () => {
    const out = join(dir, 'raster.pdf');
    expect(compose({ art }, people(2), out).ok).toBe(true);
    for (const page of [1, 2]) {
      const png = join(dir, `raster-${page}`);
      execFileSync('pdftoppm', ['-f', String(page), '-l', String(page), '-r', '72', '-png', '-singlefile', '-cropbox', out, png]);
      const img = readPng(`${png}.png`);
      const at = (x: number, y: number) => {
        const o = (Math.round(y) * img.width + Math.round(x)) * 3;
        return [img.rgb[o]!, img.rgb[o + 1]!, img.rgb[o + 2]!];
      };
      const near = (p: number[], q: number[]) => p.every((v, i) => Math.abs(v - q[i]!) < 40);
      expect(img.width).toBe(400);
      // Contain: art at x 20–220, y 70–170 (the frame is 200 high, the art 100: centred).
      expect(near(at(60, 140), [255, 0, 0]), `red square, page ${page}`).toBe(true);
      expect(near(at(170, 120), [0, 0, 255]), `blue disc, page ${page}`).toBe(true);
      expect(near(at(30, 82), [0, 153, 0]), `nested green form, page ${page}`).toBe(true);
      expect(near(at(202, 164), [0, 0, 0]), `default colour: black, not the page's red text colour`).toBe(true);
      expect(near(at(120, 50), [255, 255, 255]), `above the art, inside the frame: empty`).toBe(true);
      expect(near(at(120, 190), [255, 255, 255]), `below the art, inside the frame: empty`).toBe(true);
      // Cover: the 60 × 60 frame shows the art at 120 × 60 from its left edge: red, clipped at x = 300.
      expect(near(at(290, 72), [255, 0, 0]), `cover: red`).toBe(true);
      expect(near(at(310, 50), [255, 255, 255]), `cover: clipped at the frame`).toBe(true);
    }
  });

  it('reports a broken or an encrypted PDF per record and composes the others', () => {
    const broken = new Uint8Array(Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\nendobj\n2 0 obj [ << >'));
    const plain = join(dir, 'plain.pdf');
    const locked = join(dir, 'locked.pdf');
    writeFileSync(plain, art);
    execFileSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', plain, locked]);
    const encrypted = new Uint8Array(readFileSync(locked));
    const out = join(dir, 'mixed.pdf');
    const records = [...people(2), { id: 'R3', name: 'Broken', art: 'broken' }, { id: 'R4', name: 'Locked', art: 'locked' }, ...people(1)];
    const r = compose({ art, broken, locked: encrypted }, records, out);
    expect(r.ok).toBe(true);
    expect(r.pages).toBe(3);
    expect(r.recordsSkipped.map((s) => [s.row, s.code])).toEqual([
      [3, 'image-unreadable'],
      [4, 'image-unsupported'],
    ]);
    expect(r.recordsSkipped[0]!.reason).toContain('broken.pdf');
    expect(r.recordsSkipped[1]!.reason).toMatch(/encrypted/);
    expect(tool('qpdf', ['--check', out])).toContain('No syntax or stream encoding errors');
  });
});
