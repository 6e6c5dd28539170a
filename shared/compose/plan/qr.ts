/**
 * A QR code encoder (ISO/IEC 18004, byte mode, versions 1–40, all four error correction levels), written
 * for throughput: one QR per page is the common case in variable-data print, and evaluating the eight masks
 * dominates the cost, so the matrix is a flat Uint8Array and the penalty rules are single passes.
 * Follows the structure of Project Nayuki's reference implementation (MIT).
 */

export type QrEcLevel = 'L' | 'M' | 'Q' | 'H';

const ECC_PER_BLOCK: Record<QrEcLevel, readonly number[]> = {
  L: [
    -1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30,
    30, 30, 30, 30, 30, 30, 30,
  ],
  M: [
    -1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    28, 28, 28, 28, 28, 28, 28,
  ],
  Q: [
    -1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30,
    30, 30, 30, 30, 30, 30, 30,
  ],
  H: [
    -1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    30, 30, 30, 30, 30, 30, 30,
  ],
};
const BLOCKS: Record<QrEcLevel, readonly number[]> = {
  L: [
    -1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24,
    25,
  ],
  M: [
    -1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40,
    43, 45, 47, 49,
  ],
  Q: [
    -1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56,
    59, 62, 65, 68,
  ],
  H: [
    -1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63,
    66, 70, 74, 77, 81,
  ],
};
const FORMAT_BITS: Record<QrEcLevel, number> = { L: 1, M: 0, Q: 3, H: 2 };

export class QrError extends Error {}

export interface QrMatrix {
  size: number;
  version: number;
  mask: number;
  /** size × size, row-major, 1 = dark. */
  modules: Uint8Array;
}

function rawDataModules(ver: number): number {
  let r = (16 * ver + 128) * ver + 64;
  if (ver >= 2) {
    const na = Math.floor(ver / 7) + 2;
    r -= (25 * na - 10) * na - 55;
    if (ver >= 7) r -= 36;
  }
  return r;
}
const dataCodewords = (ver: number, ec: QrEcLevel) => Math.floor(rawDataModules(ver) / 8) - ECC_PER_BLOCK[ec][ver]! * BLOCKS[ec][ver]!;

// GF(256) with 0x11D, log/antilog tables.
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}
const mul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!);

const divisors = new Map<number, Uint8Array>();
function rsDivisor(degree: number): Uint8Array {
  let d = divisors.get(degree);
  if (d) return d;
  d = new Uint8Array(degree);
  d[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      d[j] = mul(d[j]!, root);
      if (j + 1 < degree) d[j] = d[j]! ^ d[j + 1]!;
    }
    root = mul(root, 2);
  }
  divisors.set(degree, d);
  return d;
}
function rsRemainder(data: Uint8Array, divisor: Uint8Array): Uint8Array {
  const r = new Uint8Array(divisor.length);
  for (const b of data) {
    const factor = b ^ r[0]!;
    r.copyWithin(0, 1);
    r[r.length - 1] = 0;
    for (let i = 0; i < r.length; i++) r[i] = r[i]! ^ mul(divisor[i]!, factor);
  }
  return r;
}

