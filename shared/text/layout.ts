// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- linebreak ships no types (see fonts.ts)
/// <reference path="./fontkit.d.ts" />
import { Generations } from './generations';
import LineBreaker from 'linebreak';
import type { ColorRef } from '../model/color';
import type { TextAlign, TextElement, TextStyle, RunStyle } from '../model/elements/text';
import { TextError, type FontFace, type FontLibrary, type Shaped } from './fonts';

/**
 * THE text measurer (see README.md): a text element + a record resolver + fonts → positioned lines.
 * The PDF writer paints exactly these lines; the canvas will draw exactly these lines.
 */

/** What the layout needs from a bound record: Liquid text and conditions (a `BoundRecord` fits). */
export interface TextResolver {
  text(source: string): string;
  condition(source: string): boolean;
}

export interface LaidGlyph {
  id: number;
  /** Pen position in points from the run's x. */
  x: number;
  /** Offset below/above the baseline (points, up positive), from mark positioning. */
  dy: number;
  codePoints: readonly number[];
}

export interface LaidRun {
  face: FontFace;
  size: number;
  color: ColorRef;
  underline: boolean;
  text: string;
  /** Left of the run in frame-local points. */
  x: number;
  width: number;
  glyphs: LaidGlyph[];
}

export interface LaidLine {
  /** The characters of the line as printed (trailing spaces dropped). */
  text: string;
  paragraph: number;
  /** Frame-local points, origin at the element box's top-left, y down. */
  x: number;
  baseline: number;
  top: number;
  height: number;
  width: number;
  runs: LaidRun[];
}

/**
 * fits: as designed; shrunk: copy-fit reduced the size and it fits; min-size: it fits only at the minimum size;
 * overflow: some text does not fit (cut at the frame and reported); clipped: did not fit, cut silently (fit mode clip).
 */
export type FitStatus = 'fits' | 'shrunk' | 'min-size' | 'overflow' | 'clipped';

export interface TextLayout {
  elementId: string;
  box: { x: number; y: number; width: number; height: number };
  /** The frame's font size after copy-fit (the design size when nothing was shrunk). */
  size: number;
  /** Applied scale: size / design size. */
  scale: number;
  status: FitStatus;
  /** True when text was lost (status overflow or clipped). */
  overflow: boolean;
  /** True when copy-fit stopped at the frame's minimum size. */
  hitMinimum: boolean;
  /** Lines that are printed (those that fit the frame). */
  lines: LaidLine[];
  /** Lines that were laid out but fall outside the frame. */
  hiddenLines: number;
  /** Height of all the text at the final size, points. */
  contentHeight: number;
}

interface Piece {
  face: FontFace;
  text: string;
  shaped: Shaped;
  size: number;
  tracking: number;
  color: ColorRef;
  underline: boolean;
  /** Identifies the run + face, to merge neighbouring pieces into one run. */
  key: string;
}
interface Word {
  pieces: Piece[];
  trailing: Piece[];
  hard: boolean;
}
interface Para {
  index: number;
  words: Word[];
  align: TextAlign;
  spaceBefore: number;
  spaceAfter: number;
  /** Face and size used for an empty paragraph's line height. */
  face: FontFace;
  size: number;
}

const isSpace = (cp: number) => cp === 32 || cp === 9 || cp === 0xa0 || (cp >= 0x2000 && cp <= 0x200b) || cp === 0x3000;
const isNewline = (cp: number) => cp === 10 || cp === 13 || cp === 0x2028 || cp === 0x2029;

const pieceWidth = (p: Piece, s: number) =>
  (p.shaped.width * p.size * s) / p.face.unitsPerEm + (p.shaped.glyphs.length * p.tracking * p.size * s) / 1000;

function runStyle(frame: TextStyle, run: RunStyle | undefined) {
  return {
    font: run?.font ?? frame.font,
    weight: run?.weight,
    italic: run?.italic,
    size: run?.size ?? frame.size,
    color: run?.color ?? frame.color,
    tracking: run?.tracking ?? frame.tracking,
    underline: run?.underline ?? frame.underline,
  };
}

const hexCp = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

type Span = { text: string; face: FontFace; style: ReturnType<typeof runStyle>; key: string };

function makePiece(span: Span, t: string): Piece | undefined {
  const clean = NEWLINES.test(t) || t.includes('\t') ? t.replace(/[\n\r\u2028\u2029]/g, '').replace(/\t/g, ' ') : t;
  if (!clean) return undefined;
  return {
    face: span.face,
    text: clean,
    shaped: span.face.shape(clean),
    size: span.style.size,
    tracking: span.style.tracking,
    color: span.style.color,
    underline: span.style.underline,
    key: span.key,
  };
}
const NEWLINES = /[\n\r\u2028\u2029]/;
const TRAILING_SPACE = /[\s\u00a0\u2000-\u200b\u3000]+$/u;

