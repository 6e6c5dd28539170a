import { Unzlib, unzlibSync, zlibSync } from 'fflate';

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
  if (bytes.length === 0) throw new ImageError(`image "${label}": the file is empty (0 bytes); replace it`);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpeg(bytes, label);
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return png(bytes, label, deflate);
  throw new ImageError(`image "${label}" is neither PNG nor JPEG; convert it (SVG and PDF artwork are placed as vectors)`);
}

/** A JPEG's segments up to its first frame header (SOF), bounds-checked: what both the writer and the check need. */
function jpegFrame(b: Uint8Array, label: string): { width: number; height: number; comps: number; adobe: boolean; at: number } {
  const damaged = (what: string): never => {
    throw new ImageError(`image "${label}": ${what}; the JPEG is damaged or cut short — export it again`);
  };
  let o = 2;
  let adobe = false;
  for (;;) {
    if (o + 4 > b.length) return damaged(`the file ends at byte ${b.length} before the frame header`);
    if (b[o] !== 0xff) return damaged(`no segment marker at byte ${o}`);
    const marker = b[o + 1]!;
    if (marker === 0xff) {
      o += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      o += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return damaged(`the image data starts (byte ${o}) before any frame header`);
    const len = (b[o + 2]! << 8) | b[o + 3]!;
    if (len < 2 || o + 2 + len > b.length)
      return damaged(`the segment at byte ${o} says it has ${len} bytes but only ${b.length - o - 2} remain`);
    if (marker === 0xee) adobe = true;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (len < 8) return damaged(`the frame header at byte ${o} is too short`);
      const height = (b[o + 5]! << 8) | b[o + 6]!;
      const width = (b[o + 7]! << 8) | b[o + 8]!;
      const comps = b[o + 9]!;
      if (!width || !height) return damaged(`the frame header says the image is ${width}×${height} pixels`);
      if (comps !== 1 && comps !== 3 && comps !== 4)
        throw new ImageError(
          `image "${label}": a JPEG with ${comps} colour components is not supported; save it as RGB, CMYK or greyscale`,
        );
      return { width, height, comps, adobe, at: o };
    }
    o += 2 + len;
  }
}

function jpeg(b: Uint8Array, label: string): PdfImage {
  const { width, height, comps, adobe } = jpegFrame(b, label);
  const colorSpace = comps === 1 ? 'DeviceGray' : comps === 4 ? 'DeviceCMYK' : 'DeviceRGB';
  // Adobe (Photoshop) CMYK JPEGs store inverted values.
  const extra = comps === 4 && adobe ? '/Decode [1 0 1 0 1 0 1 0]' : '';
  return { width, height, colorSpace, bitsPerComponent: 8, filter: 'DCTDecode', data: b, extra };
}

interface PngChunks {
  width: number;
  height: number;
  depth: number;
  ctype: number;
  interlace: number;
  palette?: Uint8Array | undefined;
  trns?: Uint8Array | undefined;
  idat: Uint8Array[];
  ended: boolean;
}

