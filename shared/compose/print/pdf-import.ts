import {
  PDFArray,
  PDFBool,
  PDFContext,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
  PDFString,
  decodePDFRawStream,
  type PDFObject,
} from 'pdf-lib';

/**
 * PDF artwork (a logo or an illustration saved as PDF) imported for placement as vectors: one page of the
 * asset becomes a Form XObject whose content is the page's content and whose resources are the page's own
 * (fonts, images, nested forms, colour spaces — the whole object graph they reference, copied once per asset).
 *
 * pdf-lib parses the file's objects; its document loader is asynchronous (it yields to the event loop while
 * parsing), and composition is synchronous, so the file is walked here with pdf-lib's object parser the same
 * way pdf-lib's own loader walks it (object by object from the start, later objects replacing earlier ones,
 * object streams expanded), without the yields.
 */

export class PdfImportError extends Error {
  constructor(
    readonly code: 'image-unreadable' | 'image-unsupported',
    message: string,
  ) {
    super(message);
    this.name = 'PdfImportError';
  }
}

export interface PdfArtwork {
  /** Size as displayed (points, /Rotate applied): the frame's fit uses it like an image's pixel size. */
  width: number;
  height: number;
  /** Form space (the page's CropBox, within its MediaBox). */
  bbox: readonly [number, number, number, number];
  /** Form space → the unit square (y up), the way an image XObject is drawn; /Rotate included. */
  matrix: readonly [number, number, number, number, number, number];
  /** The page's content streams, decoded and joined. */
  content: Uint8Array;
  resources: PDFObject | undefined;
  group: PDFObject | undefined;
  context: PDFContext;
}

/** What the importer needs from a PDF writer to copy objects into it. */
export interface PdfObjectSink {
  alloc(): number;
  /** A non-stream object. */
  obj(id: number, body: string): void;
  /** A stream object; `dict` without /Length. `compress`: deflate data that is not encoded yet. */
  stream(id: number, dict: string, data: Uint8Array, compress: boolean): void;
}

/** pdf-lib's parser members used here: run-time public, declared protected (see the class comment above). */
interface ParserInternals {
  bytes: { offset(): number; moveTo(o: number): void; done(): boolean; peek(): number; next(): number };
  skipWhitespaceAndComments(): void;
  matchKeyword(k: number[]): boolean;
  parseRawInt(): number;
  parseDict(): PDFDict;
  parseObject(): PDFObject;
}

const kw = (s: string) => [...s].map((c) => c.charCodeAt(0));
const OBJ = kw('obj');
const ENDOBJ = kw('endobj');
const XREF = kw('xref');
const TRAILER = kw('trailer');
const STARTXREF = kw('startxref');
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

const N = (s: string) => PDFName.of(s);
const RESET = new TextEncoder().encode('0 g 0 G 1 w 0 J 0 j 10 M []0 d 0 Tc 0 Tw 100 Tz 0 TL 0 Ts 0 Tr');