/** Prepared paragraphs per element, by resolved text: dealer lines and fixed sentences repeat across records. */
const paraCache = new WeakMap<FontLibrary, WeakMap<TextElement, Generations<string, Para>>>();
const layoutCache = new WeakMap<FontLibrary, WeakMap<TextElement, Generations<string, TextLayout>>>();
/** Per element: two generations of this many texts (a layout holds every line's glyphs). */
const CACHED_PER_ELEMENT = 512;

/** Memoise per font library (one per template) and element, by the resolved text. */
function cached<T>(
  store: WeakMap<FontLibrary, WeakMap<TextElement, Generations<string, T>>>,
  fonts: FontLibrary,
  el: TextElement,
  key: string,
  make: () => T,
): T {
  let byEl = store.get(fonts);
  if (!byEl) store.set(fonts, (byEl = new WeakMap()));
  let m = byEl.get(el);
  if (!m) byEl.set(el, (m = new Generations(CACHED_PER_ELEMENT)));
  let v = m.get(key);
  if (v === undefined) {
    v = make();
    m.set(key, v);
  }
  return v;
}

/** Resolve Liquid and conditions: the record-dependent input of the layout. */
function resolve(el: TextElement, resolver: TextResolver): { index: number; texts: string[] }[] {
  const out: { index: number; texts: string[] }[] = [];
  for (let pi = 0; pi < el.paragraphs.length; pi++) {
    const p = el.paragraphs[pi]!;
    if (p.visibleIf !== undefined && !resolver.condition(p.visibleIf)) continue;
    out.push({ index: pi, texts: p.runs.map((r) => resolver.text(r.text)) });
  }
  return out;
}

/** Pick faces (with fallback), find break opportunities and shape: everything that does not depend on size. */
function buildPara(el: TextElement, pi: number, texts: string[], fonts: FontLibrary): Para {
  const p = el.paragraphs[pi]!;
  const frameFace = fonts.face(el.style.font);
  {
    // Items: text spans with one face and one style.
    const spans: Span[] = [];
    let full = '';
    p.runs.forEach((r, ri) => {
      const style = runStyle(el.style, r.style);
      const face = fonts.styled(style.font, style.weight, style.italic);
      const text = texts[ri] ?? '';
      let cur: Span | undefined;
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        let f: FontFace | undefined;
        if (isNewline(cp)) f = face;
        else if (isSpace(cp)) f = face.hasCodePoint(cp) ? face : (fonts.faceFor(face, 32) ?? face);
        else f = fonts.faceFor(face, cp);
        if (!f)
          throw new TextError(
            'missing-glyph',
            `text element "${el.id}": character "${ch}" (${hexCp(cp)}) is not in font "${face.id}" nor in any brand.fontFallbacks font; add a fallback font that has it or change the text`,
          );
        const key = `${ri}:${f.id}`;
        if (!cur || cur.key !== key) {
          cur = { text: '', face: f, style, key };
          spans.push(cur);
        }
        cur.text += ch;
      }
      full += text;
    });
    // Break opportunities over the whole paragraph (UAX #14), then cut spans at them.
    const breaks: { position: number; required: boolean }[] = [];
    const lb = new LineBreaker(full);
    for (let b = lb.nextBreak(); b; b = lb.nextBreak()) breaks.push({ position: b.position, required: b.required });
    const words: Word[] = [];
    let spanIdx = 0;
    let spanOff = 0; // offset of spans[spanIdx] in `full`
    let pos = 0;
    for (const br of breaks) {
      const word: Word = { pieces: [], trailing: [], hard: br.required && br.position < full.length };
      let start = pos;
      while (start < br.position && spanIdx < spans.length) {
        const span = spans[spanIdx]!;
        const spanEnd = spanOff + span.text.length;
        const end = Math.min(spanEnd, br.position);
        const raw = span.text.slice(start - spanOff, end - spanOff);
        // Split trailing whitespace (it does not count at a line end) and drop newline characters.
        let body = raw;
        let tail = '';
        const m = TRAILING_SPACE.exec(raw);
        if (m && end === br.position) {
          body = raw.slice(0, m.index);
          tail = m[0];
        }
        const b = makePiece(span, body);
        if (b) word.pieces.push(b);
        const t = makePiece(span, tail);
        if (t) word.trailing.push(t);
        start = end;
        if (end === spanEnd) {
          spanOff = spanEnd;
          spanIdx += 1;
        }
      }
      pos = br.position;
      words.push(word);
    }
    const firstStyle = runStyle(el.style, p.runs[0]?.style);
    return {
      index: pi,
      words,
      align: p.align ?? el.align,
      spaceBefore: p.spaceBefore,
      spaceAfter: p.spaceAfter,
      face: fonts.styled(firstStyle.font, firstStyle.weight, firstStyle.italic) ?? frameFace,
      size: firstStyle.size,
    };
  }
}

