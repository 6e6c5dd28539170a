import { zlibSync } from 'fflate';
import type { PrintChannel } from '../../model/print';
import type { FontFace } from '../../text/fonts';
import type { Matrix, PathCmd, PlanColor, PlanItem, PlanPage, TextItem } from '../plan/types';
import type { PdfImage } from './images';
import { writeArtworkForm, type PdfArtwork } from './pdf-import';

/**
 * A streaming PDF 1.6 writer for plans. Objects go to the sink as soon as they are complete (page content,
 * page dictionaries in blocks, images and static forms on first use); only what must see every page waits
 * for the end: font subsets (the glyph set is known only then), the shared resource dictionary and the top
 * of the page tree. Memory therefore stays flat however many pages are written: a few numbers per object.
 *
 * Bytes per page are what variable-data print is judged on, so the variable content is written tersely:
 * one text object per page, text shown with one-byte codes through an embedded CMap per font (a second
 * encoding of the same font when one runs out of its 256 codes), relative line moves, colour and font set
 * only when they change, no whitespace the syntax does not need. What pages paint before their first inline text
 * (static forms, a variant's logo, that text's colour, font and origin) is written once and shared through
 * /Contents arrays once it recurs. Pages inherit resources and media box from
 * the page tree; page dictionaries are packed into object streams, 250 to a block with the block's page-tree
 * node, so the cross-reference stream (with the PNG Up predictor) costs about a byte per page.
 *
 * Coordinates: plans are y-down from the trim box's top-left. A page's text and reusable forms are written in
 * PDF's own y-up page space (forms carry the flip in their /Matrix); vector items are drawn under a y-down
 * transform (`1 0 0 -1 … cm`), entered and left as needed.
 */

export interface ByteSink {
  write(chunk: Uint8Array): void;
}

/** The document's output intent (ISO 32000-1 §14.11.5): an ICC output profile and its description. */
export interface PdfOutputIntent {
  profile: Uint8Array;
  /** Colour components of the profile (the ICC stream's /N). */
  N: number;
  outputConditionIdentifier: string;
  info: string;
}

export interface PdfWriterOptions {
  marks: PrintChannel['marks'];
  /** Decoded raster images by asset sha256 (the composer's cache). */
  images: ReadonlyMap<string, PdfImage>;
  /** Imported PDF artwork pages by asset sha256, drawn like images (their forms map to the unit square). */
  artwork?: ReadonlyMap<string, PdfArtwork | Error> | undefined;
  title?: string;
  /** PDF date string (`D:20261122093000Z`); injected, the engine has no clock. */
  creationDate?: string;
  /** Deflate level for content streams (0 = uncompressed, for debugging). */
  compression?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /** zlib compressor; defaults to fflate. Hosts may inject a native one (Node's zlib is several times faster). */
  deflate?: Deflate | undefined;
  /** Written as /OutputIntents [<< /S /GTS_PDFX … >>] in the catalog. */
  outputIntent?: PdfOutputIntent | undefined;
}

export type Deflate = (data: Uint8Array, level: number) => Uint8Array;
export const fflateDeflate: Deflate = (data, level) => zlibSync(data, { level: level as 1 });

/** One font face: its glyphs get CIDs in order of first use (the order fontkit's subsetter assigns new ids). */
interface FontEntry {
  face: FontFace;
  /** The descendant CIDFont, shared by every encoding of this face. */
  cidFontId: number;
  cidOf: Map<number, number>;
  gids: number[];
  unicode: (readonly number[])[];
  /** One-byte encodings (up to MAX_ONE_BYTE_ENCODINGS), then the two-byte Identity-H fallback. */
  encs: Encoding[];
  identity: Encoding | undefined;
  /** Per CID: where it has a one-byte code (encoding index × 256 + code), or -1. */
  slot: number[];
  /** The same, for a glyph shown for other text than at its first use (`cid:code points`): µ and μ, Ω and Ω. */
  alt: Map<string, number>;
}

/** A Type0 font object: one way of addressing a face's CIDs from content streams. */
interface Encoding {
  face: FontEntry;
  name: string;
  id: number;
  /** Two-byte Identity-H codes (CID = code), else one-byte codes through an embedded CMap. */
  wide: boolean;
  /** One-byte encodings: code → CID (-1 free), and code → the text it stands for. */
  cids: number[];
  uni: (readonly number[])[];
  used: number;
  /** Lowest code that may still be free. */
  scan: number;
  index: number;
}

/** Graphics state the writer tracks so that it writes an operator only when its value changes. */
interface GState {
  fill: string;
  stroke: string;
  font: string;
  enc: Encoding | undefined;
  /** Text leading (TL) in hundredths of a point, as set by TD. */
  tl: number;
  rise: number;
}

const OBJECTS_PER_STREAM = 250;
const PAGES_PER_BLOCK = 250;
const MAX_ONE_BYTE_ENCODINGS = 4;
const IMAGE_FORMS_TRACKED = 4096;
/**
 * A text frame whose painting recurs (an offer, a city line, a dealer's address) becomes a Form XObject on its
 * third sighting: a form costs about 120 bytes once, a use about 12, so it pays from about five uses; values
 * seen only once or twice stay inline.
 */
const TEXT_FORM_AFTER_USES = 3;
const TEXT_USES_TRACKED = 8192;
const TEXT_FORMS_MAX = 20_000;
const TEXT_KEY_MAX = 2000;
/** A page-content prefix is shared when it is at least this long (a reference costs a few bytes per page). */
const PREFIX_MIN = 12;
const PREFIX_MAX = 2000;
const PREFIXES_TRACKED = 2048;

/** Numbers as PDF writes them: at most 3 decimals, no exponent, no leading zero (`.5`, `-.25`). */
export function n(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const r = Math.round(v * 1000) / 1000;
  if (Number.isInteger(r)) return String(r === 0 ? 0 : r);
  const s = String(r);
  if (s.startsWith('0.')) return s.slice(1);
  if (s.startsWith('-0.')) return `-${s.slice(2)}`;
  return s;
}

const NAME_FIRST = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NAME_TAIL = `0123456789${NAME_FIRST}`;

/**
 * Resource names (XObjects, fonts), shortest first: `a`…`z`, `A`…`Z`, then a letter and letters or digits
 * (`a0`…`ZZ`, `a00`…). A page draws several forms and sets fonts, and every byte of their names is paid on
 * every page; names are case-sensitive, so 52 fit in one character.
 */
export function xobjectName(i: number): string {
  let rest = i;
  let width = 0;
  let span = NAME_FIRST.length;
  while (rest >= span) {
    rest -= span;
    width += 1;
    span = NAME_FIRST.length * NAME_TAIL.length ** width;
  }
  let tail = '';
  for (let k = 0; k < width; k++) {
    tail = NAME_TAIL[rest % NAME_TAIL.length]! + tail;
    rest = Math.floor(rest / NAME_TAIL.length);
  }
  return NAME_FIRST[rest]! + tail;
}

