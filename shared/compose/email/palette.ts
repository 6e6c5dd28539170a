import type { BrandKit } from '../../model/brand';
import type { ColorRef } from '../../model/color';

/**
 * Screen colours for email: a swatch's sRGB value (never its CMYK build), with a variant's swatch overrides
 * applied, and tints mixed with white as they print on paper. Literal CMYK refs are converted naively
 * (they are off-brand anyway and preflight reports them).
 */
export type Palette = (ref: ColorRef | undefined) => string | undefined;

const hex2 = (n: number) =>
  Math.round(Math.max(0, Math.min(255, n)))
    .toString(16)
    .padStart(2, '0');
const tintHex = (hex: string, tint: number): string => {
  if (tint >= 100) return hex.toLowerCase();
  const t = Math.max(0, tint) / 100;
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `#${c.map((v) => hex2(255 - (255 - v) * t)).join('')}`;
};

export function makePalette(brand: BrandKit, overrides: Readonly<Record<string, string>> = {}): Palette {
  const byId = new Map(brand.swatches.map((s) => [s.id as string, s.srgb]));
  return (ref) => {
    if (!ref) return undefined;
    if ('rgb' in ref) return ref.rgb;
    if ('swatch' in ref) {
      const id = overrides[ref.swatch] ?? ref.swatch;
      const hex = byId.get(id) ?? byId.get(ref.swatch);
      return hex ? tintHex(hex, ref.tint) : undefined;
    }
    const [c, m, y, k] = ref.cmyk.map((v) => v / 100) as [number, number, number, number];
    return tintHex(`#${[c, m, y].map((v) => hex2(255 * (1 - v) * (1 - k))).join('')}`, ref.tint);
  };
}

/** A stable key for a set of swatch overrides (variants with equal overrides share one compiled HTML). */
const keyCache = new WeakMap<object, string>();
export const overridesKey = (o: Readonly<Record<string, string>>): string => {
  let k = keyCache.get(o);
  if (k === undefined) {
    k = JSON.stringify(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    keyCache.set(o, k);
  }
  return k;
};
