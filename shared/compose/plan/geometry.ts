import type { Matrix, PathCmd } from './types';

/** Circle-quadrant Bézier constant. */
const K = 0.5522847498307936;

export function rectPath(x: number, y: number, w: number, h: number, r = 0): PathCmd[] {
  const rr = Math.max(0, Math.min(r, w / 2, h / 2));
  if (rr === 0)
    return [{ op: 'M', x, y }, { op: 'L', x: x + w, y }, { op: 'L', x: x + w, y: y + h }, { op: 'L', x, y: y + h }, { op: 'Z' }];
  const k = rr * K;
  return [
    { op: 'M', x: x + rr, y },
    { op: 'L', x: x + w - rr, y },
    { op: 'C', x1: x + w - rr + k, y1: y, x2: x + w, y2: y + rr - k, x: x + w, y: y + rr },
    { op: 'L', x: x + w, y: y + h - rr },
    { op: 'C', x1: x + w, y1: y + h - rr + k, x2: x + w - rr + k, y2: y + h, x: x + w - rr, y: y + h },
    { op: 'L', x: x + rr, y: y + h },
    { op: 'C', x1: x + rr - k, y1: y + h, x2: x, y2: y + h - rr + k, x, y: y + h - rr },
    { op: 'L', x, y: y + rr },
    { op: 'C', x1: x, y1: y + rr - k, x2: x + rr - k, y2: y, x: x + rr, y },
    { op: 'Z' },
  ];
}

export function ellipsePath(cx: number, cy: number, rx: number, ry: number): PathCmd[] {
  const kx = rx * K;
  const ky = ry * K;
  return [
    { op: 'M', x: cx + rx, y: cy },
    { op: 'C', x1: cx + rx, y1: cy + ky, x2: cx + kx, y2: cy + ry, x: cx, y: cy + ry },
    { op: 'C', x1: cx - kx, y1: cy + ry, x2: cx - rx, y2: cy + ky, x: cx - rx, y: cy },
    { op: 'C', x1: cx - rx, y1: cy - ky, x2: cx - kx, y2: cy - ry, x: cx, y: cy - ry },
    { op: 'C', x1: cx + kx, y1: cy - ry, x2: cx + rx, y2: cy - ky, x: cx + rx, y: cy },
    { op: 'Z' },
  ];
}

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m1 then m2 (apply m1 first). */
export function multiply(m1: Matrix, m2: Matrix): Matrix {
  const [a, b, c, d, e, f] = m1;
  const [A, B, C, D, E, F] = m2;
  return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F];
}

