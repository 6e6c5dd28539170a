import type { TemplateDocument } from '../model/document';
import type { Box } from '../model/elements/base';
import type { Element } from '../model/elements/schema';
import {
  apply,
  applyVector,
  boxCentre,
  clean,
  elementBounds,
  elementMatrix,
  invert,
  multiply,
  rotationMatrix,
  translation,
  unionBoxes,
  type Point,
} from './geometry';
import { fail, ok, type OpResult } from './result';
import { findAll, findElement, isFailure, refuseLocked, replaceElement, topmostOnly, type ElementLocation } from './tree';

/** Page-space bounding box (of rotated boxes) of elements, by id. */
export function boundsOf(doc: TemplateDocument, ids: readonly string[]): Box | undefined {
  const boxes: Box[] = [];
  for (const id of ids) {
    const loc = findElement(doc, id);
    if (loc) boxes.push(elementBounds(loc.element, loc.parentMatrix));
  }
  return unionBoxes(boxes);
}

/**
 * Move elements by (dx, dy) page points. Children of rotated groups move in page space too (the delta is
 * converted into the group's frame). A group moves with its children; locked elements refuse.
 */
export function moveElements(doc: TemplateDocument, args: { ids: readonly string[]; dx: number; dy: number }): OpResult {
  const locs = findAll(doc, args.ids);
  if (isFailure(locs)) return locs;
  const locked = refuseLocked(locs, 'move');
  if (locked) return locked;
  if (args.dx === 0 && args.dy === 0) return ok(doc);
  let next = doc;
  for (const loc of topmostOnly(locs)) {
    const d = applyVector(invert(loc.parentMatrix), { x: args.dx, y: args.dy });
    const now = findElement(next, loc.element.id) as ElementLocation;
    next = replaceElement(next, now, { ...now.element, x: clean(now.element.x + d.x), y: clean(now.element.y + d.y) });
  }
  return ok(next);
}

export type NudgeDirection = 'left' | 'right' | 'up' | 'down';

/** Nudge by `step` points (default 1) in a direction; `large` multiplies by 10 (Shift+arrow). */
export function nudgeElements(
  doc: TemplateDocument,
  args: { ids: readonly string[]; direction: NudgeDirection; step?: number; large?: boolean },
): OpResult {
  const step = (args.step ?? 1) * (args.large ? 10 : 1);
  const v: Record<NudgeDirection, Point> = {
    left: { x: -step, y: 0 },
    right: { x: step, y: 0 },
    up: { x: 0, y: -step },
    down: { x: 0, y: step },
  };
  const d = v[args.direction];
  return moveElements(doc, { ids: args.ids, dx: d.x, dy: d.y });
}

/**
 * Scale an element's box by (sx, sy) about its own top-left; a group scales its children's boxes and
 * positions with it. (Non-uniform scaling of a child rotated by other than a multiple of 90° keeps its
 * rotation and scales its box: the nearest shape the model can express.)
 */
export function scaleElement(el: Element, sx: number, sy: number): Element {
  const width = clean(el.width * sx);
  const height = clean(el.height * sy);
  if (el.type !== 'group') return { ...el, width, height };
  return {
    ...el,
    width,
    height,
    children: el.children.map((c) => {
      const quarter = Math.abs(Math.round(c.rotation / 90) % 2) === 1 && Math.abs(c.rotation % 90) < 1e-9;
      const [csx, csy] = quarter ? [sy, sx] : [sx, sy];
      const cx = (c.x + c.width / 2) * sx;
      const cy = (c.y + c.height / 2) * sy;
      const scaled = scaleElement(c, csx, csy);
      return { ...scaled, x: clean(cx - scaled.width / 2), y: clean(cy - scaled.height / 2) };
    }),
  };
}

/**
 * Resize one element to `rect`, given in the element's own (rotated) frame where its current box is
 * (0, 0, width, height). Dragging the right handle by 10 is `{x: 0, y: 0, width: width + 10, height}`;
 * the opposite edge stays where it is on the page even when the element is rotated. A negative size is
 * normalised (the box flips to the other side of the anchor); lines keep their signed size.
 */
