import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFont, FontCheckError } from './font-check';
import { FontLibrary, TextError } from './fonts';

const FONTS = join(import.meta.dirname, '../../assets/sample-campaign/assets/fonts');
const TTF = new Uint8Array(readFileSync(join(FONTS, 'Oswald_700Bold.ttf')));
const OTF = new Uint8Array(readFileSync(join(FONTS, 'SourceSans3-Regular.otf')));

const problemOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof FontCheckError) return e.problem;
    throw e;
  }
  return 'no problem';
};

describe('checkFont', () => {
  it('accepts the sample fonts, TrueType and CFF, at both depths', () => {
    for (const b of [TTF, OTF]) {
      expect(checkFont(b, 'structure').numGlyphs).toBeGreaterThan(100);
      expect(checkFont(b, 'full').numGlyphs).toBeGreaterThan(100);
    }
  });

  it.each([
    ['TrueType', TTF],
    ['CFF', OTF],
  ])('reports every cut of a %s font in words (40 cuts), never a DataView or type error', (_kind, b) => {
    for (let i = 0; i < 40; i++) {
      const n = Math.floor((b.length * i) / 40);
      expect(problemOf(() => checkFont(b.subarray(0, n), 'full'))).toMatch(
        /empty|too short|cut short|runs past|lies past|outside|damaged|missing/,
      );
    }
  });

  it('finds a damaged table by its checksum when the bytes still decode', () => {
    const b = OTF.slice();
    b.fill(0x5a, Math.floor(b.length * 0.4), Math.floor(b.length * 0.4) + 64);
    expect(problemOf(() => checkFont(b, 'full'))).toMatch(
      /^the "CFF " table is damaged: its checksum is [0-9a-f]{8}, the font says [0-9a-f]{8}/,
    );
  });

  it('names what a non-font is', () => {
    expect(problemOf(() => checkFont(new Uint8Array(0)))).toBe('the file is empty (0 bytes)');
    expect(problemOf(() => checkFont(new TextEncoder().encode('<html><body>')))).toMatch(
      /not a TrueType, OpenType or WOFF font \(it starts with "<htm"\)/,
    );
    expect(problemOf(() => checkFont(new TextEncoder().encode('ttcf\0\0\0\0')))).toMatch(/font collection/);
  });
});

describe('FontLibrary with a damaged file', () => {
  it('throws TextError naming the font and its file', () => {
    const brand = {
      name: 'B',
      fonts: [{ id: 'body', family: 'Oswald', weight: 700, style: 'normal', asset: 'font-body', licence: '', emailFallback: 'Arial' }],
      swatches: [],
      logos: [],
      fontFallbacks: [],
    } as unknown as ConstructorParameters<typeof FontLibrary>[0];
    const lib = new FontLibrary(
      brand,
      () => TTF.subarray(0, 50_000),
      () => 'fonts/Oswald.ttf',
    );
    let err: unknown;
    try {
      lib.face('body' as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TextError);
    expect((err as TextError).code).toBe('font-unreadable');
    expect((err as TextError).message).toMatch(
      /^font "body" \(file "fonts\/Oswald\.ttf"\) cannot be read: .*runs past the end of the file .*; replace the file/,
    );
  });
});
