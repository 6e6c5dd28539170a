import type { Cmyk, Lab } from '../model/color';
import { deltaE2000 } from './ciede2000';
import { D50, labToXyz, xyzToLab, type Xyz } from './convert';

/** ICC rendering intents. Swatch reports use 'absolute' (ink on paper as a spectrophotometer measures it). */
export type RenderingIntent = 'perceptual' | 'relative' | 'saturation' | 'absolute';

/**
 * CMYK ↔ Lab (D50) for one printing condition. `approximate` is true for the built-in model, which
 * reports and the studio must label as approximate; false when a real ICC output profile does the work.
 * CMYK is in percent (0..100), as in the template model.
 */
export interface CmykTransform {
  readonly approximate: boolean;
  /** A label for reports, e.g. the profile's description. */
  readonly description: string;
  cmykToLab(cmyk: Cmyk): Lab;
  labToCmyk(lab: Lab): Cmyk;
}

/**
 * Whatever can turn ICC profile bytes into a CMYK transform (LittleCMS compiled to WebAssembly on the
 * Node side, see server/color/lcms.ts). Kept as an interface so this engine stays free of IO and wasm loading.
 */
export interface IccEngine {
  /** Throws ColorError (`icc-invalid`, `icc-not-cmyk`) when the bytes are not a CMYK output profile. */
  openCmykProfile(bytes: Uint8Array, intent?: RenderingIntent): CmykTransform;
}

/**
 * Colorimetry (CIE XYZ, D50, 2°, 0/45, Y of the perfect diffuser = 1) of the 16 Neugebauer primaries — paper,
 * the solid inks and their overprints — from the FOGRA39L characterisation data set (Fogra, 2006; ISO 12647-2
 * offset on coated paper), keyed by which inks are on, in C, M, Y, K order.
 */
const PRIMARIES: Readonly<Record<string, Xyz>> = {
  '0000': [0.8448, 0.8762, 0.7457],
  '1000': [0.1502, 0.2293, 0.5285],
  '0100': [0.3303, 0.1679, 0.1501],
  '0010': [0.6917, 0.7416, 0.0704],
  '0001': [0.0202, 0.021, 0.0173],
  '1100': [0.0567, 0.041, 0.1567],
  '1010': [0.0816, 0.1842, 0.0674],
  '1001': [0.0091, 0.0118, 0.0179],
  '0110': [0.302, 0.1602, 0.023],
  '0101': [0.0161, 0.0118, 0.0089],
  '0011': [0.0184, 0.0204, 0.0082],
  '1110': [0.0366, 0.038, 0.0313],
  '1101': [0.0099, 0.0087, 0.0108],
  '1011': [0.0089, 0.0131, 0.0085],
  '0111': [0.0156, 0.0131, 0.0065],
  '1111': [0.0093, 0.0097, 0.0069],
};
/** Yule–Nielsen factor; n = 2 fits the 1617 FOGRA39L patches with a mean ΔE*ab of about 3. */
const YN = 2;
/** Total area coverage limit used when separating, in percent (FOGRA39 allows 330 %). */
export const APPROXIMATE_INK_LIMIT = 320;

const PRIMARY_ROOTS: readonly { mask: readonly [boolean, boolean, boolean, boolean]; root: Xyz }[] = Object.entries(PRIMARIES).map(
  ([key, xyz]) => ({
    mask: [key[0] === '1', key[1] === '1', key[2] === '1', key[3] === '1'],
    root: [xyz[0] ** (1 / YN), xyz[1] ** (1 / YN), xyz[2] ** (1 / YN)],
  }),
);

