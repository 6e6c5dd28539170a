import type { BrandKit } from '../model/brand';
import type { Cmyk, Lab, Swatch } from '../model/color';
import { deltaE2000 } from './ciede2000';
import type { CmykTransform } from './cmyk';
import { hexToLab } from './convert';
import { closestSrgbHex, srgbGamut } from './gamut';

/**
 * The printing condition a swatch report measures against: the same profile (or the approximate model) with
 * two intents. Spot Lab values are measurements of ink on paper, so a spot is compared with its CMYK build
 * as printed (`absolute`). Screens show paper white as white, so a CMYK build is compared with its sRGB value
 * media-relative (`relative`).
 */
export interface PrintCondition {
  absolute: CmykTransform;
  relative: CmykTransform;
}

export type SwatchComparison = 'spot-vs-cmyk' | 'spot-vs-srgb' | 'cmyk-vs-srgb';

export interface SwatchDelta {
  comparison: SwatchComparison;
  deltaE: number;
  /** True when deltaE is above the brand's threshold. */
  exceeds: boolean;
}

export interface SwatchReportEntry {
  id: string;
  name: string;
  spot?: { name: string; lab: Lab };
  cmyk: Cmyk;
  srgb: string;
  /** The CMYK build as printed (absolute) and as shown media-relative. */
  cmykLab: Lab;
  cmykLabRelative: Lab;
  srgbLab: Lab;
  deltas: SwatchDelta[];
  /** For a spot: the profile's separation of the spot Lab, and the 8-bit sRGB closest to it by ΔE2000. */
  suggestion?: {
    cmyk: Cmyk;
    /** ΔE2000 between the spot and that separation as printed (mostly the press gamut's limit). */
    cmykDeltaE: number;
    srgb: string;
    /** ΔE2000 between the spot and the nearest sRGB (0 when the spot is inside sRGB). */
    srgbDeltaE: number;
    srgbInGamut: boolean;
  };
}

export interface SwatchReport {
  threshold: number;
  /** True when the CMYK figures come from the built-in model, not an ICC profile. */
  approximate: boolean;
  condition: string;
  swatches: SwatchReportEntry[];
  /** How many comparisons exceed the threshold. */
  exceeded: number;
}

const round = (v: number, places = 2) => Math.round(v * 10 ** places) / 10 ** places;

/**
 * ΔE2000 between each brand swatch's spot Lab, CMYK build and sRGB value, flagged against the brand kit's
 * threshold (brand.deltaEThreshold, default 2.0). Swatches with a spot compare spot↔CMYK and spot↔sRGB;
 * process-only swatches compare their CMYK build with their sRGB value.
 */
export function swatchReport(brand: BrandKit, condition: PrintCondition): SwatchReport {
  const threshold = brand.deltaEThreshold;
  const swatches = brand.swatches.map((s) => swatchEntry(s, condition, threshold));
  return {
    threshold,
    approximate: condition.absolute.approximate,
    condition: condition.absolute.description,
    swatches,
    exceeded: swatches.reduce((n, s) => n + s.deltas.filter((d) => d.exceeds).length, 0),
  };
}

function swatchEntry(s: Swatch, condition: PrintCondition, threshold: number): SwatchReportEntry {
  const cmykLab = condition.absolute.cmykToLab(s.cmyk);
  const cmykLabRelative = condition.relative.cmykToLab(s.cmyk);
  const srgbLab = hexToLab(s.srgb);
  const delta = (comparison: SwatchComparison, a: Lab, b: Lab): SwatchDelta => {
    const deltaE = deltaE2000(a, b);
    return { comparison, deltaE, exceeds: deltaE > threshold };
  };
  const entry: SwatchReportEntry = { id: s.id, name: s.name, cmyk: s.cmyk, srgb: s.srgb, cmykLab, cmykLabRelative, srgbLab, deltas: [] };
  if (s.spot) {
    const lab = s.spot.lab;
    entry.spot = { name: s.spot.name, lab };
    entry.deltas.push(delta('spot-vs-cmyk', lab, cmykLab), delta('spot-vs-srgb', lab, srgbLab));
    const cmyk = condition.absolute.labToCmyk(lab).map((v) => round(v, 1)) as unknown as Cmyk;
    const closest = closestSrgbHex(lab);
    entry.suggestion = {
      cmyk,
      cmykDeltaE: deltaE2000(lab, condition.absolute.cmykToLab(cmyk)),
      srgb: closest.hex,
      srgbDeltaE: closest.deltaE,
      srgbInGamut: srgbGamut(lab).inGamut,
    };
  } else {
    entry.deltas.push(delta('cmyk-vs-srgb', cmykLabRelative, srgbLab));
  }
  return entry;
}
