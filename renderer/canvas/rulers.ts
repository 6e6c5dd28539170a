import type { LengthUnit } from '../../shared/model/units';
import { RULER_SIZE, rulerTicks, type RulerTick } from './ruler-ticks';
import type { Editor } from '../editor/editor';

/**
 * Horizontal and vertical rulers along the top and left of the canvas host, in mm, in or pt, zero at the
 * page's trim corner, following zoom and pan, with the selection's extent marked. Two canvas elements,
 * redrawn (once per animation frame at most) only when the view, the unit or the selection extent changed.
 */
export function mountRulers(host: HTMLElement, editor: Editor, initialUnit: LengthUnit): { setUnit(u: LengthUnit): void; unmount(): void } {
  const d = host.ownerDocument;
  const top = d.createElement('canvas');
  const left = d.createElement('canvas');
  const corner = d.createElement('div');
  top.className = left.className = 'canvas-ruler';
  top.dataset.testid = 'ruler-horizontal';
  left.dataset.testid = 'ruler-vertical';
  top.setAttribute('aria-hidden', 'true');
  left.setAttribute('aria-hidden', 'true');
  corner.className = 'canvas-ruler';
  corner.dataset.testid = 'ruler-unit';
  corner.style.cssText = `width:${RULER_SIZE}px;height:${RULER_SIZE}px;background:#f4f5f7;font:9px sans-serif;display:flex;align-items:center;justify-content:center;color:#555;border-right:1px solid #c9ced6;border-bottom:1px solid #c9ced6;box-sizing:border-box;z-index:2`;
  host.append(top, left, corner);
  let unit = initialUnit;
  let drawn = '';
  let frame = 0;

  const draw = () => {
    frame = 0;
    const s = editor.session;
    const b = editor.selectionBounds();
    const key = `${unit}|${s.zoom}|${s.pan.x},${s.pan.y}|${s.viewport.width}x${s.viewport.height}|${b ? `${b.x},${b.y},${b.width},${b.height}` : ''}`;
    if (key === drawn) return;
    drawn = key;
    corner.textContent = unit;
    const dpr = d.defaultView?.devicePixelRatio ?? 1;
    const extentX = b ? ([b.x * s.zoom + s.pan.x, (b.x + b.width) * s.zoom + s.pan.x] as const) : undefined;
    const extentY = b ? ([b.y * s.zoom + s.pan.y, (b.y + b.height) * s.zoom + s.pan.y] as const) : undefined;
    const view = `${unit}|${s.zoom}|${dpr}`;
    paintRuler(
      top,
      'x',
      s.viewport.width,
      `${view}|${s.pan.x}|${s.viewport.width}`,
      () => rulerTicks(s.zoom, s.pan.x, s.viewport.width, unit),
      extentX,
      dpr,
    );
    paintRuler(
      left,
      'y',
      s.viewport.height,
      `${view}|${s.pan.y}|${s.viewport.height}`,
      () => rulerTicks(s.zoom, s.pan.y, s.viewport.height, unit),
      extentY,
      dpr,
    );
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(draw);
  };
  const unsubscribe = editor.subscribe(schedule);
  draw();
  return {
    setUnit(u) {
      unit = u;
      schedule();
    },
    unmount() {
      cancelAnimationFrame(frame);
      unsubscribe();
      top.remove();
      left.remove();
      corner.remove();
    },
  };
}

/** The ticks and labels of a ruler for one view (unit, zoom, pan, size), kept while only the selection moves. */
const scales = new WeakMap<HTMLCanvasElement, { key: string; bitmap: HTMLCanvasElement }>();

/** One ruler: background, the selection extent band, and the scale (ticks and labels, redrawn only when the view changed). */
function paintRuler(
  c: HTMLCanvasElement,
  axis: 'x' | 'y',
  length: number,
  viewKey: string,
  ticks: () => readonly RulerTick[],
  extent: readonly [number, number] | undefined,
  dpr: number,
): void {
  const w = axis === 'x' ? length : RULER_SIZE;
  const h = axis === 'x' ? RULER_SIZE : length;
  if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    c.style.width = `${w}px`;
    c.style.height = `${h}px`;
  }
  const ctx = c.getContext('2d');
  if (!ctx) return;
  let scale = scales.get(c);
  if (!scale || scale.key !== viewKey) {
    const bitmap = scale?.bitmap ?? c.ownerDocument.createElement('canvas');
    bitmap.width = c.width;
    bitmap.height = c.height;
    drawScale(bitmap, axis, length, ticks(), dpr);
    scales.set(c, (scale = { key: viewKey, bitmap }));
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#f4f5f7';
  ctx.fillRect(0, 0, w, h);
  if (extent) {
    ctx.save();
    // Work in "along, across" coordinates: for the vertical ruler, swap axes.
    if (axis === 'y') ctx.transform(0, 1, 1, 0, 0, 0);
    ctx.fillStyle = 'rgba(31, 111, 255, 0.22)';
    ctx.fillRect(extent[0], 0, extent[1] - extent[0], RULER_SIZE);
    ctx.fillStyle = '#1f6fff';
    ctx.fillRect(extent[0] - 0.5, 0, 1, RULER_SIZE);
    ctx.fillRect(extent[1] - 0.5, 0, 1, RULER_SIZE);
    ctx.restore();
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(scale.bitmap, 0, 0);
}

/** Ticks and labels on a transparent bitmap (labels along the ruler; the vertical ruler's read bottom to top). */
function drawScale(c: HTMLCanvasElement, axis: 'x' | 'y', length: number, ticks: readonly RulerTick[], dpr: number): void {
  const ctx = c.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, c.width, c.height);
  if (axis === 'y') ctx.transform(0, 1, 1, 0, 0, 0);
  ctx.strokeStyle = '#6b7280';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const t of ticks) {
    const x = Math.round(t.px) + 0.5;
    const len = t.level === 2 ? RULER_SIZE : t.level === 1 ? RULER_SIZE * 0.45 : RULER_SIZE * 0.25;
    ctx.moveTo(x, RULER_SIZE);
    ctx.lineTo(x, RULER_SIZE - len);
  }
  ctx.moveTo(0, RULER_SIZE - 0.5);
  ctx.lineTo(length, RULER_SIZE - 0.5);
  ctx.stroke();
  ctx.fillStyle = '#374151';
  ctx.font = '9px sans-serif';
  ctx.textBaseline = 'top';
  for (const t of ticks) {
    if (t.level !== 2 || !t.label) continue;
    if (axis === 'x') ctx.fillText(t.label, Math.round(t.px) + 2, 2);
    else {
      ctx.save();
      ctx.transform(0, 1, 1, 0, 0, 0); // back to screen axes
      ctx.translate(2, Math.round(t.px) - 2);
      ctx.rotate(-Math.PI / 2);
      ctx.fillText(t.label, 0, 0);
      ctx.restore();
    }
  }
}
