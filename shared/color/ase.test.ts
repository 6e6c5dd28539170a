import { describe, expect, it } from 'vitest';
import { readAse, writeAse, type SwatchBook } from './ase';
import { ColorError } from './errors';

const book: SwatchBook = {
  entries: [
    { kind: 'color', name: 'PANTONE 2758 C', type: 'spot', color: { model: 'LAB', lab: [22, 9, -50] } },
    {
      kind: 'group',
      name: 'Händler – Farben 🚗',
      swatches: [
        { kind: 'color', name: 'Navy build', type: 'global', color: { model: 'CMYK', cmyk: [100, 85, 5, 22] } },
        { kind: 'color', name: 'Screen red', type: 'process', color: { model: 'RGB', rgb: [0.91, 0.255, 0.17] } },
        { kind: 'color', name: '10% Grau', type: 'process', color: { model: 'Gray', gray: 0.9 } },
      ],
    },
    { kind: 'color', name: '', type: 'global', color: { model: 'RGB', rgb: [0, 0, 1] } },
  ],
};

/** The value a float32 field can hold. */
const f32 = (v: number) => Math.fround(v);

const errorOf = (fn: () => unknown): ColorError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ColorError) return e;
    throw e;
  }
  throw new Error('expected a ColorError');
};

describe('Adobe Swatch Exchange', () => {
  it('round-trips read → write → read, byte for byte after the first write', () => {
    const bytes = writeAse(book);
    const read = readAse(bytes);
    expect(readAse(writeAse(read))).toEqual(read);
    expect(writeAse(read)).toEqual(bytes);
    expect(read.entries).toHaveLength(3);
    const group = read.entries[1]!;
    expect(group.kind === 'group' && group.name).toBe('Händler – Farben 🚗');
    expect(group.kind === 'group' && group.swatches.map((s) => s.type)).toEqual(['global', 'process', 'process']);
    const spot = read.entries[0]!;
    expect(spot.kind === 'color' && spot.color).toEqual({ model: 'LAB', lab: [f32(0.22) * 100, 9, -50] });
    expect(spot.kind === 'color' && spot.type).toBe('spot');
  });

  it('writes the documented layout: header, block count with group ends, UTF-16BE names, float32 values', () => {
    const bytes = writeAse({ entries: [{ kind: 'color', name: 'A', type: 'spot', color: { model: 'Gray', gray: 0.5 } }] });
    const v = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('ASEF');
    expect([v.getUint16(4), v.getUint16(6), v.getUint32(8)]).toEqual([1, 0, 1]);
    expect(v.getUint16(12)).toBe(0x0001);
    expect(v.getUint32(14)).toBe(2 + 4 + 4 + 4 + 2);
    expect([v.getUint16(18), v.getUint16(20), v.getUint16(22)]).toEqual([2, 0x41, 0]);
    expect(new TextDecoder().decode(bytes.subarray(24, 28))).toBe('Gray');
    expect(v.getFloat32(28)).toBe(0.5);
    expect(v.getUint16(32)).toBe(1);
    // 1 colour + group start + 3 colours + group end + 1 colour
    expect(new DataView(writeAse(book).buffer).getUint32(8)).toBe(7);
  });

  it('reports malformed files with the byte offset', () => {
    expect(errorOf(() => readAse(new TextEncoder().encode('ASEX\0\x01\0\0\0\0\0\0'))).offset).toBe(0);
    const good = writeAse(book);
    const cut = errorOf(() => readAse(good.subarray(0, good.length - 3)));
    expect(cut.code).toBe('ase-invalid');
    expect(cut.message).toMatch(/at byte \d+/);
    const badModel = good.slice();
    const modelAt = 12 + 6 + 2 + ('PANTONE 2758 C'.length + 1) * 2;
    badModel.set([0x58, 0x59, 0x5a, 0x20], modelAt);
    const e = errorOf(() => readAse(badModel));
    expect(e.offset).toBe(modelAt);
    expect(e.message).toContain('"XYZ "');
    const badBlock = good.slice();
    badBlock[12] = 0x77;
    expect(errorOf(() => readAse(badBlock)).message).toMatch(/unknown block type 0x7701 .*at byte 12/);
    expect(errorOf(() => readAse(new Uint8Array(5))).message).toMatch(/12-byte header/);
  });

  it('rejects an unclosed group and a group end without a start', () => {
    const open = writeAse({ entries: [{ kind: 'group', name: 'G', swatches: [] }] });
    expect(errorOf(() => readAse(open.subarray(0, open.length - 6))).message).toMatch(/"G" started at byte 12 is never closed/);
    const endOnly = new Uint8Array([0x41, 0x53, 0x45, 0x46, 0, 1, 0, 0, 0, 0, 0, 1, 0xc0, 0x02, 0, 0, 0, 0]);
    expect(errorOf(() => readAse(endOnly)).offset).toBe(12);
  });
});