/** A PDF name with the characters the syntax reserves written as #xx. */
export function pdfName(s: string): string {
  let out = '/';
  for (const b of new TextEncoder().encode(s)) {
    const ch = String.fromCharCode(b);
    out += b < 0x21 || b > 0x7e || '#()<>[]{}/%'.includes(ch) ? `#${b.toString(16).padStart(2, '0').toUpperCase()}` : ch;
  }
  return out;
}

/**
 * A PDF text string (Info entries, output intent descriptions; PDF 32000-1 §7.9.2.2). Printable ASCII, which
 * PDFDocEncoding shares, is written as a literal string with its delimiters escaped; anything else (accents,
 * CJK, RTL, emoji, control characters) as UTF-16BE with the byte order mark, in hex, so nothing is lost and no
 * byte can end the string early. A lone surrogate becomes U+FFFD.
 */
export function pdfTextString(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return `(${s.replace(/[()\\]/g, '\\$&')})`;
  let out = '<FEFF';
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      const low = s.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        out += hex4(u) + hex4(low);
        i++;
      } else out += 'FFFD';
    } else if (u >= 0xdc00 && u <= 0xdfff) out += 'FFFD';
    else out += hex4(u);
  }
  return `${out.toUpperCase()}>`;
}

const hex2 = (v: number) => v.toString(16).padStart(2, '0');
const hex4 = (v: number) => v.toString(16).padStart(4, '0');

/** One byte of a literal string: only the delimiters, the escape and CR (read back as LF) need escaping. */
const LITERAL: string[] = Array.from({ length: 256 }, (_, b) =>
  b === 0x28 || b === 0x29 || b === 0x5c ? `\\${String.fromCharCode(b)}` : b === 0x0d ? '\\r' : String.fromCharCode(b),
);