export function resizeElement(doc: TemplateDocument, args: { id: string; rect: Box }): OpResult {
  const loc = findElement(doc, args.id);
  if (!loc) return fail('not-found', `No element with id "${args.id}".`, [args.id]);
  const locked = refuseLocked([loc], 'resize');
  if (locked) return locked;
  const el = loc.element;
  let { x, y, width, height } = args.rect;
  if (el.type !== 'line') {
    if (width < 0) [x, width] = [x + width, -width];
    if (height < 0) [y, height] = [y + height, -height];
  }
  if (![x, y, width, height].every(Number.isFinite))
    return fail('invalid', 'The new size is not a finite number; try the resize again.', [el.id]);
  const local = elementMatrix(el);
  const centre = apply(local, { x: x + width / 2, y: y + height / 2 });
  const sx = el.width === 0 ? 1 : width / el.width;
  const sy = el.height === 0 ? 1 : height / el.height;
  const scaled = scaleElement(el, sx, sy);
  const w = el.width === 0 ? width : scaled.width;
  const h = el.height === 0 ? height : scaled.height;
  return ok(
    replaceElement(doc, loc, { ...scaled, width: clean(w), height: clean(h), x: clean(centre.x - w / 2), y: clean(centre.y - h / 2) }),
  );
}

/**
 * Scale several elements from one page-space box to another (multi-selection resize): each element's
 * centre maps from `from` to `to` and its size scales by the same factors.
 */
export function scaleElements(doc: TemplateDocument, args: { ids: readonly string[]; from: Box; to: Box }): OpResult {
  const locs = findAll(doc, args.ids);
  if (isFailure(locs)) return locs;
  const locked = refuseLocked(locs, 'resize');
  if (locked) return locked;
  const sx = args.from.width === 0 ? 1 : args.to.width / args.from.width;
  const sy = args.from.height === 0 ? 1 : args.to.height / args.from.height;
  let next = doc;
  for (const loc of topmostOnly(locs)) {
    const now = findElement(next, loc.element.id) as ElementLocation;
    const el = now.element;
    const c = apply(now.parentMatrix, { x: el.x + el.width / 2, y: el.y + el.height / 2 });
    const target = { x: args.to.x + (c.x - args.from.x) * sx, y: args.to.y + (c.y - args.from.y) * sy };
    const back = apply(invert(now.parentMatrix), target);
    const scaled = scaleElement(el, Math.abs(sx), Math.abs(sy));
    next = replaceElement(next, now, { ...scaled, x: clean(back.x - scaled.width / 2), y: clean(back.y - scaled.height / 2) });
  }
  return ok(next);
}

/** Normalise degrees to [0, 360). */
export const normaliseAngle = (deg: number): number => clean(((deg % 360) + 360) % 360);

/**
 * Rotate elements by `delta` degrees (clockwise) about `pivot` (page points; default: the centre of their
 * common bounding box). Each element turns about the pivot and its own rotation grows by `delta`.
 */
export function rotateElements(doc: TemplateDocument, args: { ids: readonly string[]; delta: number; pivot?: Point }): OpResult {
  const locs = findAll(doc, args.ids);
  if (isFailure(locs)) return locs;
  const locked = refuseLocked(locs, 'rotate');
  if (locked) return locked;
  const tops = topmostOnly(locs);
  const pivot = args.pivot ?? boxCentre(unionBoxes(tops.map((l) => elementBounds(l.element, l.parentMatrix))) as Box);
  const turn = multiply(translation(pivot.x, pivot.y), multiply(rotationMatrix(args.delta), translation(-pivot.x, -pivot.y)));
  let next = doc;
  for (const loc of tops) {
    const now = findElement(next, loc.element.id) as ElementLocation;
    const el = now.element;
    const c = apply(turn, apply(now.parentMatrix, { x: el.x + el.width / 2, y: el.y + el.height / 2 }));
    const back = apply(invert(now.parentMatrix), c);
    next = replaceElement(next, now, {
      ...el,
      x: clean(back.x - el.width / 2),
      y: clean(back.y - el.height / 2),
      rotation: normaliseAngle(el.rotation + args.delta),
    });
  }
  return ok(next);
}

/** Set one element's rotation (degrees, clockwise, about its centre). */
export function setRotation(doc: TemplateDocument, args: { id: string; rotation: number }): OpResult {
  const loc = findElement(doc, args.id);
  if (!loc) return fail('not-found', `No element with id "${args.id}".`, [args.id]);
  if (!Number.isFinite(args.rotation)) return fail('invalid', 'Rotation must be a number of degrees.', [args.id]);
  const locked = refuseLocked([loc], 'rotate');
  if (locked) return locked;
  return ok(replaceElement(doc, loc, { ...loc.element, rotation: normaliseAngle(args.rotation) }));
}
