import { zlibSync } from 'fflate';
import type { PrintChannel } from '../../model/print';
import type { FontFace } from '../../text/fonts';
import type { Matrix, PathCmd, PlanColor, PlanItem, PlanPage } from '../plan/types';
import type { PdfImage } from './images';

/**
 * A streaming PDF 1.6 writer for plans. Objects go to the sink as soon as they are complete (page content,
 * page dictionary, images and static forms on first use); only what must see every page waits for the end:
 * font subsets (the glyph set is known only then), the shared resource dictionary and the page tree.
 * Memory therefore stays flat however many pages are written: a few numbers per object.
 *
 * Coordinates: each page's content starts with a y-down transform at the trim box's top-left, so plan
 * coordinates are used as they are; text gets a y-flipped text matrix to stand upright.
 */

export interface ByteSink {
  write(chunk: Uint8Array): void;
}

export interface PdfWriterOptions {
  marks: PrintChannel['marks'];
  /** Decoded raster images by asset sha256 (the composer's cache). */
  images: ReadonlyMap<string, PdfImage>;
  title?: string;
  /** PDF date string (`D:20261122093000Z`); injected, the engine has no clock. */
  creationDate?: string;
  /** Deflate level for content streams (0 = uncompressed, for debugging). */
  compression?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /** zlib compressor; defaults to fflate. Hosts may inject a native one (Node's zlib is several times faster). */
  deflate?: Deflate | undefined;
}

export type Deflate = (data: Uint8Array, level: number) => Uint8Array;
export const fflateDeflate: Deflate = (data, level) => zlibSync(data, { level: level as 1 });

interface FontEntry {
  face: FontFace;
  name: string;
  id: number;
  cidOf: Map<number, number>;
  gids: number[];
  unicode: (readonly number[])[];
}

const enc = new TextEncoder();
const OBJECTS_PER_STREAM = 100;

/** Numbers as PDF writes them: at most 3 decimals, no exponent. */
export function n(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const r = Math.round(v * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
}

/** A PDF name with the characters the syntax reserves written as #xx. */
export function pdfName(s: string): string {
  let out = '/';
  for (const b of enc.encode(s)) {
    const ch = String.fromCharCode(b);
    out += b < 0x21 || b > 0x7e || '#()<>[]{}/%'.includes(ch) ? `#${b.toString(16).padStart(2, '0').toUpperCase()}` : ch;
  }
  return out;
}

export function pdfString(s: string): string {
  let out = '(';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (c >= 32 && c < 127) out += ch;
    else out += '?';
  }
  return `${out})`;
}

const hex4 = (v: number) => v.toString(16).padStart(4, '0');

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

