import { describe, expect, it } from 'vitest';
import { BrandKitSchema } from '../model/brand';
import { deltaE2000 } from './ciede2000';
import { approximateCmykTransform } from './cmyk';
import { hexToLab } from './convert';
import { inputToLab, parseColorInput } from './input';
import { nearestInBook } from './nearest';
import { swatchReport } from './swatch-report';
import { brandToSwatchBook } from './brand-book';
import { readAse, writeAse } from './ase';

const condition = { absolute: approximateCmykTransform('absolute'), relative: approximateCmykTransform('relative') };
const brand = BrandKitSchema.parse({
  name: 'Test',
  swatches: [
    { id: 'navy', name: 'Navy', spot: { name: 'PANTONE 2758 C', lab: [22, 9, -50] }, cmyk: [100, 85, 5, 22], srgb: '#00377a' },
    { id: 'grey', name: 'Grey', cmyk: [0, 0, 0, 50], srgb: '#939393' },
  ],
});

describe('swatch ΔE report', () => {
  it('compares spot ↔ CMYK (absolute) and spot ↔ sRGB, and CMYK ↔ sRGB (relative) for process swatches', () => {
    const r = swatchReport(brand, condition);
    expect(r.threshold).toBe(2);
    expect(r.approximate).toBe(true);
    const [navy, grey] = r.swatches;
    expect(navy!.deltas.map((d) => d.comparison)).toEqual(['spot-vs-cmyk', 'spot-vs-srgb']);
    expect(navy!.deltas[0]!.deltaE).toBeCloseTo(deltaE2000([22, 9, -50], condition.absolute.cmykToLab([100, 85, 5, 22])), 12);
    expect(navy!.deltas[1]!.deltaE).toBeCloseTo(deltaE2000([22, 9, -50], hexToLab('#00377a')), 12);
    expect(grey!.deltas.map((d) => d.comparison)).toEqual(['cmyk-vs-srgb']);
    expect(grey!.deltas[0]!.deltaE).toBeCloseTo(deltaE2000(condition.relative.cmykToLab([0, 0, 0, 50]), hexToLab('#939393')), 12);
    expect(r.exceeded).toBe(r.swatches.flatMap((s) => s.deltas).filter((d) => d.deltaE > 2).length);
    expect(navy!.suggestion!.srgbInGamut).toBe(false);
  });

  it('flags against the brand threshold', () => {
    const strict = swatchReport({ ...brand, deltaEThreshold: 0.01 }, condition);
    expect(strict.exceeded).toBe(3);
    const lax = swatchReport({ ...brand, deltaEThreshold: 50 }, condition);
    expect(lax.exceeded).toBe(0);
  });
});

describe('colour input and nearest match', () => {
  it('parses hex, Lab and CMYK and rejects the rest with a hint', () => {
    expect(parseColorInput('#00377A')).toEqual({ kind: 'rgb', hex: '#00377a' });
    expect(parseColorInput('22, 9, -50')).toEqual({ kind: 'lab', lab: [22, 9, -50] });
    expect(parseColorInput('100,85,5,22')).toEqual({ kind: 'cmyk', cmyk: [100, 85, 5, 22] });
    expect(() => parseColorInput('120,0,0')).toThrow(/L\* must be between 0 and 100/);
    expect(() => parseColorInput('navy')).toThrow(/write #rrggbb/);
  });

  it('finds the k nearest book entries by ΔE2000, whatever their model', () => {
    const book = readAse(writeAse(brandToSwatchBook(brand)));
    const lab = inputToLab(parseColorInput('#00377a'), condition.absolute);
    const top = nearestInBook(book, lab, 3, condition.absolute);
    expect(top).toHaveLength(3);
    expect(top[0]!.swatch.name).toBe('Navy (sRGB #00377a)');
    expect(top[0]!.deltaE).toBeLessThan(1e-3);
    expect(top[1]!.swatch.name).toBe('PANTONE 2758 C');
    expect(top.map((m) => m.deltaE)).toEqual([...top.map((m) => m.deltaE)].sort((a, b) => a - b));
  });
});
