// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- fontkit and linebreak ship no types: bring our declarations into every tsconfig that compiles this file
/// <reference path="./fontkit.d.ts" />
import type { FkFont } from 'fontkit';
import { checkFont, FontCheckError } from './font-check';
import { Generations } from './generations';
import type { BrandFont, BrandKit } from '../model/brand';
import type { FontId } from '../model/ids';

/** Bytes of a brand font, looked up by the engine's host (package assets on the server, the library in the studio). */
export interface FontBytesResolver {
  (font: BrandFont): Uint8Array | undefined;
}

/** One glyph after shaping: font units, kerning folded into `advance`. */
export interface ShapedGlyph {
  id: number;
  /** Advance in font units, kerning included. */
  advance: number;
  /** The characters this glyph stands for (several for a ligature). */
  codePoints: readonly number[];
  xOffset: number;
  yOffset: number;
}

export interface Shaped {
  glyphs: readonly ShapedGlyph[];
  /** Sum of advances, font units. */
  width: number;
}

export class TextError extends Error {
  constructor(
    readonly code: 'font-missing' | 'font-unreadable' | 'face-missing' | 'missing-glyph',
    message: string,
  ) {
    super(message);
    this.name = 'TextError';
  }
}

/** Shaped strings kept per face: two generations of this many (see generations.ts). */
const SHAPE_GENERATION = 8_192;
/** Basic Latin and Latin-1 letters, digits and punctuation (no combining marks, no complex scripts). */
const SIMPLE = /^[\u0020-\u007e\u00a0-\u00ff]*$/;
/** Sequences that standard or contextual ligatures/alternates may touch: shape those fully. */
const LIGATURE_CANDIDATE = /f[a-zA-Z\u00e0-\u00ff]|T[h]|[-:.]{2}|\d\/\d/;

/**
 * One font face, loaded once, with caches: code point coverage and shaped strings (fontkit's `layout`
 * costs tens of microseconds; names, streets and words repeat a lot across records).
 */
export class FontFace {
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  readonly capHeight: number;
  readonly postscriptName: string;
  /** CFF outlines (OTF) rather than TrueType glyf. */
  readonly isCFF: boolean;
  private readonly covers = new Map<number, boolean>();
  private readonly shapes = new Generations<string, Shaped>(SHAPE_GENERATION);
  private readonly advances = new Map<number, number>();

  constructor(
    readonly brand: BrandFont,
    readonly bytes: Uint8Array,
    readonly font: FkFont,
    /** How messages name the file, e.g. `font "body" (fonts/Body.ttf)`. */
    readonly label: string = `font "${brand.id}" (asset "${brand.asset}")`,
  ) {
    this.unitsPerEm = font.unitsPerEm;
    this.ascent = font.ascent;
    this.descent = font.descent;
    this.capHeight = font.capHeight || font.ascent * 0.7;
    this.postscriptName = (font.postscriptName ?? brand.family).replace(/[^A-Za-z0-9_.-]/g, '');
    this.isCFF = font['CFF '] !== undefined && font['CFF '] !== null;
  }

  get id(): FontId {
    return this.brand.id;
  }