/** The largest size, ascent and descent (points) on a line of words from..to at scale s. */
function lineMetrics(para: Para, from: number, to: number, s: number): { size: number; asc: number; desc: number } {
  const m = { size: 0, asc: 0, desc: 0 };
  for (let i = from; i < to; i++) {
    const w = para.words[i]!;
    for (const pc of w.pieces) take(m, pc.face, pc.size * s);
    for (const pc of w.trailing) take(m, pc.face, pc.size * s);
  }
  if (m.size === 0) take(m, para.face, para.size * s);
  return m;
}
function take(m: { size: number; asc: number; desc: number }, f: FontFace, sz: number): void {
  if (sz > m.size) m.size = sz;
  const a = (f.ascent / f.unitsPerEm) * sz;
  if (a > m.asc) m.asc = a;
  const d = (-f.descent / f.unitsPerEm) * sz;
  if (d > m.desc) m.desc = d;
}

interface BrokenLine {
  para: Para;
  from: number;
  to: number; // exclusive word index
  width: number;
  height: number;
  ascent: number;
  descent: number;
  last: boolean; // last line of its paragraph (or ends with a hard break)
  top: number;
}

/** Greedy line breaking at scale `s`. Returns the lines with vertical positions, and whether a word was wider than the frame. */
function breakLines(paras: Para[], s: number, leading: number, avail: number) {
  const lines: BrokenLine[] = [];
  let y = 0;
  let tooWide = false;
  paras.forEach((para, pIdx) => {
    if (pIdx > 0) y += para.spaceBefore;
    const push = (from: number, to: number, width: number, last: boolean) => {
      const m = lineMetrics(para, from, to, s);
      lines.push({ para, from, to, width, height: m.size * leading, ascent: m.asc, descent: m.desc, last, top: y });
      y += m.size * leading;
    };
    if (para.words.length === 0) {
      push(0, 0, 0, true);
    } else {
      let from = 0;
      let cur = 0; // width including trailing spaces of words so far
      let curCore = 0; // width up to the end of the last word's body
      for (let i = 0; i < para.words.length; i++) {
        const w = para.words[i]!;
        let core = 0;
        for (const pc of w.pieces) core += pieceWidth(pc, s);
        let trail = 0;
        for (const pc of w.trailing) trail += pieceWidth(pc, s);
        if (i > from && cur + core > avail + 1e-6) {
          push(from, i, curCore, false);
          from = i;
          cur = 0;
        }
        if (core > avail + 1e-6) tooWide = true;
        curCore = cur + core;
        cur += core + trail;
        if (w.hard) {
          push(from, i + 1, curCore, true);
          from = i + 1;
          cur = 0;
          curCore = 0;
        }
      }
      if (from < para.words.length || para.words[para.words.length - 1]!.hard) push(from, para.words.length, curCore, true);
    }
    if (pIdx < paras.length - 1) y += para.spaceAfter;
  });
  return { lines, height: y, tooWide };
}

export interface LayoutOptions {
  /** Override the frame's fit mode (the studio may want the unfitted size). */
  fit?: TextElement['fit'];
}

/**
 * Lay out one text element for one record. Throws TextError (code `missing-glyph`, `font-missing`, …)
 * when the text cannot be printed correctly; never draws a blank box for a missing glyph.
 */
export function layoutText(el: TextElement, resolver: TextResolver, fonts: FontLibrary, options: LayoutOptions = {}): TextLayout {
  const fit = options.fit ?? el.fit;
  const resolved = resolve(el, resolver);
  let key = fit.mode + (fit.minSize ?? '');
  for (const r of resolved) key += `\u0002${r.index}\u0001${r.texts.join('\u0001')}`;
  return cached(layoutCache, fonts, el, key, () => {
    const paras = resolved.map((r) =>
      cached(paraCache, fonts, el, `${r.index}\u0001${r.texts.join('\u0001')}`, () => buildPara(el, r.index, r.texts, fonts)),
    );
    return layoutParas(el, paras, fit);
  });
}