function parseFile(bytes: Uint8Array, label: string): { context: PDFContext; trailers: PDFDict[] } {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 1024)));
  const at = head.indexOf('%PDF-');
  if (at < 0) throw new PdfImportError('image-unreadable', `"${label}" is not a PDF file (no %PDF- header)`);
  const context = PDFContext.create();
  const p = PDFObjectParser.forBytes(bytes, context) as unknown as ParserInternals;
  const b = p.bytes;
  b.moveTo(at + 5);
  while (!b.done() && b.peek() !== 0x0a && b.peek() !== 0x0d) b.next();
  const trailers: PDFDict[] = [];
  const objectStreams: [PDFRawStream, number][] = [];
  /** Where each object number was last defined: a later definition (an incremental update) wins. */
  const definedAt = new Map<number, number>();
  while (true) {
    p.skipWhitespaceAndComments();
    if (b.done()) break;
    const start = b.offset();
    if (isDigit(b.peek())) {
      let num: number;
      let gen: number;
      try {
        num = p.parseRawInt();
        p.skipWhitespaceAndComments();
        gen = p.parseRawInt();
        p.skipWhitespaceAndComments();
      } catch {
        b.moveTo(start + 1);
        continue;
      }
      if (!p.matchKeyword(OBJ)) {
        // Stray numbers (a damaged xref table): skip them.
        if (b.offset() === start) b.next();
        continue;
      }
      let object: PDFObject;
      try {
        p.skipWhitespaceAndComments();
        object = p.parseObject();
      } catch (e) {
        throw new PdfImportError(
          'image-unreadable',
          `"${label}" is damaged: object ${num} ${gen} at byte ${start} cannot be read (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`,
        );
      }
      p.skipWhitespaceAndComments();
      p.matchKeyword(ENDOBJ);
      if (object instanceof PDFRawStream) {
        const type = object.dict.get(N('Type'));
        if (type === N('ObjStm')) {
          objectStreams.push([object, start]);
          continue;
        }
        if (type === N('XRef')) {
          trailers.push(object.dict);
          continue;
        }
      }
      context.assign(PDFRef.of(num, gen), object);
      definedAt.set(num, start);
    } else if (p.matchKeyword(XREF)) {
      // A classic cross-reference table: the objects were read in order anyway.
      while (!b.done()) {
        p.skipWhitespaceAndComments();
        const c = b.peek();
        if (isDigit(c)) p.parseRawInt();
        else if (c === 0x66 || c === 0x6e) b.next();
        else break;
      }
    } else if (p.matchKeyword(TRAILER)) {
      p.skipWhitespaceAndComments();
      try {
        trailers.push(p.parseDict());
      } catch {
        throw new PdfImportError('image-unreadable', `"${label}" is damaged: its trailer cannot be read`);
      }
    } else if (p.matchKeyword(STARTXREF)) {
      p.skipWhitespaceAndComments();
      if (isDigit(b.peek())) p.parseRawInt();
    } else b.next();
  }
  // An encrypted file's object streams are encrypted too: say so before trying to read them.
  if (trailers.some((t) => t.has(N('Encrypt'))))
    throw new PdfImportError('image-unsupported', `"${label}" is encrypted; save it again without a password or security settings`);
  for (const [stm, at] of objectStreams) expandObjectStream(stm, at, context, definedAt, label);
  return { context, trailers };
}

function expandObjectStream(stm: PDFRawStream, at: number, context: PDFContext, definedAt: Map<number, number>, label: string): void {
  let data: Uint8Array;
  try {
    data = decodePDFRawStream(stm).decode();
  } catch (e) {
    throw new PdfImportError('image-unreadable', `"${label}" is damaged: an object stream cannot be decoded (${String(e)})`);
  }
  const first = stm.dict.get(N('First'));
  const count = stm.dict.get(N('N'));
  if (!(first instanceof PDFNumber) || !(count instanceof PDFNumber))
    throw new PdfImportError('image-unreadable', `"${label}" is damaged: an object stream has no /First or /N`);
  const hp = PDFObjectParser.forBytes(data, context) as unknown as ParserInternals;
  const entries: [number, number][] = [];
  for (let i = 0; i < count.asNumber(); i++) {
    hp.skipWhitespaceAndComments();
    const num = hp.parseRawInt();
    hp.skipWhitespaceAndComments();
    entries.push([num, hp.parseRawInt()]);
  }
  for (const [num, off] of entries) {
    if ((definedAt.get(num) ?? -1) > at) continue;
    definedAt.set(num, at);
    const op = PDFObjectParser.forBytes(data.subarray(first.asNumber() + off), context);
    context.assign(PDFRef.of(num, 0), op.parseObject());
  }
}

const deref = (ctx: PDFContext, o: PDFObject | undefined): PDFObject | undefined => (o instanceof PDFRef ? ctx.lookup(o) : o);

