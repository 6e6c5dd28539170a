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

/**
 * The 8-bit sRGB colour closest to a Lab colour by ΔE2000: the clipped colour refined by coordinate descent
 * over the 256 levels of each channel. For an out-of-gamut colour this is usually much closer than clipping.
 */
export function closestSrgbHex(lab: Lab): { hex: string; deltaE: number } {
  const start = srgbGamut(lab).clipped.map((v) => Math.round(v * 255));
  const cur: [number, number, number] = [start[0] ?? 0, start[1] ?? 0, start[2] ?? 0];
  const de = (c: readonly number[]) => deltaE2000(lab, srgbToLab([c[0]! / 255, c[1]! / 255, c[2]! / 255]));
  let best = de(cur);
  for (let step = 16; step >= 1; step = step >> 1) {
    let improved = true;
    while (improved) {
      improved = false;
      for (let i = 0; i < 3; i++) {
        for (const dir of [-step, step]) {
          const next: [number, number, number] = [cur[0], cur[1], cur[2]];
          next[i] = Math.min(255, Math.max(0, next[i]! + dir));
          const d = de(next);
          if (d < best - 1e-12) {
            best = d;
            cur[0] = next[0];
            cur[1] = next[1];
            cur[2] = next[2];
            improved = true;
          }
        }
      }
    }
  }
  return { hex: toHex([cur[0] / 255, cur[1] / 255, cur[2] / 255]), deltaE: best };
}
