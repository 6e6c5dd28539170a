import { z } from 'zod';
import { ColorError } from './errors';

/**
 * Adobe Swatch Exchange (.ase), version 1.0, as written by Illustrator, InDesign and Photoshop.
 *
 * Layout (big-endian): "ASEF", u16 major = 1, u16 minor = 0, u32 block count; then blocks of
 * u16 type (0x0001 colour, 0xC001 group start, 0xC002 group end), u32 length of the data that follows, data.
 * Colour data: u16 name length in UTF-16 code units including the terminating NUL, the UTF-16BE name and NUL,
 * a 4-byte model ("CMYK", "RGB ", "LAB ", "Gray"), float32 components, u16 type (0 global, 1 spot, 2 normal).
 * Group start data: the name as above. Components are stored as 0..1 for CMYK, RGB, Gray and L (a and b as is);
 * this module exposes CMYK in percent and L in 0..100, like the rest of Presswork.
 */

const finite = z.number().refine(Number.isFinite, { error: 'must be a finite number' });

export const AseColorValueSchema = z.discriminatedUnion('model', [
  z.strictObject({ model: z.literal('CMYK'), cmyk: z.tuple([finite, finite, finite, finite]) }),
  z.strictObject({ model: z.literal('RGB'), rgb: z.tuple([finite, finite, finite]) }),
  z.strictObject({ model: z.literal('LAB'), lab: z.tuple([finite, finite, finite]) }),
  z.strictObject({ model: z.literal('Gray'), gray: finite }),
]);
export type AseColorValue = z.infer<typeof AseColorValueSchema>;

/** Illustrator/InDesign colour types: a spot ink, a global process colour, or a plain ("normal") process colour. */
export const AseColorTypeSchema = z.enum(['global', 'spot', 'process']);
export type AseColorType = z.infer<typeof AseColorTypeSchema>;

export const AseSwatchSchema = z.strictObject({
  kind: z.literal('color'),
  name: z.string().max(65534),
  type: AseColorTypeSchema,
  /** CMYK in percent 0..100; RGB 0..1 per channel; LAB as L 0..100, a, b; Gray 0 (black) .. 1 (white). */
  color: AseColorValueSchema,
});
export type AseSwatch = z.infer<typeof AseSwatchSchema>;

export const AseGroupSchema = z.strictObject({
  kind: z.literal('group'),
  name: z.string().max(65534),
  swatches: z.array(AseSwatchSchema),
});
export type AseGroup = z.infer<typeof AseGroupSchema>;

/** A swatch book: its top-level entries in file order, each a swatch or a group of swatches. */
export const SwatchBookSchema = z.strictObject({
  entries: z.array(z.discriminatedUnion('kind', [AseSwatchSchema, AseGroupSchema])),
});
export type SwatchBook = z.infer<typeof SwatchBookSchema>;

/** Every swatch of a book in file order, with the name of the group it sits in (if any). */
export function bookSwatches(book: SwatchBook): { swatch: AseSwatch; group?: string }[] {
  return book.entries.flatMap((e) => (e.kind === 'group' ? e.swatches.map((swatch) => ({ swatch, group: e.name })) : [{ swatch: e }]));
}

const COLOR = 0x0001;
const GROUP_START = 0xc001;
const GROUP_END = 0xc002;
const TYPES: readonly AseColorType[] = ['global', 'spot', 'process'];
const COMPONENTS = { CMYK: 4, 'RGB ': 3, 'LAB ': 3, Gray: 1 } as const;
type ModelCode = keyof typeof COMPONENTS;

