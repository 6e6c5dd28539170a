import type { Lab } from '../model/color';
import { deltaE2000 } from './ciede2000';
import { clip01, labToSrgbUnclipped, srgbToLab, toHex, type Rgb } from './convert';

export interface SrgbGamutResult {
  /** True when every sRGB channel lies within 0..1 (to 1e-6). */
  inGamut: boolean;
  /** The colour in sRGB with each channel clipped to 0..1. */
  clipped: Rgb;
  hex: string;
  /** ΔE2000 between the Lab colour and its clipped sRGB version (0 when in gamut). */
  deltaE: number;
}

const TOLERANCE = 1e-6;

/** Whether a Lab (D50) colour can be shown in sRGB, and how far the nearest channel-clipped sRGB colour is. */
export function srgbGamut(lab: Lab): SrgbGamutResult {
  const rgb = labToSrgbUnclipped(lab);
  const inGamut = rgb.every((v) => v >= -TOLERANCE && v <= 1 + TOLERANCE);
  const clipped: Rgb = [clip01(rgb[0]), clip01(rgb[1]), clip01(rgb[2])];
  return { inGamut, clipped, hex: toHex(clipped), deltaE: inGamut ? 0 : deltaE2000(lab, srgbToLab(clipped)) };
}