export function encodeQr(bytes: Uint8Array, ec: QrEcLevel): QrMatrix {
  let version = 0;
  for (let v = 1; v <= 40; v++) {
    const countBits = v <= 9 ? 8 : 16;
    if (4 + countBits + bytes.length * 8 <= dataCodewords(v, ec) * 8) {
      version = v;
      break;
    }
  }
  if (!version) throw new QrError(`${bytes.length} bytes do not fit in a QR code at error correction ${ec}`);
  const cap = dataCodewords(version, ec);
  // Bit stream: mode 0100, count, data, terminator, padding.
  const data = new Uint8Array(cap);
  let bit = 0;
  const put = (val: number, len: number) => {
    for (let i = len - 1; i >= 0; i--, bit++) if ((val >>> i) & 1) data[bit >>> 3] = data[bit >>> 3]! | (0x80 >>> (bit & 7));
  };
  put(4, 4);
  put(bytes.length, version <= 9 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  put(0, Math.min(4, cap * 8 - bit));
  bit = Math.ceil(bit / 8) * 8;
  for (let p = bit / 8, pad = 0xec; p < cap; p++, pad ^= 0xec ^ 0x11) data[p] = pad;

  // Split into blocks, add error correction, interleave.
  const numBlocks = BLOCKS[ec][version]!;
  const eccLen = ECC_PER_BLOCK[ec][version]!;
  const raw = Math.floor(rawDataModules(version) / 8);
  const numShort = numBlocks - (raw % numBlocks);
  const shortLen = Math.floor(raw / numBlocks);
  const div = rsDivisor(eccLen);
  const blocks: Uint8Array[] = [];
  for (let i = 0, k = 0; i < numBlocks; i++) {
    const dl = shortLen - eccLen + (i < numShort ? 0 : 1);
    const dat = data.subarray(k, k + dl);
    k += dl;
    const block = new Uint8Array(shortLen + 1);
    block.set(dat, 0);
    block.set(rsRemainder(dat, div), shortLen + 1 - eccLen);
    blocks.push(block);
  }
  const codewords = new Uint8Array(raw);
  let ci = 0;
  for (let i = 0; i <= shortLen; i++)
    for (let j = 0; j < numBlocks; j++) if (i !== shortLen - eccLen || j >= numShort) codewords[ci++] = blocks[j]![i]!;

  const size = version * 4 + 17;
  const mods = new Uint8Array(size * size);
  const fn = new Uint8Array(size * size);
  const setFn = (x: number, y: number, dark: boolean) => {
    mods[y * size + x] = dark ? 1 : 0;
    fn[y * size + x] = 1;
  };
  for (let i = 0; i < size; i++) {
    setFn(6, i, i % 2 === 0);
    setFn(i, 6, i % 2 === 0);
  }
  const finder = (cx: number, cy: number) => {
    for (let dy = -4; dy <= 4; dy++)
      for (let dx = -4; dx <= 4; dx++) {
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        const x = cx + dx;
        const y = cy + dy;
        if (x >= 0 && x < size && y >= 0 && y < size) setFn(x, y, d !== 2 && d !== 4);
      }
  };
  finder(3, 3);
  finder(size - 4, 3);
  finder(3, size - 4);
  if (version > 1) {
    const na = Math.floor(version / 7) + 2;
    const step = Math.floor((version * 8 + na * 3 + 5) / (na * 4 - 4)) * 2;
    const pos = [6];
    for (let p = size - 7; pos.length < na; p -= step) pos.splice(1, 0, p);
    for (let i = 0; i < na; i++)
      for (let j = 0; j < na; j++) {
        if ((i === 0 && j === 0) || (i === 0 && j === na - 1) || (i === na - 1 && j === 0)) continue;
        for (let dy = -2; dy <= 2; dy++)
          for (let dx = -2; dx <= 2; dx++) setFn(pos[i]! + dx, pos[j]! + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
  }
  const drawFormat = (mask: number) => {
    const d = (FORMAT_BITS[ec] << 3) | mask;
    let rem = d;
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    const bits = ((d << 10) | rem) ^ 0x5412;
    const b = (i: number) => ((bits >>> i) & 1) === 1;
    for (let i = 0; i <= 5; i++) setFn(8, i, b(i));
    setFn(8, 7, b(6));
    setFn(8, 8, b(7));
    setFn(7, 8, b(8));
    for (let i = 9; i < 15; i++) setFn(14 - i, 8, b(i));
    for (let i = 0; i < 8; i++) setFn(size - 1 - i, 8, b(i));
    for (let i = 8; i < 15; i++) setFn(8, size - 15 + i, b(i));
    setFn(8, size - 8, true);
  };
  drawFormat(0);
  if (version >= 7) {
    let rem = version;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (version << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      setFn(a, b, dark);
      setFn(b, a, dark);
    }
  }
  // Codewords in the zigzag.
  let i = 0;
  const total = codewords.length * 8;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert++)
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const upward = ((right + 1) & 2) === 0;
        const y = upward ? size - 1 - vert : vert;
        if (!fn[y * size + x] && i < total) {
          mods[y * size + x] = (codewords[i >>> 3]! >>> (7 - (i & 7))) & 1;
          i++;
        }
      }
  }
  // Try the eight masks, keep the lowest penalty.
  const masks = maskTables(version, size, fn);
  let best = 0;
  let bestScore = Infinity;
  let bestMods = mods;
  const t = new Uint8Array(mods.length);
  for (let m = 0; m < 8; m++) {
    const mt = masks[m]!;
    for (let k = 0; k < t.length; k++) t[k] = mods[k]! ^ mt[k]!;
    writeFormat(t, size, ec, m);
    const s = penalty(t, size);
    if (s < bestScore) {
      bestScore = s;
      best = m;
      bestMods = t.slice();
    }
  }
  return { size, version, mask: best, modules: bestMods };
}

