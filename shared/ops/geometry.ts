import type { Box } from '../model/elements/base';
import type { Page } from '../model/print';

/**
 * Geometry for the print canvas, in page points (origin at the trim's top-left, y down, rotation
 * clockwise in degrees about an element's box centre). Pure functions; no DOM.
 */

export interface Point {
  x: number;
  y: number;
}

/** An affine transform [a, b, c, d, e, f]: x' = a·x + c·y + e, y' = b·x + d·y + f (as in canvas and PDF). */
export type Matrix = readonly [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `m1 · m2`: apply m2 first, then m1. */
export function multiply(m1: Matrix, m2: Matrix): Matrix {
  const [a1, b1, c1, d1, e1, f1] = m1;
  const [a2, b2, c2, d2, e2, f2] = m2;
  return [a1 * a2 + c1 * b2, b1 * a2 + d1 * b2, a1 * c2 + c1 * d2, b1 * c2 + d1 * d2, a1 * e2 + c1 * f2 + e1, b1 * e2 + d1 * f2 + f1];
}

export function invert(m: Matrix): Matrix {
  const [a, b, c, d, e, f] = m;
  const det = a * d - b * c;
  if (det === 0) return IDENTITY;
  return [d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det];
}

export const translation = (x: number, y: number): Matrix => [1, 0, 0, 1, x, y];

export function rotationMatrix(degrees: number): Matrix {
  const r = (degrees * Math.PI) / 180;
  const cos = cleanTrig(Math.cos(r));
  const sin = cleanTrig(Math.sin(r));
  return [cos, sin, -sin, cos, 0, 0];
}

/** Exact values at multiples of 90° so rotating by 90 four times gives back the same numbers. */
function cleanTrig(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - r) < 1e-12 ? r : v;
}

export function apply(m: Matrix, p: Point): Point {
  return { x: m[0] * p.x + m[2] * p.y + m[4], y: m[1] * p.x + m[3] * p.y + m[5] };
}

/** Apply only the linear part (for vectors such as a drag delta). */
export function applyVector(m: Matrix, v: Point): Point {
  return { x: m[0] * v.x + m[2] * v.y, y: m[1] * v.x + m[3] * v.y };
}

/** What geometry an element contributes: its box in its parent's frame and its rotation. */
export interface Placed extends Box {
  rotation: number;
}

/**
 * The element's local frame (box corner at 0,0, size width×height) → its parent's frame:
 * translate to the centre, rotate, translate back.
 */
export function elementMatrix(el: Placed): Matrix {
  const cx = el.x + el.width / 2;
  const cy = el.y + el.height / 2;
  return multiply(translation(cx, cy), multiply(rotationMatrix(el.rotation), translation(-el.width / 2, -el.height / 2)));
}

/** The frame a group gives its children (the group's local frame). */
export const childFrame = elementMatrix;

/** The four corners of an element in page space (clockwise from its own top-left). */
export function elementCorners(el: Placed, parent: Matrix = IDENTITY): [Point, Point, Point, Point] {
  const m = multiply(parent, elementMatrix(el));
  return [
    apply(m, { x: 0, y: 0 }),
    apply(m, { x: el.width, y: 0 }),
    apply(m, { x: el.width, y: el.height }),
    apply(m, { x: 0, y: el.height }),
  ];
}

export function boundsOfPoints(points: readonly Point[]): Box {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  if (minX === Infinity) return { x: 0, y: 0, width: 0, height: 0 };
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

/** Axis-aligned bounding box of a (possibly rotated, possibly nested) element, in page space. */
export function elementBounds(el: Placed, parent: Matrix = IDENTITY): Box {
  return boundsOfPoints(elementCorners(el, parent));
}

export function unionBoxes(boxes: readonly Box[]): Box | undefined {
  if (!boxes.length) return undefined;
  return boundsOfPoints(
    boxes.flatMap((b) => [
      { x: b.x, y: b.y },
      { x: b.x + b.width, y: b.y + b.height },
    ]),
  );
}

export const boxCentre = (b: Box): Point => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

/** A box from two corners in any order (e.g. a marquee drag). */
export function boxFromPoints(a: Point, b: Point): Box {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
}

export function boxContainsBox(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

/** True when the convex polygon and the box overlap (separating-axis test; touching counts). */
export function polygonIntersectsBox(poly: readonly Point[], box: Box): boolean {
  const rect: Point[] = [
    { x: box.x, y: box.y },
    { x: box.x + box.width, y: box.y },
    { x: box.x + box.width, y: box.y + box.height },
    { x: box.x, y: box.y + box.height },
  ];
  const axes: Point[] = [
    { x: 1, y: 0 },
    { x: 0, y: 1 },
  ];
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i] as Point;
    const q = poly[(i + 1) % poly.length] as Point;
    const edge = { x: q.x - p.x, y: q.y - p.y };
    if (edge.x !== 0 || edge.y !== 0) axes.push({ x: -edge.y, y: edge.x });
  }
  for (const axis of axes) {
    const [minA, maxA] = project(poly, axis);
    const [minB, maxB] = project(rect, axis);
    if (maxA < minB - 1e-9 || maxB < minA - 1e-9) return false;
  }
  return true;
}

