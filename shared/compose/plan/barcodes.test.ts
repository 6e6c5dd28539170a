import { describe, expect, it } from 'vitest';
import { code128Values, code128Widths, ean13CheckDigit, ean13Modules, qrGeometry, BarcodeError } from './barcodes';

describe('barcodes', () => {
  it('Code 128: every symbol is 11 modules, checksum as in the standard', () => {
    // "PJJ123C" in code set B: 104 + 48·1 + 42·2 + 42·3 + 17·4 + 18·5 + 19·6 + 35·7 = 879 ≡ 55 (mod 103).
    // (The Wikipedia example gets 54 because it starts in code set A, value 103.)
    const v = code128Values('PJJ123C');
    expect(v[0]).toBe(104);
    expect(v[v.length - 2]).toBe(55);
    const w = code128Widths('C-000123');
    expect(w.reduce((a, b) => a + b, 0)).toBe(11 * (1 + 8 + 1) + 13);
    expect(code128Values('123456')).toEqual([105, 12, 34, 56, (105 + 12 + 2 * 34 + 3 * 56) % 103, 106]);
    expect(() => code128Values('naïve')).toThrow(BarcodeError);
  });

  it('EAN-13: check digit and 95 modules', () => {
    expect(ean13CheckDigit('400638133393')).toBe(1);
    const { modules, digits } = ean13Modules('400638133393');
    expect(digits).toBe('4006381333931');
    expect(modules).toHaveLength(95);
    expect(modules.startsWith('101')).toBe(true);
    expect(() => ean13Modules('4006381333932')).toThrow(/check digit/);
  });

  it('QR: modules inside the box with the quiet zone', () => {
    const g = qrGeometry('https://example.com/r/C-000123', 'M', 2, 72, 72);
    expect(g.rects.length % 4).toBe(0);
    let minX = Infinity;
    let maxX = 0;
    const [sx, , , , tx] = g.transform;
    for (let i = 0; i < g.rects.length; i += 4) {
      minX = Math.min(minX, tx + sx * g.rects[i]!);
      maxX = Math.max(maxX, tx + sx * (g.rects[i]! + g.rects[i + 2]!));
    }
    expect(minX).toBeGreaterThan(0);
    expect(maxX).toBeLessThan(72);
    expect(minX).toBeCloseTo(72 - maxX);
  });
});
