import { ColorError } from './errors';

/** What an ICC profile's header and description say about it. */
export interface IccInfo {
  /** Profile version, e.g. "2.1" or "4.3". */
  version: string;
  /** Device class signature: 'prtr' (output), 'mntr' (display), 'scnr' (input), 'link', 'spac', 'abst', 'nmcl'. */
  deviceClass: string;
  /** Data colour space signature with trailing spaces trimmed: 'CMYK', 'RGB', 'GRAY', 'Lab', '6CLR', … */
  colorSpace: string;
  /** Profile connection space: 'XYZ' or 'Lab'. */
  pcs: string;
  /** Number of colour components of the data colour space (the PDF /N). */
  components: number;
  /** The profile description ('desc' tag), e.g. "Coated FOGRA39 (ISO 12647-2:2004)". */
  description: string;
}

/** The entries of a PDF /OutputIntent dictionary that come from the profile (ISO 32000-1 §14.11.5, PDF/X). */
export interface OutputIntentInfo {
  /** /N of the /DestOutputProfile ICC stream. */
  N: number;
  /** /OutputConditionIdentifier: the profile description, unless the caller knows a registered name. */
  outputConditionIdentifier: string;
  /** /Info: a human-readable description of the printing condition. */
  info: string;
  /** The profile's data colour space ('CMYK', 'RGB', 'GRAY', …). */
  colorSpace: string;
}

const sig = (b: Uint8Array, at: number) => String.fromCharCode(b[at] ?? 0, b[at + 1] ?? 0, b[at + 2] ?? 0, b[at + 3] ?? 0);

const COMPONENTS: Record<string, number> = {
  XYZ: 3,
  Lab: 3,
  Luv: 3,
  YCbr: 3,
  Yxy: 3,
  RGB: 3,
  GRAY: 1,
  HSV: 3,
  HLS: 3,
  CMYK: 4,
  CMY: 3,
};

function componentsOf(space: string): number | undefined {
  const known = COMPONENTS[space];
  if (known !== undefined) return known;
  const m = /^([2-9A-F])CLR$/.exec(space);
  return m?.[1] ? parseInt(m[1], 16) : undefined;
}

/**
 * Read an ICC profile's header and its 'desc' tag (v2 textDescriptionType or v4 multiLocalizedUnicodeType).
 * Pure: bytes in, facts out. Throws ColorError (code `icc-invalid`, with the byte offset) for a file that is not
 * an ICC profile or is cut short.
 */
export function readIccInfo(bytes: Uint8Array): IccInfo {
  const bad = (message: string, offset: number): never => {
    throw new ColorError(
      'icc-invalid',
      `not a usable ICC profile: ${message} (at byte ${offset}); export the profile again or use another one`,
      offset,
    );
  };
  if (bytes.length < 132) bad(`the file has ${bytes.length} bytes, fewer than an ICC header and tag count (132)`, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (sig(bytes, 36) !== 'acsp') bad(`the signature at byte 36 is not "acsp"`, 36);
  const size = view.getUint32(0);
  if (size > bytes.length) bad(`the header says ${size} bytes but the file has ${bytes.length}`, 0);
  const major = bytes[8] ?? 0;
  const minor = (bytes[9] ?? 0) >> 4;
  const deviceClass = sig(bytes, 12);
  const colorSpace = sig(bytes, 16).trimEnd();
  const pcs = sig(bytes, 20).trimEnd();
  const components = componentsOf(colorSpace);
  if (components === undefined) bad(`unknown data colour space "${colorSpace}"`, 16);

  const count = view.getUint32(128);
  if (132 + count * 12 > bytes.length) bad(`the tag table lists ${count} tags but the file ends first`, 128);
  let description = '';
  for (let i = 0; i < count; i++) {
    const at = 132 + i * 12;
    if (sig(bytes, at) !== 'desc') continue;
    const offset = view.getUint32(at + 4);
    const length = view.getUint32(at + 8);
    if (offset + length > bytes.length || length < 12) bad(`the 'desc' tag (offset ${offset}, ${length} bytes) lies outside the file`, at);
    description = readDescription(bytes, view, offset, length, bad);
    break;
  }
  return { version: `${major}.${minor}`, deviceClass, colorSpace, pcs, components: components as number, description };
}

function readDescription(bytes: Uint8Array, view: DataView, offset: number, length: number, bad: (m: string, o: number) => never): string {
  const type = sig(bytes, offset);
  if (type === 'desc') {
    const n = view.getUint32(offset + 8);
    if (12 + n > length) bad(`the 'desc' text runs past its tag`, offset + 8);
    const ascii = bytes.subarray(offset + 12, offset + 12 + n);
    const end = ascii.indexOf(0);
    return new TextDecoder('latin1').decode(end >= 0 ? ascii.subarray(0, end) : ascii).trim();
  }
  if (type === 'mluc') {
    const records = view.getUint32(offset + 8);
    const recordSize = view.getUint32(offset + 12);
    let chosen: { len: number; off: number } | undefined;
    for (let r = 0; r < records; r++) {
      const at = offset + 16 + r * recordSize;
      if (at + 12 > offset + length) bad(`the 'mluc' record ${r} runs past its tag`, at);
      const lang = sig(bytes, at).slice(0, 2);
      const rec = { len: view.getUint32(at + 4), off: view.getUint32(at + 8) };
      if (!chosen || lang === 'en') chosen = rec;
      if (lang === 'en') break;
    }
    if (!chosen) return '';
    const start = offset + chosen.off;
    if (start + chosen.len > bytes.length) bad(`the 'mluc' string runs past the end of the file`, start);
    let s = '';
    for (let i = 0; i + 1 < chosen.len; i += 2) s += String.fromCharCode(view.getUint16(start + i));
    return s.replace(/\0+$/, '').trim();
  }
  return bad(`the 'desc' tag has type "${type}", expected "desc" or "mluc"`, offset);
}

/**
 * What a PDF writer needs to add this profile as the document's output intent (/OutputIntents with
 * /S /GTS_PDFX or /GTS_PDFA1): /N for the ICC stream, and the condition identifier and info strings.
 */
export function outputIntentInfo(bytes: Uint8Array): OutputIntentInfo {
  const info = readIccInfo(bytes);
  if (info.deviceClass !== 'prtr' && info.deviceClass !== 'mntr' && info.deviceClass !== 'scnr' && info.deviceClass !== 'spac') {
    throw new ColorError(
      'icc-not-output',
      `the profile "${info.description}" has device class "${info.deviceClass}"; an output intent needs an output (prtr) or display (mntr) profile`,
      12,
    );
  }
  const name = info.description || `${info.colorSpace} output profile`;
  return { N: info.components, outputConditionIdentifier: name, info: name, colorSpace: info.colorSpace };
}
