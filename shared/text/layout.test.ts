import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FontLibrary, TextError } from './fonts';
import { layoutText, type TextResolver } from './layout';
import { testBrand, textElement } from './test-fonts';

const FONT_DIR = join(import.meta.dirname, '../../assets/sample-campaign/assets/fonts');
const lib = (fallbacks: string[] = []) =>
  new FontLibrary(testBrand(fallbacks), (f) => new Uint8Array(readFileSync(join(FONT_DIR, f.asset))));
const fields = (values: Record<string, string>): TextResolver => ({
  text: (s) => s.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => values[k] ?? ''),
  condition: (s) => (values[s.trim()] ?? '') !== '',
});
const plain = fields({});

describe('layoutText', () => {
  it('breaks at word boundaries so that every line fits the frame', () => {
    const el = textElement({
      width: 120,
      paragraphs: [{ runs: [{ text: 'The quick brown fox jumps over the lazy dog again and again' }] }],
    });
    const l = layoutText(el, plain, lib());
    expect(l.lines.length).toBeGreaterThan(2);
    for (const line of l.lines) expect(line.width).toBeLessThanOrEqual(120 + 1e-6);
    expect(l.lines.map((x) => x.text).join(' ')).toBe('The quick brown fox jumps over the lazy dog again and again');
    // Greedy: the first word of each next line would not have fitted on the line before.
    const fonts = lib();
    const wider = layoutText({ ...el, width: 1000 }, plain, fonts);
    expect(wider.lines).toHaveLength(1);
  });

  it('applies kerning and ligatures from the font', () => {
    const fonts = lib();
    const face = fonts.face('sans' as never);
    const shaped = face.shape('office');
    expect(shaped.glyphs.length).toBe(5); // "ff" is one ligature glyph
    expect(shaped.glyphs[1]!.codePoints).toEqual([102, 102]);
    const av = face.shape('AV');
    const sep = face.glyphAdvance(av.glyphs[0]!.id) + face.glyphAdvance(av.glyphs[1]!.id);
    expect(av.width).toBeLessThan(sep); // kerned pair is tighter
  });

  it('aligns lines left, centre, right and justifies all but the last line', () => {
    const text = 'Book before June and we will have you back on the road the same day.';
    const at = (align: string) => layoutText(textElement({ width: 150, align, paragraphs: [{ runs: [{ text }] }] }), plain, lib());
    const left = at('left');
    const center = at('center');
    const right = at('right');
    const just = at('justify');
    const first = (l: typeof left) => l.lines[0]!;
    expect(first(left).x).toBeCloseTo(0);
    expect(first(right).x + first(right).width).toBeCloseTo(150);
    expect(first(center).x).toBeCloseTo((150 - first(center).width) / 2);
    expect(first(just).width).toBeCloseTo(150);
    const lastRun = first(just).runs[first(just).runs.length - 1]!;
    const lastGlyph = lastRun.glyphs[lastRun.glyphs.length - 1]!;
    expect(lastRun.x + lastGlyph.x).toBeGreaterThan(140);
    expect(just.lines[just.lines.length - 1]!.width).toBeLessThan(150);
  });

  it('styled runs pick faces of the family and keep their own size and colour', () => {
    const el = textElement({
      paragraphs: [
        {
          runs: [
            { text: 'Plain ' },
            { text: 'bold', style: { weight: 700, color: { rgb: '#ff0000' } } },
            { text: ' and ' },
            { text: 'italic', style: { italic: true, size: 18 } },
          ],
        },
      ],
    });
    const l = layoutText(el, plain, lib());
    const faces = l.lines[0]!.runs.map((r) => [r.face.id, r.size, r.text]);
    expect(faces).toEqual([
      ['sans', 12, 'Plain '],
      ['sans-bold', 12, 'bold'],
      ['sans', 12, ' and '],
      ['sans-it', 18, 'italic'],
    ]);
    expect(l.lines[0]!.height).toBeCloseTo(18 * 1.2);
  });

  it('shrinks to fit by binary search and reports min-size and overflow', () => {
    const long = 'your Volkswagen is due for service at the dealership';
    const el = textElement({
      width: 150,
      height: 60,
      style: { font: 'oswald', size: 30, color: { cmyk: [0, 0, 0, 100] } },
      paragraphs: [{ runs: [{ text: long }] }],
      fit: { mode: 'shrink', minSize: 10 },
    });
    const l = layoutText(el, plain, lib());
    expect(l.status).toBe('shrunk');
    expect(l.size).toBeLessThan(30);
    expect(l.size).toBeGreaterThan(10);
    expect(l.contentHeight).toBeLessThanOrEqual(60.01);
    // Slightly larger would not fit: the search found the largest size (within 0.05 pt).
    const bigger = layoutText({ ...el, style: { ...el.style, size: l.size + 0.05 }, fit: { mode: 'overflow' } }, plain, lib());
    expect(bigger.overflow).toBe(true);

    const tight = layoutText({ ...el, fit: { mode: 'shrink', minSize: 26 } }, plain, lib());
    expect(tight.status).toBe('overflow');
    expect(tight.hitMinimum).toBe(true);
    expect(tight.size).toBe(26);
    expect(tight.hiddenLines).toBeGreaterThan(0);

    const over = layoutText({ ...el, fit: { mode: 'overflow' } }, plain, lib());
    expect(over.status).toBe('overflow');
    expect(over.size).toBe(30);
    for (const line of over.lines) expect(line.top + line.height).toBeLessThanOrEqual(60.01);
  });

  it('leaves out paragraphs whose condition is false and resolves Liquid per record', () => {
    const el = textElement({
      paragraphs: [
        { runs: [{ text: '{{ name }}' }] },
        { runs: [{ text: '{{ apt }}' }], visibleIf: 'apt' },
        { runs: [{ text: '{{ city }}' }] },
      ],
    });
    const a = layoutText(el, fields({ name: 'Maria', city: 'Columbus' }), lib());
    expect(a.lines.map((l) => l.text)).toEqual(['Maria', 'Columbus']);
    const b = layoutText(el, fields({ name: 'Maria', apt: 'Apt 4', city: 'Columbus' }), lib());
    expect(b.lines.map((l) => l.text)).toEqual(['Maria', 'Apt 4', 'Columbus']);
  });

  it('falls back to brand.fontFallbacks for a missing glyph, or reports it', () => {
    // Oswald has no "→" (U+2192); Source Sans 3 has it.
    const el = textElement({
      style: { font: 'oswald', size: 12, color: { cmyk: [0, 0, 0, 100] } },
      paragraphs: [{ runs: [{ text: 'Go → now' }] }],
    });
    const fonts = lib(['sans']);
    expect(fonts.face('oswald' as never).hasCodePoint(0x2192)).toBe(false);
    const l = layoutText(el, plain, fonts);
    expect(l.lines[0]!.runs.map((r) => r.face.id)).toEqual(['oswald', 'sans', 'oswald']);
    expect(() => layoutText(el, plain, lib())).toThrow(TextError);
    try {
      layoutText(el, plain, lib());
    } catch (e) {
      expect((e as TextError).code).toBe('missing-glyph');
      expect((e as Error).message).toContain('U+2192');
      expect((e as Error).message).toContain('"t1"');
    }
  });

  it('honours hard line breaks, padding, vertical alignment and tracking', () => {
    const el = textElement({
      height: 100,
      padding: { top: 10, right: 5, bottom: 10, left: 7 },
      verticalAlign: 'bottom',
      paragraphs: [{ runs: [{ text: 'one\ntwo' }] }],
    });
    const l = layoutText(el, plain, lib());
    expect(l.lines.map((x) => x.text)).toEqual(['one', 'two']);
    expect(l.lines[0]!.x).toBeCloseTo(7);
    const last = l.lines[1]!;
    expect(last.top + last.height).toBeCloseTo(90);
    const tracked = layoutText(
      textElement({
        style: { font: 'sans', size: 12, color: { cmyk: [0, 0, 0, 100] }, tracking: 100 },
        paragraphs: [{ runs: [{ text: 'one' }] }],
      }),
      plain,
      lib(),
    );
    const normal = layoutText(textElement({ paragraphs: [{ runs: [{ text: 'one' }] }] }), plain, lib());
    expect(tracked.lines[0]!.width - normal.lines[0]!.width).toBeCloseTo(3 * 1.2);
  });
});

describe('shaping fast path', () => {
  it('gives the same glyphs and advances as full shaping for simple Latin words', () => {
    const fonts = lib();
    for (const id of ['sans', 'oswald', 'sans-bold', 'sans-it'] as const) {
      const face = fonts.face(id as never);
      for (const w of [
        'AVATAR',
        'Columbus,',
        'Young',
        '1452',
        'Wolverhampton',
        'Tuesday.',
        "O'Brien",
        'García',
        'Müller',
        'P.O.',
        '(614)',
        '555-0142',
        'Yvonne',
        'LTA',
        'WAVE',
      ]) {
        const fast = face.shape(w);
        const full = face.fullShape(w);
        expect(
          fast.glyphs.map((g) => g.id),
          `${id} ${w}`,
        ).toEqual(full.glyphs.map((g) => g.id));
        expect(
          fast.glyphs.map((g) => g.advance),
          `${id} ${w}`,
        ).toEqual(full.glyphs.map((g) => g.advance));
      }
    }
  });
});
