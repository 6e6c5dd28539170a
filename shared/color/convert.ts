import type { Lab } from '../model/color';

/**
 * Colour conversions between CIE L*a*b* (D50, the ICC profile connection space), CIE XYZ and sRGB
 * (IEC 61966-2-1, D65). sRGB ↔ D50 goes through a Bradford chromatic adaptation, as ICC v4 sRGB profiles do.
 */

export type Xyz = readonly [number, number, number];
/** Linear or gamma-encoded RGB with channels in 0..1 (values outside mean out of gamut). */
export type Rgb = readonly [number, number, number];
type Mat3 = readonly [Xyz, Xyz, Xyz];

/** The ICC PCS white (D50), as written in ICC profile headers. */
export const D50: Xyz = [0.9642, 1, 0.8249];
/** CIE D65 from its chromaticity (0.3127, 0.3290), the sRGB white. */
export const D65: Xyz = [0.3127 / 0.329, 1, (1 - 0.3127 - 0.329) / 0.329];

const mul = (m: Mat3, v: Xyz): Xyz => [
  m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
  m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
  m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
];

const matmul = (a: Mat3, b: Mat3): Mat3 => {
  const col = (j: 0 | 1 | 2): Xyz => mul(a, [b[0][j], b[1][j], b[2][j]]);
  const c0 = col(0);
  const c1 = col(1);
  const c2 = col(2);
  return [
    [c0[0], c1[0], c2[0]],
    [c0[1], c1[1], c2[1]],
    [c0[2], c1[2], c2[2]],
  ];
};

export function invert3(m: Mat3): Mat3 {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (det === 0) throw new Error('singular matrix');
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}

/** Bradford cone response matrix (Lam 1985), as used by ICC.1 Annex E. */
const BRADFORD: Mat3 = [
  [0.8951, 0.2664, -0.1614],
  [-0.7502, 1.7135, 0.0367],
  [0.0389, -0.0685, 1.0296],
];
const BRADFORD_INV = invert3(BRADFORD);

/** The matrix that maps XYZ seen under white `from` to the corresponding colour under white `to` (Bradford). */
export function bradford(from: Xyz, to: Xyz): Mat3 {
  const s = mul(BRADFORD, from);
  const d = mul(BRADFORD, to);
  const scale: Mat3 = [
    [d[0] / s[0], 0, 0],
    [0, d[1] / s[1], 0],
    [0, 0, d[2] / s[2]],
  ];
  return matmul(BRADFORD_INV, matmul(scale, BRADFORD));
}

/** Linear sRGB → XYZ (D65), built from the sRGB primaries and white so that white maps exactly to D65. */
const SRGB_TO_XYZ_D65: Mat3 = (() => {
  const prim = [
    [0.64, 0.33],
    [0.3, 0.6],
    [0.15, 0.06],
  ] as const;
  const cols = prim.map(([x, y]) => [x / y, 1, (1 - x - y) / y] as const);
  const [p0, p1, p2] = cols as unknown as [Xyz, Xyz, Xyz];
  const P: Mat3 = [
    [p0[0], p1[0], p2[0]],
    [p0[1], p1[1], p2[1]],
    [p0[2], p1[2], p2[2]],
  ];
  const s = mul(invert3(P), D65);
  return [
    [P[0][0] * s[0], P[0][1] * s[1], P[0][2] * s[2]],
    [P[1][0] * s[0], P[1][1] * s[1], P[1][2] * s[2]],
    [P[2][0] * s[0], P[2][1] * s[1], P[2][2] * s[2]],
  ];
})();

const SRGB_TO_XYZ_D50 = matmul(bradford(D65, D50), SRGB_TO_XYZ_D65);
const XYZ_D50_TO_SRGB = invert3(SRGB_TO_XYZ_D50);

const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

/** CIE XYZ (Y = 1 for the white) → L*a*b* relative to `white` (D50 by default). */
export function xyzToLab(xyz: Xyz, white: Xyz = D50): Lab {
  const f = (t: number) => (t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116);
  const fx = f(xyz[0] / white[0]);
  const fy = f(xyz[1] / white[1]);
  const fz = f(xyz[2] / white[2]);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** L*a*b* relative to `white` (D50 by default) → CIE XYZ. */
export function labToXyz(lab: Lab | readonly [number, number, number], white: Xyz = D50): Xyz {
  const fy = (lab[0] + 16) / 116;
  const fx = fy + lab[1] / 500;
  const fz = fy - lab[2] / 200;
  const inv = (t: number) => (t ** 3 > EPSILON ? t ** 3 : (116 * t - 16) / KAPPA);
  const yr = lab[0] > KAPPA * EPSILON ? fy ** 3 : lab[0] / KAPPA;
  return [inv(fx) * white[0], yr * white[1], inv(fz) * white[2]];
}

/** sRGB transfer function: encoded (0..1) → linear. */
export const srgbToLinear = (v: number): number =>
  Math.abs(v) <= 0.04045 ? v / 12.92 : Math.sign(v) * ((Math.abs(v) + 0.055) / 1.055) ** 2.4;
/** sRGB transfer function: linear → encoded (0..1); extended to negative values by symmetry. */
export const linearToSrgb = (v: number): number =>
  Math.abs(v) <= 0.0031308 ? v * 12.92 : Math.sign(v) * (1.055 * Math.abs(v) ** (1 / 2.4) - 0.055);

/** Encoded sRGB (0..1 per channel) → Lab D50. */
export function srgbToLab(rgb: Rgb): Lab {
  return xyzToLab(mul(SRGB_TO_XYZ_D50, [srgbToLinear(rgb[0]), srgbToLinear(rgb[1]), srgbToLinear(rgb[2])]));
}

/** Lab D50 → encoded sRGB, NOT clipped: channels outside 0..1 mean the colour is outside the sRGB gamut. */
export function labToSrgbUnclipped(lab: Lab | readonly [number, number, number]): Rgb {
  const lin = mul(XYZ_D50_TO_SRGB, labToXyz(lab));
  return [linearToSrgb(lin[0]), linearToSrgb(lin[1]), linearToSrgb(lin[2])];
}

const clip01 = (v: number) => Math.min(1, Math.max(0, v));

/** Parse "#rrggbb" (or "rrggbb", or "#rgb") into channels 0..1; undefined when it is not a hex colour. */
export function parseHex(hex: string): Rgb | undefined {
  let h = hex.trim().replace(/^#/, '');
  if (/^[0-9a-f]{3}$/i.test(h)) h = h.replace(/./g, (c) => c + c);
  if (!/^[0-9a-f]{6}$/i.test(h)) return undefined;
  const n = parseInt(h, 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

/** Channels 0..1 → "#rrggbb" (clipped and rounded to 8 bits). */
export function toHex(rgb: Rgb): string {
  return `#${rgb
    .map((v) =>
      Math.round(clip01(v) * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

export function hexToLab(hex: string): Lab {
  const rgb = parseHex(hex);
  if (!rgb) throw new Error(`"${hex}" is not a hex colour like #1a2b3c`);
  return srgbToLab(rgb);
}

export { clip01 };