/** Per version: the eight mask patterns as XOR tables (0 on function modules). Computed once per version. */
const maskCache = new Map<number, Uint8Array[]>();
function maskTables(version: number, size: number, fn: Uint8Array): Uint8Array[] {
  let tables = maskCache.get(version);
  if (!tables) {
    tables = [];
    for (let m = 0; m < 8; m++) {
      const t = new Uint8Array(size * size);
      applyMask(t, fn, size, m);
      tables.push(t);
    }
    maskCache.set(version, tables);
  }
  return tables;
}

function writeFormat(t: Uint8Array, size: number, ec: QrEcLevel, mask: number) {
  const d = (FORMAT_BITS[ec] << 3) | mask;
  let rem = d;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  const bits = ((d << 10) | rem) ^ 0x5412;
  const set = (x: number, y: number, i: number) => (t[y * size + x] = (bits >>> i) & 1);
  for (let i = 0; i <= 5; i++) set(8, i, i);
  set(8, 7, 6);
  set(8, 8, 7);
  set(7, 8, 8);
  for (let i = 9; i < 15; i++) set(14 - i, 8, i);
  for (let i = 0; i < 8; i++) set(size - 1 - i, 8, i);
  for (let i = 8; i < 15; i++) set(8, size - 15 + i, i);
  t[(size - 8) * size + 8] = 1;
}

function applyMask(t: Uint8Array, fn: Uint8Array, size: number, m: number) {
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const k = y * size + x;
      if (fn[k]) continue;
      let inv: boolean;
      switch (m) {
        case 0:
          inv = (x + y) % 2 === 0;
          break;
        case 1:
          inv = y % 2 === 0;
          break;
        case 2:
          inv = x % 3 === 0;
          break;
        case 3:
          inv = (x + y) % 3 === 0;
          break;
        case 4:
          inv = (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0;
          break;
        case 5:
          inv = ((x * y) % 2) + ((x * y) % 3) === 0;
          break;
        case 6:
          inv = (((x * y) % 2) + ((x * y) % 3)) % 2 === 0;
          break;
        default:
          inv = (((x + y) % 2) + ((x * y) % 3)) % 2 === 0;
      }
      if (inv) t[k] = t[k]! ^ 1;
    }
}

/** The four penalty rules of the standard (runs, 2×2 blocks, finder-like patterns, dark balance). */
function penalty(t: Uint8Array, size: number): number {
  let score = 0;
  let dark = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < size; a++) {
      let run = 0;
      let prev = -1;
      let window = 0; // last 11 modules as bits
      for (let b = 0; b < size; b++) {
        const v = pass === 0 ? t[a * size + b]! : t[b * size + a]!;
        if (pass === 0) dark += v;
        if (v === prev) {
          run++;
          if (run === 5) score += 3;
          else if (run > 5) score += 1;
        } else {
          run = 1;
          prev = v;
        }
        window = ((window << 1) | v) & 0x7ff;
        // 1011101 with 4 light modules before or after (light beyond the edge counts as light).
        if (b >= 10 && (window === 0b00001011101 || window === 0b10111010000)) score += 40;
      }
    }
  }
  for (let y = 0; y < size - 1; y++)
    for (let x = 0; x < size - 1; x++) {
      const v = t[y * size + x]!;
      if (v === t[y * size + x + 1] && v === t[(y + 1) * size + x] && v === t[(y + 1) * size + x + 1]) score += 3;
    }
  const total = size * size;
  const k = Math.ceil(Math.abs(dark * 20 - total * 10) / total) - 1;
  return score + Math.max(0, k) * 10;
}