/** Latin-1 string (every char < 256: syntax and one-byte text codes) → bytes. */
function latin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** Six uppercase letters from the glyph set: the same subset always gets the same tag. */
export function subsetTag(gids: readonly number[], psName: string): string {
  let h = 0x811c9dc5;
  const mix = (v: number) => {
    h ^= v & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
    h ^= (v >>> 8) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  for (const c of psName) mix(c.charCodeAt(0));
  for (const g of gids) mix(g);
  let tag = '';
  for (let i = 0; i < 6; i++) {
    tag += String.fromCharCode(65 + (h % 26));
    h = Math.floor(h / 26) ^ Math.imul(h, 31 + i);
    h >>>= 0;
  }
  return tag;
}

const isDelim = (c: number) =>
  c === 0x20 ||
  c === 0x0a ||
  c === 0x28 ||
  c === 0x29 ||
  c === 0x3c ||
  c === 0x3e ||
  c === 0x5b ||
  c === 0x5d ||
  c === 0x2f ||
  c === 0x7b ||
  c === 0x7d;

/**
 * One content stream being written, with the state needed to leave out what does not change. A page's
 * content starts in PDF page space (y up); `top` gives the trim box's top-left there, and vector items
 * switch to plan space (y down) with `useFlip(true)`. Form and group content is always in plan space.
 */
class Content {
  s = '';
  g: GState = { fill: '', stroke: '', font: '', enc: undefined, tl: Number.NaN, rise: 0 };
  private readonly stack: GState[] = [];
  inText = false;
  /** Text line origin (Tlm) in hundredths of a point, and whether it is known. */
  lx = 0;
  ly = 0;
  lineSet = false;
  /** Where the text pen actually is after the last show (points), valid on line `ly`. */
  penX = 0;
  penValid = false;
  flipped: boolean;
  /** Group nesting: page-level flips are only switched at depth 0. */
  depth = 0;
  /** Page content: where the first inline text object begins (-1: none yet); what precedes it may be shared. */
  split = -1;
  /** The open text object is inside `q … cm` that put its first line's origin at text space's origin. */
  textQ = false;
  originText = false;

  constructor(readonly top: { ox: number; oy: number } | undefined) {
    this.flipped = !top;
  }

  op(t: string): void {
    if (this.s.length > 0 && !isDelim(this.s.charCodeAt(this.s.length - 1)) && !isDelim(t.charCodeAt(0))) this.s += '\n';
    this.s += t;
  }

  save(): void {
    this.op('q');
    this.stack.push({ ...this.g });
  }

  restore(): void {
    this.op('Q');
    const g = this.stack.pop();
    if (g) this.g = g;
  }

  endText(): void {
    if (!this.inText) return;
    this.op('ET');
    this.inText = false;
    if (this.textQ) {
      this.textQ = false;
      this.restore();
    }
  }

  beginText(): void {
    if (this.inText) return;
    this.op('BT');
    this.inText = true;
    // BT resets the text matrices to identity: in page space that is a known origin.
    this.lineSet = !this.flipped;
    this.lx = 0;
    this.ly = 0;
    this.penValid = false;
  }

  /** At a page's top level: switch between page space (false) and plan space (true). */
  useFlip(on: boolean): void {
    if (!this.top || this.depth > 0 || this.flipped === on) return;
    this.endText();
    if (on) {
      this.save();
      this.op(`1 0 0 -1 ${n(this.top.ox)} ${n(this.top.oy)} cm`);
      this.flipped = true;
    } else {
      this.restore();
      this.flipped = false;
    }
  }

  X(x: number): number {
    return this.flipped || !this.top ? x : this.top.ox + x;
  }

  Y(y: number): number {
    return this.flipped || !this.top ? y : this.top.oy - y;
  }

  /** A rectangle given in plan space, in the current space. */
  rect(x: number, y: number, w: number, h: number): string {
    return this.flipped ? `${n(x)} ${n(y)} ${n(w)} ${n(h)} re` : `${n(this.X(x))} ${n(this.Y(y) - h)} ${n(w)} ${n(h)} re`;
  }

  setFill(op: string): void {
    if (op !== this.g.fill) {
      this.op(op);
      this.g.fill = op;
    }
  }

  setStroke(op: string): void {
    if (op !== this.g.stroke) {
      this.op(op);
      this.g.stroke = op;
    }
  }

  /** Start a text line at (x, y) in the current space, given in hundredths of a point. */
  moveTo(xh: number, yh: number): void {
    if (!this.lineSet) {
      this.op(`1 0 0 -1 ${n(xh / 100)} ${n(yh / 100)} Tm`);
    } else {
      const dx = xh - this.lx;
      // Text space has y up; in plan space the text matrix flips it.
      const dy = this.flipped ? this.ly - yh : yh - this.ly;
      if (dx === 0 && dy !== 0 && -dy === this.g.tl) this.op('T*');
      else if (dy !== 0) {
        this.op(`${n(dx / 100)} ${n(dy / 100)} TD`);
        this.g.tl = -dy;
      } else this.op(`${n(dx / 100)} 0 Td`);
    }
    this.lx = xh;
    this.ly = yh;
    this.lineSet = true;
    this.penX = xh / 100;
    this.penValid = true;
  }
}

export class PdfWriter {
  private offset = 0;
  /** Per object: its byte offset, or (for objects inside an object stream) the stream's object number; -2 = free. */
  private readonly xref: number[] = [0];
  /** Per object: -1, or its index inside the object stream named by `xref`. */
  private readonly xrefIndex: number[] = [-1];
  /** Small objects (fonts, colour spaces, catalog…) waiting for the last object streams. */
  private misc: { id: number; body: string }[] = [];
  /** The open block of pages: its page-tree node, its object stream, the reserved page ids. */
  private block: { nodeId: number; stmId: number; first: number; pages: { id: number; body: string }[] } | undefined;
  /** Page-tree nodes of the blocks written so far, and their page counts. */
  private readonly nodes: { id: number; count: number }[] = [];
  private pages = 0;
  private rootMediaBox: string | undefined;
  private readonly fonts = new Map<FontFace, FontEntry>();
  private encodings = 0;
  private readonly spots = new Map<string, { name: string; id: number }>();
  private readonly xobjects = new Map<string, { name: string; id: number }>();
  private readonly imageUses = new Map<string, number>();
  private textUses = new Map<string, number>();
  private textUsesOld = new Map<string, number>();
  private textForms = 0;
  /** Page-content prefixes seen (0) or written as shared streams (their object id); two generations. */
  private prefixes = new Map<string, number>();
  private prefixesOld = new Map<string, number>();
  /** Page starts with the origin of their first text line, seen once (see `firstText`); two generations. */
  private origins = new Map<string, number>();
  private originsOld = new Map<string, number>();
  private readonly gstates = new Map<number, { name: string; id: number }>();
  private allSep: { name: string; id: number } | undefined;
  private readonly catalogId: number;
  private readonly pagesId: number;
  private readonly resourcesId: number;
  private finished = false;

  constructor(
    private readonly sink: ByteSink,
    private readonly opts: PdfWriterOptions,
  ) {
    this.raw('%PDF-1.6\n%\xe2\xe3\xcf\xd3\n');
    this.catalogId = this.alloc();
    this.pagesId = this.alloc();
    this.resourcesId = this.alloc();
  }

  get pageCount(): number {
    return this.pages;
  }

  get bytesWritten(): number {
    return this.offset;
  }

  private raw(s: string): void {
    // Only used for ASCII/Latin-1 syntax; binary goes through bytes().
    this.bytes(latin1(s));
  }

  private bytes(b: Uint8Array): void {
    this.sink.write(b);
    this.offset += b.length;
  }

  private alloc(): number {
    this.xref.push(-1);
    this.xrefIndex.push(-1);
    return this.xref.length - 1;
  }

  /** A non-stream object, packed into one of the object streams written at the end. */
  private obj(id: number, body: string): void {
    this.misc.push({ id, body });
  }

  private objStm(stmId: number, objs: { id: number; body: string }[]): void {
    let header = '';
    let body = '';
    objs.forEach((o, i) => {
      header += `${o.id} ${body.length} `;
      body += `${o.body}\n`;
      this.xref[o.id] = stmId;
      this.xrefIndex[o.id] = i;
    });
    this.stream(stmId, `/Type/ObjStm/N ${objs.length}/First ${header.length}`, latin1(header + body), true);
  }

  private deflate(data: Uint8Array): Uint8Array {
    return (this.opts.deflate ?? fflateDeflate)(data, this.opts.compression ?? 6);
  }

  /** Write a stream object; compressed unless that would not make it smaller. */
  private stream(id: number, dict: string, data: Uint8Array, compress: boolean): void {
    let body = data;
    let filter = '';
    if (compress && (this.opts.compression ?? 6) > 0) {
      const z = this.deflate(data);
      if (z.length + 19 < data.length) {
        body = z;
        filter = '/Filter/FlateDecode';
      }
    }
    this.xref[id] = this.offset;
    this.raw(`${id} 0 obj<<${dict}${filter}/Length ${body.length}>>stream\n`);
    this.bytes(body);
    this.raw('\nendstream\nendobj\n');
  }

  // ---- resources -------------------------------------------------------------------------------

  private font(face: FontFace): FontEntry {
    let f = this.fonts.get(face);
    if (!f) {
      f = {
        face,
        cidFontId: this.alloc(),
        cidOf: new Map(),
        gids: [0],
        unicode: [[]],
        encs: [],
        identity: undefined,
        slot: [-1],
        alt: new Map(),
      };
      this.fonts.set(face, f);
    }
    return f;
  }

  private cid(f: FontEntry, gid: number, cps: readonly number[]): number {
    let c = f.cidOf.get(gid);
    if (c === undefined) {
      c = f.gids.length;
      f.gids.push(gid);
      f.unicode.push(cps);
      f.slot.push(-1);
      f.cidOf.set(gid, c);
    }
    return c;
  }

  private newEncoding(f: FontEntry, wide: boolean): Encoding {
    this.encodings += 1;
    const e: Encoding = {
      face: f,
      name: xobjectName(this.encodings - 1),
      id: this.alloc(),
      wide,
      cids: wide ? [] : new Array<number>(256).fill(-1),
      uni: [],
      used: 0,
      scan: 0,
      index: f.encs.length,
    };
    if (wide) f.identity = e;
    else f.encs.push(e);
    return e;
  }

  /**
   * The encoding and code that show a CID: the current encoding when it can, else the one that has it, else a
   * new code — the character's own Latin-1 code when it is free (content streams stay readable), else the
   * lowest free one; a new one-byte encoding when the last is full, Identity-H after MAX_ONE_BYTE_ENCODINGS.
   */
  private code(f: FontEntry, cid: number, cps: readonly number[], prefer: Encoding | undefined): { enc: Encoding; code: number } {
    if (prefer && prefer.face === f && prefer.wide) return { enc: prefer, code: cid };
    // A glyph shared by several characters gets a code per character, so that each extracts as itself.
    const first = f.unicode[cid]!;
    const own = first.length === cps.length && first.every((v, i) => v === cps[i]);
    const key = own ? '' : `${cid}:${cps.join(',')}`;
    const slot = own ? f.slot[cid]! : (f.alt.get(key) ?? -1);
    if (slot >= 0) return { enc: f.encs[slot >> 8]!, code: slot & 0xff };
    let e = f.encs[f.encs.length - 1];
    if (!e || e.used === 256) {
      if (f.encs.length >= MAX_ONE_BYTE_ENCODINGS) return { enc: f.identity ?? this.newEncoding(f, true), code: cid };
      e = this.newEncoding(f, false);
    }
    let code = cps.length === 1 && cps[0]! < 256 && e.cids[cps[0]!] === -1 ? cps[0]! : -1;
    if (code < 0) {
      while (e.cids[e.scan] !== -1) e.scan += 1;
      code = e.scan;
    }
    e.cids[code] = cid;
    e.uni[code] = cps;
    e.used += 1;
    if (own) f.slot[cid] = e.index * 256 + code;
    else f.alt.set(key, e.index * 256 + code);
    return { enc: e, code };
  }

  private spot(name: string, cmyk: readonly number[]): string {
    let s = this.spots.get(name);
    if (!s) {
      s = { name: `C${this.spots.size + 1}`, id: this.alloc() };
      this.spots.set(name, s);
      this.obj(
        s.id,
        `[/Separation ${pdfName(name)}/DeviceCMYK<</FunctionType 2/Domain[0 1]/C0[0 0 0 0]/C1[${cmyk.map(n).join(' ')}]/N 1>>]`,
      );
    }
    return s.name;
  }

  private registration(): string {
    if (!this.allSep) {
      this.allSep = { name: 'CAll', id: this.alloc() };
      this.obj(this.allSep.id, '[/Separation/All/DeviceCMYK<</FunctionType 2/Domain[0 1]/C0[0 0 0 0]/C1[1 1 1 1]/N 1>>]');
    }
    return this.allSep.name;
  }

  private gstate(alpha: number): string {
    const key = Math.round(alpha * 1000) / 1000;
    let g = this.gstates.get(key);
    if (!g) {
      g = { name: `G${this.gstates.size + 1}`, id: this.alloc() };
      this.gstates.set(key, g);
      this.obj(g.id, `<</Type/ExtGState/ca ${n(key)}/CA ${n(key)}>>`);
    }
    return g.name;
  }

  private image(sha: string): string {
    let x = this.xobjects.get(sha);
    if (!x) {
      const art = this.opts.artwork?.get(sha);
      if (art && !(art instanceof Error)) {
        // PDF artwork: a form (with the page's whole resource graph) written once, drawn like an image.
        x = { name: xobjectName(this.xobjects.size), id: this.alloc() };
        this.xobjects.set(sha, x);
        writeArtworkForm(
          art,
          {
            alloc: () => this.alloc(),
            obj: (id, body) => this.obj(id, body),
            stream: (id, dict, data, compress) => this.stream(id, dict, data, compress),
          },
          x.id,
        );
        return x.name;
      }
      const img = this.opts.images.get(sha);
      if (!img) throw new Error(`image ${sha} was planned but not prepared`);
      x = { name: xobjectName(this.xobjects.size), id: this.alloc() };
      this.xobjects.set(sha, x);
      let smask = '';
      if (img.smask) {
        const sid = this.alloc();
        this.stream(
          sid,
          `/Type/XObject/Subtype/Image/Width ${img.width}/Height ${img.height}/ColorSpace/DeviceGray/BitsPerComponent 8/Filter/FlateDecode ${img.smask.extra}`,
          img.smask.data,
          false,
        );
        smask = `/SMask ${sid} 0 R`;
      }
      this.stream(
        x.id,
        `/Type/XObject/Subtype/Image/Width ${img.width}/Height ${img.height}/ColorSpace/${img.colorSpace}/BitsPerComponent ${img.bitsPerComponent}/Filter/${img.filter} ${img.extra}${smask}`,
        img.data,
        false,
      );
    }
    return x.name;
  }

  /**
   * A Form XObject in plan space, drawn from page space: its /Matrix flips y at the trim's top-left. Written
   * once per key; `paint` fills it on first use.
   */
  private form(key: string, top: { ox: number; oy: number }, bbox: readonly number[], paint: (c: Content) => void): string {
    let x = this.xobjects.get(key);
    if (!x) {
      x = { name: xobjectName(this.xobjects.size), id: this.alloc() };
      this.xobjects.set(key, x);
      const c = new Content(undefined);
      paint(c);
      c.endText();
      this.stream(
        x.id,
        `/Type/XObject/Subtype/Form/BBox[${bbox.map(n).join(' ')}]/Matrix[1 0 0 -1 ${n(top.ox)} ${n(top.oy)}]/Resources ${this.resourcesId} 0 R`,
        latin1(c.s),
        true,
      );
    }
    return x.name;
  }

  // ---- painting --------------------------------------------------------------------------------

  private color(c: PlanColor, stroke: boolean): string {
    if (c.kind === 'spot') return `/${this.spot(c.name, c.cmyk)} ${stroke ? 'CS' : 'cs'} ${n(c.tint)} ${stroke ? 'SCN' : 'scn'}`;
    if (c.kind === 'cmyk') return `${c.cmyk.map(n).join(' ')} ${stroke ? 'K' : 'k'}`;
    return `${c.rgb.map(n).join(' ')} ${stroke ? 'RG' : 'rg'}`;
  }

  private path(p: PathCmd[]): string {
    let s = '';
    for (const c of p) {
      if (c.op === 'M') s += `${n(c.x)} ${n(c.y)} m\n`;
      else if (c.op === 'L') s += `${n(c.x)} ${n(c.y)} l\n`;
      else if (c.op === 'C') s += `${n(c.x1)} ${n(c.y1)} ${n(c.x2)} ${n(c.y2)} ${n(c.x)} ${n(c.y)} c\n`;
      else s += 'h\n';
    }
    return s;
  }

  private currentBBox: readonly number[] = [0, 0, 0, 0];
  private currentTop = { ox: 0, oy: 0 };

  private paint(it: PlanItem, c: Content): void {
    switch (it.kind) {
      case 'shape': {
        if (!it.fill && !it.stroke) return;
        c.useFlip(true);
        c.endText();
        // Line width and dash are not tracked: a stroked shape keeps them to itself.
        if (it.stroke) c.save();
        if (it.fill) c.setFill(this.color(it.fill, false));
        if (it.stroke) {
          c.setStroke(this.color(it.stroke.color, true));
          c.op(`${n(it.stroke.width)} w`);
          if (it.stroke.dash?.length) c.op(`[${it.stroke.dash.map(n).join(' ')}] 0 d`);
        }
        const eo = it.evenOdd ? '*' : '';
        c.op(`${this.path(it.path)}${it.fill && it.stroke ? `B${eo}` : it.fill ? `f${eo}` : 'S'}`);
        if (it.stroke) c.restore();
        return;
      }
      case 'rects': {
        c.useFlip(true);
        c.endText();
        if (it.transform) {
          c.save();
          c.op(`${matrix(it.transform)} cm`);
        }
        c.setFill(this.color(it.fill, false));
        let s = '';
        const r = it.rects;
        for (let i = 0; i < r.length; i += 4) s += `${n(r[i]!)} ${n(r[i + 1]!)} ${n(r[i + 2]!)} ${n(r[i + 3]!)} re\n`;
        c.op(`${s}f`);
        if (it.transform) c.restore();
        return;
      }
      case 'text':
        this.text(it, c);
        return;
      case 'image': {
        const name = this.image(it.sha256);
        const top = c.top;
        if (top && c.depth === 0) {
          // The same image in the same place on many pages (a dealer logo): a form after its second use.
          c.useFlip(false);
          const key = `img:${it.sha256}:${it.x}:${it.y}:${it.width}:${it.height}:${it.clip ? `${it.clip.x}:${it.clip.y}:${it.clip.width}:${it.clip.height}` : ''}:${top.ox}:${top.oy}`;
          const uses = (this.imageUses.get(key) ?? 0) + 1;
          if (this.xobjects.has(key) || (uses >= 2 && this.imageUses.size <= IMAGE_FORMS_TRACKED)) {
            const form = this.form(key, top, this.currentBBox, (fc) => this.placeImage(it, name, fc));
            c.endText();
            c.op(`/${form} Do`);
            return;
          }
          if (this.imageUses.size < IMAGE_FORMS_TRACKED || this.imageUses.has(key)) this.imageUses.set(key, uses);
        }
        c.endText();
        this.placeImage(it, name, c);
        return;
      }
      case 'group': {
        c.useFlip(true);
        c.endText();
        c.save();
        c.depth += 1;
        if (it.clip) c.op(`${c.rect(it.clip.x, it.clip.y, it.clip.width, it.clip.height)} W n`);
        if (it.transform) c.op(`${matrix(it.transform)} cm`);
        if (it.opacity !== undefined) c.op(`/${this.gstate(it.opacity)} gs`);
        for (const x of it.items) this.paint(x, c);
        c.endText();
        c.depth -= 1;
        c.restore();
        return;
      }
      case 'static': {
        const top = c.top ?? this.currentTop;
        c.useFlip(false);
        c.endText();
        const form = this.form(`form:${it.key}:${top.ox}:${top.oy}`, top, this.currentBBox, (fc) => {
          for (const x of it.items) this.paint(x, fc);
        });
        c.op(`/${form} Do`);
        return;
      }
    }
  }

  private placeImage(it: Extract<PlanItem, { kind: 'image' }>, name: string, c: Content): void {
    c.save();
    if (it.clip) c.op(`${c.rect(it.clip.x, it.clip.y, it.clip.width, it.clip.height)} W n`);
    const cm = c.flipped
      ? `${n(it.width)} 0 0 ${n(-it.height)} ${n(it.x)} ${n(it.y + it.height)}`
      : `${n(it.width)} 0 0 ${n(it.height)} ${n(c.X(it.x))} ${n(c.Y(it.y + it.height))}`;
    c.op(`${cm} cm/${name} Do`);
    c.restore();
  }

  /**
   * Text: one text object for consecutive frames; lines placed with relative moves (TD, T*), runs that follow
   * on from the previous one without a move; glyph positions from the text engine kept exactly with TJ
   * adjustments (rounded to 1/1000 em, the rounding carried into the next adjustment).
   */
  private text(it: TextItem, c: Content): void {
    const top = c.top;
    if (top && c.depth === 0) {
      const key = this.textKey(it, top);
      if (key !== undefined) {
        let x = this.xobjects.get(key);
        if (!x) {
          const uses = (this.textUses.get(key) ?? this.textUsesOld.get(key) ?? 0) + 1;
          if (uses >= TEXT_FORM_AFTER_USES && this.textForms < TEXT_FORMS_MAX) {
            this.textForms += 1;
            this.form(key, top, this.currentBBox, (fc) => this.textInline(it, fc));
            x = this.xobjects.get(key);
          } else {
            // Two generations of sightings: memory stays bounded, values that keep recurring stay counted.
            if (this.textUses.size >= TEXT_USES_TRACKED && !this.textUses.has(key)) {
              this.textUsesOld = this.textUses;
              this.textUses = new Map();
            }
            this.textUses.set(key, uses);
          }
        }
        if (x) {
          this.textUses.delete(key);
          this.textUsesOld.delete(key);
          c.useFlip(false);
          c.endText();
          // The form's text assumes no rise (its own state starts empty); a superscript before it must not leak in.
          if (c.g.rise !== 0) {
            c.op('0 Ts');
            c.g.rise = 0;
          }
          c.op(`/${x.name} Do`);
          return;
        }
      }
    }
    this.textInline(it, c);
  }

  /**
   * A page's first inline text object starts here (the division point for a shared prefix, see `pageContents`).
   * When the same page start with the same first line origin has been seen before (a left-aligned frame of a
   * template), the origin goes into the prefix as `q 1 0 0 1 x y cm` (closed by Q after the ET), so the unique
   * rest starts with BT and the first line needs no TD; otherwise (the first sighting, centred or bottom-aligned
   * text whose origin varies) the line is placed with TD as usual.
   */
  private firstText(c: Content, xh: number, yh: number): void {
    if (c.s.length <= PREFIX_MAX) {
      const key = `${xh} ${yh}|${c.s}`;
      if (this.origins.has(key) || this.originsOld.has(key)) {
        c.save();
        c.op(`1 0 0 1 ${n(xh / 100)} ${n(yh / 100)} cm`);
        c.textQ = true;
        c.originText = true;
      } else {
        if (this.origins.size >= PREFIXES_TRACKED) {
          this.originsOld = this.origins;
          this.origins = new Map();
        }
        this.origins.set(key, 0);
      }
    }
    c.split = c.s.length;
  }

  /**
   * What makes a text frame's painting the same on another page: the frame, where it is, and every run's text,
   * face, size, colour and place (the same text in the same frame lays out to the same glyphs). Undefined for
   * text that cannot be keyed cheaply (very long frames are rarely repeated).
   */
  private textKey(it: TextItem, top: { ox: number; oy: number }): string | undefined {
    const { layout } = it;
    const b = layout.box;
    let k = `txt:${top.ox}:${top.oy}:${layout.elementId}:${b.x}:${b.y}:${b.width}:${b.height}`;
    for (let li = 0; li < layout.lines.length; li++) {
      const line = layout.lines[li]!;
      k += `|${line.baseline}`;
      for (let ri = 0; ri < line.runs.length; ri++) {
        const run = line.runs[ri]!;
        if (run.glyphs.length === 0) continue;
        const color = it.colors[li]?.[ri];
        k += `;${this.font(run.face).cidFontId}:${run.size}:${run.x}:${run.underline ? 1 : 0}:${color ? this.color(color, false) : ''}:${run.text}`;
      }
      if (k.length > TEXT_KEY_MAX) return undefined;
    }
    return k;
  }

  private textInline(it: TextItem, c: Content): void {
    const { layout } = it;
    const bx = layout.box.x;
    const by = layout.box.y;
    c.useFlip(false);
    it.layout.lines.forEach((line, li) => {
      line.runs.forEach((run, ri) => {
        if (run.glyphs.length === 0) return;
        const f = this.font(run.face);
        const color = it.colors[li]?.[ri];
        const size = run.size;
        const upm = run.face.unitsPerEm;
        // Colour and font are set before BT when a text object starts (both are allowed outside text objects),
        // so that a page's content up to its first inline BT is all state that recurs (see `addPage`).
        if (color) c.setFill(this.color(color, false));
        if (!c.inText) {
          const g0 = run.glyphs[0]!;
          const e0 = this.code(f, this.cid(f, g0.id, g0.codePoints), g0.codePoints, c.g.enc).enc;
          const tf0 = `/${e0.name} ${n(size)} Tf`;
          if (tf0 !== c.g.font) {
            c.op(tf0);
            c.g.font = tf0;
            c.g.enc = e0;
          }
        }
        const x = c.X(bx + run.x);
        const yh = Math.round(c.Y(by + line.baseline) * 100);
        if (!c.inText && c.top && c.depth === 0 && c.split < 0) this.firstText(c, Math.round(x * 100), yh);
        c.beginText();
        if (c.originText) {
          // Text space starts at the line origin (the `cm` above): the first line needs no move.
          c.lx = Math.round(x * 100);
          c.ly = yh;
          c.penX = c.lx / 100;
          c.penValid = true;
          c.originText = false;
        }
        // Continue from where the previous run left the pen when it is on this line and close by.
        if (!(c.penValid && c.lineSet && yh === c.ly && Math.abs(x - c.penX) < size)) c.moveTo(Math.round(x * 100), yh);
        // `pen` is where the viewer's pen actually is, relative to the run's x.
        let pen = c.penX - x;
        let parts = '';
        let count = 0;
        let str = '';
        let wide = false;
        const flushStr = () => {
          if (!str) return;
          parts += wide ? `<${str}>` : `(${str})`;
          count += 1;
          str = '';
        };
        const flushShow = () => {
          flushStr();
          if (!parts) return;
          c.op(count === 1 && (parts[0] === '(' || parts[0] === '<') ? `${parts}Tj` : `[${parts}]TJ`);
          parts = '';
          count = 0;
        };
        for (const gl of run.glyphs) {
          const cid = this.cid(f, gl.id, gl.codePoints);
          const { enc, code } = this.code(f, cid, gl.codePoints, c.g.enc);
          const tf = `/${enc.name} ${n(size)} Tf`;
          if (tf !== c.g.font) {
            flushShow();
            c.op(tf);
            c.g.font = tf;
            c.g.enc = enc;
          }
          wide = enc.wide;
          const rise = Math.round(gl.dy * 1000) / 1000;
          if (rise !== c.g.rise) {
            flushShow();
            c.op(`${n(rise)} Ts`);
            c.g.rise = rise;
          }
          const adj = Math.round(((gl.x - pen) * -1000) / size);
          if (adj !== 0) {
            flushStr();
            parts += String(adj);
            count += 1;
          }
          str += enc.wide ? hex4(code) : LITERAL[code]!;
          pen += (-adj * size) / 1000 + (run.face.glyphAdvance(gl.id) * size) / upm;
        }
        flushShow();
        c.penX = x + pen;
        if (run.underline && color) {
          c.endText();
          c.op(`${c.rect(bx + run.x, by + line.baseline + size * 0.1, run.width, size * 0.06)} f`);
        }
      });
    });
  }

  /** Write one page now. */
  addPage(plan: PlanPage): void {
    if (this.finished) throw new Error('the PDF is finished; no more pages can be added');
    const { page } = plan;
    const m = this.opts.marks;
    const marks = m.crop || m.bleed;
    const b = page.bleed;
    const extra = marks ? m.offset + m.length + 2 : 0;
    const ml = Math.max(b.left, extra);
    const mr = Math.max(b.right, extra);
    const mt = Math.max(b.top, extra);
    const mb = Math.max(b.bottom, extra);
    const W = page.width;
    const H = page.height;
    const mw = ml + W + mr;
    const mh = mb + H + mt;
    this.currentBBox = [-ml, -mt, W + mr, H + mb];
    this.currentTop = { ox: ml, oy: mb + H };
    const c = new Content(this.currentTop);
    for (const it of plan.items) this.paint(it, c);
    c.endText();
    c.useFlip(false);
    if (marks) c.op(this.marks(ml, mb, W, H, b));
    const contents = this.pageContents(c.split >= 0 ? c.split : c.s.length, c.s);

    if (!this.block || this.block.pages.length === PAGES_PER_BLOCK) {
      this.flushBlock();
      const nodeId = this.alloc();
      const stmId = this.alloc();
      const first = this.xref.length;
      for (let i = 0; i < PAGES_PER_BLOCK; i++) this.alloc();
      this.block = { nodeId, stmId, first, pages: [] };
    }
    const blk = this.block;
    const pageId = blk.first + blk.pages.length;
    const media = `[0 0 ${n(mw)} ${n(mh)}]`;
    this.rootMediaBox ??= media;
    blk.pages.push({
      id: pageId,
      body: `<</Type/Page/Parent ${blk.nodeId} 0 R${media === this.rootMediaBox ? '' : `/MediaBox${media}`}/BleedBox[${n(ml - b.left)} ${n(mb - b.bottom)} ${n(ml + W + b.right)} ${n(mb + H + b.top)}]/TrimBox[${n(ml)} ${n(mb)} ${n(ml + W)} ${n(mb + H)}]/Contents${contents}>>`,
    });
    this.pages += 1;
  }

  /**
   * A page's content streams. What a page paints before its first inline text object (static forms, a variant's
   * logo, the colour and font of that text) is usually the same on many pages; from its second sighting such a
   * prefix is written once as a stream of its own and the page's /Contents is [prefix rest]. The division is
   * between operators, outside any text object and q/Q (depth 0), and the prefix ends with white space.
   */
  private pageContents(cut: number, s: string): string {
    const prefix = s.slice(0, cut);
    let shared: number | undefined;
    if (prefix.length >= PREFIX_MIN && prefix.length <= PREFIX_MAX) {
      const seen = this.prefixes.get(prefix) ?? this.prefixesOld.get(prefix);
      if (seen !== undefined && seen > 0) shared = seen;
      else if (seen === 0) {
        shared = this.alloc();
        this.stream(shared, '', latin1(`${prefix}\n`), true);
      }
      if (!this.prefixes.has(prefix)) {
        if (this.prefixes.size >= PREFIXES_TRACKED) {
          this.prefixesOld = this.prefixes;
          this.prefixes = new Map();
        }
      }
      this.prefixes.set(prefix, shared ?? 0);
    }
    let rest = shared === undefined ? s : s.slice(cut);
    if (shared !== undefined && rest.charCodeAt(0) === 0x0a) rest = rest.slice(1);
    if (shared !== undefined && !rest) return ` ${shared} 0 R`;
    const id = this.alloc();
    this.stream(id, '', latin1(rest), true);
    return shared === undefined ? ` ${id} 0 R` : `[${shared} 0 R ${id} 0 R]`;
  }

  /** A block of pages: its page-tree node and page dictionaries in one object stream; unused ids are freed. */
  private flushBlock(): void {
    const blk = this.block;
    if (!blk) return;
    const kids = blk.pages.map((p) => `${p.id} 0 R`).join(' ');
    const node = { id: blk.nodeId, body: `<</Type/Pages/Parent ${this.pagesId} 0 R/Count ${blk.pages.length}/Kids[${kids}]>>` };
    this.objStm(blk.stmId, [node, ...blk.pages]);
    for (let i = blk.pages.length; i < PAGES_PER_BLOCK; i++) this.xref[blk.first + i] = -2;
    this.nodes.push({ id: blk.nodeId, count: blk.pages.length });
    this.block = undefined;
  }

  /** Crop marks at the trim corners and bleed marks at the bleed corners, outside the bleed, on every plate. */
  private marks(ml: number, mb: number, W: number, H: number, b: PlanPage['page']['bleed']): string {
    const m = this.opts.marks;
    let s = `q\n/${this.registration()} CS 1 SCN .25 w\n`;
    const corner = (x: number, y: number, dx: number, dy: number, off: number, len: number) => {
      // Horizontal mark left/right of the corner, vertical mark above/below it.
      s += `${n(x + dx * off)} ${n(y)} m ${n(x + dx * (off + len))} ${n(y)} l S\n`;
      s += `${n(x)} ${n(y + dy * off)} m ${n(x)} ${n(y + dy * (off + len))} l S\n`;
    };
    if (m.crop) {
      corner(ml, mb, -1, -1, m.offset, m.length);
      corner(ml + W, mb, 1, -1, m.offset, m.length);
      corner(ml, mb + H, -1, 1, m.offset, m.length);
      corner(ml + W, mb + H, 1, 1, m.offset, m.length);
    }
    if (m.bleed) {
      s += '[2 1] 0 d\n';
      const len = m.length / 2;
      corner(ml - b.left, mb - b.bottom, -1, -1, m.offset - Math.min(b.left, b.bottom), len);
      corner(ml + W + b.right, mb - b.bottom, 1, -1, m.offset - Math.min(b.right, b.bottom), len);
      corner(ml - b.left, mb + H + b.top, -1, 1, m.offset - Math.min(b.left, b.top), len);
      corner(ml + W + b.right, mb + H + b.top, 1, 1, m.offset - Math.min(b.right, b.top), len);
    }
    return `${s}Q`;
  }

  /** Write fonts, resources, the page tree, the output intent, the cross-reference stream and the trailer. */
  finish(): { pages: number; bytes: number } {
    if (this.finished) throw new Error('the PDF is already finished');
    this.finished = true;
    this.flushBlock();
    for (const f of this.fonts.values()) this.writeFont(f);
    const dict = (entries: [string, number][]) => entries.map(([name, id]) => `/${name} ${id} 0 R`).join('');
    const fonts = dict(
      [...this.fonts.values()].flatMap((f) =>
        [...f.encs, ...(f.identity ? [f.identity] : [])].map((e): [string, number] => [e.name, e.id]),
      ),
    );
    const xo = dict([...this.xobjects.values()].map((x) => [x.name, x.id]));
    const cs = dict([...this.spots.values(), ...(this.allSep ? [this.allSep] : [])].map((x) => [x.name, x.id]));
    const gs = dict([...this.gstates.values()].map((x) => [x.name, x.id]));
    this.obj(
      this.resourcesId,
      `<</ProcSet[/PDF/Text/ImageB/ImageC]/Font<<${fonts}>>/XObject<<${xo}>>/ColorSpace<<${cs}>>/ExtGState<<${gs}>>>>`,
    );
    // Page tree: the root holds the blocks' nodes (250 pages each) and what every page inherits.
    this.obj(
      this.pagesId,
      `<</Type/Pages/Count ${this.pages}/Kids[${this.nodes.map((x) => `${x.id} 0 R`).join(' ')}]/Resources ${this.resourcesId} 0 R${this.rootMediaBox ? `/MediaBox${this.rootMediaBox}` : ''}>>`,
    );
    const infoId = this.alloc();
    const info = [`/Producer (Presswork)`];
    if (this.opts.title) info.push(`/Title ${pdfTextString(this.opts.title)}`);
    if (this.opts.creationDate) info.push(`/CreationDate ${pdfTextString(this.opts.creationDate)}`);
    this.obj(infoId, `<<${info.join('')}>>`);
    let intents = '';
    const oi = this.opts.outputIntent;
    if (oi) {
      const iccId = this.alloc();
      const oiId = this.alloc();
      this.stream(iccId, `/N ${oi.N}`, oi.profile, true);
      this.obj(
        oiId,
        `<</Type/OutputIntent/S/GTS_PDFX/OutputConditionIdentifier ${pdfTextString(oi.outputConditionIdentifier)}/Info ${pdfTextString(oi.info)}/DestOutputProfile ${iccId} 0 R>>`,
      );
      intents = `/OutputIntents[${oiId} 0 R]`;
    }
    this.obj(this.catalogId, `<</Type/Catalog/Pages ${this.pagesId} 0 R${intents}>>`);
    for (let i = 0; i < this.misc.length; i += OBJECTS_PER_STREAM) this.objStm(this.alloc(), this.misc.slice(i, i + OBJECTS_PER_STREAM));
    this.misc = [];
    this.writeXref(infoId);
    return { pages: this.pages, bytes: this.offset };
  }

  /**
   * Cross-reference stream (PDF 1.5): type 0 = free, 1 = byte offset, 2 = inside an object stream. Offsets take
   * as few bytes as the file needs; rows go through the PNG Up predictor, so runs of similar rows (a block's
   * pages, consecutive content streams) compress to almost nothing.
   */
  private writeXref(infoId: number): void {
    const xrefId = this.alloc();
    const xrefAt = this.offset;
    this.xref[xrefId] = xrefAt;
    const size = this.xref.length;
    let w2 = 1;
    while (256 ** w2 <= Math.max(xrefAt, size)) w2 += 1;
    const rowLen = 1 + w2 + 2;
    const rows = new Uint8Array(size * rowLen);
    for (let i = 0; i < size; i++) {
      const o = i * rowLen;
      const v = this.xref[i]!;
      const idx = this.xrefIndex[i]!;
      if (i === 0 || v === -2) {
        // Free: next free object 0, generation 65535 for object 0, 0 for ids reserved and not used.
        if (i === 0) rows[o + rowLen - 2] = rows[o + rowLen - 1] = 0xff;
        continue;
      }
      if (v < 0) throw new Error(`PDF object ${i} was allocated but never written`);
      rows[o] = idx >= 0 ? 2 : 1;
      let x = v;
      for (let k = w2; k >= 1; k--) {
        rows[o + k] = x % 256;
        x = Math.floor(x / 256);
      }
      const second = idx >= 0 ? idx : 0;
      rows[o + rowLen - 2] = (second >> 8) & 0xff;
      rows[o + rowLen - 1] = second & 0xff;
    }
    const level = this.opts.compression ?? 6;
    let data: Uint8Array = rows;
    let params = '';
    if (level > 0) {
      const predicted = new Uint8Array(size * (rowLen + 1));
      for (let i = 0; i < size; i++) {
        const o = i * (rowLen + 1);
        predicted[o] = 2;
        for (let k = 0; k < rowLen; k++) predicted[o + 1 + k] = (rows[i * rowLen + k]! - (i > 0 ? rows[(i - 1) * rowLen + k]! : 0)) & 0xff;
      }
      data = this.deflate(predicted);
      params = `/Filter/FlateDecode/DecodeParms<</Columns ${rowLen}/Predictor 12>>`;
    }
    this.raw(
      `${xrefId} 0 obj\n<</Type/XRef/Size ${size}/W[1 ${w2} 2]/Root ${this.catalogId} 0 R/Info ${infoId} 0 R${params}/Length ${data.length}>>stream\n`,
    );
    this.bytes(data);
    this.raw(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`);
  }

  private writeFont(f: FontEntry): void {
    const face = f.face;
    const data = face.read('writing its subset into the PDF', () => {
      const subset = face.font.createSubset();
      for (let i = 1; i < f.gids.length; i++) subset.includeGlyph(f.gids[i]!);
      return subset.encode();
    });
    const tag = subsetTag(f.gids, face.postscriptName);
    const base = `${tag}+${face.postscriptName}`;
    const k = 1000 / face.unitsPerEm;
    const fileId = this.alloc();
    const descId = this.alloc();
    if (face.isCFF) this.stream(fileId, '/Subtype/CIDFontType0C', data, true);
    else this.stream(fileId, `/Length1 ${data.length}`, data, true);
    const bb = face.read('reading its bounding box', () => face.font.bbox);
    const italic = face.font.italicAngle !== 0;
    this.obj(
      descId,
      `<</Type/FontDescriptor/FontName/${base}/Flags ${4 | (italic ? 64 : 0)}/FontBBox[${[bb.minX, bb.minY, bb.maxX, bb.maxY].map((v) => n(v * k)).join(' ')}]/ItalicAngle ${n(face.font.italicAngle)}/Ascent ${n(face.ascent * k)}/Descent ${n(face.descent * k)}/CapHeight ${n(face.capHeight * k)}/StemV 80/${face.isCFF ? 'FontFile3' : 'FontFile2'} ${fileId} 0 R>>`,
    );
    const widths = f.gids.map((g) => n(face.glyphAdvance(g) * k)).join(' ');
    this.obj(
      f.cidFontId,
      `<</Type/Font/Subtype/${face.isCFF ? 'CIDFontType0' : 'CIDFontType2'}/BaseFont/${base}/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor ${descId} 0 R/W[0[${widths}]]${face.isCFF ? '' : '/CIDToGIDMap/Identity'}>>`,
    );
    for (const e of f.encs) {
      const cmapId = this.alloc();
      const uniId = this.alloc();
      const cmapName = `Presswork-${tag}-${e.index + 1}`;
      this.stream(
        cmapId,
        `/Type/CMap/CMapName/${cmapName}/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>`,
        latin1(oneByteCMap(cmapName, e.cids)),
        true,
      );
      this.stream(
        uniId,
        '',
        latin1(
          toUnicodeCMap(
            e.cids.map((cid, code) => (cid >= 0 ? (e.uni[code] ?? []) : [])),
            1,
          ),
        ),
        true,
      );
      this.obj(
        e.id,
        `<</Type/Font/Subtype/Type0/BaseFont/${base}/Encoding ${cmapId} 0 R/DescendantFonts[${f.cidFontId} 0 R]/ToUnicode ${uniId} 0 R>>`,
      );
    }
    if (f.identity) {
      const uniId = this.alloc();
      this.stream(uniId, '', latin1(toUnicodeCMap(f.unicode)), true);
      this.obj(
        f.identity.id,
        `<</Type/Font/Subtype/Type0/BaseFont/${base}/Encoding/Identity-H/DescendantFonts[${f.cidFontId} 0 R]/ToUnicode ${uniId} 0 R>>`,
      );
    }
  }
}

const matrix = (m: Matrix) => m.map(n).join(' ');

function utf16Hex(cps: readonly number[]): string {
  let s = '';
  for (const cp of cps) {
    if (cp > 0xffff) {
      const v = cp - 0x10000;
      s += hex4(0xd800 + (v >> 10)) + hex4(0xdc00 + (v & 0x3ff));
    } else s += hex4(cp);
  }
  return s;
}

const CMAP_END = 'endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n';

/**
 * An embedded CMap (ISO 32000-1 §9.7.5.3) for a one-byte encoding: codespace <00>–<FF>, each used code to
 * its CID, consecutive codes with consecutive CIDs as one range.
 */
export function oneByteCMap(name: string, cids: readonly number[]): string {
  const ranges: string[] = [];
  for (let code = 0; code < cids.length; code++) {
    const cid = cids[code]!;
    if (cid < 0) continue;
    let end = code;
    while (end + 1 < cids.length && cids[end + 1] === cid + (end + 1 - code)) end += 1;
    ranges.push(`<${hex2(code)}> <${hex2(end)}> ${cid}`);
    code = end;
  }
  let body = '';
  for (let i = 0; i < ranges.length; i += 100) {
    const chunk = ranges.slice(i, i + 100);
    body += `${chunk.length} begincidrange\n${chunk.join('\n')}\nendcidrange\n`;
  }
  return `%!PS-Adobe-3.0 Resource-CMap\n/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> def\n/CMapName /${name} def\n/CMapType 1 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n${body}${CMAP_END}`;
}

/** ToUnicode map from codes (the index; code 0 skipped for two-byte CIDs, where it is .notdef) to text. */
export function toUnicodeCMap(unicode: readonly (readonly number[])[], bytes: 1 | 2 = 2): string {
  const entries: string[] = [];
  const hex = bytes === 1 ? hex2 : hex4;
  unicode.forEach((cps, code) => {
    if ((bytes === 1 || code > 0) && cps.length) entries.push(`<${hex(code)}> <${utf16Hex(cps)}>`);
  });
  let body = '';
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    body += `${chunk.length} beginbfchar\n${chunk.join('\n')}\nendbfchar\n`;
  }
  const space = bytes === 1 ? '<00> <FF>' : '<0000> <FFFF>';
  return `/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n${space}\nendcodespacerange\n${body}${CMAP_END}`;
}
