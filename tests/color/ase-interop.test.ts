import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { bookSwatches, readAse, writeAse } from '../../shared/color/ase';

/** ase-utils (devDependency): an independent .ase encoder/decoder (CommonJS, Node Buffers). */
interface AseUtilsColor {
  name: string;
  model: 'RGB' | 'CMYK' | 'LAB' | 'Gray';
  color: number[];
  type: 'global' | 'spot' | 'normal';
}
const require = createRequire(import.meta.url);
const aseUtils = require('ase-utils') as {
  encode(data: { colors: AseUtilsColor[] }): Buffer;
  decode(buffer: Buffer): { groups: { name: string; colors: AseUtilsColor[] }[]; colors: AseUtilsColor[] };
};

const f32 = Math.fround;

describe('.ase interoperability with an independent implementation (ase-utils)', () => {
  it('reads a file written by ase-utils: names, models, values and spot/global/normal types', () => {
    const colors: AseUtilsColor[] = [
      { name: 'PANTONE 2758 C', model: 'LAB', color: [0.22, 9, -50], type: 'spot' },
      { name: 'Navy build', model: 'CMYK', color: [1, 0.85, 0.05, 0.22], type: 'global' },
      { name: 'Service Red', model: 'RGB', color: [232 / 255, 65 / 255, 44 / 255], type: 'normal' },
      { name: 'Grau 10 %', model: 'Gray', color: [0.9], type: 'normal' },
    ];
    const book = readAse(new Uint8Array(aseUtils.encode({ colors })));
    expect(book.entries).toEqual([
      { kind: 'color', name: 'PANTONE 2758 C', type: 'spot', color: { model: 'LAB', lab: [f32(0.22) * 100, 9, -50] } },
      {
        kind: 'color',
        name: 'Navy build',
        type: 'global',
        color: { model: 'CMYK', cmyk: [100, f32(0.85) * 100, f32(0.05) * 100, f32(0.22) * 100] },
      },
      { kind: 'color', name: 'Service Red', type: 'process', color: { model: 'RGB', rgb: [f32(232 / 255), f32(65 / 255), f32(44 / 255)] } },
      { kind: 'color', name: 'Grau 10 %', type: 'process', color: { model: 'Gray', gray: f32(0.9) } },
    ]);
  });

  it('writes files that ase-utils decodes to the same colours', () => {
    const ours = writeAse({
      entries: [
        { kind: 'color', name: 'Spot', type: 'spot', color: { model: 'LAB', lab: [50, 10, -20] } },
        { kind: 'color', name: 'Process', type: 'process', color: { model: 'CMYK', cmyk: [0, 90, 86, 0] } },
      ],
    });
    const theirs = aseUtils.decode(Buffer.from(ours));
    expect(theirs.colors.map((c) => [c.name, c.model, c.type])).toEqual([
      ['Spot', 'LAB', 'spot'],
      ['Process', 'CMYK', 'normal'],
    ]);
    expect(theirs.colors[0]!.color).toEqual([0.5, 10, -20]);
    expect(theirs.colors[1]!.color).toEqual([0, f32(0.9), f32(0.86), 0]);
  });

  it('reads the 122-colour sample book shipped with ase-utils exactly as its decoder does', () => {
    const dir = require.resolve('ase-utils/package.json').replace(/package\.json$/, '');
    const bytes = readFileSync(`${dir}test.ase`);
    const expected = aseUtils.decode(bytes);
    const book = readAse(new Uint8Array(bytes));
    const ours = bookSwatches(book).map(({ swatch }) => swatch);
    expect(ours).toHaveLength(expected.colors.length);
    ours.forEach((s, i) => {
      const e = expected.colors[i]!;
      expect(s.name).toBe(e.name);
      expect(s.color.model).toBe(e.model.toUpperCase() === 'GRAY' ? 'Gray' : e.model);
      const values =
        s.color.model === 'CMYK'
          ? s.color.cmyk.map((v) => v / 100)
          : s.color.model === 'RGB'
            ? s.color.rgb
            : s.color.model === 'Gray'
              ? [s.color.gray]
              : [];
      values.forEach((v, j) => expect(Math.fround(v)).toBe(e.color[j]));
    });
    // And our writer reproduces the file byte for byte.
    expect(Buffer.from(writeAse(book)).equals(bytes)).toBe(true);
  });
});
