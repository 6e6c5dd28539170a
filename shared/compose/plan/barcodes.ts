import { encodeQr, QrError } from './qr';

/**
 * Barcodes as vectors: symbol → dark modules as rectangles in a box (points, y down). QR (own encoder,
 * UTF-8 byte mode; see qr.ts), Code 128 (code set C for even digit strings, B otherwise) and EAN-13 (check digit computed).
 */

export class BarcodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BarcodeError';
  }
}

export interface BarcodeGeometry {
  /** x, y, width, height, repeated, in symbol units (modules); `transform` maps them to box-local points. */
  rects: number[];
  /** [sx 0 0 sy tx ty]: module units → box-local points. */
  transform: [number, number, number, number, number, number];
  /** Human-readable text and where its baseline box sits (1D codes with showText). */
  text?: { value: string; x: number; y: number; width: number; height: number };
}

export function qrGeometry(data: string, ec: 'L' | 'M' | 'Q' | 'H', quiet: number, w: number, h: number): BarcodeGeometry {
  let qr;
  try {
    qr = encodeQr(new TextEncoder().encode(data), ec);
  } catch (e) {
    throw new BarcodeError(
      `QR data is too long (${data.length} characters) for error correction ${ec}: ${e instanceof QrError ? e.message : String(e)}; shorten it or lower the error correction`,
    );
  }
  const n = qr.size;
  const dark = (r: number, c: number) => qr.modules[r * n + c] === 1;
  const size = Math.min(w, h);
  const m = size / (n + 2 * quiet);
  const x0 = (w - size) / 2 + quiet * m;
  const y0 = (h - size) / 2 + quiet * m;
  const rects: number[] = [];
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!dark(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && dark(r, c)) c++;
      rects.push(start, r, c - start, 1);
    }
  }
  return { rects, transform: [m, 0, 0, m, x0, y0] };
}

const C128 = [
  '212222',
  '222122',
  '222221',
  '121223',
  '121322',
  '131222',
  '122213',
  '122312',
  '132212',
  '221213',
  '221312',
  '231212',
  '112232',
  '122132',
  '122231',
  '113222',
  '123122',
  '123221',
  '223211',
  '221132',
  '221231',
  '213212',
  '223112',
  '312131',
  '311222',
  '321122',
  '321221',
  '312212',
  '322112',
  '322211',
  '212123',
  '212321',
  '232121',
  '111323',
  '131123',
  '131321',
  '112313',
  '132113',
  '132311',
  '211313',
  '231113',
  '231311',
  '112133',
  '112331',
  '132131',
  '113123',
  '113321',
  '133121',
  '313121',
  '211331',
  '231131',
  '213113',
  '213311',
  '213131',
  '311123',
  '311321',
  '331121',
  '312113',
  '312311',
  '332111',
  '314111',
  '221411',
  '431111',
  '111224',
  '111422',
  '121124',
  '121421',
  '141122',
  '141221',
  '112214',
  '112412',
  '122114',
  '122411',
  '142112',
  '142211',
  '241211',
  '221114',
  '413111',
  '241112',
  '134111',
  '111242',
  '121142',
  '121241',
  '114212',
  '124112',
  '124211',
  '411212',
  '421112',
  '421211',
  '212141',
  '214121',
  '412121',
  '111143',
  '111341',
  '131141',
  '114113',
  '114311',
  '411113',
  '411311',
  '113141',
  '114131',
  '311141',
  '411131',
  '211412',
  '211214',
  '211232',
  '2331112',
];