  /**
   * Run a fontkit call; a failure inside the font file (a table that reads past its end, a damaged
   * structure) becomes a TextError that names the font and its file instead of a DataView error.
   */
  read<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw new TextError(
        'font-unreadable',
        `${this.label} is damaged: ${what} failed (${e instanceof Error ? e.message : String(e)}); replace the file with an intact copy (presswork validate checks every font)`,
      );
    }
  }

  hasCodePoint(cp: number): boolean {
    let v = this.covers.get(cp);
    if (v === undefined) this.covers.set(cp, (v = this.read('looking up a character', () => this.font.hasGlyphForCodePoint(cp))));
    return v;
  }

  /** The glyph's own advance (font units), as written in the PDF /W array. */
  glyphAdvance(id: number): number {
    let a = this.advances.get(id);
    if (a === undefined) this.advances.set(id, (a = this.read(`reading glyph ${id}`, () => this.font.getGlyph(id).advanceWidth)));
    return a;
  }

  private readonly cmap = new Map<number, { id: number; advance: number }>();
  private readonly kerns = new Map<number, number>();

  /**
   * Shape a string with the font's default features (kerning, standard ligatures). Cached per string.
   * Simple Latin words that cannot form a ligature take a fast path: glyphs from the cmap plus pair kerning,
   * each pair shaped once by fontkit and cached — the same result as full shaping (a test holds them equal)
   * at a fraction of the cost for the endless new names, numbers and streets of a data file.
   */
  shape(text: string): Shaped {
    const hit = this.shapes.get(text);
    if (hit) return hit;
    const shaped = this.read('shaping text', () =>
      SIMPLE.test(text) && !LIGATURE_CANDIDATE.test(text) ? this.fastShape(text) : this.fullShape(text),
    );
    this.shapes.set(text, shaped);
    return shaped;
  }

  private glyphOf(cp: number): { id: number; advance: number } {
    let g = this.cmap.get(cp);
    if (!g) {
      const gl = this.font.glyphForCodePoint(cp);
      g = { id: gl.id, advance: gl.advanceWidth };
      this.cmap.set(cp, g);
    }
    return g;
  }

  /** Kerning between two characters (font units), from shaping the pair once. */
  private kern(a: number, b: number): number {
    const key = a * 0x110000 + b;
    let k = this.kerns.get(key);
    if (k === undefined) {
      const run = this.font.layout(String.fromCodePoint(a, b));
      k = run.glyphs.length === 2 ? run.positions[0]!.xAdvance - this.glyphOf(a).advance : 0;
      this.kerns.set(key, k);
    }
    return k;
  }

  private fastShape(text: string): Shaped {
    const glyphs: ShapedGlyph[] = [];
    let width = 0;
    let prev = -1;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const g = this.glyphOf(cp);
      if (prev >= 0) {
        const k = this.kern(prev, cp);
        if (k !== 0) {
          const last = glyphs[glyphs.length - 1]!;
          glyphs[glyphs.length - 1] = { ...last, advance: last.advance + k };
          width += k;
        }
      }
      glyphs.push({ id: g.id, advance: g.advance, codePoints: [cp], xOffset: 0, yOffset: 0 });
      width += g.advance;
      prev = cp;
    }
    return { glyphs, width };
  }

  /** Full OpenType shaping through fontkit (GSUB + GPOS). */
  fullShape(text: string): Shaped {
    const run = this.font.layout(text);
    const glyphs: ShapedGlyph[] = [];
    let width = 0;
    for (let i = 0; i < run.glyphs.length; i++) {
      const g = run.glyphs[i]!;
      const p = run.positions[i]!;
      glyphs.push({ id: g.id, advance: p.xAdvance, codePoints: g.codePoints, xOffset: p.xOffset, yOffset: p.yOffset });
      width += p.xAdvance;
    }
    return { glyphs, width };
  }
}

/**
 * The brand kit's fonts, loaded lazily. Picks the face for a run (family + weight + italic) and the
 * fallback face for a character the requested face lacks (brand.fontFallbacks, in order).
 */
export class FontLibrary {
  private readonly faces = new Map<string, FontFace>();
  private readonly byId: Map<string, BrandFont>;

  constructor(
    readonly brand: BrandKit,
    private readonly resolve: FontBytesResolver,
    /** The file name of a font's asset, for messages (the asset id when absent). */
    private readonly fileName?: (font: BrandFont) => string | undefined,
  ) {
    this.byId = new Map(brand.fonts.map((f) => [f.id, f]));
  }

  /** Every face loaded so far (the PDF writer embeds those that were used). */
  loaded(): FontFace[] {
    return [...this.faces.values()];
  }

  face(id: FontId): FontFace {
    const hit = this.faces.get(id);
    if (hit) return hit;
    const brand = this.byId.get(id);
    if (!brand) throw new TextError('font-missing', `font "${id}" is not in the brand kit; add it to brand.fonts or pick another font`);
    const bytes = this.resolve(brand);
    if (!bytes)
      throw new TextError('font-missing', `the file of font "${id}" (asset "${brand.asset}") is missing from the template package`);
    const file = this.fileName?.(brand);
    const label = `font "${id}" (${file ? `file "${file}"` : `asset "${brand.asset}"`})`;
    let font: FkFont;
    try {
      font = checkFont(bytes, 'structure');
    } catch (e) {
      const why = e instanceof FontCheckError ? e.problem : e instanceof Error ? e.message : String(e);
      throw new TextError('font-unreadable', `${label} cannot be read: ${why}; replace the file with an intact copy`);
    }
    const face = new FontFace(brand, bytes, font, label);
    this.faces.set(id, face);
    return face;
  }

  /** The face of `base`'s family with the given weight and style; the closest weight when the exact one is absent. */
  styled(base: FontId, weight: number | undefined, italic: boolean | undefined): FontFace {
    const b = this.byId.get(base);
    if (!b || (weight === undefined && italic === undefined)) return this.face(base);
    const w = weight ?? b.weight;
    const style = italic === undefined ? b.style : italic ? 'italic' : 'normal';
    if (w === b.weight && style === b.style) return this.face(base);
    const family = this.brand.fonts.filter((f) => f.family === b.family && f.style === style);
    if (family.length === 0)
      throw new TextError(
        'face-missing',
        `the brand kit has no ${style} face of "${b.family}"; add one to brand.fonts or remove the italic style from the run`,
      );
    family.sort((x, y) => Math.abs(x.weight - w) - Math.abs(y.weight - w));
    return this.face(family[0]!.id);
  }

  /** The face that draws `cp`: `face` itself, else the first fallback that has it, else undefined. */
  faceFor(face: FontFace, cp: number): FontFace | undefined {
    if (face.hasCodePoint(cp)) return face;
    for (const id of this.brand.fontFallbacks) {
      const f = this.face(id);
      if (f.hasCodePoint(cp)) return f;
    }
    return undefined;
  }
}
