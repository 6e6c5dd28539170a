/** The small part of fontkit 2 that Presswork uses (fontkit ships no types). */
declare module 'fontkit' {
  export interface FkGlyph {
    id: number;
    codePoints: number[];
    advanceWidth: number;
    name?: string;
  }
  export interface FkPosition {
    xAdvance: number;
    yAdvance: number;
    xOffset: number;
    yOffset: number;
  }
  export interface FkGlyphRun {
    glyphs: FkGlyph[];
    positions: FkPosition[];
  }
  export interface FkSubset {
    includeGlyph(glyph: number | FkGlyph): number;
    encode(): Uint8Array;
  }
  export interface FkBBox {
    minX: number;
    minY: number;
    maxX: number;
    maxY: number;
  }
  export interface FkFont {
    type: string;
    postscriptName: string | null;
    familyName: string;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    lineGap: number;
    capHeight: number;
    xHeight: number;
    italicAngle: number;
    bbox: FkBBox;
    numGlyphs: number;
    /** Present on CFF-flavoured OpenType fonts. */
    'CFF '?: unknown;
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): FkGlyph;
    getGlyph(id: number): FkGlyph;
    layout(text: string, features?: string[] | Record<string, boolean>): FkGlyphRun;
    createSubset(): FkSubset;
  }
  export function create(bytes: Uint8Array, postscriptName?: string): FkFont;
}

/** linebreak 1.x: the Unicode line breaking algorithm (UAX #14). */
declare module 'linebreak' {
  export interface Break {
    position: number;
    required: boolean;
  }
  export default class LineBreaker {
    constructor(text: string);
    nextBreak(): Break | null;
  }
}