/** Code 128 symbol values (start, data, check, stop). */
export function code128Values(data: string): number[] {
  if (data.length === 0) throw new BarcodeError('Code 128 data is empty');
  const values: number[] = [];
  if (/^\d+$/.test(data) && data.length % 2 === 0) {
    values.push(105);
    for (let i = 0; i < data.length; i += 2) values.push(Number(data.slice(i, i + 2)));
  } else {
    values.push(104);
    for (const ch of data) {
      const c = ch.codePointAt(0)!;
      if (c < 32 || c > 126)
        throw new BarcodeError(`Code 128 cannot encode "${ch}" (U+${c.toString(16).toUpperCase().padStart(4, '0')}); use printable ASCII`);
      values.push(c - 32);
    }
  }
  let sum = values[0]!;
  for (let i = 1; i < values.length; i++) sum += i * values[i]!;
  values.push(sum % 103, 106);
  return values;
}

/** Bar/space widths in modules, starting with a bar. */
export function code128Widths(data: string): number[] {
  return code128Values(data).flatMap((v) => [...C128[v]!].map(Number));
}

const EAN_L = ['0001101', '0011001', '0010011', '0111101', '0100011', '0110001', '0101111', '0111011', '0110111', '0001011'];
const EAN_G = ['0100111', '0110011', '0011011', '0100001', '0011101', '0111001', '0000101', '0010001', '0001001', '0010111'];
const EAN_R = ['1110010', '1100110', '1101100', '1000010', '1011100', '1001110', '1010000', '1000100', '1001000', '1110100'];
const EAN_PARITY = ['LLLLLL', 'LLGLGG', 'LLGGLG', 'LLGGGL', 'LGLLGG', 'LGGLLG', 'LGGGLL', 'LGLGLG', 'LGLGGL', 'LGGLGL'];

export function ean13CheckDigit(d12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(d12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** The 95 modules of an EAN-13 symbol as "0"/"1", and the 13 digits. */
export function ean13Modules(data: string): { modules: string; digits: string } {
  const s = data.replace(/\s/g, '');
  if (!/^\d{12,13}$/.test(s)) throw new BarcodeError(`EAN-13 needs 12 or 13 digits, got "${data}"`);
  const check = ean13CheckDigit(s.slice(0, 12));
  if (s.length === 13 && Number(s[12]) !== check)
    throw new BarcodeError(`EAN-13 "${s}" has check digit ${s[12]}, expected ${check}; fix the data or give only 12 digits`);
  const digits = s.slice(0, 12) + String(check);
  const parity = EAN_PARITY[Number(digits[0])]!;
  let m = '101';
  for (let i = 1; i <= 6; i++) m += (parity[i - 1] === 'L' ? EAN_L : EAN_G)[Number(digits[i])]!;
  m += '01010';
  for (let i = 7; i <= 12; i++) m += EAN_R[Number(digits[i])]!;
  m += '101';
  return { modules: m, digits };
}

function barsGeometry(widths: number[], quiet: number, w: number, h: number, showText: string | undefined): BarcodeGeometry {
  const total = widths.reduce((a, b) => a + b, 0) + 2 * quiet;
  const m = w / total;
  const textH = showText ? Math.min(10, h * 0.25) : 0;
  const barH = h - textH;
  const rects: number[] = [];
  let x = quiet;
  widths.forEach((wd, i) => {
    if (i % 2 === 0) rects.push(x, 0, wd, 1);
    x += wd;
  });
  const geo: BarcodeGeometry = { rects, transform: [m, 0, 0, barH, 0, 0] };
  if (showText) geo.text = { value: showText, x: 0, y: barH, width: w, height: textH };
  return geo;
}

export function code128Geometry(data: string, quiet: number, w: number, h: number, showText: boolean): BarcodeGeometry {
  return barsGeometry(code128Widths(data), quiet, w, h, showText ? data : undefined);
}

export function ean13Geometry(data: string, quiet: number, w: number, h: number, showText: boolean): BarcodeGeometry {
  const { modules, digits } = ean13Modules(data);
  const widths: number[] = [];
  let i = 0;
  while (i < modules.length) {
    const bit = modules[i];
    let j = i;
    while (j < modules.length && modules[j] === bit) j++;
    widths.push(j - i);
    i = j;
  }
  return barsGeometry(widths, quiet, w, h, showText ? digits : undefined);
}
