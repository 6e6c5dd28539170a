// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- fontkit ships no types: bring our declarations into every tsconfig that compiles this file
/// <reference path="./fontkit.d.ts" />
import { create, type FkFont } from 'fontkit';

/**
 * Checking a font file before the engine relies on it. fontkit reads tables lazily and swallows a table it
 * cannot decode, so a truncated or damaged font used to fail deep inside shaping or subsetting with
 * "Offset is outside the bounds of the DataView". Here the file is walked first, with every failure said in
 * words: what is wrong, where in the file, and that the file must be replaced.
 *
 * - `structure` (when a composer loads a face): the table directory inside the file, the tables Presswork reads
 *   present and decodable, every glyph's outline inside its table (loca/glyf, CFF CharStrings).
 * - `full` (validate, publish): additionally every table's checksum (a byte changed anywhere shows, even
 *   where the damaged table still decodes), and a subset written the way the PDF writer
 *   writes one (for CFF fonts that runs the glyphs' charstrings). Composition never reads an outline
 *   otherwise, so this is everything composing does with a font.
 */

export type FontCheckDepth = 'structure' | 'full';

export class FontCheckError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'FontCheckError';
  }
}

/** Tables fontkit decodes for Presswork: metrics, cmap, names, layout, outlines. */
const USED_TABLES = ['head', 'hhea', 'maxp', 'hmtx', 'cmap', 'OS/2', 'post', 'name', 'GDEF', 'GSUB', 'GPOS', 'kern', 'loca', 'CFF '];
const REQUIRED = ['head', 'hhea', 'maxp', 'hmtx', 'cmap'];

interface TableRecord {
  tag: string;
  offset: number;
  length: number;
}

const fail = (problem: string): never => {
  throw new FontCheckError(problem);
};

const u16 = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

/** The sfnt table directory, each table inside the file. */
function sfntTables(b: Uint8Array): Map<string, TableRecord> {
  if (b.length < 12) fail(`the file is ${b.length} bytes, too short for a font header (12 bytes): it is cut short`);
  const n = u16(b, 4);
  if (n === 0) fail('the font has no tables');
  if (12 + n * 16 > b.length) fail(`the table directory (${n} tables) runs past the end of the file (${b.length} bytes): it is cut short`);
  const tables = new Map<string, TableRecord>();
  for (let i = 0; i < n; i++) {
    const at = 12 + i * 16;
    const tag = String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
    const offset = u32(b, at + 8);
    const length = u32(b, at + 12);
    if (offset + length > b.length)
      fail(
        `the ${JSON.stringify(tag)} table (bytes ${offset}–${offset + length}) runs past the end of the file (${b.length} bytes): the file is cut short`,
      );
    tables.set(tag, { tag, offset, length });
  }
  return tables;
}

/**
 * Each table's checksum (the sum of its big-endian 32-bit words; `head` with its checkSumAdjustment taken
 * out). A byte changed in transfer or storage shows here even where the damaged table still decodes.
 */
function checkChecksums(b: Uint8Array, tables: Map<string, TableRecord>): void {
  for (const t of tables.values()) {
    const rec = [...tables.keys()].indexOf(t.tag);
    const expected = u32(b, 12 + rec * 16 + 4);
    let sum = 0;
    const end = t.offset + t.length;
    for (let o = t.offset; o < end; o += 4) {
      const word =
        o + 4 <= end
          ? u32(b, o)
          : (((b[o] ?? 0) << 24) | ((o + 1 < end ? b[o + 1]! : 0) << 16) | ((o + 2 < end ? b[o + 2]! : 0) << 8)) >>> 0;
      sum = (sum + word) >>> 0;
    }
    if (t.tag === 'head' && t.length >= 12) sum = (sum - u32(b, t.offset + 8)) >>> 0;
    if (sum !== expected)
      fail(
        `the ${JSON.stringify(t.tag)} table is damaged: its checksum is ${sum.toString(16).padStart(8, '0')}, the font says ${expected.toString(16).padStart(8, '0')} (the file was changed after it was made)`,
      );
  }
}