const PNG_DEPTHS: Record<number, readonly number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** A PNG's chunks, bounds-checked: a chunk running past the end or a bad header is an ImageError naming the file. */
function pngChunks(b: Uint8Array, label: string): PngChunks {
  const damaged = (what: string): never => {
    throw new ImageError(`image "${label}": ${what}; the PNG is damaged or cut short — export it again`);
  };
  const out: PngChunks = { width: 0, height: 0, depth: 0, ctype: 0, interlace: 0, idat: [], ended: false };
  let o = 8;
  let first = true;
  while (o < b.length) {
    if (o + 12 > b.length) damaged(`the file ends inside a chunk header at byte ${o}`);
    const len = u32(b, o);
    const type = String.fromCharCode(b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!);
    if (o + 12 + len > b.length)
      damaged(`the ${JSON.stringify(type)} chunk at byte ${o} says it has ${len} bytes but only ${b.length - o - 12} remain`);
    const data = b.subarray(o + 8, o + 8 + len);
    if (first && type !== 'IHDR') damaged('the first chunk is not the image header (IHDR)');
    first = false;
    if (type === 'IHDR') {
      if (len !== 13) damaged(`the image header is ${len} bytes, not 13`);
      out.width = u32(data, 0);
      out.height = u32(data, 4);
      out.depth = data[8]!;
      out.ctype = data[9]!;
      out.interlace = data[12]!;
      if (!out.width || !out.height) damaged(`the image header says the image is ${out.width}×${out.height} pixels`);
      if (!PNG_DEPTHS[out.ctype]?.includes(out.depth)) damaged(`colour type ${out.ctype} with ${out.depth}-bit samples is not a valid PNG`);
    } else if (type === 'PLTE') out.palette = data;
    else if (type === 'tRNS') out.trns = data;
    else if (type === 'IDAT') out.idat.push(data);
    else if (type === 'IEND') {
      out.ended = true;
      break;
    }
    o += 12 + len;
  }
  if (first) damaged('the file has no chunks after its signature');
  if (out.idat.length === 0) damaged('it has no image data (IDAT)');
  if (out.ctype === 3 && !out.palette) damaged('an indexed-colour PNG without a palette (PLTE)');
  return out;
}

/**
 * Check a PNG or JPEG as far as composing and printing it will read it, without keeping the pixels: the
 * structure (every chunk or segment inside the file, a valid header, an end), and for PNG the compressed data
 * inflating to exactly the rows the header promises. Throws ImageError naming `label`; returns the pixel size.
 */
export function checkRasterImage(b: Uint8Array, label: string): { width: number; height: number } {
  if (b.length === 0) throw new ImageError(`image "${label}": the file is empty (0 bytes); replace it`);
  if (b[0] === 0xff && b[1] === 0xd8) {
    const frame = jpegFrame(b, label);
    // The entropy-coded data ends with the end-of-image marker; a file cut short has none.
    let end = b.length - 2;
    while (end > frame.at && !(b[end] === 0xff && b[end + 1] === 0xd9)) end--;
    if (end <= frame.at) throw new ImageError(`image "${label}": the JPEG has no end marker (the file is cut short); export it again`);
    return { width: frame.width, height: frame.height };
  }
  if (!(b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47))
    throw new ImageError(`image "${label}" is neither PNG nor JPEG; convert it`);
  const c = pngChunks(b, label);
  if (!c.ended) throw new ImageError(`image "${label}": the PNG has no end chunk (IEND): the file is cut short; export it again`);
  if (c.interlace) throw new ImageError(`image "${label}": interlaced PNG is not supported; re-save it without interlacing`);
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[c.ctype] ?? 1;
  const expected = c.height * (Math.ceil((c.width * channels * c.depth) / 8) + 1);
  let got = 0;
  try {
    const z = new Unzlib((chunk) => {
      got += chunk.length;
    });
    c.idat.forEach((d, i) => z.push(d, i === c.idat.length - 1));
  } catch (e) {
    throw new ImageError(
      `image "${label}": the PNG's compressed data cannot be inflated (${e instanceof Error ? e.message : String(e)}); export it again`,
    );
  }
  if (got < expected)
    throw new ImageError(
      `image "${label}": the PNG holds ${got} bytes of rows where its header needs ${expected}: the file is cut short; export it again`,
    );
  return { width: c.width, height: c.height };
}

function png(b: Uint8Array, label: string, deflate: Deflate): PdfImage {
  const { width, height, depth, ctype, interlace, palette, trns, idat } = pngChunks(b, label);
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
  let raw: Uint8Array;
  try {
    raw = unzlibSync(z);
  } catch (e) {
    throw new ImageError(
      `image "${label}": the PNG's compressed data cannot be inflated (${e instanceof Error ? e.message : String(e)}); export it again`,
    );
  }
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
