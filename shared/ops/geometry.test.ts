import { describe, expect, it } from 'vitest';
import {
  apply,
  boxFromPoints,
  distanceToPolygon,
  elementBounds,
  elementCorners,
  elementMatrix,
  invert,
  multiply,
  polygonIntersectsBox,
  snapBox,
  snapTargets,
  toleranceInPoints,
} from './geometry';
import { opsTestDocument } from './testing';

const near = (v: number, expected: number) => expect(v).toBeCloseTo(expected, 6);

describe('geometry', () => {
  it('bounds of an unrotated box are the box', () => {
    expect(elementBounds({ x: 10, y: 20, width: 100, height: 50, rotation: 0 })).toEqual({ x: 10, y: 20, width: 100, height: 50 });
  });

  it('bounds of a box rotated 90° swap its size about the centre', () => {
    const b = elementBounds({ x: 300, y: 200, width: 100, height: 50, rotation: 90 });
    near(b.x, 325);
    near(b.y, 175);
    near(b.width, 50);
    near(b.height, 100);
  });

  it('bounds of a box rotated 45° grow to the diagonal', () => {
    const b = elementBounds({ x: 0, y: 0, width: 100, height: 100, rotation: 45 });
    near(b.width, 100 * Math.SQRT2);
    near(b.x, 50 - 50 * Math.SQRT2);
  });

  it('rotation is clockwise (y down): the top-left corner of a 90° box is at its top-right', () => {
    const [tl] = elementCorners({ x: 0, y: 0, width: 100, height: 50, rotation: 90 });
    near(tl.x, 75);
    near(tl.y, -25);
  });

  it('inverts and composes matrices', () => {
    const m = multiply(
      elementMatrix({ x: 5, y: 7, width: 20, height: 10, rotation: 33 }),
      elementMatrix({ x: 1, y: 2, width: 3, height: 4, rotation: 12 }),
    );
    const p = apply(invert(m), apply(m, { x: 3, y: -4 }));
    near(p.x, 3);
    near(p.y, -4);
  });

  it('nested bounds use the parent frame', () => {
    const parent = elementMatrix({ x: 100, y: 100, width: 100, height: 100, rotation: 180 });
    const b = elementBounds({ x: 0, y: 0, width: 10, height: 10, rotation: 0 }, parent);
    near(b.x, 190);
    near(b.y, 190);
  });

  it('SAT intersection distinguishes a rotated box from its bounding box', () => {
    const diamond = elementCorners({ x: 0, y: 0, width: 100, height: 100, rotation: 45 });
    // The corner of the bounding box is empty for a diamond.
    expect(polygonIntersectsBox(diamond, { x: -20, y: -20, width: 10, height: 10 })).toBe(false);
    expect(polygonIntersectsBox(diamond, { x: 45, y: 45, width: 10, height: 10 })).toBe(true);
  });

  it('distance to a zero-width line polygon lets thin lines be hit within a tolerance', () => {
    const line = elementCorners({ x: 10, y: 0, width: 0, height: 100, rotation: 0 });
    expect(distanceToPolygon({ x: 12, y: 50 }, line)).toBeCloseTo(2);
    expect(distanceToPolygon({ x: 50, y: 50 }, elementCorners({ x: 0, y: 0, width: 100, height: 100, rotation: 0 }))).toBe(0);
  });

  it('boxFromPoints accepts corners in any order', () => {
    expect(boxFromPoints({ x: 10, y: 50 }, { x: 0, y: 20 })).toEqual({ x: 0, y: 20, width: 10, height: 30 });
  });
});

describe('snapping', () => {
  const page = opsTestDocument().print!.pages[0]!;

  it('offers trim, centre, bleed and safe-area lines and element edges/centres', () => {
    const t = snapTargets(page, [{ id: 'a', bounds: { x: 10, y: 10, width: 100, height: 50 } }]);
    const xs = (kind: string) => t.filter((x) => x.axis === 'x' && x.kind === kind).map((x) => x.value);
    expect(xs('page-edge')).toEqual([0, 648]);
    expect(xs('page-centre')).toEqual([324]);
    expect(xs('bleed')).toEqual([-9, 657]);
    expect(xs('safe-area')).toEqual([18, 630]);
    expect(xs('element-edge')).toEqual([10, 110]);
    expect(xs('element-centre')).toEqual([60]);
  });

  it('snaps the nearest edge within the tolerance and reports a guide spanning both', () => {
    const t = snapTargets(page, [{ id: 'a', bounds: { x: 10, y: 10, width: 100, height: 50 } }]);
    const s = snapBox({ x: 113, y: 100, width: 40, height: 40 }, t, 5);
    expect(s.dx).toBe(-3); // left edge 113 → element a's right edge 110
    expect(s.guides).toContainEqual({ axis: 'x', value: 110, from: 10, to: 140, kind: 'element-edge' });
  });

  it('does not snap beyond the tolerance; the tolerance is screen pixels over zoom', () => {
    expect(toleranceInPoints(8, 2)).toBe(4);
    const s = snapBox({ x: 200, y: 200, width: 10, height: 10 }, snapTargets(page, []), toleranceInPoints(8, 2));
    expect(s).toEqual({ dx: 0, dy: 0, guides: [] });
  });

  it('snaps a centre to the page centre', () => {
    const s = snapBox({ x: 300, y: 100, width: 50, height: 10 }, snapTargets(page, []), 2);
    expect(s.dx).toBe(-1);
    expect(s.guides[0]).toMatchObject({ axis: 'x', value: 324, kind: 'page-centre' });
  });
});