/** Yule–Nielsen modified Neugebauer model with Demichel weights; ink amounts 0..1. */
function neugebauer(c: number, m: number, y: number, k: number): Xyz {
  const ink = [c, m, y, k] as const;
  let X = 0;
  let Y = 0;
  let Z = 0;
  for (const { mask, root } of PRIMARY_ROOTS) {
    let w = 1;
    for (let j = 0; j < 4; j++) w *= mask[j] ? ink[j as 0 | 1 | 2 | 3] : 1 - ink[j as 0 | 1 | 2 | 3];
    X += w * root[0];
    Y += w * root[1];
    Z += w * root[2];
  }
  return [X ** YN, Y ** YN, Z ** YN];
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** Damped Gauss–Newton on C, M, Y (0..1) with K fixed, minimising the XYZ^(1/3) distance to the target. */
function solveCmy(target: Xyz, k: number, start: readonly [number, number, number]): [number, number, number] {
  const cube = (x: Xyz) => [Math.cbrt(x[0]), Math.cbrt(x[1]), Math.cbrt(x[2])] as const;
  const t = cube(target);
  let v: [number, number, number] = [start[0], start[1], start[2]];
  for (let iter = 0; iter < 40; iter++) {
    const f0 = cube(neugebauer(v[0], v[1], v[2], k));
    const r = [f0[0] - t[0], f0[1] - t[1], f0[2] - t[2]] as const;
    if (Math.hypot(r[0], r[1], r[2]) < 1e-7) break;
    const h = 1e-5;
    const J: number[][] = [[], [], []];
    for (let j = 0; j < 3; j++) {
      const p: [number, number, number] = [v[0], v[1], v[2]];
      p[j] = (p[j] as number) + h;
      const f1 = cube(neugebauer(p[0], p[1], p[2], k));
      for (let i = 0; i < 3; i++) (J[i] as number[])[j] = ((f1[i] as number) - (f0[i] as number)) / h;
    }
    // Levenberg–Marquardt step: (JᵀJ + λI) δ = −Jᵀr
    const A: number[][] = [0, 1, 2].map((a) =>
      [0, 1, 2].map((b) => [0, 1, 2].reduce((s, i) => s + J[i]![a]! * J[i]![b]!, 0) + (a === b ? 1e-6 : 0)),
    );
    const g = [0, 1, 2].map((a) => -[0, 1, 2].reduce((s, i) => s + J[i]![a]! * r[i as 0 | 1 | 2], 0));
    const d = solve3(A, g);
    if (!d) break;
    v = [clamp01(v[0] + d[0]), clamp01(v[1] + d[1]), clamp01(v[2] + d[2])];
  }
  return v;
}

function solve3(A: number[][], b: number[]): [number, number, number] | undefined {
  const [r0, r1, r2] = A as [number[], number[], number[]];
  const det = (m: number[][]) =>
    m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
    m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
    m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const D = det([r0, r1, r2]);
  if (!Number.isFinite(D) || Math.abs(D) < 1e-18) return undefined;
  const col = (j: number) => [0, 1, 2].map((i) => [0, 1, 2].map((c) => (c === j ? b[i]! : A[i]![c]!)));
  return [det(col(0)) / D, det(col(1)) / D, det(col(2)) / D];
}

/**
 * The built-in approximate CMYK model, used when no output profile is set: a Yule–Nielsen modified
 * Neugebauer model of ISO 12647-2 coated offset (FOGRA39 primaries). With the 'absolute' intent paper is
 * L* 95 as measured; the other intents scale XYZ so that paper maps to the D50 white (media-relative, as ICC
 * relative colorimetric does). Separation (Lab → CMYK) replaces grey with black in proportion to the grey
 * component and keeps within the ink limit. Typical error against the FOGRA39 data is a few ΔE; always label
 * its figures as approximate.
 */
export function approximateCmykTransform(intent: RenderingIntent = 'absolute'): CmykTransform {
  const paper = PRIMARIES['0000'] as Xyz;
  const scale: Xyz = intent === 'absolute' ? [1, 1, 1] : [D50[0] / paper[0], D50[1] / paper[1], D50[2] / paper[2]];
  const forward = (x: Xyz): Xyz => [x[0] * scale[0], x[1] * scale[1], x[2] * scale[2]];
  const model = (c: number, m: number, y: number, k: number) => xyzToLab(forward(neugebauer(c, m, y, k)));
  return {
    approximate: true,
    description: `approximate (built-in ISO 12647-2 coated model, ${intent === 'absolute' ? 'absolute' : 'media-relative'}; set an output ICC profile for press-accurate figures)`,
    cmykToLab(cmyk: Cmyk): Lab {
      return model(clamp01(cmyk[0] / 100), clamp01(cmyk[1] / 100), clamp01(cmyk[2] / 100), clamp01(cmyk[3] / 100));
    },
    labToCmyk(lab: Lab): Cmyk {
      const rel = labToXyz(lab);
      const target: Xyz = [rel[0] / scale[0], rel[1] / scale[1], rel[2] / scale[2]];
      const candidates: { cmyk: Cmyk; de: number }[] = [];
      let start: [number, number, number] = [0.5, 0.5, 0.5];
      for (let step = 0; step <= 20; step++) {
        const k = step / 20;
        const cmy = solveCmy(target, k, start);
        start = cmy;
        const cmyk: Cmyk = [cmy[0] * 100, cmy[1] * 100, cmy[2] * 100, k * 100];
        if (cmyk[0] + cmyk[1] + cmyk[2] + cmyk[3] > APPROXIMATE_INK_LIMIT + 1e-9) continue;
        candidates.push({ cmyk, de: deltaE2000(lab, model(cmy[0], cmy[1], cmy[2], k)) });
      }
      const best = Math.min(...candidates.map((c) => c.de));
      // Grey component replacement: aim for black in proportion to the grey the K-free separation would print.
      const first = candidates[0]?.cmyk;
      const grey = first ? Math.min(first[0], first[1], first[2]) / 100 : 1;
      const kTarget = Math.max(0, (grey - 0.3) / 0.7) * 100;
      const close = candidates.filter((c) => c.de <= best + 0.5);
      const pick = close.reduce<(typeof close)[number] | undefined>(
        (a, c) => (a === undefined || Math.abs(c.cmyk[3] - kTarget) < Math.abs(a.cmyk[3] - kTarget) ? c : a),
        undefined,
      );
      if (!pick) return [0, 0, 0, 100];
      return pick.cmyk.map((v) => Math.round(v * 100) / 100) as unknown as Cmyk;
    },
  };
}

/** The approximate model with the absolute intent (ink on paper as measured). */
export const approximateCmyk: CmykTransform = approximateCmykTransform('absolute');
