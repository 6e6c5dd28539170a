import { unzlibSync, zlibSync } from 'fflate';

type Deflate = (data: Uint8Array, level: number) => Uint8Array;
const defaultDeflate: Deflate = (d, level) => zlibSync(d, { level: level as 6 });

/**
 * Raster images prepared for PDF: JPEG passes through (DCTDecode); PNG is decoded, its alpha split into a
 * soft mask, and re-deflated. Straight 8-bit RGB/grey PNGs without transparency keep their compressed data
 * (PNG predictors are valid PDF Flate predictors), so they cost no decoding.
 */
export interface PdfImage {
  width: number;
  height: number;
  colorSpace: 'DeviceRGB' | 'DeviceGray' | 'DeviceCMYK';
  bitsPerComponent: number;
  filter: 'DCTDecode' | 'FlateDecode';
  data: Uint8Array;
  /** Extra dictionary entries, already serialised (e.g. /DecodeParms, /Decode). */
  extra: string;
  smask?: { data: Uint8Array; extra: string } | undefined;
}

export class ImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageError';
  }
}

const u32 = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

export function prepareImage(bytes: Uint8Array, label: string, deflate: Deflate = defaultDeflate): PdfImage {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpeg(bytes, label);
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return png(bytes, label, deflate);
  throw new ImageError(`image "${label}" is neither PNG nor JPEG; convert it (SVG and PDF artwork are placed as vectors)`);
}

function jpeg(b: Uint8Array, label: string): PdfImage {
  let o = 2;
  let adobe = false;
  while (o + 9 < b.length) {
    if (b[o] !== 0xff) break;
    const marker = b[o + 1]!;
    const len = (b[o + 2]! << 8) | b[o + 3]!;
    if (marker === 0xee) adobe = true;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = (b[o + 5]! << 8) | b[o + 6]!;
      const width = (b[o + 7]! << 8) | b[o + 8]!;
      const comps = b[o + 9]!;
      const colorSpace = comps === 1 ? 'DeviceGray' : comps === 4 ? 'DeviceCMYK' : 'DeviceRGB';
      // Adobe (Photoshop) CMYK JPEGs store inverted values.
      const extra = comps === 4 && adobe ? '/Decode [1 0 1 0 1 0 1 0]' : '';
      return { width, height, colorSpace, bitsPerComponent: 8, filter: 'DCTDecode', data: b, extra };
    }
    o += 2 + len;
  }
  throw new ImageError(`image "${label}": JPEG without a frame header; the file is damaged`);
}