function project(points: readonly Point[], axis: Point): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    const d = p.x * axis.x + p.y * axis.y;
    min = Math.min(min, d);
    max = Math.max(max, d);
  }
  return [min, max];
}

/** Distance from a point to a convex polygon (0 inside). Thin shapes (lines) are hit within a tolerance. */
export function distanceToPolygon(p: Point, poly: readonly Point[]): number {
  if (pointInConvexPolygon(p, poly)) return 0;
  let best = Infinity;
  for (let i = 0; i < poly.length; i++) best = Math.min(best, distanceToSegment(p, poly[i] as Point, poly[(i + 1) % poly.length] as Point));
  return best;
}

function pointInConvexPolygon(p: Point, poly: readonly Point[]): boolean {
  let sign = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i] as Point;
    const b = poly[(i + 1) % poly.length] as Point;
    const cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
    if (Math.abs(cross) < 1e-12) continue;
    const s = Math.sign(cross);
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  // A degenerate polygon (all crosses zero) is a segment or a point: never "inside".
  return sign !== 0;
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Round away floating-point noise (1e-9 pt) so documents stay readable and comparable. */
export const clean = (v: number): number => Math.round(v * 1e6) / 1e6;

// ---------------------------------------------------------------------------------------------
// Snapping

export type SnapKind = 'page-edge' | 'page-centre' | 'bleed' | 'safe-area' | 'element-edge' | 'element-centre';

/** A line something can snap to: `value` on `axis` ('x' = a vertical line at x), spanning `from`..`to` on the other axis. */
export interface SnapTarget {
  axis: 'x' | 'y';
  value: number;
  kind: SnapKind;
  from: number;
  to: number;
  /** The element that produced it, for element targets. */
  elementId?: string;
}

/** A guide the view draws while snapping (a smart guide): a segment on `axis` at `value`. */
export interface SnapGuide {
  axis: 'x' | 'y';
  value: number;
  from: number;
  to: number;
  kind: SnapKind;
}

/**
 * Everything on a page worth snapping to: the trim edges and centre, the bleed edges, the safe area,
 * and the edges and centres of the given elements' bounding boxes (pass the visible ones not being moved).
 */
export function snapTargets(page: Page, others: readonly { id: string; bounds: Box }[]): SnapTarget[] {
  const { width: w, height: h, bleed, safeArea: s } = page;
  const t: SnapTarget[] = [
    { axis: 'x', value: 0, kind: 'page-edge', from: 0, to: h },
    { axis: 'x', value: w, kind: 'page-edge', from: 0, to: h },
    { axis: 'x', value: w / 2, kind: 'page-centre', from: 0, to: h },
    { axis: 'y', value: 0, kind: 'page-edge', from: 0, to: w },
    { axis: 'y', value: h, kind: 'page-edge', from: 0, to: w },
    { axis: 'y', value: h / 2, kind: 'page-centre', from: 0, to: w },
  ];
  if (bleed.left > 0) t.push({ axis: 'x', value: -bleed.left, kind: 'bleed', from: -bleed.top, to: h + bleed.bottom });
  if (bleed.right > 0) t.push({ axis: 'x', value: w + bleed.right, kind: 'bleed', from: -bleed.top, to: h + bleed.bottom });
  if (bleed.top > 0) t.push({ axis: 'y', value: -bleed.top, kind: 'bleed', from: -bleed.left, to: w + bleed.right });
  if (bleed.bottom > 0) t.push({ axis: 'y', value: h + bleed.bottom, kind: 'bleed', from: -bleed.left, to: w + bleed.right });
  if (s > 0 && s * 2 < Math.min(w, h)) {
    t.push(
      { axis: 'x', value: s, kind: 'safe-area', from: s, to: h - s },
      { axis: 'x', value: w - s, kind: 'safe-area', from: s, to: h - s },
    );
    t.push(
      { axis: 'y', value: s, kind: 'safe-area', from: s, to: w - s },
      { axis: 'y', value: h - s, kind: 'safe-area', from: s, to: w - s },
    );
  }
  for (const { id, bounds: b } of others) {
    const y0 = b.y;
    const y1 = b.y + b.height;
    const x0 = b.x;
    const x1 = b.x + b.width;
    t.push(
      { axis: 'x', value: x0, kind: 'element-edge', from: y0, to: y1, elementId: id },
      { axis: 'x', value: x0 + b.width / 2, kind: 'element-centre', from: y0, to: y1, elementId: id },
      { axis: 'x', value: x1, kind: 'element-edge', from: y0, to: y1, elementId: id },
      { axis: 'y', value: y0, kind: 'element-edge', from: x0, to: x1, elementId: id },
      { axis: 'y', value: y0 + b.height / 2, kind: 'element-centre', from: x0, to: x1, elementId: id },
      { axis: 'y', value: y1, kind: 'element-edge', from: x0, to: x1, elementId: id },
    );
  }
  return t;
}

