import { describe, expect, it } from 'vitest';
import { deltaE2000 } from './ciede2000';
import { bradford, hexToLab, labToSrgbUnclipped, labToXyz, parseHex, srgbToLab, toHex, xyzToLab } from './convert';
import { closestSrgbHex, srgbGamut } from './gamut';

describe('Lab ↔ XYZ ↔ sRGB', () => {
  it('maps sRGB white to L 100 and black to L 0 (D50, through Bradford)', () => {
    const w = hexToLab('#ffffff');
    expect(w[0]).toBeCloseTo(100, 6);
    expect(Math.hypot(w[1], w[2])).toBeLessThan(1e-6);
    expect(hexToLab('#000000')).toEqual([0, 0, 0]);
  });

  it('matches published D50 Lab of sRGB primaries (Lindbloom calculator, Bradford)', () => {
    // Lindbloom: sRGB red → Lab(D50, Bradford) 54.29, 80.80, 69.89; blue → 29.57, 68.30, -112.03 (within rounding of his matrices).
    const red = hexToLab('#ff0000');
    expect(deltaE2000(red, [54.2905, 80.8049, 69.891])).toBeLessThan(0.02);
    const blue = hexToLab('#0000ff');
    expect(deltaE2000(blue, [29.5676, 68.2986, -112.0294])).toBeLessThan(0.05);
  });

  it('builds the Bradford D65→D50 matrix published by Lindbloom', () => {
    const m = bradford([0.95047, 1, 1.08883], [0.96422, 1, 0.82521]);
    const expected = [
      [1.0478112, 0.0228866, -0.050127],
      [0.0295424, 0.9904844, -0.0170491],
      [-0.0092345, 0.0150436, 0.7521316],
    ];
    m.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 6)));
  });

  it('round-trips Lab → XYZ → Lab and sRGB → Lab → sRGB', () => {
    for (const lab of [
      [22, 9, -50],
      [95, -2, 3],
      [5, 1, -1],
      [60, 70, 40],
    ] as const) {
      const back = xyzToLab(labToXyz(lab));
      lab.forEach((v, i) => expect(back[i]).toBeCloseTo(v, 9));
    }
    for (const hex of ['#14358c', '#e8412c', '#008c5a', '#3b3b3c', '#010101']) {
      expect(toHex(labToSrgbUnclipped(hexToLab(hex)))).toBe(hex);
    }
  });

  it('parses and formats hex', () => {
    expect(parseHex('#fff')).toEqual([1, 1, 1]);
    expect(parseHex('nope')).toBeUndefined();
    expect(toHex([1.2, -0.1, 0.5])).toBe('#ff0080');
    expect(() => hexToLab('#12')).toThrow(/not a hex colour/);
  });
});

describe('sRGB gamut', () => {
  it('reports in-gamut colours with ΔE 0', () => {
    const g = srgbGamut(srgbToLab([0.2, 0.4, 0.6]));
    expect(g.inGamut).toBe(true);
    expect(g.deltaE).toBe(0);
  });

  it('measures how far a saturated spot blue is from its clipped sRGB version', () => {
    const g = srgbGamut([22, 9, -50]);
    expect(g.inGamut).toBe(false);
    expect(g.clipped[0]).toBe(0);
    expect(g.deltaE).toBeGreaterThan(1);
    expect(g.deltaE).toBeLessThan(5);
    expect(deltaE2000([22, 9, -50], srgbToLab(g.clipped))).toBeCloseTo(g.deltaE, 12);
  });

  it('finds an 8-bit sRGB colour at least as close as the clipped one', () => {
    const lab = [22, 9, -50] as const;
    const best = closestSrgbHex([...lab]);
    expect(best.deltaE).toBeLessThanOrEqual(deltaE2000([...lab], hexToLab(srgbGamut([...lab]).hex)));
    expect(deltaE2000([...lab], hexToLab(best.hex))).toBeCloseTo(best.deltaE, 12);
    expect(closestSrgbHex(hexToLab('#3b3b3c')).hex).toBe('#3b3b3c');
  });
});
