import type { BrandKit } from '../model/brand';
import type { AseSwatch, SwatchBook } from './ase';
import { parseHex } from './convert';

/**
 * A brand kit as a swatch book for design applications: one group with each swatch's print colour — spot
 * swatches as spot Lab entries named by their ink (e.g. "PANTONE 2758 C"), process swatches as global CMYK —
 * and one group with every swatch's sRGB value for screen work.
 */
export function brandToSwatchBook(brand: BrandKit): SwatchBook {
  const print: AseSwatch[] = brand.swatches.map((s) =>
    s.spot
      ? { kind: 'color', name: s.spot.name, type: 'spot', color: { model: 'LAB', lab: [...s.spot.lab] } }
      : { kind: 'color', name: s.name, type: 'global', color: { model: 'CMYK', cmyk: [...s.cmyk] } },
  );
  const screen: AseSwatch[] = brand.swatches.map((s) => ({
    kind: 'color',
    name: `${s.name} (sRGB ${s.srgb})`,
    type: 'process',
    color: { model: 'RGB', rgb: [...(parseHex(s.srgb) ?? [0, 0, 0])] },
  }));
  return {
    entries: [
      { kind: 'group', name: `${brand.name} — print`, swatches: print },
      { kind: 'group', name: `${brand.name} — screen`, swatches: screen },
    ],
  };
}
