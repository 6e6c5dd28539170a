import { describe, expect, it } from 'vitest';
import jsQR from 'jsqr';
import { encodeQr, type QrEcLevel } from './qr';

/** Render the matrix to RGBA pixels (4 px per module, 4-module quiet zone) and read it back with jsQR. */
function decode(modules: Uint8Array, size: number): string | undefined {
  const scale = 4;
  const quiet = 4;
  const dim = (size + 2 * quiet) * scale;
  const px = new Uint8ClampedArray(dim * dim * 4).fill(255);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      if (modules[y * size + x])
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++) {
            const o = (((y + quiet) * scale + dy) * dim + (x + quiet) * scale + dx) * 4;
            px[o] = px[o + 1] = px[o + 2] = 0;
          }
  return jsQR(px, dim, dim)?.data;
}

describe('encodeQr', () => {
  const cases: [string, QrEcLevel][] = [
    ['https://northside-motors.example/service?c=C-853295', 'M'],
    ['hello', 'L'],
    ['Ünïcödé → ✓', 'Q'],
    ['x'.repeat(300), 'H'],
    ['https://presswork-auto.example/service?c=C-000001&utm_source=print&utm_medium=postcard&utm_campaign=service-reminder-2026', 'M'],
  ];
  for (const [text, ec] of cases)
    it(`encodes ${text.length} characters at ${ec} so that a decoder reads them back`, () => {
      const qr = encodeQr(new TextEncoder().encode(text), ec);
      expect(qr.size).toBe(qr.version * 4 + 17);
      expect(decode(qr.modules, qr.size)).toBe(text);
    });

  it('picks the smallest version that holds the data', () => {
    // Version 1-M holds 14 bytes in byte mode, version 2-M 26.
    expect(encodeQr(new Uint8Array(14), 'M').version).toBe(1);
    expect(encodeQr(new Uint8Array(15), 'M').version).toBe(2);
    expect(encodeQr(new Uint8Array(26), 'M').version).toBe(2);
  });
});
