import { FabricObject, Rect, StaticCanvas } from 'fabric';
import type { TemplateDocument } from '../../shared/model/document';
import type { Element, ElementOfType } from '../../shared/model/elements/schema';
import type { Page } from '../../shared/model/print';
import type { TextLayout, TextResolver } from '../../shared/text/layout';
import { canvasTextLayout, conditionsHold, leaves } from './text-frames';
import type { FontLibrary } from '../../shared/text/fonts';
import { IDENTITY, elementMatrix, multiply, type Matrix } from '../../shared/ops';
import type { Editor } from '../editor/editor';
import { canvasAdapters, type CanvasAdapter, type DrawEnv } from './adapters';
import { openTextEditor, type TextEditorView } from './text-editor';

/** What the shell provides to the view: fonts, the current record's Liquid, and images. */
export interface CanvasServices {
  /** The template's font library (shared/text); text shows a placeholder until it is given. */
  fonts?: FontLibrary;
  /** Liquid for the record at `recordIndex` (or field names when `showFieldNames`). */
  resolver?(recordIndex: number, showFieldNames: boolean): TextResolver;
  /** A URL for an image element's resolved source (asset, logo or https URL); undefined when unknown. */
  imageUrl?(source: string, recordIndex: number): string | undefined;
  /** Called back when fonts, records or images the view asked for have arrived (so it redraws). */
  subscribe?(listener: () => void): () => void;
}

/** A fabric object that only draws one element (through its adapter); it never holds state of its own. */
class ElementView extends FabricObject {
  element: Element;
  env: DrawEnv;
  /** The parent (group) transform the view was placed with. */
  parentMatrix: Matrix | undefined;
  placed = false;
  constructor(element: Element, env: DrawEnv) {
    // Painted directly every frame: fabric's per-object bitmap cache was measured slower here (the bench).
    super({
      selectable: false,
      evented: false,
      objectCaching: false,
      strokeWidth: 0,
      originX: 'center',
      originY: 'center',
    });
    this.element = element;
    this.env = env;
  }
  /** Set while the element's text is edited in place (the editor box shows it instead). */
  editing = false;
  override _render(ctx: CanvasRenderingContext2D): void {
    const el = this.element;
    if (this.editing) return;
    ctx.save();
    ctx.translate(-el.width / 2, -el.height / 2);
    (canvasAdapters[el.type] as CanvasAdapter<typeof el.type>).draw(ctx, el as never, this.env);
    ctx.restore();
  }
}

/** Properties of a text frame that do not change its layout (the engine lays text out in the frame's own space). */
const PLACEMENT_ONLY = new Set(['x', 'y', 'rotation', 'opacity', 'locked', 'hidden', 'name']);

/** Whether two versions of a text frame lay out the same (same content, size and style; position may differ). */
export function sameLayoutInput(a: ElementOfType<'text'>, b: ElementOfType<'text'>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a) as (keyof typeof a)[];
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => PLACEMENT_ONLY.has(k) || a[k] === b[k]);
}

/**
 * Mount the print canvas in `host`: a fabric canvas drawing the editor's current page (a VIEW of the
 * document, rebuilt from it on every change) and an overlay canvas with trim/bleed/safe-area guides, the
 * selection, handles, marquee and smart guides. Pointer, wheel and key input goes to the editor, whose
 * gestures turn into operations; nothing is ever read back from fabric objects. Returns an unmount function.
 */