/** Read a .ase file. Throws ColorError (code `ase-invalid`) naming the byte offset of the first problem. */
export function readAse(bytes: Uint8Array): SwatchBook {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (message: string, offset: number): never => {
    throw new ColorError(
      'ase-invalid',
      `not a valid Adobe Swatch Exchange file: ${message} (at byte ${offset}); export the swatches again from the design application`,
      offset,
    );
  };
  const need = (at: number, n: number, what: string) => {
    if (at + n > bytes.length) fail(`the file ends inside ${what} (needs ${n} bytes, ${Math.max(0, bytes.length - at)} left)`, at);
  };
  need(0, 12, 'the 12-byte header');
  const magic = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0, bytes[2] ?? 0, bytes[3] ?? 0);
  if (magic !== 'ASEF') fail(`it starts with ${JSON.stringify(magic)}, not "ASEF"`, 0);
  const major = view.getUint16(4);
  if (major !== 1) fail(`version ${major}.${view.getUint16(6)} is not supported (only 1.x)`, 4);
  const declared = view.getUint32(8);
  // Every block has at least a 6-byte header, so the declared count cannot exceed what the file can hold.
  const room = Math.floor((bytes.length - 12) / 6);
  if (declared > room)
    fail(
      `the header declares ${declared} blocks, but a file of ${bytes.length} bytes can hold at most ${room} (the file is cut short or damaged)`,
      8,
    );

  const entries: SwatchBook['entries'] = [];
  let group: { entry: AseGroup; at: number } | undefined;
  let at = 12;
  let blocks = 0;
  let groupEnds = 0;

  const readName = (start: number, end: number, what: string): { name: string; next: number } => {
    if (start + 2 > end) fail(`the ${what} has no room for its name length`, start);
    const units = view.getUint16(start);
    const stop = start + 2 + units * 2;
    if (stop > end) fail(`the ${what} name (${units} UTF-16 units) runs past its block`, start);
    let name = '';
    for (let i = 0; i < units; i++) {
      const u = view.getUint16(start + 2 + i * 2);
      if (u === 0 && i === units - 1) break;
      name += String.fromCharCode(u);
    }
    return { name, next: stop };
  };

  while (at < bytes.length) {
    need(at, 6, 'a block header');
    const type = view.getUint16(at);
    const length = view.getUint32(at + 2);
    const start = at + 6;
    const end = start + length;
    if (end > bytes.length) fail(`the block at byte ${at} says it has ${length} bytes but only ${bytes.length - start} remain`, at + 2);
    blocks++;
    if (type === COLOR) {
      const { name, next } = readName(start, end, 'colour');
      if (next + 4 > end) fail(`the colour "${name}" has no colour model`, next);
      const code = String.fromCharCode(bytes[next] ?? 0, bytes[next + 1] ?? 0, bytes[next + 2] ?? 0, bytes[next + 3] ?? 0);
      if (!(code in COMPONENTS))
        fail(`the colour "${name}" has the unknown model ${JSON.stringify(code)} (expected CMYK, RGB, LAB or Gray)`, next);
      const n = COMPONENTS[code as ModelCode];
      const v: number[] = [];
      for (let i = 0; i < n; i++) {
        const p = next + 4 + i * 4;
        if (p + 4 > end) fail(`the colour "${name}" is missing component ${i + 1} of ${n}`, p);
        v.push(view.getFloat32(p));
      }
      const typeAt = next + 4 + n * 4;
      if (typeAt + 2 > end) fail(`the colour "${name}" has no colour type`, typeAt);
      const t = TYPES[view.getUint16(typeAt)];
      if (t === undefined)
        fail(`the colour "${name}" has colour type ${view.getUint16(typeAt)} (expected 0 global, 1 spot, 2 normal)`, typeAt);
      const swatch: AseSwatch = { kind: 'color', name, type: t as AseColorType, color: fromComponents(code as ModelCode, v) };
      if (group) group.entry.swatches.push(swatch);
      else entries.push(swatch);
    } else if (type === GROUP_START) {
      if (group) fail(`a group starts inside the group "${group.entry.name}" (groups cannot nest)`, at);
      const { name } = readName(start, end, 'group');
      group = { entry: { kind: 'group', name, swatches: [] }, at };
      entries.push(group.entry);
    } else if (type === GROUP_END) {
      if (!group) fail('a group ends where no group was started', at);
      group = undefined;
      groupEnds++;
    } else {
      fail(`unknown block type 0x${type.toString(16).padStart(4, '0')} (expected 0x0001, 0xc001 or 0xc002)`, at);
    }
    at = end;
  }
  // Adobe's applications count every block, group ends included; a few other writers leave the group ends out.
  if (declared !== blocks && declared !== blocks - groupEnds) {
    const what =
      declared > blocks
        ? `the file ends after ${blocks} of them (it was cut short)`
        : `the file holds ${blocks} (${blocks - declared} more than declared: the file was joined or damaged)`;
    fail(`the header declares ${declared} blocks, but ${what}`, 8);
  }
  if (group) fail(`the group "${group.entry.name}" started at byte ${group.at} is never closed`, bytes.length);
  return { entries };
}

