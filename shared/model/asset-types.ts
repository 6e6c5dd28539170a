/**
 * What an asset's bytes are, whatever its name or declared media type says. Presswork accepts these kinds
 * in a template — fonts, raster images (PNG, JPEG), SVG art, PDF artwork and ICC profiles — and nothing
 * else: a page, a script or an unknown file is refused when the template is validated or published, and
 * the server never serves one (its public origin must not serve active content).
 */

export type AssetKind = 'font' | 'raster' | 'svg' | 'pdf' | 'icc';

export interface SniffedAsset {
  kind: AssetKind;
  /** The media type the bytes are served with. */
  mediaType: string;
  /** File extension for a download name. */
  extension: string;
}

/** The media types each kind may be declared with in template.json (aliases browsers and tools use). */
export const DECLARED_TYPES: Record<AssetKind, readonly string[]> = {
  font: [
    'font/ttf',
    'font/otf',
    'font/woff',
    'font/woff2',
    'font/sfnt',
    'application/font-sfnt',
    'application/font-woff',
    'application/x-font-ttf',
    'application/x-font-otf',
    'application/vnd.ms-opentype',
  ],
  raster: ['image/png', 'image/jpeg', 'image/jpg', 'image/pjpeg'],
  svg: ['image/svg+xml'],
  pdf: ['application/pdf'],
  icc: ['application/vnd.iccprofile', 'application/vnd.icc-profile', 'application/octet-stream'],
};

export const ACCEPTED_DESCRIPTION = 'a font (TTF, OTF, WOFF, WOFF2), a PNG or JPEG image, SVG art, a PDF or an ICC profile';

export const declaredKind = (mediaType: string): AssetKind | undefined =>
  (Object.keys(DECLARED_TYPES) as AssetKind[]).find((k) => DECLARED_TYPES[k].includes(mediaType.toLowerCase()));

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** The start of a text file, decoded leniently (BOM and leading white space removed), lower-cased. */
function textHead(b: Uint8Array): string {
  let s = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 4096));
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  return s.trimStart().toLowerCase();
}

/**
 * The kind of an asset from its bytes, or undefined for anything Presswork does not accept (HTML, scripts,
 * archives, GIF, unknown data). An SVG is recognised by its root element, after any XML declaration,
 * comments and doctype — never by the name.
 */
export function sniffAsset(b: Uint8Array): SniffedAsset | undefined {
  if (b.length >= 4) {
    const tag = ascii(b, 0, 4);
    const u32 = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    if (u32 === 0x00010000 || tag === 'true') return { kind: 'font', mediaType: 'font/ttf', extension: 'ttf' };
    if (tag === 'OTTO') return { kind: 'font', mediaType: 'font/otf', extension: 'otf' };
    if (tag === 'wOFF') return { kind: 'font', mediaType: 'font/woff', extension: 'woff' };
    if (tag === 'wOF2') return { kind: 'font', mediaType: 'font/woff2', extension: 'woff2' };
    if (b[0] === 0x89 && tag.slice(1) === 'PNG') return { kind: 'raster', mediaType: 'image/png', extension: 'png' };
    if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { kind: 'raster', mediaType: 'image/jpeg', extension: 'jpg' };
    if (tag === '%PDF') return { kind: 'pdf', mediaType: 'application/pdf', extension: 'pdf' };
  }
  if (b.length >= 128 && ascii(b, 36, 4) === 'acsp') return { kind: 'icc', mediaType: 'application/vnd.iccprofile', extension: 'icc' };
  const head = textHead(b);
  const rest = head.replace(/^(<\?xml[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!doctype\s+svg[^>]*>\s*)*/, '');
  if (/^<svg[\s>]/.test(rest)) return { kind: 'svg', mediaType: 'image/svg+xml', extension: 'svg' };
  return undefined;
}

/** A few words on what unaccepted bytes look like, for error messages. */
export function describeBytes(b: Uint8Array): string {
  if (b.length === 0) return 'the file is empty (0 bytes)';
  const head = textHead(b);
  if (/^(<!doctype\s+html|<html|<head|<body|<script|<iframe|<meta|<!--)/.test(head)) return 'its bytes are an HTML page';
  if (/^<\?xml|^</.test(head)) return 'its bytes are XML or markup, not SVG art';
  if (b.length >= 4 && ascii(b, 0, 4) === 'ttcf') return 'it is a font collection (.ttc/.otc)';
  if (b.length >= 3 && ascii(b, 0, 3) === 'GIF') return 'it is a GIF image';
  if (b.length >= 2 && b[0] === 0x50 && b[1] === 0x4b) return 'it is a zip archive';
  if (/^(function|var |let |const |import |export |\(function|"use strict"|'use strict'|#!)/.test(head)) return 'its bytes are a script';
  if (/^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/.test(head.slice(0, 512)) && !head.includes('\ufffd'))
    return 'its bytes are text (a script, a page or a document), not a font or an image';
  return `its first bytes (${[...b.subarray(0, 8)].map((x) => x.toString(16).padStart(2, '0')).join(' ')}) are no known format`;
}