export function mountCanvas(host: HTMLElement, editor: Editor, services: CanvasServices = {}): () => void {
  const base = host.ownerDocument.createElement('canvas');
  const overlay = host.ownerDocument.createElement('canvas');
  host.style.position = host.style.position || 'relative';
  host.tabIndex = 0;
  overlay.style.cssText = 'position:absolute;left:0;top:0;pointer-events:none';
  host.append(base);
  // A StaticCanvas: input goes to the editor from `host`, so fabric's own interactive layer (an upper canvas,
  // pointer listeners working out targets on every move) would only cost time.
  const fabric = new StaticCanvas(base, { renderOnAddRemove: false, backgroundColor: '#e9ebef' });
  base.dataset.testid = 'canvas-page';
  host.append(overlay);
  // The page's text for assistive technology (and tests): the lines the engine laid out, per text frame.
  const textLayer = host.ownerDocument.createElement('div');
  textLayer.setAttribute('role', 'list');
  textLayer.setAttribute('aria-label', 'Text on this page');
  textLayer.dataset.testid = 'canvas-text';
  textLayer.style.cssText = 'position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap';
  host.append(textLayer);

  const images = new Map<string, HTMLImageElement>();
  let layouts = new Map<string, { el: ElementOfType<'text'>; key: string; layout: TextLayout | undefined }>();
  const env: DrawEnv = {
    get doc(): TemplateDocument {
      return editor.document;
    },
    layoutText(el: ElementOfType<'text'>) {
      if (!services.fonts || !services.resolver) return undefined;
      const key = `${editor.session.recordIndex}/${editor.session.showFieldNames}`;
      const hit = layouts.get(el.id);
      // A frame that only moved or turned keeps its layout (the engine lays out in the frame's own space).
      if (hit && hit.key === key && sameLayoutInput(hit.el, el)) {
        hit.el = el;
        return hit.layout;
      }
      const layout = canvasTextLayout(el, services.resolver(editor.session.recordIndex, editor.session.showFieldNames), services.fonts);
      layouts.set(el.id, { el, key, layout });
      return layout;
    },
    resolve(source: string) {
      if (!source.includes('{')) return source;
      if (!services.resolver) return undefined;
      try {
        return services.resolver(editor.session.recordIndex, editor.session.showFieldNames).text(source);
      } catch {
        return undefined;
      }
    },
    image(el: ElementOfType<'image'>) {
      const url = services.imageUrl?.(el.source, editor.session.recordIndex);
      if (!url) return undefined;
      let img = images.get(url);
      if (!img) {
        img = new Image();
        img.onload = () => sync();
        img.src = url;
        images.set(url, img);
      }
      return img.complete ? img : undefined;
    },
  };

  const views = new Map<string, ElementView>();
  let shownPage: Page | undefined;

  /** The element's visibility condition (and its groups') for the current record; true in field-names view. */
  function visibleForRecord(conditions: readonly string[]): boolean {
    if (!conditions.length || editor.session.showFieldNames || !services.resolver) return true;
    return conditionsHold(conditions, services.resolver(editor.session.recordIndex, false));
  }

  let paper: { page: Page; rect: Rect } | undefined;
  let textLayerTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Bring fabric's objects in line with the page. Views whose element object is unchanged keep their
   * state (and fabric's cached bitmap); the object list is only rebuilt when membership or order changed.
   */
  function syncObjects(page: Page | undefined, force: boolean): void {
    const selected = new Set(editor.session.selection);
    const keep = new Set<string>();
    const ordered: FabricObject[] = [];
    if (page) {
      if (!paper || paper.page.width !== page.width || paper.page.height !== page.height || paper.page.bleed !== page.bleed)
        paper = {
          page,
          rect: new Rect({
            left: -page.bleed.left,
            top: -page.bleed.top,
            width: page.width + page.bleed.left + page.bleed.right,
            height: page.height + page.bleed.top + page.bleed.bottom,
            originX: 'left',
            originY: 'top',
            fill: '#ffffff',
            selectable: false,
            evented: false,
            objectCaching: false,
          }),
        };
      ordered.push(paper.rect);
      for (const { el, m, hidden, conditions } of leaves(page.elements)) {
        if (hidden && !selected.has(el.id)) continue;
        keep.add(el.id);
        let view = views.get(el.id);
        if (!view) {
          view = new ElementView(el, env);
          views.set(el.id, view);
        }
        const shown = !hidden && visibleForRecord(conditions);
        const opacity = shown ? el.opacity : 0.2 * el.opacity;
        if (force || view.element !== el || view.parentMatrix !== m || view.opacity !== opacity || !view.placed) {
          if (transforming()) moving.add(view);
          view.element = el;
          view.parentMatrix = m;
          view.placed = true;
          const full = multiply(m, elementMatrix(el));
          const cx = full[0] * (el.width / 2) + full[2] * (el.height / 2) + full[4];
          const cy = full[1] * (el.width / 2) + full[3] * (el.height / 2) + full[5];
          view.set({
            left: cx,
            top: cy,
            width: Math.abs(el.width),
            height: Math.abs(el.height),
            angle: (Math.atan2(full[1], full[0]) * 180) / Math.PI,
            // Hidden (selected) elements and elements whose condition is false for this record show faintly.
            opacity,
          });
          view.setCoords();
        }
        ordered.push(view);
      }
    }
    for (const id of [...views.keys()])
      if (!keep.has(id)) {
        views.delete(id);
        layouts.delete(id);
      }
    const current = fabric.getObjects();
    if (current.length !== ordered.length || current.some((o, i) => o !== ordered[i])) {
      fabric.remove(...current);
      fabric.add(...ordered);
      layers = undefined;
    }
    if (force) layers = undefined;
    if (!transforming()) moving.clear();
    shownPage = page;
    // The accessible text layer follows shortly after (not on every step of a drag).
    // On a record switch every visible frame is laid out again now; while dragging it waits for a pause.
    // While a move/resize/rotate is under way it waits for the gesture's end.
    clearTimeout(textLayerTimer);
    if (force) updateTextLayer(fabric.getObjects());
    else if (!transforming()) textLayerTimer = setTimeout(() => updateTextLayer(fabric.getObjects()), 120);
  }

  function updateTextLayer(objects: readonly FabricObject[]): void {
    const items: HTMLElement[] = [];
    for (const o of objects) {
      if (!(o instanceof ElementView) || o.element.type !== 'text' || o.opacity < o.element.opacity) continue;
      const layout = env.layoutText(o.element);
      const item = host.ownerDocument.createElement('div');
      item.setAttribute('role', 'listitem');
      item.dataset.element = o.element.id;
      item.dataset.overflow = String(layout?.overflow ?? false);
      item.textContent = layout ? layout.lines.map((l) => l.text).join('\n') : '';
      items.push(item);
    }
    textLayer.replaceChildren(...items);
  }

  function syncViewport(): void {
    const { zoom, pan, viewport } = editor.session;
    const dpr = host.ownerDocument.defaultView?.devicePixelRatio ?? 1;
    if (fabric.getWidth() !== viewport.width || fabric.getHeight() !== viewport.height)
      fabric.setDimensions({ width: viewport.width, height: viewport.height });
    overlay.width = viewport.width * dpr;
    overlay.height = viewport.height * dpr;
    overlay.style.width = `${viewport.width}px`;
    overlay.style.height = `${viewport.height}px`;
    fabric.setViewportTransform([zoom, 0, 0, zoom, pan.x, pan.y]);
  }

  function drawOverlay(): void {
    const ctx = overlay.getContext('2d');
    const page = shownPage;
    if (!ctx) return;
    const dpr = overlay.width / Math.max(1, editor.session.viewport.width);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    const { zoom, pan } = editor.session;
    ctx.setTransform(zoom * dpr, 0, 0, zoom * dpr, pan.x * dpr, pan.y * dpr);
    const px = 1 / zoom;
    if (page) {
      ctx.lineWidth = px;
      ctx.strokeStyle = '#222';
      ctx.strokeRect(0, 0, page.width, page.height);
      ctx.setLineDash([4 * px, 3 * px]);
      ctx.strokeStyle = '#e0245e';
      ctx.strokeRect(
        -page.bleed.left,
        -page.bleed.top,
        page.width + page.bleed.left + page.bleed.right,
        page.height + page.bleed.top + page.bleed.bottom,
      );
      if (page.safeArea > 0) {
        ctx.strokeStyle = '#1f8fff';
        ctx.strokeRect(page.safeArea, page.safeArea, page.width - 2 * page.safeArea, page.height - 2 * page.safeArea);
      }
      ctx.setLineDash([]);
    }
    ctx.strokeStyle = '#1f6fff';
    ctx.lineWidth = 1.5 * px;
    for (const id of editor.session.selection) {
      const view = views.get(id);
      if (view) {
        const corners = view.getCoords();
        ctx.beginPath();
        corners.forEach((c, i) => (i ? ctx.lineTo(c.x, c.y) : ctx.moveTo(c.x, c.y)));
        ctx.closePath();
        ctx.stroke();
      }
    }
    ctx.fillStyle = '#ffffff';
    for (const h of editor.handles()) {
      const s = 4 * px;
      ctx.beginPath();
      if (h.kind === 'rotate') ctx.arc(h.point.x, h.point.y, s, 0, Math.PI * 2);
      else ctx.rect(h.point.x - s, h.point.y - s, 2 * s, 2 * s);
      ctx.fill();
      ctx.stroke();
    }
    const m = editor.session.marquee;
    if (m) {
      ctx.fillStyle = 'rgba(31, 111, 255, 0.08)';
      ctx.fillRect(m.x, m.y, m.width, m.height);
      ctx.strokeRect(m.x, m.y, m.width, m.height);
    }
    const c = editor.session.creating;
    if (c) ctx.strokeRect(c.box.x, c.box.y, c.box.width, c.box.height);
    ctx.strokeStyle = '#ff2d87';
    ctx.lineWidth = px;
    for (const g of editor.session.guides) {
      ctx.beginPath();
      if (g.axis === 'x') {
        ctx.moveTo(g.value, g.from);
        ctx.lineTo(g.value, g.to);
      } else {
        ctx.moveTo(g.from, g.value);
        ctx.lineTo(g.to, g.value);
      }
      ctx.stroke();
    }
  }

  let lastDoc: TemplateDocument | undefined;
  let lastSelection: readonly string[] | undefined;
  let lastPage: string | undefined;
  let lastRecord = '';
  function sync(force = false): void {
    const s = editor.session;
    const record = `${s.recordIndex}/${s.showFieldNames}`;
    if (force || editor.document !== lastDoc || s.selection !== lastSelection || s.pageId !== lastPage || record !== lastRecord) {
      const started = performance.now();
      const relayout = record !== lastRecord;
      syncObjects(editor.page, force || relayout);
      lastDoc = editor.document;
      lastSelection = s.selection;
      lastPage = s.pageId;
      lastRecord = record;
      // User Timing (DevTools' performance panel; tests/bench/editor.bench.ts reads these).
      measure(relayout ? 'canvas:relayout' : 'canvas:sync', started);
    }
    syncViewport();
    syncTextEditor();
    if (!frame) frame = requestAnimationFrame(paint);
  }

  /** The in-place text editor over the frame named by `session.editingTextId` (opened, moved, closed). */
  let textEditor: TextEditorView | undefined;
  function syncTextEditor(): void {
    const id = editor.session.editingTextId;
    if (textEditor && textEditor.id !== id) {
      const view = views.get(textEditor.id);
      if (view) view.editing = false;
      textEditor.dispose();
      textEditor = undefined;
    }
    const view = id ? views.get(id) : undefined;
    if (!id) return;
    if (!view || view.element.type !== 'text') {
      // The frame left the page (another page shown, or it was removed): editing ends without a change.
      textEditor?.dispose();
      textEditor = undefined;
      return void queueMicrotask(() => editor.cancelTextEdit());
    }
    if (!textEditor) textEditor = openTextEditor(host, editor, view.element, view.parentMatrix ?? IDENTITY);
    else textEditor.place(view.element, view.parentMatrix ?? IDENTITY);
    view.editing = true;
  }

  /**
   * While a move, resize or rotate is under way only the elements it changes are painted each frame: the
   * elements below and above them (in z-order) are painted once into two bitmaps, which each frame draws
   * as images. A 500-element page then costs about what the dragged elements cost (the bench's drag).
   */
  const moving = new Set<FabricObject>();
  let layers: { key: string; lo: number; hi: number; below: HTMLCanvasElement; above: HTMLCanvasElement } | undefined;
  const transforming = () => {
    const g = editor.gestureKind;
    return g === 'move' || g === 'resize' || g === 'rotate';
  };

  function paintLayered(): void {
    const objects = fabric.getObjects();
    let lo = objects.length;
    let hi = -1;
    objects.forEach((o, i) => {
      if (moving.has(o)) {
        lo = Math.min(lo, i);
        hi = Math.max(hi, i);
      }
    });
    const lower = fabric.lowerCanvasEl;
    const v = fabric.viewportTransform;
    const key = `${lower.width}x${lower.height}:${v.join(',')}`;
    fabric.calcViewportBoundaries();
    if (!layers || layers.key !== key || layers.lo !== lo || layers.hi !== hi) {
      const layer = (from: number, to: number, background: boolean, reuse?: HTMLCanvasElement) => {
        const c = reuse ?? host.ownerDocument.createElement('canvas');
        c.width = lower.width;
        c.height = lower.height;
        const ctx = c.getContext('2d')!;
        ctx.clearRect(0, 0, c.width, c.height);
        if (background) {
          ctx.fillStyle = String(fabric.backgroundColor);
          ctx.fillRect(0, 0, c.width, c.height);
        }
        const r = fabric.getRetinaScaling();
        ctx.setTransform(r * v[0], r * v[1], r * v[2], r * v[3], r * v[4], r * v[5]);
        for (let i = from; i < to; i++) objects[i]!.render(ctx);
        return c;
      };
      layers = { key, lo, hi, below: layer(0, lo, true, layers?.below), above: layer(hi + 1, objects.length, false, layers?.above) };
    }
    const ctx = fabric.getContext();
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(layers.below, 0, 0);
    ctx.restore();
    ctx.save();
    ctx.transform(v[0], v[1], v[2], v[3], v[4], v[5]);
    for (let i = lo; i <= hi; i++) objects[i]!.render(ctx);
    ctx.restore();
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(layers.above, 0, 0);
    ctx.restore();
  }

  /** One paint per animation frame, however many changes arrived since the last. */
  let frame = 0;
  function paint(): void {
    frame = 0;
    const started = performance.now();
    if (transforming() && moving.size) paintLayered();
    else {
      moving.clear();
      layers = undefined;
      fabric.renderAll();
    }
    drawOverlay();
    measure('canvas:frame', started);
  }
  let measures = 0;
  function measure(name: string, start: number): void {
    performance.measure(name, { start, end: performance.now() });
    if (++measures > 5000) {
      measures = 0;
      for (const n of ['canvas:frame', 'canvas:sync', 'canvas:relayout']) performance.clearMeasures(n);
    }
  }

  const pagePoint = (e: PointerEvent | WheelEvent) => {
    const r = host.getBoundingClientRect();
    return {
      screen: { x: e.clientX - r.left, y: e.clientY - r.top },
      page: editor.screenToPage({ x: e.clientX - r.left, y: e.clientY - r.top }),
    };
  };
  const mods = (e: PointerEvent) => ({ shift: e.shiftKey, alt: e.altKey, mod: e.ctrlKey || e.metaKey, button: e.button });
  const onDown = (e: PointerEvent) => {
    host.focus();
    host.setPointerCapture(e.pointerId);
    editor.pointerDown(pagePoint(e).page, mods(e));
  };
  // Pointer events carry no click count in Chromium (detail 0): double-clicks come as their own event.
  const onDoubleClick = (e: MouseEvent) => {
    const r = host.getBoundingClientRect();
    editor.doubleClick(editor.screenToPage({ x: e.clientX - r.left, y: e.clientY - r.top }));
  };
  const onMove = (e: PointerEvent) => editor.pointerMove(pagePoint(e).page, mods(e));
  const onUp = (e: PointerEvent) => editor.pointerUp(pagePoint(e).page, mods(e));
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    editor.wheel({ deltaX: e.deltaX, deltaY: e.deltaY, mod: e.ctrlKey || e.metaKey, screenPoint: pagePoint(e).screen });
  };
  const key = (e: KeyboardEvent) => ({ key: e.key, shiftKey: e.shiftKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey });
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.repeat && e.key === ' ') return e.preventDefault();
    if (editor.keyDown(key(e))) e.preventDefault();
  };
  const onKeyUp = (e: KeyboardEvent) => {
    editor.keyUp(key(e));
  };
  const resize = new ResizeObserver(() => editor.setViewport(host.clientWidth, host.clientHeight));

  host.addEventListener('pointerdown', onDown);
  host.addEventListener('pointermove', onMove);
  host.addEventListener('pointerup', onUp);
  host.addEventListener('dblclick', onDoubleClick);
  host.addEventListener('wheel', onWheel, { passive: false });
  host.addEventListener('keydown', onKeyDown);
  host.addEventListener('keyup', onKeyUp);
  resize.observe(host);
  editor.setViewport(host.clientWidth || 800, host.clientHeight || 600);
  editor.zoomToFit();
  const unsubscribe = editor.subscribe(() => sync());
  const unsubscribeServices = services.subscribe?.(() => {
    layouts = new Map(); // fonts or record values arrived: lay text out again
    sync(true);
  });
  sync(true);

  return () => {
    textEditor?.dispose();
    cancelAnimationFrame(frame);
    clearTimeout(textLayerTimer);
    unsubscribe();
    unsubscribeServices?.();
    resize.disconnect();
    host.removeEventListener('pointerdown', onDown);
    host.removeEventListener('pointermove', onMove);
    host.removeEventListener('pointerup', onUp);
    host.removeEventListener('dblclick', onDoubleClick);
    host.removeEventListener('wheel', onWheel);
    host.removeEventListener('keydown', onKeyDown);
    host.removeEventListener('keyup', onKeyUp);
    void fabric.dispose();
    overlay.remove();
    textLayer.remove();
  };
}