function fromComponents(code: ModelCode, v: number[]): AseColorValue {
  const x = (i: number) => v[i] ?? 0;
  switch (code) {
    case 'CMYK':
      return { model: 'CMYK', cmyk: [x(0) * 100, x(1) * 100, x(2) * 100, x(3) * 100] };
    case 'RGB ':
      return { model: 'RGB', rgb: [x(0), x(1), x(2)] };
    case 'LAB ':
      return { model: 'LAB', lab: [x(0) * 100, x(1), x(2)] };
    case 'Gray':
      return { model: 'Gray', gray: x(0) };
  }
}

function toComponents(c: AseColorValue): { code: ModelCode; values: number[] } {
  switch (c.model) {
    case 'CMYK':
      return { code: 'CMYK', values: c.cmyk.map((p) => p / 100) };
    case 'RGB':
      return { code: 'RGB ', values: [...c.rgb] };
    case 'LAB':
      return { code: 'LAB ', values: [c.lab[0] / 100, c.lab[1], c.lab[2]] };
    case 'Gray':
      return { code: 'Gray', values: [c.gray] };
  }
}

/**
 * Write a .ase file. The block count in the header counts every block, group ends included (as Adobe's
 * applications do). Names are written as UTF-16BE, so any Unicode name survives.
 */
export function writeAse(book: SwatchBook): Uint8Array {
  const blocks: { type: number; data: number[] }[] = [];
  const name = (s: string, out: number[]) => {
    const units = s.length + 1;
    if (units > 0xffff)
      throw new ColorError(
        'ase-name-too-long',
        `the name "${s.slice(0, 40)}…" is longer than an .ase name can be (65534 UTF-16 units); shorten it`,
      );
    u16(out, units);
    for (let i = 0; i < s.length; i++) u16(out, s.charCodeAt(i));
    u16(out, 0);
  };
  const color = (s: AseSwatch) => {
    const data: number[] = [];
    name(s.name, data);
    const { code, values } = toComponents(s.color);
    for (let i = 0; i < 4; i++) data.push(code.charCodeAt(i));
    for (const v of values) f32(data, v);
    u16(data, TYPES.indexOf(s.type));
    blocks.push({ type: COLOR, data });
  };
  for (const e of book.entries) {
    if (e.kind === 'color') color(e);
    else {
      const data: number[] = [];
      name(e.name, data);
      blocks.push({ type: GROUP_START, data });
      e.swatches.forEach(color);
      blocks.push({ type: GROUP_END, data: [] });
    }
  }
  const out: number[] = [0x41, 0x53, 0x45, 0x46];
  u16(out, 1);
  u16(out, 0);
  u32(out, blocks.length);
  for (const b of blocks) {
    u16(out, b.type);
    u32(out, b.data.length);
    for (const byte of b.data) out.push(byte);
  }
  return Uint8Array.from(out);
}

function u16(out: number[], v: number) {
  out.push((v >> 8) & 0xff, v & 0xff);
}
function u32(out: number[], v: number) {
  out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}
function f32(out: number[], v: number) {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, v);
  out.push(b.getUint8(0), b.getUint8(1), b.getUint8(2), b.getUint8(3));
}
