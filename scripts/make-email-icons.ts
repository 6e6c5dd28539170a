/**
 * Draws Presswork's social icons for email (assets/email-icons/<network>.png): 96×96 PNGs, shown at
 * 24 CSS px (4× for high-density screens), a white glyph on a brand-coloured disc, drawn here from
 * circles, rectangles and polygons (no fonts, no third-party artwork). Deterministic: running it again
 * writes the same bytes. Run with `npx tsx scripts/make-email-icons.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const SIZE = 96;
const SS = 4; // samples per axis per pixel

type Shape = (x: number, y: number) => boolean; // unit square coordinates, 0..1
const disc =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx: number, cy: number, r: number, w: number): Shape => {
  const o = disc(cx, cy, r);
  const i = disc(cx, cy, r - w);
  return (x, y) => o(x, y) && !i(x, y);
};
const rect =
  (x0: number, y0: number, x1: number, y1: number): Shape =>
  (x, y) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;
const roundRect = (x0: number, y0: number, x1: number, y1: number, r: number): Shape => {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
};
const minus =
  (a: Shape, b: Shape): Shape =>
  (x, y) =>
    a(x, y) && !b(x, y);
const union =
  (...s: Shape[]): Shape =>
  (x, y) =>
    s.some((f) => f(x, y));
const polygon =
  (pts: [number, number][]): Shape =>
  (x, y) => {
    let inside = false;
    for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      const [xi, yi] = pts[i]!;
      const [xj, yj] = pts[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
const bar = (x0: number, y0: number, x1: number, y1: number, w: number): Shape => {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = Math.hypot(dx, dy);
  const nx = (-dy / len) * (w / 2);
  const ny = (dx / len) * (w / 2);
  return polygon([
    [x0 + nx, y0 + ny],
    [x1 + nx, y1 + ny],
    [x1 - nx, y1 - ny],
    [x0 - nx, y0 - ny],
  ]);
};
const ellipseRing = (cx: number, cy: number, rx: number, ry: number, w: number): Shape => {
  return (x, y) => {
    const o = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
    const i = ((x - cx) / (rx - w)) ** 2 + ((y - cy) / (ry - w)) ** 2 <= 1;
    return o && !i;
  };
};

const icons: Record<string, { color: [number, number, number]; glyph: Shape }> = {
  // A lower-case f: stem, cross-bar and a hook to the right.
  facebook: {
    color: [24, 119, 242],
    glyph: union(
      rect(0.45, 0.36, 0.57, 0.8),
      rect(0.36, 0.45, 0.66, 0.55),
      minus(ring(0.62, 0.37, 0.17, 0.12), union(rect(0, 0.37, 1, 1), rect(0.62, 0, 1, 0.3))),
      rect(0.62, 0.2, 0.68, 0.32),
    ),
  },
  // A camera outline: rounded square ring, lens ring, flash dot.
  instagram: {
    color: [193, 53, 132],
    glyph: union(
      minus(roundRect(0.26, 0.26, 0.74, 0.74, 0.13), roundRect(0.32, 0.32, 0.68, 0.68, 0.08)),
      ring(0.5, 0.5, 0.12, 0.055),
      disc(0.62, 0.38, 0.035),
    ),
  },
  // Two crossing strokes.
  x: { color: [20, 20, 20], glyph: union(bar(0.32, 0.3, 0.68, 0.7, 0.09), bar(0.68, 0.3, 0.32, 0.7, 0.06)) },
  // A play triangle.
  youtube: {
    color: [230, 33, 23],
    glyph: polygon([
      [0.4, 0.32],
      [0.72, 0.5],
      [0.4, 0.68],
    ]),
  },
  // "in": a dotted i and an arched n.
  linkedin: {
    color: [10, 102, 194],
    glyph: union(
      disc(0.35, 0.31, 0.055),
      rect(0.3, 0.41, 0.4, 0.72),
      rect(0.46, 0.41, 0.56, 0.72),
      minus(ring(0.61, 0.52, 0.11, 0.1), rect(0, 0.52, 1, 1)),
      rect(0.62, 0.52, 0.72, 0.72),
    ),
  },
  // A globe: outline, equator, meridian.
  web: {
    color: [70, 84, 102],
    glyph: union(ring(0.5, 0.5, 0.24, 0.05), rect(0.26, 0.475, 0.74, 0.525), ellipseRing(0.5, 0.5, 0.11, 0.24, 0.045)),
  },
};

function crcTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}
const CRC = crcTable();
const crc32 = (b: Uint8Array): number => {
  let c = 0xffffffff;
  for (const x of b) c = CRC[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(color: [number, number, number], glyph: Shape): Buffer {
  const background = disc(0.5, 0.5, 0.5);
  const rows: Buffer[] = [];
  for (let py = 0; py < SIZE; py++) {
    const row = Buffer.alloc(1 + SIZE * 4);
    for (let px = 0; px < SIZE; px++) {
      let cover = 0;
      let white = 0;
      for (let sy = 0; sy < SS; sy++)
        for (let sx = 0; sx < SS; sx++) {
          const x = (px + (sx + 0.5) / SS) / SIZE;
          const y = (py + (sy + 0.5) / SS) / SIZE;
          if (background(x, y)) {
            cover++;
            if (glyph(x, y)) white++;
          }
        }
      const n = SS * SS;
      const a = cover / n;
      const w = cover ? white / cover : 0;
      const o = 1 + px * 4;
      row[o] = Math.round(color[0] + (255 - color[0]) * w);
      row[o + 1] = Math.round(color[1] + (255 - color[1]) * w);
      row[o + 2] = Math.round(color[2] + (255 - color[2]) * w);
      row[o + 3] = Math.round(a * 255);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

const dir = fileURLToPath(new URL('../assets/email-icons/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const [name, { color, glyph }] of Object.entries(icons)) writeFileSync(`${dir}${name}.png`, png(color, glyph));
console.log(`wrote ${Object.keys(icons).length} icons to ${dir}`);