/** A snapping tolerance given in screen pixels, in page points at the given zoom (screen px per point). */
export const toleranceInPoints = (pixels: number, zoom: number): number => pixels / zoom;

export interface AxisSnap {
  /** Add this to the moving values to snap. */
  delta: number;
  targets: SnapTarget[];
  /** The moving value that snapped. */
  value: number;
}

/** The closest target within `tolerance` of any of the moving `values` on one axis (all targets at that distance). */
export function snapAxis(
  values: readonly number[],
  targets: readonly SnapTarget[],
  axis: 'x' | 'y',
  tolerance: number,
): AxisSnap | undefined {
  let best: AxisSnap | undefined;
  for (const t of targets) {
    if (t.axis !== axis) continue;
    for (const v of values) {
      const d = t.value - v;
      if (Math.abs(d) > tolerance) continue;
      if (!best || Math.abs(d) < Math.abs(best.delta) - 1e-9) best = { delta: d, targets: [t], value: v };
      else if (Math.abs(d - best.delta) < 1e-9) best.targets.push(t);
    }
  }
  return best;
}

export interface BoxSnap {
  dx: number;
  dy: number;
  guides: SnapGuide[];
}

/**
 * Snap a moving box (its left/centre/right and top/middle/bottom) to the targets; returns the offset to
 * apply and the smart guides to draw (each spanning the snapped box and the target it met).
 */
export function snapBox(
  box: Box,
  targets: readonly SnapTarget[],
  tolerance: number,
  axes: { x: boolean; y: boolean } = { x: true, y: true },
): BoxSnap {
  const xs = [box.x, box.x + box.width / 2, box.x + box.width];
  const ys = [box.y, box.y + box.height / 2, box.y + box.height];
  const sx = axes.x ? snapAxis(xs, targets, 'x', tolerance) : undefined;
  const sy = axes.y ? snapAxis(ys, targets, 'y', tolerance) : undefined;
  const dx = sx?.delta ?? 0;
  const dy = sy?.delta ?? 0;
  const moved = { x: box.x + dx, y: box.y + dy, width: box.width, height: box.height };
  return { dx, dy, guides: [...guidesFor(sx, moved, 'x'), ...guidesFor(sy, moved, 'y')] };
}

export function guidesFor(snap: AxisSnap | undefined, moved: Box, axis: 'x' | 'y'): SnapGuide[] {
  if (!snap) return [];
  const seen = new Set<string>();
  const out: SnapGuide[] = [];
  for (const t of snap.targets) {
    const key = `${t.value}`;
    const lo = axis === 'x' ? moved.y : moved.x;
    const hi = axis === 'x' ? moved.y + moved.height : moved.x + moved.width;
    const from = Math.min(lo, t.from);
    const to = Math.max(hi, t.to);
    if (seen.has(key)) {
      const g = out.find((o) => o.value === t.value) as SnapGuide;
      g.from = Math.min(g.from, from);
      g.to = Math.max(g.to, to);
      continue;
    }
    seen.add(key);
    out.push({ axis, value: t.value, from, to, kind: t.kind });
  }
  return out;
}
