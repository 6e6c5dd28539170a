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
    const open = writeAse({ entries: [{ kind: 'group', name: 'G', swatches: [] }] }).slice(0, -6);
    new DataView(open.buffer).setUint32(8, 1); // the header agrees with the content: one block, a group start
    expect(errorOf(() => readAse(open)).message).toMatch(/"G" started at byte 12 is never closed/);
    const endOnly = new Uint8Array([0x41, 0x53, 0x45, 0x46, 0, 1, 0, 0, 0, 0, 0, 1, 0xc0, 0x02, 0, 0, 0, 0]);
    expect(errorOf(() => readAse(endOnly)).offset).toBe(12);
  });

  describe('the declared block count', () => {
    const withCount = (bytes: Uint8Array, count: number) => {
      const copy = bytes.slice();
      new DataView(copy.buffer).setUint32(8, count);
      return copy;
    };
    const good = writeAse(book); // 7 blocks: 5 colours, a group start and its end

    it('accepts the count with group ends (Adobe) and without them (some other writers)', () => {
      expect(readAse(withCount(good, 7))).toEqual(readAse(good));
      expect(readAse(withCount(good, 6))).toEqual(readAse(good));
    });

    it('reports a file cut at a block boundary (fewer blocks than declared)', () => {
      // Drop the last colour block: every block left is whole, so only the count shows the loss.
      const lastBlock = 6 + 2 + 2 + 4 + 3 * 4 + 2;
      const e = errorOf(() => readAse(good.subarray(0, good.length - lastBlock)));
      expect(e.code).toBe('ase-invalid');
      expect(e.offset).toBe(8);
      expect(e.message).toMatch(/declares 7 blocks, but the file ends after 6 of them \(it was cut short\)/);
    });

    it('reports more blocks than declared', () => {
      const e = errorOf(() => readAse(withCount(good, 3)));
      expect(e.offset).toBe(8);
      expect(e.message).toMatch(/declares 3 blocks, but the file holds 7 \(4 more than declared/);
    });

    it('reports an absurd count before reading any block', () => {
      const e = errorOf(() => readAse(withCount(good, 0xffffffff)));
      expect(e.offset).toBe(8);
      expect(e.message).toMatch(new RegExp(`declares 4294967295 blocks, but a file of ${good.length} bytes can hold at most \\d+`));
    });

    it('reports absurd block and name lengths as the file ending inside them, never a DataView error', () => {
      const hugeBlock = good.slice();
      new DataView(hugeBlock.buffer).setUint32(14, 0xfffffff0);
      expect(errorOf(() => readAse(hugeBlock)).message).toMatch(/says it has 4294967280 bytes but only \d+ remain/);
      const hugeName = good.slice();
      new DataView(hugeName.buffer).setUint16(18, 0xffff);
      expect(errorOf(() => readAse(hugeName)).message).toMatch(/colour name \(65535 UTF-16 units\) runs past its block/);
      // Every prefix of a good file is a named ase-invalid error.
      for (let n = 0; n < good.length; n++) expect(errorOf(() => readAse(good.subarray(0, n))).code).toBe('ase-invalid');
    });
  });
});
