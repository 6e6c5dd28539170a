import type { Cmyk, Lab } from '../model/color';
import { parseHex, srgbToLab, toHex } from './convert';
import type { CmykTransform } from './cmyk';
import { ColorError } from './errors';

/** A colour typed by a person: "#1a2b3c", "L,a,b" (three numbers) or "c,m,y,k" (four numbers, percent). */
export type ColorInput = { kind: 'rgb'; hex: string } | { kind: 'lab'; lab: Lab } | { kind: 'cmyk'; cmyk: Cmyk };

/** Parse a colour argument. Throws ColorError (`color-input`) saying which forms are accepted. */
export function parseColorInput(text: string): ColorInput {
  const s = text.trim();
  const rgb = /^#?[0-9a-f]{3}([0-9a-f]{3})?$/i.test(s) && (s.startsWith('#') || /[a-f]/i.test(s)) ? parseHex(s) : undefined;
  if (rgb) return { kind: 'rgb', hex: toHex(rgb) };
  const parts = s.split(/[\s,;/]+/).filter(Boolean);
  const nums = parts.map(Number);
  const ok = parts.length > 0 && nums.every(Number.isFinite);
  if (ok && nums.length === 3) {
    const [L, a, b] = nums as [number, number, number];
    if (L < 0 || L > 100) throw new ColorError('color-input', `"${text}": L* must be between 0 and 100, not ${L}`);
    if (Math.abs(a) > 128 || Math.abs(b) > 128) throw new ColorError('color-input', `"${text}": a* and b* must be between -128 and 128`);
    return { kind: 'lab', lab: [L, a, b] };
  }
  if (ok && nums.length === 4) {
    if (nums.some((v) => v < 0 || v > 100)) throw new ColorError('color-input', `"${text}": CMYK values are percentages from 0 to 100`);
    return { kind: 'cmyk', cmyk: nums as unknown as Cmyk };
  }
  throw new ColorError(
    'color-input',
    `"${text}" is not a colour; write #rrggbb for sRGB, L,a,b for CIE Lab (e.g. 22,9,-50) or c,m,y,k in percent (e.g. 100,85,5,22)`,
  );
}

/** The Lab (D50) of a parsed colour; CMYK goes through `cmyk` (a profile or the approximate model). */
export function inputToLab(c: ColorInput, cmyk: CmykTransform): Lab {
  switch (c.kind) {
    case 'rgb':
      return srgbToLab(parseHex(c.hex) ?? [0, 0, 0]);
    case 'lab':
      return c.lab;
    case 'cmyk':
      return cmyk.cmykToLab(c.cmyk);
  }
}