/** CFF INDEX at `o` (inside `end`): its element offsets as absolute positions; throws when it leaves the table. */
function cffIndex(b: Uint8Array, o: number, end: number, what: string): { items: number[]; next: number } {
  if (o + 2 > end) fail(`the CFF ${what} lies outside the CFF table`);
  const count = u16(b, o);
  if (count === 0) return { items: [], next: o + 2 };
  const offSize = b[o + 2]!;
  if (offSize < 1 || offSize > 4) fail(`the CFF ${what} has an invalid offset size ${offSize}`);
  const offsetsAt = o + 3;
  const dataAt = offsetsAt + (count + 1) * offSize - 1;
  if (dataAt > end) fail(`the CFF ${what} (${count} entries) runs past the CFF table`);
  const read = (i: number) => {
    let v = 0;
    for (let k = 0; k < offSize; k++) v = v * 256 + b[offsetsAt + i * offSize + k]!;
    return dataAt + v;
  };
  const items: number[] = [];
  let prev = read(0);
  for (let i = 0; i <= count; i++) {
    const at = read(i);
    if (at < prev || at > end) fail(`entry ${i} of the CFF ${what} lies outside the CFF table`);
    items.push(at);
    prev = at;
  }
  return { items, next: items[count]! };
}

/** The CharStrings offset (operator 17) of a CFF Top DICT. */
function topDictCharStrings(b: Uint8Array, from: number, to: number): number | undefined {
  const operands: number[] = [];
  let o = from;
  while (o < to) {
    const v = b[o]!;
    if (v <= 21) {
      const op = v === 12 ? 1200 + b[o + 1]! : v;
      o += v === 12 ? 2 : 1;
      if (op === 17) return operands[operands.length - 1];
      operands.length = 0;
    } else if (v === 28) {
      operands.push((((b[o + 1]! << 8) | b[o + 2]!) << 16) >> 16);
      o += 3;
    } else if (v === 29) {
      operands.push(u32(b, o + 1) | 0);
      o += 5;
    } else if (v === 30) {
      o++;
      while (o < to && (b[o]! & 0x0f) !== 0x0f && (b[o]! & 0xf0) !== 0xf0) o++;
      o++;
      operands.push(0);
    } else if (v >= 32 && v <= 246) {
      operands.push(v - 139);
      o++;
    } else if (v >= 247 && v <= 250) {
      operands.push((v - 247) * 256 + b[o + 1]! + 108);
      o += 2;
    } else if (v >= 251 && v <= 254) {
      operands.push(-(v - 251) * 256 - b[o + 1]! - 108);
      o += 2;
    } else o++;
  }
  return undefined;
}

/** Every glyph's outline inside its table: loca offsets in order and within glyf, or CFF CharStrings in bounds. */
function checkOutlineBounds(b: Uint8Array, tables: Map<string, TableRecord>, numGlyphs: number, longLoca: boolean): void {
  const glyf = tables.get('glyf');
  const loca = tables.get('loca');
  const cff = tables.get('CFF ');
  if (glyf && loca) {
    const size = longLoca ? 4 : 2;
    if (loca.length < (numGlyphs + 1) * size)
      fail(`the "loca" table has room for ${Math.floor(loca.length / size) - 1} glyphs, but the font says it has ${numGlyphs}`);
    let prev = 0;
    for (let i = 0; i <= numGlyphs; i++) {
      const at = loca.offset + i * size;
      const off = longLoca ? u32(b, at) : u16(b, at) * 2;
      if (off < prev) fail(`glyph ${i - 1} has a negative length in the "loca" table: the table is damaged`);
      if (off > glyf.length) fail(`glyph ${Math.max(0, i - 1)} lies past the end of the "glyf" table: the font is damaged or cut short`);
      prev = off;
    }
  } else if (cff) {
    const end = cff.offset + cff.length;
    const hdrSize = b[cff.offset + 2]!;
    const names = cffIndex(b, cff.offset + hdrSize, end, 'Name INDEX');
    const top = cffIndex(b, names.next, end, 'Top DICT INDEX');
    if (top.items.length < 2) fail('the CFF table has no Top DICT');
    const cs = topDictCharStrings(b, top.items[0]!, top.items[1]!);
    if (cs === undefined) fail('the CFF Top DICT has no CharStrings');
    const charStrings = cffIndex(b, cff.offset + cs!, end, 'CharStrings INDEX');
    if (charStrings.items.length - 1 !== numGlyphs)
      fail(`the CFF table holds ${charStrings.items.length - 1} glyph outlines, but the font says it has ${numGlyphs}`);
  } else if (!tables.has('CFF2')) fail('the font has no glyph outlines (neither "glyf"/"loca" nor "CFF " tables)');
}