export class PdfWriter {
  private offset = 0;
  /** Per object: its byte offset, or (for objects inside an object stream) the stream's object number. */
  private readonly xref: number[] = [0];
  /** Per object: -1, or its index inside the object stream named by `xref`. */
  private readonly xrefIndex: number[] = [-1];
  /** Small dictionaries (page objects) waiting to be packed into the next object stream. */
  private pending: { id: number; body: string }[] = [];
  private readonly pageIds: number[] = [];
  private readonly fonts = new Map<FontFace, FontEntry>();
  private readonly spots = new Map<string, { name: string; id: number }>();
  private readonly xobjects = new Map<string, { name: string; id: number }>();
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
    return this.pageIds.length;
  }

  get bytesWritten(): number {
    return this.offset;
  }

  private raw(s: string): void {
    // Only used for ASCII/Latin-1 syntax; binary goes through bytes().
    const b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
    this.bytes(b);
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

  /** Queue a dictionary for an object stream (PDF 1.5): page objects compress to a few bytes each there. */
  private packed(id: number, body: string): void {
    this.pending.push({ id, body });
    if (this.pending.length >= OBJECTS_PER_STREAM) this.flushPacked();
  }

  private flushPacked(): void {
    if (this.pending.length === 0) return;
    const stmId = this.alloc();
    let header = '';
    let body = '';
    this.pending.forEach((o, i) => {
      header += `${o.id} ${body.length} `;
      body += `${o.body}\n`;
      this.xref[o.id] = stmId;
      this.xrefIndex[o.id] = i;
    });
    this.stream(stmId, `/Type /ObjStm /N ${this.pending.length} /First ${header.length}`, enc.encode(header + body), true);
    this.pending = [];
  }

  private obj(id: number, body: string): void {
    this.xref[id] = this.offset;
    this.raw(`${id} 0 obj\n${body}\nendobj\n`);
  }

  private stream(id: number, dict: string, data: Uint8Array, compress: boolean): void {
    let body = data;
    let filter = '';
    const level = this.opts.compression ?? 6;
    if (compress && level > 0) {
      body = (this.opts.deflate ?? fflateDeflate)(data, level);
      filter = ' /Filter /FlateDecode';
    }
    this.xref[id] = this.offset;
    this.raw(`${id} 0 obj\n<< ${dict}${filter} /Length ${body.length} >>\nstream\n`);
    this.bytes(body);
    this.raw('\nendstream\nendobj\n');
  }

  // ---- resources -------------------------------------------------------------------------------

  private font(face: FontFace): FontEntry {
    let f = this.fonts.get(face);
    if (!f) {
      f = { face, name: `F${this.fonts.size + 1}`, id: this.alloc(), cidOf: new Map(), gids: [0], unicode: [[]] };
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
      f.cidOf.set(gid, c);
    }
    return c;
  }

  private spot(name: string, cmyk: readonly number[]): string {
    let s = this.spots.get(name);
    if (!s) {
      s = { name: `CS${this.spots.size + 1}`, id: this.alloc() };
      this.spots.set(name, s);
      this.obj(
        s.id,
        `[/Separation ${pdfName(name)} /DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [${cmyk.map(n).join(' ')}] /N 1 >>]`,
      );
    }
    return s.name;
  }

  private registration(): string {
    if (!this.allSep) {
      this.allSep = { name: 'CSAll', id: this.alloc() };
      this.obj(this.allSep.id, '[/Separation /All /DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [1 1 1 1] /N 1 >>]');
    }
    return this.allSep.name;
  }

  private gstate(alpha: number): string {
    const key = Math.round(alpha * 1000) / 1000;
    let g = this.gstates.get(key);
    if (!g) {
      g = { name: `GS${this.gstates.size + 1}`, id: this.alloc() };
      this.gstates.set(key, g);
      this.obj(g.id, `<< /Type /ExtGState /ca ${n(key)} /CA ${n(key)} >>`);
    }
    return g.name;
  }

  private image(sha: string): string {
    let x = this.xobjects.get(sha);
    if (!x) {
      const img = this.opts.images.get(sha);
      if (!img) throw new Error(`image ${sha} was planned but not prepared`);
      x = { name: `Im${this.xobjects.size + 1}`, id: this.alloc() };
      this.xobjects.set(sha, x);
      let smask = '';
      if (img.smask) {
        const sid = this.alloc();
        this.stream(
          sid,
          `/Type /XObject /Subtype /Image /Width ${img.width} /Height ${img.height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode ${img.smask.extra}`,
          img.smask.data,
          false,
        );
        smask = ` /SMask ${sid} 0 R`;
      }
      this.stream(
        x.id,
        `/Type /XObject /Subtype /Image /Width ${img.width} /Height ${img.height} /ColorSpace /${img.colorSpace} /BitsPerComponent ${img.bitsPerComponent} /Filter /${img.filter} ${img.extra}${smask}`,
        img.data,
        false,
      );
    }
    return x.name;
  }

  private form(key: string, items: PlanItem[], bbox: readonly number[]): string {
    const k = `form:${key}`;
    let x = this.xobjects.get(k);
    if (!x) {
      x = { name: `Fm${this.xobjects.size + 1}`, id: this.alloc() };
      this.xobjects.set(k, x);
      const out: string[] = [];
      for (const it of items) this.paint(it, out);
      this.stream(
        x.id,
        `/Type /XObject /Subtype /Form /BBox [${bbox.map(n).join(' ')}] /Resources ${this.resourcesId} 0 R`,
        enc.encode(out.join('')),
        true,
      );
    }
    return x.name;
  }

  // ---- painting --------------------------------------------------------------------------------

  private color(c: PlanColor, stroke: boolean): string {
    if (c.kind === 'spot') return `/${this.spot(c.name, c.cmyk)} ${stroke ? 'CS' : 'cs'} ${n(c.tint)} ${stroke ? 'SCN' : 'scn'}\n`;
    if (c.kind === 'cmyk') return `${c.cmyk.map(n).join(' ')} ${stroke ? 'K' : 'k'}\n`;
    return `${c.rgb.map(n).join(' ')} ${stroke ? 'RG' : 'rg'}\n`;
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

  private paint(it: PlanItem, out: string[]): void {
    switch (it.kind) {
      case 'shape': {
        if (!it.fill && !it.stroke) return;
        out.push('q\n');
        if (it.fill) out.push(this.color(it.fill, false));
        if (it.stroke) {
          out.push(this.color(it.stroke.color, true), `${n(it.stroke.width)} w\n`);
          if (it.stroke.dash?.length) out.push(`[${it.stroke.dash.map(n).join(' ')}] 0 d\n`);
        }
        out.push(this.path(it.path));
        const eo = it.evenOdd ? '*' : '';
        out.push(it.fill && it.stroke ? `B${eo}\n` : it.fill ? `f${eo}\n` : 'S\n', 'Q\n');
        return;
      }
      case 'rects': {
        let s = `q\n${it.transform ? `${matrix(it.transform)} cm\n` : ''}${this.color(it.fill, false)}`;
        const r = it.rects;
        for (let i = 0; i < r.length; i += 4) s += `${n(r[i]!)} ${n(r[i + 1]!)} ${n(r[i + 2]!)} ${n(r[i + 3]!)} re\n`;
        out.push(s, 'f\nQ\n');
        return;
      }
      case 'text': {
        // One text object per frame; colour and font are set only when they change.
        const { layout } = it;
        const bx = layout.box.x;
        const by = layout.box.y;
        let s = '';
        let after = '';
        let curColor = '';
        let curFont = '';
        layout.lines.forEach((line, li) => {
          line.runs.forEach((run, ri) => {
            if (run.glyphs.length === 0) return;
            const f = this.font(run.face);
            const color = it.colors[li]?.[ri];
            const size = run.size;
            const upm = run.face.unitsPerEm;
            const col = color ? this.color(color, false) : '';
            if (col !== curColor) {
              s += col;
              curColor = col;
            }
            const tf = `/${f.name} ${n(size)} Tf\n`;
            if (tf !== curFont) {
              s += tf;
              curFont = tf;
            }
            s += `1 0 0 -1 ${n(bx + run.x)} ${n(by + line.baseline)} Tm\n[<`;
            // `pen` is where the viewer's pen actually is: adjustments are rounded to 1/1000 em, so the
            // rounding error is carried into the next adjustment instead of accumulating.
            let pen = 0;
            for (let g = 0; g < run.glyphs.length; g++) {
              const gl = run.glyphs[g]!;
              const adj = Math.round(((gl.x - pen) * -1000) / size);
              if (adj !== 0) s += `>${adj}<`;
              s += hex4(this.cid(f, gl.id, gl.codePoints));
              pen += (-adj * size) / 1000 + (run.face.glyphAdvance(gl.id) * size) / upm;
            }
            s += '>]TJ\n';
            if (run.underline && color)
              after += `q\n${col}${n(bx + run.x)} ${n(by + line.baseline + size * 0.1)} ${n(run.width)} ${n(size * 0.06)} re f\nQ\n`;
          });
        });
        if (s) out.push(`BT\n${s}ET\n`, after);
        return;
      }
      case 'image': {
        const name = this.image(it.sha256);
        out.push('q\n');
        if (it.clip) out.push(`${n(it.clip.x)} ${n(it.clip.y)} ${n(it.clip.width)} ${n(it.clip.height)} re W n\n`);
        out.push(`${n(it.width)} 0 0 ${n(-it.height)} ${n(it.x)} ${n(it.y + it.height)} cm\n/${name} Do\nQ\n`);
        return;
      }
      case 'group': {
        out.push('q\n');
        if (it.clip) out.push(`${n(it.clip.x)} ${n(it.clip.y)} ${n(it.clip.width)} ${n(it.clip.height)} re W n\n`);
        if (it.transform) out.push(`${matrix(it.transform)} cm\n`);
        if (it.opacity !== undefined) out.push(`/${this.gstate(it.opacity)} gs\n`);
        for (const c of it.items) this.paint(c, out);
        out.push('Q\n');
        return;
      }
      case 'static': {
        out.push(`/${this.form(it.key, it.items, this.currentBBox)} Do\n`);
        return;
      }
    }
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
    const out: string[] = [`q\n1 0 0 -1 ${n(ml)} ${n(mb + H)} cm\n`];
    for (const it of plan.items) this.paint(it, out);
    out.push('Q\n');
    if (marks) out.push(this.marks(ml, mb, W, H, b));
    const contentId = this.alloc();
    this.stream(contentId, '', enc.encode(out.join('')), true);
    const pageId = this.alloc();
    this.pageIds.push(pageId);
    this.packed(
      pageId,
      `<< /Type /Page /Parent ${this.pagesId} 0 R /MediaBox [0 0 ${n(mw)} ${n(mh)}] /BleedBox [${n(ml - b.left)} ${n(mb - b.bottom)} ${n(ml + W + b.right)} ${n(mb + H + b.top)}] /TrimBox [${n(ml)} ${n(mb)} ${n(ml + W)} ${n(mb + H)}] /Resources ${this.resourcesId} 0 R /Contents ${contentId} 0 R >>`,
    );
  }

  /** Crop marks at the trim corners and bleed marks at the bleed corners, outside the bleed, on every plate. */
  private marks(ml: number, mb: number, W: number, H: number, b: PlanPage['page']['bleed']): string {
    const m = this.opts.marks;
    let s = `q\n/${this.registration()} CS 1 SCN 0.25 w\n`;
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
    return `${s}Q\n`;
  }

  /** Write fonts, resources, the page tree, the cross-reference table and the trailer. */
  finish(): { pages: number; bytes: number } {
    if (this.finished) throw new Error('the PDF is already finished');
    this.finished = true;
    for (const f of this.fonts.values()) this.writeFont(f);
    const dict = (entries: [string, number][]) => entries.map(([name, id]) => `/${name} ${id} 0 R`).join(' ');
    const fonts = dict([...this.fonts.values()].map((f) => [f.name, f.id]));
    const xo = dict([...this.xobjects.values()].map((x) => [x.name, x.id]));
    const cs = dict([...this.spots.values(), ...(this.allSep ? [this.allSep] : [])].map((x) => [x.name, x.id]));
    const gs = dict([...this.gstates.values()].map((x) => [x.name, x.id]));
    this.obj(
      this.resourcesId,
      `<< /ProcSet [/PDF /Text /ImageB /ImageC] /Font << ${fonts} >> /XObject << ${xo} >> /ColorSpace << ${cs} >> /ExtGState << ${gs} >> >>`,
    );
    // Page tree: the kids in chunks so one object never holds a huge array on readers that limit it.
    this.obj(this.pagesId, `<< /Type /Pages /Count ${this.pageIds.length} /Kids [${this.pageIds.map((id) => `${id} 0 R`).join(' ')}] >>`);
    const infoId = this.alloc();
    const info = [`/Producer (Presswork)`];
    if (this.opts.title) info.push(`/Title ${pdfString(this.opts.title)}`);
    if (this.opts.creationDate) info.push(`/CreationDate (${this.opts.creationDate})`);
    this.obj(infoId, `<< ${info.join(' ')} >>`);
    this.obj(this.catalogId, `<< /Type /Catalog /Pages ${this.pagesId} 0 R >>`);
    this.flushPacked();
    // Cross-reference stream (PDF 1.5): type 1 = offset, type 2 = inside an object stream. W [1 5 2].
    const xrefId = this.alloc();
    const xrefAt = this.offset;
    this.xref[xrefId] = xrefAt;
    const size = this.xref.length;
    const rows = new Uint8Array(size * 8);
    for (let i = 0; i < size; i++) {
      const o = i * 8;
      const v = this.xref[i]!;
      const idx = this.xrefIndex[i]!;
      if (i === 0) {
        rows[o + 6] = 0xff;
        rows[o + 7] = 0xff;
        continue;
      }
      if (v < 0) throw new Error(`PDF object ${i} was allocated but never written`);
      rows[o] = idx >= 0 ? 2 : 1;
      let x = v;
      for (let k = 5; k >= 1; k--) {
        rows[o + k] = x % 256;
        x = Math.floor(x / 256);
      }
      const second = idx >= 0 ? idx : 0;
      rows[o + 6] = (second >> 8) & 0xff;
      rows[o + 7] = second & 0xff;
    }
    const level = this.opts.compression ?? 6;
    const data = level > 0 ? (this.opts.deflate ?? fflateDeflate)(rows, level) : rows;
    this.raw(
      `${xrefId} 0 obj\n<< /Type /XRef /Size ${size} /W [1 5 2] /Root ${this.catalogId} 0 R /Info ${infoId} 0 R${level > 0 ? ' /Filter /FlateDecode' : ''} /Length ${data.length} >>\nstream\n`,
    );
    this.bytes(data);
    this.raw(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`);
    return { pages: this.pageIds.length, bytes: this.offset };
  }

  private writeFont(f: FontEntry): void {
    const face = f.face;
    const subset = face.font.createSubset();
    for (let i = 1; i < f.gids.length; i++) subset.includeGlyph(f.gids[i]!);
    const data = subset.encode();
    const tag = subsetTag(f.gids, face.postscriptName);
    const base = `${tag}+${face.postscriptName}`;
    const k = 1000 / face.unitsPerEm;
    const fileId = this.alloc();
    const descId = this.alloc();
    const cidId = this.alloc();
    const uniId = this.alloc();
    if (face.isCFF) this.stream(fileId, '/Subtype /CIDFontType0C', data, true);
    else this.stream(fileId, `/Length1 ${data.length}`, data, true);
    const bb = face.font.bbox;
    const italic = face.font.italicAngle !== 0;
    this.obj(
      descId,
      `<< /Type /FontDescriptor /FontName /${base} /Flags ${4 | (italic ? 64 : 0)} /FontBBox [${[bb.minX, bb.minY, bb.maxX, bb.maxY].map((v) => n(v * k)).join(' ')}] /ItalicAngle ${n(face.font.italicAngle)} /Ascent ${n(face.ascent * k)} /Descent ${n(face.descent * k)} /CapHeight ${n(face.capHeight * k)} /StemV 80 /${face.isCFF ? 'FontFile3' : 'FontFile2'} ${fileId} 0 R >>`,
    );
    const widths = f.gids.map((g) => n(face.glyphAdvance(g) * k)).join(' ');
    this.obj(
      cidId,
      `<< /Type /Font /Subtype /${face.isCFF ? 'CIDFontType0' : 'CIDFontType2'} /BaseFont /${base} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${descId} 0 R /W [0 [${widths}]]${face.isCFF ? '' : ' /CIDToGIDMap /Identity'} >>`,
    );
    this.stream(uniId, '', enc.encode(toUnicodeCMap(f.unicode)), true);
    this.obj(
      f.id,
      `<< /Type /Font /Subtype /Type0 /BaseFont /${base} /Encoding /Identity-H /DescendantFonts [${cidId} 0 R] /ToUnicode ${uniId} 0 R >>`,
    );
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

export function toUnicodeCMap(unicode: readonly (readonly number[])[]): string {
  const entries: string[] = [];
  unicode.forEach((cps, cid) => {
    if (cid > 0 && cps.length) entries.push(`<${hex4(cid)}> <${utf16Hex(cps)}>`);
  });
  let body = '';
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    body += `${chunk.length} beginbfchar\n${chunk.join('\n')}\nendbfchar\n`;
  }
  return `/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n${body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n`;
}