/** Clockwise rotation (y down) by `deg` about (cx, cy). */
export function rotationAbout(deg: number, cx: number, cy: number): Matrix {
  const t = (deg * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  return [cos, sin, -sin, cos, cx - cos * cx + sin * cy, cy - sin * cx - cos * cy];
}

export function applyMatrix(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

export function transformPath(path: PathCmd[], m: Matrix): PathCmd[] {
  return path.map((c) => {
    if (c.op === 'Z') return c;
    if (c.op === 'C') {
      const [x1, y1] = applyMatrix(m, c.x1, c.y1);
      const [x2, y2] = applyMatrix(m, c.x2, c.y2);
      const [x, y] = applyMatrix(m, c.x, c.y);
      return { op: 'C', x1, y1, x2, y2, x, y };
    }
    const [x, y] = applyMatrix(m, c.x, c.y);
    return { op: c.op, x, y };
  });
}

export class PathSyntaxError extends Error {}

/**
 * SVG path data (`d`) → absolute M/L/C/Z commands. Supports every command (M L H V C S Q T A Z, relative
 * and absolute); quadratic curves are raised to cubics and arcs are converted to cubic segments.
 */
export function parseSvgPath(d: string): PathCmd[] {
  const tokens = d.match(/[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g) ?? [];
  const out: PathCmd[] = [];
  let i = 0;
  let cmd = '';
  let x = 0;
  let y = 0;
  let sx = 0;
  let sy = 0;
  let lastCtrl: [number, number] | undefined;
  let lastQ: [number, number] | undefined;
  const num = (): number => {
    const t = tokens[i++];
    if (t === undefined || /[A-Za-z]/.test(t))
      throw new PathSyntaxError(`path data ends early or has a command where a number was expected near token ${i}`);
    return Number(t);
  };
  const flag = (): number => {
    // Flags may be written without separators ("a1 1 0 00 1 1"): take the first digit.
    const t = tokens[i];
    if (t !== undefined && /^[01]\d+/.test(t)) {
      tokens[i] = t.slice(1);
      return Number(t[0]);
    }
    return num();
  };
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (/[A-Za-z]/.test(t)) {
      cmd = t;
      i++;
    } else if (!cmd) throw new PathSyntaxError('path data must start with a command (M)');
    const rel = cmd === cmd.toLowerCase();
    const C = cmd.toUpperCase();
    const ox = rel ? x : 0;
    const oy = rel ? y : 0;
    let ctrl: [number, number] | undefined;
    let q: [number, number] | undefined;
    switch (C) {
      case 'M': {
        x = ox + num();
        y = oy + num();
        sx = x;
        sy = y;
        out.push({ op: 'M', x, y });
        cmd = rel ? 'l' : 'L';
        break;
      }
      case 'L':
        x = ox + num();
        y = oy + num();
        out.push({ op: 'L', x, y });
        break;
      case 'H':
        x = ox + num();
        out.push({ op: 'L', x, y });
        break;
      case 'V':
        y = oy + num();
        out.push({ op: 'L', x, y });
        break;
      case 'C': {
        const x1 = ox + num();
        const y1 = oy + num();
        const x2 = ox + num();
        const y2 = oy + num();
        x = ox + num();
        y = oy + num();
        out.push({ op: 'C', x1, y1, x2, y2, x, y });
        ctrl = [x2, y2];
        break;
      }
      case 'S': {
        const [x1, y1] = lastCtrl ? [2 * x - lastCtrl[0], 2 * y - lastCtrl[1]] : [x, y];
        const x2 = ox + num();
        const y2 = oy + num();
        x = ox + num();
        y = oy + num();
        out.push({ op: 'C', x1, y1, x2, y2, x, y });
        ctrl = [x2, y2];
        break;
      }
      case 'Q':
      case 'T': {
        let qx: number;
        let qy: number;
        if (C === 'Q') {
          qx = ox + num();
          qy = oy + num();
        } else [qx, qy] = lastQ ? [2 * x - lastQ[0], 2 * y - lastQ[1]] : [x, y];
        const ex = ox + num();
        const ey = oy + num();
        out.push({
          op: 'C',
          x1: x + (2 / 3) * (qx - x),
          y1: y + (2 / 3) * (qy - y),
          x2: ex + (2 / 3) * (qx - ex),
          y2: ey + (2 / 3) * (qy - ey),
          x: ex,
          y: ey,
        });
        x = ex;
        y = ey;
        q = [qx, qy];
        break;
      }
      case 'A': {
        const rx = num();
        const ry = num();
        const rot = num();
        const large = flag();
        const sweep = flag();
        const ex = ox + num();
        const ey = oy + num();
        out.push(...arcToCubics(x, y, rx, ry, rot, large !== 0, sweep !== 0, ex, ey));
        x = ex;
        y = ey;
        break;
      }
      case 'Z':
        out.push({ op: 'Z' });
        x = sx;
        y = sy;
        break;
      default:
        throw new PathSyntaxError(`unknown path command "${cmd}"`);
    }
    lastCtrl = ctrl;
    lastQ = q;
  }
  return out;
}

function arcToCubics(
  x1: number,
  y1: number,
  rx: number,
  ry: number,
  phiDeg: number,
  large: boolean,
  sweep: boolean,
  x2: number,
  y2: number,
): PathCmd[] {
  if (rx === 0 || ry === 0) return [{ op: 'L', x: x2, y: y2 }];
  if (x1 === x2 && y1 === y2) return [];
  rx = Math.abs(rx);
  ry = Math.abs(ry);
  const phi = (phiDeg * Math.PI) / 180;
  const cos = Math.cos(phi);
  const sin = Math.sin(phi);
  const dx = (x1 - x2) / 2;
  const dy = (y1 - y2) / 2;
  const x1p = cos * dx + sin * dy;
  const y1p = -sin * dx + cos * dy;
  const lambda = (x1p * x1p) / (rx * rx) + (y1p * y1p) / (ry * ry);
  if (lambda > 1) {
    rx *= Math.sqrt(lambda);
    ry *= Math.sqrt(lambda);
  }
  const num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p;
  const den = rx * rx * y1p * y1p + ry * ry * x1p * x1p;
  let co = Math.sqrt(Math.max(0, num / den));
  if (large === sweep) co = -co;
  const cxp = (co * rx * y1p) / ry;
  const cyp = (-co * ry * x1p) / rx;
  const cx = cos * cxp - sin * cyp + (x1 + x2) / 2;
  const cy = sin * cxp + cos * cyp + (y1 + y2) / 2;
  const ang = (ux: number, uy: number, vx: number, vy: number) => {
    const a = Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
    return a;
  };
  const t1 = ang(1, 0, (x1p - cxp) / rx, (y1p - cyp) / ry);
  let dt = ang((x1p - cxp) / rx, (y1p - cyp) / ry, (-x1p - cxp) / rx, (-y1p - cyp) / ry);
  if (!sweep && dt > 0) dt -= 2 * Math.PI;
  if (sweep && dt < 0) dt += 2 * Math.PI;
  const segs = Math.ceil(Math.abs(dt) / (Math.PI / 2));
  const out: PathCmd[] = [];
  const step = dt / segs;
  const k = (4 / 3) * Math.tan(step / 4);
  const pt = (t: number): [number, number] => [
    cx + rx * Math.cos(t) * cos - ry * Math.sin(t) * sin,
    cy + rx * Math.cos(t) * sin + ry * Math.sin(t) * cos,
  ];
  const dpt = (t: number): [number, number] => [
    -rx * Math.sin(t) * cos - ry * Math.cos(t) * sin,
    -rx * Math.sin(t) * sin + ry * Math.cos(t) * cos,
  ];
  for (let s = 0; s < segs; s++) {
    const a = t1 + s * step;
    const b = a + step;
    const [ax, ay] = pt(a);
    const [bx, by] = pt(b);
    const [dax, day] = dpt(a);
    const [dbx, dby] = dpt(b);
    out.push({ op: 'C', x1: ax + k * dax, y1: ay + k * day, x2: bx - k * dbx, y2: by - k * dby, x: bx, y: by });
  }
  return out;
}