function numbers(ctx: PDFContext, o: PDFObject | undefined): number[] | undefined {
  const a = deref(ctx, o);
  if (!(a instanceof PDFArray) || a.size() !== 4) return undefined;
  const v = a.asArray().map((x) => deref(ctx, x));
  if (!v.every((x) => x instanceof PDFNumber)) return undefined;
  const [x0, y0, x1, y1] = v.map((x) => (x as PDFNumber).asNumber()) as [number, number, number, number];
  return [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)];
}

/**
 * Page `pageIndex` (0-based) of a PDF file, ready to be written as a Form XObject. Throws PdfImportError:
 * `image-unreadable` for a damaged file, `image-unsupported` for an encrypted one or a missing page.
 */
export function importPdfPage(bytes: Uint8Array, label: string, pageIndex = 0): PdfArtwork {
  const { context, trailers } = parseFile(bytes, label);
  let root: PDFObject | undefined;
  for (let i = trailers.length - 1; i >= 0 && !root; i--) root = deref(context, trailers[i]!.get(N('Root')));
  if (!(root instanceof PDFDict) || root.get(N('Type')) !== N('Catalog')) {
    root = context.enumerateIndirectObjects().find(([, o]) => o instanceof PDFDict && o.get(N('Type')) === N('Catalog'))?.[1];
  }
  if (!(root instanceof PDFDict)) throw new PdfImportError('image-unreadable', `"${label}" is damaged: it has no document catalog`);

  // The page, depth first through the page tree (with a guard against cycles), and what it inherits.
  const seen = new Set<PDFObject>();
  let index = 0;
  let page: PDFDict | undefined;
  const visit = (node: PDFObject | undefined): void => {
    const d = deref(context, node);
    if (!(d instanceof PDFDict) || seen.has(d) || page) return;
    seen.add(d);
    const kids = deref(context, d.get(N('Kids')));
    if (kids instanceof PDFArray) for (const k of kids.asArray()) visit(k);
    else if (index++ === pageIndex) page = d;
  };
  visit(root.get(N('Pages')));
  if (!page) throw new PdfImportError('image-unsupported', `"${label}" has no page ${pageIndex + 1}`);
  const inherited = (key: string): PDFObject | undefined => {
    const guard = new Set<PDFDict>();
    for (let d: PDFObject | undefined = page; d instanceof PDFDict && !guard.has(d); d = deref(context, d.get(N('Parent')))) {
      guard.add(d);
      const v = d.get(N(key));
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const media = numbers(context, inherited('MediaBox')) ?? [0, 0, 612, 792];
  const crop = numbers(context, inherited('CropBox'));
  const box: [number, number, number, number] = crop
    ? [Math.max(crop[0]!, media[0]!), Math.max(crop[1]!, media[1]!), Math.min(crop[2]!, media[2]!), Math.min(crop[3]!, media[3]!)]
    : (media as [number, number, number, number]);
  const w = box[2] - box[0];
  const h = box[3] - box[1];
  if (!(w > 0 && h > 0)) throw new PdfImportError('image-unreadable', `"${label}": page ${pageIndex + 1} has an empty page box`);
  const rot = deref(context, inherited('Rotate'));
  const rotate = ((((rot instanceof PDFNumber ? Math.round(rot.asNumber() / 90) : 0) % 4) + 4) % 4) * 90;

  // Page box → unit square, turned clockwise by /Rotate as viewers show it.
  let m: [number, number, number, number, number, number];
  if (rotate === 90) m = [0, -1 / w, 1 / h, 0, 0, 1];
  else if (rotate === 180) m = [-1 / w, 0, 0, -1 / h, 1, 1];
  else if (rotate === 270) m = [0, 1 / w, -1 / h, 0, 1, 0];
  else m = [1 / w, 0, 0, 1 / h, 0, 0];
  const matrix = [m[0], m[1], m[2], m[3], m[4] - m[0] * box[0] - m[2] * box[1], m[5] - m[1] * box[0] - m[3] * box[1]] as const;

  const parts: Uint8Array[] = [];
  const contents = deref(context, page.get(N('Contents')));
  const streams = contents instanceof PDFArray ? contents.asArray().map((c) => deref(context, c)) : contents ? [contents] : [];
  for (const s of streams) {
    if (!(s instanceof PDFRawStream)) continue;
    try {
      parts.push(decodePDFRawStream(s).decode());
    } catch (e) {
      throw new PdfImportError(
        'image-unsupported',
        `"${label}": the page content uses an encoding that cannot be read (${e instanceof Error ? e.message : String(e)})`,
      );
    }
  }
  // A page's content starts in the default graphics state; a form inherits the state it is drawn in (our
  // page's fill colour, text leading, rise…), so reset what the writer may have changed.
  parts.unshift(RESET);
  let size = 0;
  for (const p of parts) size += p.length + 1;
  const content = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    content.set(p, o);
    content[o + p.length] = 0x0a;
    o += p.length + 1;
  }
  return {
    width: rotate % 180 ? h : w,
    height: rotate % 180 ? w : h,
    bbox: box,
    matrix,
    content,
    resources: inherited('Resources'),
    group: page.get(N('Group')),
    context,
  };
}

const num = (v: number) => {
  if (Number.isInteger(v)) return String(v);
  const s = v.toFixed(6).replace(/0+$/, '');
  return s.startsWith('0.') ? s.slice(1) : s.startsWith('-0.') ? `-${s.slice(2)}` : s;
};

/**
 * Write the artwork's Form XObject and everything its resources reference into `sink`, each object once
 * (references renumbered; references to pages or the catalog become null: a form has no business with them).
 */
export function writeArtworkForm(art: PdfArtwork, sink: PdfObjectSink, formId: number): void {
  const ids = new Map<PDFRef, number>();
  const ctx = art.context;
  const pending: [PDFRef, number][] = [];
  const refId = (r: PDFRef): string => {
    const target = ctx.lookup(r);
    if (target === undefined || target === PDFNull) return 'null';
    if (target instanceof PDFDict) {
      const t = target.get(N('Type'));
      if (t === N('Page') || t === N('Pages') || t === N('Catalog')) return 'null';
    }
    let id = ids.get(r);
    if (id === undefined) {
      id = sink.alloc();
      ids.set(r, id);
      pending.push([r, id]);
    }
    return `${id} 0 R`;
  };
  const ser = (o: PDFObject | undefined): string => {
    if (o === undefined) return 'null';
    if (o instanceof PDFRef) return refId(o);
    if (o instanceof PDFDict) {
      let s = '<<';
      for (const [k, v] of o.entries()) s += `${k.toString()} ${ser(v)}`;
      return `${s}>>`;
    }
    if (o instanceof PDFArray) return `[${o.asArray().map(ser).join(' ')}]`;
    if (o instanceof PDFName || o instanceof PDFNumber || o instanceof PDFString || o instanceof PDFHexString || o instanceof PDFBool)
      return o.toString();
    // Streams are only reached through references; anything else (invalid objects) reads as null.
    return 'null';
  };
  const streamDict = (d: PDFDict): string => {
    let s = '';
    for (const [k, v] of d.entries()) if (k !== N('Length')) s += `${k.toString()} ${ser(v)}`;
    return s;
  };
  const resources = ser(art.resources ?? ctx.obj({}));
  const group = art.group !== undefined ? `/Group ${ser(art.group)}` : '';
  sink.stream(
    formId,
    `/Type/XObject/Subtype/Form/BBox[${art.bbox.map(num).join(' ')}]/Matrix[${art.matrix.map(num).join(' ')}]/Resources ${resources}${group}`,
    art.content,
    true,
  );
  while (pending.length) {
    const [ref, id] = pending.shift()!;
    const o = ctx.lookup(ref);
    if (o instanceof PDFRawStream) sink.stream(id, streamDict(o.dict), o.contents, false);
    else sink.obj(id, ser(o));
  }
}