const SAMPLE = 'Hamburgefonstiv HAMBURG 0123456789 fi fl ffi Th ÄÖÜäöüß €';

/**
 * Check a font file; returns the fontkit font when it can be used. Throws FontCheckError with a plain
 * description of the first problem (the caller names the file).
 */
export function checkFont(bytes: Uint8Array, depth: FontCheckDepth = 'structure'): FkFont {
  if (bytes.length === 0) fail('the file is empty (0 bytes)');
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  const sfnt = magic === 'OTTO' || magic === 'true' || u32(bytes, 0) === 0x00010000;
  if (magic === 'ttcf') fail('it is a font collection (.ttc/.otc); extract the one face you need as a .ttf or .otf');
  if (!sfnt && magic !== 'wOFF' && magic !== 'wOF2')
    fail(`it is not a TrueType, OpenType or WOFF font (it starts with ${JSON.stringify(magic.replace(/[^\x20-\x7e]/g, '.'))})`);
  const tables = sfnt ? sfntTables(bytes) : undefined;
  if (tables) {
    for (const t of REQUIRED) if (!tables.has(t)) fail(`the required ${JSON.stringify(t)} table is missing`);
    if (depth === 'full') checkChecksums(bytes, tables);
  }

  let font: FkFont;
  try {
    // (Cast: other tsconfigs may merge a looser declaration of fontkit's `create`.)
    font = create(bytes) as FkFont;
  } catch (e) {
    return fail(`fontkit cannot open it (${e instanceof Error ? e.message : String(e)})`);
  }
  const present = (font as unknown as { directory?: { tables?: Record<string, unknown> } }).directory?.tables ?? {};
  for (const tag of USED_TABLES) {
    if (!(tag in present)) continue;
    // fontkit decodes a table on first access and answers undefined when it cannot.
    let table: unknown;
    try {
      table = (font as unknown as Record<string, unknown>)[tag];
    } catch (e) {
      fail(`the ${JSON.stringify(tag)} table cannot be read (${e instanceof Error ? e.message : String(e)})`);
    }
    if (table === undefined || table === null) fail(`the ${JSON.stringify(tag)} table is damaged (it cannot be decoded)`);
  }
  let numGlyphs = 0;
  try {
    numGlyphs = font.numGlyphs;
  } catch {
    fail('the "maxp" table is damaged (it cannot be decoded)');
  }
  if (!(numGlyphs > 0)) fail('the font has no glyphs');
  if (tables) {
    const head = (font as unknown as { head: { indexToLocFormat: number } }).head;
    checkOutlineBounds(bytes, tables, numGlyphs, head.indexToLocFormat === 1);
    // Every glyph's advance: numberOfHMetrics long metrics, then a left side bearing per remaining glyph.
    const long = (font as unknown as { hhea: { numberOfMetrics: number } }).hhea.numberOfMetrics;
    const hmtx = tables.get('hmtx')!;
    const needs = long * 4 + Math.max(0, numGlyphs - long) * 2;
    if (!(long >= 1) || hmtx.length < needs)
      fail(`the "hmtx" table has ${hmtx.length} bytes, but the metrics of ${numGlyphs} glyphs need ${needs}: the table is damaged`);
  }

  const step = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      fail(`${what} fails (${e instanceof Error ? e.message : String(e)}): the font is damaged`);
    }
  };
  step('reading the metrics', () => {
    void font.unitsPerEm;
    void font.ascent;
    void font.descent;
    void font.bbox;
    void font.italicAngle;
    void font.postscriptName;
  });
  step('shaping sample text', () => {
    const run = font.layout(SAMPLE);
    for (const g of run.glyphs) void g.advanceWidth;
  });
  if (depth === 'full')
    step('writing a subset (as the PDF writer does)', () => {
      const subset = font.createSubset();
      for (const g of font.layout(SAMPLE).glyphs) subset.includeGlyph(g.id);
      subset.encode();
    });
  return font;
}
