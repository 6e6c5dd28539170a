import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { deltaE2000 } from '../../shared/color/ciede2000';
import type { IccEngine } from '../../shared/color/cmyk';
import { approximateCmyk } from '../../shared/color/cmyk';
import { outputIntentInfo, readIccInfo } from '../../shared/color/icc-info';
import type { Cmyk, Lab } from '../../shared/model/color';
import { createLcmsEngine } from '../../server/color/lcms';

// Ghostscript's CMYK output profile (Debian package ghostscript, installed by scripts/setup.sh): a SWOP-like
// coated press condition, LUT-based in both directions (A2B and B2A tables), like FOGRA or GRACoL profiles.
const CMYK_PROFILE = '/usr/share/color/icc/ghostscript/default_cmyk.icc';
const SRGB_PROFILE = '/usr/share/color/icc/ghostscript/srgb.icc';

let engine: IccEngine;
let bytes: Uint8Array;
beforeAll(async () => {
  engine = await createLcmsEngine();
  bytes = new Uint8Array(readFileSync(CMYK_PROFILE));
});

/** CMYK patches across the gamut: every combination of 0/40/70/100 for C, M, Y with K 0, 30 and 60. */
const patches: Cmyk[] = [];
for (const c of [0, 40, 70, 100])
  for (const m of [0, 40, 70, 100]) for (const y of [0, 40, 70, 100]) for (const k of [0, 30, 60]) patches.push([c, m, y, k]);

describe('CMYK through a real ICC profile (LittleCMS wasm)', () => {
  it('reads the profile header and description for the PDF output intent', () => {
    expect(readIccInfo(bytes)).toMatchObject({
      deviceClass: 'prtr',
      colorSpace: 'CMYK',
      components: 4,
      description: 'Artifex CMYK SWOP Profile',
    });
    expect(outputIntentInfo(bytes)).toEqual({
      N: 4,
      outputConditionIdentifier: 'Artifex CMYK SWOP Profile',
      info: 'Artifex CMYK SWOP Profile',
      colorSpace: 'CMYK',
    });
  });

  it('prints paper and solids where a coated press does', () => {
    const t = engine.openCmykProfile(bytes, 'relative');
    const paper = t.cmykToLab([0, 0, 0, 0]);
    expect(paper[0]).toBeCloseTo(100, 1);
    const cyan = t.cmykToLab([100, 0, 0, 0]);
    expect(cyan[1]).toBeLessThan(-25);
    expect(cyan[2]).toBeLessThan(-40);
    expect(t.cmykToLab([0, 0, 0, 100])[0]).toBeLessThan(30);
    expect(engine.openCmykProfile(bytes, 'absolute').cmykToLab([0, 0, 0, 0])[0]).toBeLessThan(95);
  });

  it.each(['absolute', 'relative'] as const)('round-trips Lab → CMYK → Lab within the profile’s expected error (%s)', (intent) => {
    const t = engine.openCmykProfile(bytes, intent);
    const roundTrip = (p: Cmyk) => {
      const lab = t.cmykToLab(p);
      return deltaE2000(lab, t.cmykToLab(t.labToCmyk(lab)));
    };
    // Inside the gamut the separate A2B and B2A tables of a LUT profile agree to about half a ΔE.
    const interior: Cmyk[] = [];
    for (const c of [20, 50, 80])
      for (const m of [20, 50, 80]) for (const y of [20, 50, 80]) for (const k of [0, 20, 40]) interior.push([c, m, y, k]);
    const inner = interior.map(roundTrip);
    expect(inner.reduce((a, b) => a + b, 0) / inner.length).toBeLessThan(0.7);
    expect(Math.max(...inner)).toBeLessThan(1.2);
    // On the gamut surface (solids with heavy black) the B2A table picks another black and lands a few ΔE inside.
    const all = patches.map(roundTrip);
    expect(all.reduce((a, b) => a + b, 0) / all.length).toBeLessThan(1.2);
    expect(Math.max(...all)).toBeLessThan(5);
  });

  it('keeps the approximate model within a few ΔE of the real profile', () => {
    const t = engine.openCmykProfile(bytes, 'absolute');
    const errors = patches.map((p) => deltaE2000(t.cmykToLab(p) as Lab, approximateCmyk.cmykToLab(p)));
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    // FOGRA39 (the model) and SWOP (this profile) are different presses; this bounds how "approximate" the model is.
    expect(mean).toBeLessThan(8);
  });

  it('refuses an RGB profile as a press profile', () => {
    expect(() => engine.openCmykProfile(new Uint8Array(readFileSync(SRGB_PROFILE)))).toThrow(/describes RGB data/);
  });
});