function layoutParas(el: TextElement, paras: Para[], fit: TextElement['fit']): TextLayout {
  const pad = el.padding;
  const availW = Math.max(0, el.width - pad.left - pad.right);
  const availH = Math.max(0, el.height - pad.top - pad.bottom);
  const fits = (r: ReturnType<typeof breakLines>) => !r.tooWide && r.height <= availH + 0.01;

  let scale = 1;
  let result = breakLines(paras, 1, el.leading, availW);
  let hitMinimum = false;
  let status: FitStatus = 'fits';
  if (!fits(result)) {
    if (fit.mode === 'shrink') {
      const minSize = fit.minSize ?? el.style.size / 2;
      const lo0 = Math.min(1, minSize / el.style.size);
      const atMin = breakLines(paras, lo0, el.leading, availW);
      if (!fits(atMin)) {
        scale = lo0;
        result = atMin;
        hitMinimum = true;
        status = 'overflow';
      } else {
        // Binary search for the largest scale that fits, to 1/100 pt of the frame size.
        let lo = lo0;
        let hi = 1;
        let best = atMin;
        const eps = 0.01 / el.style.size;
        while (hi - lo > eps) {
          const mid = (lo + hi) / 2;
          const r = breakLines(paras, mid, el.leading, availW);
          if (fits(r)) {
            lo = mid;
            best = r;
          } else hi = mid;
        }
        scale = lo;
        result = best;
        hitMinimum = lo === lo0;
        status = hitMinimum ? 'min-size' : 'shrunk';
      }
    } else status = fit.mode === 'clip' ? 'clipped' : 'overflow';
  }

  // Vertical placement.
  const contentHeight = result.height;
  const slack = availH - contentHeight;
  const dy = slack > 0 ? (el.verticalAlign === 'middle' ? slack / 2 : el.verticalAlign === 'bottom' ? slack : 0) : 0;

  const lines: LaidLine[] = [];
  let hidden = 0;
  for (const bl of result.lines) {
    if (bl.top + bl.height > availH + 0.01 && status !== 'fits' && status !== 'shrunk' && status !== 'min-size') {
      hidden += 1;
      continue;
    }
    lines.push(materialise(bl, scale, availW, pad.left, pad.top + dy));
  }
  return {
    elementId: el.id,
    box: { x: el.x, y: el.y, width: el.width, height: el.height },
    size: el.style.size * scale,
    scale,
    status,
    overflow: status === 'overflow' || status === 'clipped',
    hitMinimum,
    lines,
    hiddenLines: hidden,
    contentHeight,
  };
}

function materialise(bl: BrokenLine, s: number, availW: number, left: number, top: number): LaidLine {
  const words = bl.para.words.slice(bl.from, bl.to);
  // The pieces of the line, with the last word's trailing whitespace dropped.
  const pieces: Piece[] = [];
  words.forEach((w, i) => {
    pieces.push(...w.pieces);
    if (i < words.length - 1) pieces.push(...w.trailing);
  });
  const extra = availW - bl.width;
  let spaceExtra = 0;
  let x0 = 0;
  const align = bl.para.align;
  if (align === 'center') x0 = extra / 2;
  else if (align === 'right') x0 = extra;
  else if (align === 'justify' && !bl.last && extra > 0) {
    let spaces = 0;
    for (const pc of pieces) for (const g of pc.shaped.glyphs) if (g.codePoints.length === 1 && isSpace(g.codePoints[0]!)) spaces += 1;
    if (spaces > 0) spaceExtra = extra / spaces;
  }
  const runs: LaidRun[] = [];
  let pen = x0;
  let text = '';
  for (const pc of pieces) {
    const size = pc.size * s;
    const k = size / pc.face.unitsPerEm;
    const track = (pc.tracking * size) / 1000;
    let run = runs[runs.length - 1];
    const runKey = (r: LaidRun) => r.face === pc.face && r.size === size && r.color === pc.color && r.underline === pc.underline;
    if (!run || !runKey(run)) {
      run = { face: pc.face, size, color: pc.color, underline: pc.underline, text: '', x: left + pen, width: 0, glyphs: [] };
      runs.push(run);
    }
    for (const g of pc.shaped.glyphs) {
      run.glyphs.push({ id: g.id, x: left + pen - run.x + g.xOffset * k, dy: g.yOffset * k, codePoints: g.codePoints });
      pen += g.advance * k + track;
      if (spaceExtra && g.codePoints.length === 1 && isSpace(g.codePoints[0]!)) pen += spaceExtra;
    }
    run.text += pc.text;
    run.width = left + pen - run.x;
    text += pc.text;
  }
  const baseline = top + bl.top + (bl.height - (bl.ascent + bl.descent)) / 2 + bl.ascent;
  return {
    text,
    paragraph: bl.para.index,
    x: left + x0,
    baseline,
    top: top + bl.top,
    height: bl.height,
    width: spaceExtra ? availW : bl.width,
    runs,
  };
}
