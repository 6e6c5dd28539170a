import { describe, expect, it } from 'vitest';
import type { Cmyk } from '../model/color';
import { deltaE2000 } from './ciede2000';
import { APPROXIMATE_INK_LIMIT, approximateCmyk, approximateCmykTransform } from './cmyk';

describe('approximate CMYK model (no profile)', () => {
  it('says it is approximate', () => {
    expect(approximateCmyk.approximate).toBe(true);
    expect(approximateCmyk.description).toMatch(/^approximate/);
  });

  it('reproduces the FOGRA39 primaries it is built on (paper, solids)', () => {
    // FOGRA39L measured Lab: paper 95/0/-2, cyan 55/-37/-50, magenta 48/74/-3, yellow 89/-5/93, black 16/0/0.
    const cases: [Cmyk, [number, number, number]][] = [
      [
        [0, 0, 0, 0],
        [95, 0, -2],
      ],
      [
        [100, 0, 0, 0],
        [55, -37, -50],
      ],
      [
        [0, 100, 0, 0],
        [48, 74, -3],
      ],
      [
        [0, 0, 100, 0],
        [89, -5, 93],
      ],
      [
        [0, 0, 0, 100],
        [16, 0, 0],
      ],
    ];
    // The data set gives XYZ to 0.01 and these Lab values rounded to whole units, hence 0.5.
    for (const [cmyk, lab] of cases) expect(deltaE2000(approximateCmyk.cmykToLab(cmyk), lab)).toBeLessThan(0.5);
  });

  it('maps paper to white with the relative intent', () => {
    const paper = approximateCmykTransform('relative').cmykToLab([0, 0, 0, 0]);
    expect(deltaE2000(paper, [100, 0, 0])).toBeLessThan(1e-6);
  });

  it('separates in-gamut colours back to the same colour, within the ink limit, with black for greys', () => {
    for (const t of [approximateCmyk, approximateCmykTransform('relative')]) {
      for (const cmyk of [
        [100, 85, 5, 22],
        [0, 90, 86, 0],
        [20, 40, 60, 10],
        [0, 0, 0, 90],
      ] as Cmyk[]) {
        const lab = t.cmykToLab(cmyk);
        const sep = t.labToCmyk(lab);
        expect(deltaE2000(lab, t.cmykToLab(sep))).toBeLessThan(0.5);
        expect(sep.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(APPROXIMATE_INK_LIMIT + 0.01);
      }
    }
    const grey = approximateCmyk.labToCmyk(approximateCmyk.cmykToLab([0, 0, 0, 90]));
    expect(grey[3]).toBeGreaterThan(60);
  });
});
