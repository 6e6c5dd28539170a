import type { Lab } from '../model/color';
import { bookSwatches, type AseColorValue, type AseSwatch, type SwatchBook } from './ase';
import { deltaE2000 } from './ciede2000';
import type { CmykTransform } from './cmyk';
import { srgbToLab } from './convert';

/**
 * The Lab (D50) of a swatch-book colour. RGB is read as sRGB; CMYK goes through `cmyk`; Gray is the
 * tint of black ink 1 − gray (Illustrator's convention: 1 = white), also through `cmyk`.
 */
export function aseValueToLab(c: AseColorValue, cmyk: CmykTransform): Lab {
  switch (c.model) {
    case 'LAB':
      return c.lab;
    case 'RGB':
      return srgbToLab(c.rgb);
    case 'CMYK':
      return cmyk.cmykToLab(c.cmyk);
    case 'Gray':
      return cmyk.cmykToLab([0, 0, 0, Math.min(100, Math.max(0, (1 - c.gray) * 100))]);
  }
}

export interface NearestMatch {
  swatch: AseSwatch;
  group?: string;
  lab: Lab;
  deltaE: number;
}

/** The k entries of a book nearest to `lab` by ΔE2000, nearest first (ties keep book order). */
export function nearestInBook(book: SwatchBook, lab: Lab, k: number, cmyk: CmykTransform): NearestMatch[] {
  return bookSwatches(book)
    .map(({ swatch, group }) => {
      const l = aseValueToLab(swatch.color, cmyk);
      return { swatch, ...(group === undefined ? {} : { group }), lab: l, deltaE: deltaE2000(lab, l) };
    })
    .sort((a, b) => a.deltaE - b.deltaE)
    .slice(0, Math.max(0, k));
}