function png(b: Uint8Array, label: string, deflate: Deflate): PdfImage {
  let o = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let ctype = 0;
  let interlace = 0;
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  while (o + 8 <= b.length) {
    const len = u32(b, o);
    const type = String.fromCharCode(b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!);
    const data = b.subarray(o + 8, o + 8 + len);
    if (type === 'IHDR') {
      width = u32(data, 0);
      height = u32(data, 4);
      depth = data[8]!;
      ctype = data[9]!;
      interlace = data[12]!;
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    o += 12 + len;
  }
  if (!width || !height || idat.length === 0) throw new ImageError(`image "${label}": PNG without image data; the file is damaged`);
  if (interlace) throw new ImageError(`image "${label}": interlaced PNG is not supported; re-save it without interlacing`);
  const total = idat.reduce((n, c) => n + c.length, 0);
  const z = new Uint8Array(total);
  let p = 0;
  for (const c of idat) {
    z.set(c, p);
    p += c.length;
  }
  if ((ctype === 0 || ctype === 2) && depth === 8 && !trns) {
    const colors = ctype === 2 ? 3 : 1;
    return {
      width,
      height,
      colorSpace: ctype === 2 ? 'DeviceRGB' : 'DeviceGray',
      bitsPerComponent: 8,
      filter: 'FlateDecode',
      data: z,
      extra: `/DecodeParms << /Predictor 15 /Colors ${colors} /BitsPerComponent 8 /Columns ${width} >>`,
    };
  }
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[ctype];
  if (channels === undefined) throw new ImageError(`image "${label}": PNG colour type ${ctype} is not valid`);
  const raw = unzlibSync(z);
  const bpp = Math.max(1, (channels * depth) / 8);
  const stride = Math.ceil((width * channels * depth) / 8);
  const px = unfilter(raw, height, stride, bpp, label);
  // Expand to 8-bit samples.
  const sample = (row: number, i: number): number => {
    const line = row * stride;
    if (depth === 8) return px[line + i]!;
    if (depth === 16) return px[line + i * 2]!;
    const perByte = 8 / depth;
    const byte = px[line + Math.floor(i / perByte)]!;
    const shift = 8 - depth * ((i % perByte) + 1);
    const v = (byte >> shift) & ((1 << depth) - 1);
    return ctype === 3 ? v : Math.round((v * 255) / ((1 << depth) - 1));
  };
  const sample16 = (row: number, i: number): number =>
    depth === 16 ? (px[row * stride + i * 2]! << 8) | px[row * stride + i * 2 + 1]! : -1;
  const gray = ctype === 0 || ctype === 4;
  const outC = gray ? 1 : 3;
  const color = new Uint8Array(width * height * outC);
  const alpha = new Uint8Array(width * height);
  let hasAlpha = false;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let a = 255;
      if (ctype === 3) {
        const idx = sample(y, x);
        if (!palette || idx * 3 + 2 >= palette.length)
          throw new ImageError(`image "${label}": palette index out of range; the file is damaged`);
        color[i * 3] = palette[idx * 3]!;
        color[i * 3 + 1] = palette[idx * 3 + 1]!;
        color[i * 3 + 2] = palette[idx * 3 + 2]!;
        if (trns && idx < trns.length) a = trns[idx]!;
      } else if (gray) {
        const v = sample(y, x * (ctype === 4 ? 2 : 1));
        color[i] = v;
        if (ctype === 4) a = sample(y, x * 2 + 1);
        else if (trns && trns.length >= 2) {
          const key = (trns[0]! << 8) | trns[1]!;
          const raw16 = depth === 16 ? sample16(y, x) : Math.round((v * ((1 << depth) - 1)) / 255);
          if (raw16 === key) a = 0;
        }
      } else {
        const n = ctype === 6 ? 4 : 3;
        color[i * 3] = sample(y, x * n);
        color[i * 3 + 1] = sample(y, x * n + 1);
        color[i * 3 + 2] = sample(y, x * n + 2);
        if (ctype === 6) a = sample(y, x * n + 3);
        else if (trns && trns.length >= 6) {
          const r = depth === 16 ? sample16(y, x * 3) : color[i * 3]!;
          const g = depth === 16 ? sample16(y, x * 3 + 1) : color[i * 3 + 1]!;
          const bl = depth === 16 ? sample16(y, x * 3 + 2) : color[i * 3 + 2]!;
          if (r === ((trns[0]! << 8) | trns[1]!) && g === ((trns[2]! << 8) | trns[3]!) && bl === ((trns[4]! << 8) | trns[5]!)) a = 0;
        }
      }
      alpha[i] = a;
      if (a !== 255) hasAlpha = true;
    }
  }
  return {
    width,
    height,
    colorSpace: gray ? 'DeviceGray' : 'DeviceRGB',
    bitsPerComponent: 8,
    filter: 'FlateDecode',
    data: deflate(color, 6),
    extra: '',
    smask: hasAlpha ? { data: deflate(alpha, 6), extra: '' } : undefined,
  };
}

function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number, label: string): Uint8Array {
  const out = new Uint8Array(height * stride);
  if (raw.length < height * (stride + 1)) throw new ImageError(`image "${label}": PNG data is truncated; the file is damaged`);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    const prev = dst - stride;
    for (let x = 0; x < stride; x++) {
      const rx = raw[src + x]!;
      const a = x >= bpp ? out[dst + x - bpp]! : 0;
      const up = y > 0 ? out[prev + x]! : 0;
      const c = y > 0 && x >= bpp ? out[prev + x - bpp]! : 0;
      let v: number;
      switch (f) {
        case 0:
          v = rx;
          break;
        case 1:
          v = rx + a;
          break;
        case 2:
          v = rx + up;
          break;
        case 3:
          v = rx + ((a + up) >> 1);
          break;
        case 4: {
          const pp = a + up - c;
          const pa = Math.abs(pp - a);
          const pb = Math.abs(pp - up);
          const pc = Math.abs(pp - c);
          v = rx + (pa <= pb && pa <= pc ? a : pb <= pc ? up : c);
          break;
        }
        default:
          throw new ImageError(`image "${label}": unknown PNG filter ${f}; the file is damaged`);
      }
      out[dst + x] = v & 0xff;
    }
  }
  return out;
}
