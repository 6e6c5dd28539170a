import type { TemplateDocument } from '../../shared/model/document';
import type { Box } from '../../shared/model/elements/base';
import type { Element, ElementType } from '../../shared/model/elements/schema';
import type { Page } from '../../shared/model/print';
import type { EmailBlockType } from '../../shared/model/email';
import * as ops from '../../shared/ops';
import {
  apply,
  boxCentre,
  boxFromPoints,
  distanceToPolygon,
  elementBounds,
  elementCorners,
  elementMatrix,
  findElement,
  guidesFor,
  invert,
  isHidden,
  isLocked,
  multiply,
  polygonIntersectsBox,
  snapAxis,
  snapBox,
  snapTargets,
  toleranceInPoints,
  type IdGenerator,
  type Matrix,
  type Op,
  type OpError,
  type OpResult,
  type Point,
  type SnapGuide,
  type SnapTarget,
} from '../../shared/ops';
import { History, type HistoryMode } from './history';
import { commandForKey, commandForKeyUp, type EditorCommand, type KeyInput, type Tool } from './keymap';
import { makePayload, referencedIds, type ClipboardPayload, type PasteReport } from './clipboard';
import { paragraphsFromEdit, sameParagraphs, type EditedParagraph } from './text-edit';

/** CSS pixels per point at "100%": true size on a 96-dpi CSS display. */
export const TRUE_SIZE_ZOOM = 96 / 72;
export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 64;

/** Session state: what the user is looking at and doing. Never in the document, never undone. */
export interface SessionState {
  tool: Tool;
  /** Screen (CSS) pixels per point. */
  zoom: number;
  /** Screen position of the page's trim origin, in CSS pixels from the viewport's top-left. */
  pan: Point;
  viewport: { width: number; height: number };
  pageId: string | undefined;
  /** The sample record shown on the canvas (index into the data the shell loaded). */
  recordIndex: number;
  /** Show `{{ field }}` names instead of record values. */
  showFieldNames: boolean;
  selection: readonly string[];
  /** The group whose children clicks select (entered by double-click); undefined at page level. */
  editingGroupId: string | undefined;
  /** Rubber-band rectangle in page points while marquee-selecting. */
  marquee: Box | undefined;
  /** Smart guides to draw while a move or resize is snapping. */
  guides: readonly SnapGuide[];
  /** The box of the element being drawn with a shape tool. */
  creating: { type: ElementType; box: Box } | undefined;
  snapping: boolean;
  spaceHeld: boolean;
  /** The email block selected in the email block editor. */
  selectedBlockId: string | undefined;
  /** The latest operation that could not apply (shown by the shell, cleared by the next success). */
  lastError: OpError | undefined;
  /** Image source used by the image tool (an asset or logo id, or Liquid). */
  imageSource: string | undefined;
  /** The text frame being edited in place on the canvas (the view shows its editor over the frame). */
  editingTextId: string | undefined;
}

export interface PointerModifiers {
  shift?: boolean;
  alt?: boolean;
  /** Ctrl or Cmd. */
  mod?: boolean;
  /** 0 main, 1 middle (pans). */
  button?: number;
}

export type HandleKind = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w' | 'rotate';
export interface Handle {
  kind: HandleKind;
  /** Page points. */
  point: Point;
}

export interface RunOptions {
  history?: HistoryMode;
  label?: string;
}

export type EditorListener = () => void;

export interface EditorOptions {
  /** Fresh ids for new elements, pages and blocks (the engine never invents them). */
  idGen: IdGenerator;
  /** Snap distance in screen pixels. */
  snapPixels?: number;
  /** Handle hit distance in screen pixels. */
  handlePixels?: number;
  /** Page-space offset for pasting into the same template (so copies do not hide the originals). */
  pasteOffset?: number;
}

type Gesture =
  | {
      kind: 'move';
      start: Point;
      ids: string[];
      startDoc: TemplateDocument;
      startBox: Box;
      targets: SnapTarget[];
      active: boolean;
      /** Deselect this element if the pointer is released without dragging (shift-click on a selected element). */
      toggleOnClick: string | undefined;
    }
  | {
      kind: 'resize';
      handle: Exclude<HandleKind, 'rotate'>;
      start: Point;
      startDoc: TemplateDocument;
      ids: string[];
      startBox: Box;
      targets: SnapTarget[];
    }
  | { kind: 'rotate'; start: Point; pivot: Point; startDoc: TemplateDocument; ids: string[] }
  | { kind: 'marquee'; start: Point; base: readonly string[] }
  | { kind: 'create'; type: ElementType; start: Point }
  | { kind: 'pan'; start: Point };

const DRAG_PIXELS = 3;
const DEFAULT_SIZES: { [K in ElementType]: { width: number; height: number } } = {
  text: { width: 200, height: 48 },
  image: { width: 144, height: 108 },
  rect: { width: 72, height: 72 },
  ellipse: { width: 72, height: 72 },
  line: { width: 144, height: 0 },
  path: { width: 72, height: 72 },
  barcode: { width: 72, height: 72 },
  group: { width: 72, height: 72 },
};

/**
 * The headless canvas editor: a document store changed only through pure operations (shared/ops), undo
 * and redo, selection, tools, gestures and session state. No React, no fabric, no DOM: the fabric view and
 * the React panels subscribe to it and send it pointer, key and menu input.
 */
export class Editor {
  private doc: TemplateDocument;
  private state: SessionState;
  private readonly history = new History();
  private readonly listeners = new Set<EditorListener>();
  private gesture: Gesture | undefined;
  private clipboard: ClipboardPayload | undefined;
  readonly idGen: IdGenerator;
  private readonly snapPixels: number;
  private readonly handlePixels: number;
  private readonly pasteOffset: number;

  constructor(document: TemplateDocument, options: EditorOptions) {
    this.doc = document;
    this.idGen = options.idGen;
    this.snapPixels = options.snapPixels ?? 6;
    this.handlePixels = options.handlePixels ?? 6;
    this.pasteOffset = options.pasteOffset ?? 10;
    this.state = {
      tool: 'select',
      zoom: TRUE_SIZE_ZOOM,
      pan: { x: 0, y: 0 },
      viewport: { width: 1000, height: 700 },
      pageId: document.print?.pages[0]?.id,
      recordIndex: 0,
      showFieldNames: false,
      selection: [],
      editingGroupId: undefined,
      marquee: undefined,
      guides: [],
      creating: undefined,
      snapping: true,
      spaceHeld: false,
      selectedBlockId: undefined,
      lastError: undefined,
      imageSource: document.brand.logos[0]?.id,
      editingTextId: undefined,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Store

  get document(): TemplateDocument {
    return this.doc;
  }
  get session(): Readonly<SessionState> {
    return this.state;
  }

  /** Called after every document or session change. Returns an unsubscribe function. */
  subscribe(listener: EditorListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }

  private patchSession(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    this.emit();
  }

  /** Replace the whole document (open a file): history is cleared, the session kept where it still applies. */
  load(document: TemplateDocument): void {
    this.history.clear();
    this.gesture = undefined;
    this.setDoc(document);
  }

  private setDoc(next: TemplateDocument): void {
    this.doc = next;
    const pages = next.print?.pages ?? [];
    const pageId = pages.some((p) => p.id === this.state.pageId) ? this.state.pageId : pages[0]?.id;
    const selection = this.state.selection.filter((id) => findElement(next, id)?.page.id === pageId);
    const editingGroupId =
      this.state.editingGroupId && findElement(next, this.state.editingGroupId) ? this.state.editingGroupId : undefined;
    this.state = {
      ...this.state,
      pageId,
      selection: sameList(selection, this.state.selection) ? this.state.selection : selection,
      editingGroupId,
    };
  }

  /**
   * Apply a pure operation to the document. On success the document changes and history is written as
   * asked (default: a new undo step); on failure nothing changes and `session.lastError` says why.
   */
  run<A>(op: Op<A>, args: A, options: RunOptions = {}): OpResult {
    const before = this.doc;
    const result = op(before, args);
    if (!result.ok) {
      this.patchSession({ lastError: result.error });
      return result;
    }
    if (result.doc !== before) {
      this.history.commit(options.history ?? 'record', options.label ?? op.name ?? 'edit', before, result.doc);
      this.setDoc(result.doc);
    }
    this.state = { ...this.state, lastError: undefined };
    this.emit();
    return result;
  }

  /** Open an undo step boundary: following `history: 'squash'` runs become one step (e.g. a drag). */
  mark(label: string): void {
    this.history.mark(label, this.doc);
  }
  /** End the step opened by `mark` (the next squash starts a new step). */
  closeMark(): void {
    this.history.closeMark();
  }
  /** Cancel the changes since the open mark (Escape during a drag): back to the marked document, no undo step. */
  bailToMark(): void {
    const doc = this.history.bail();
    if (doc) {
      this.setDoc(doc);
      this.emit();
    }
  }

  /** Several operations as one undo step. The function's runs should use `history: 'squash'`. */
  batch(label: string, fn: () => void): void {
    this.mark(label);
    try {
      fn();
    } finally {
      this.closeMark();
    }
  }

  undo(): boolean {
    this.gesture = undefined;
    const e = this.history.undo();
    if (!e) return false;
    this.setDoc(e.before);
    this.patchSession({ lastError: undefined, guides: [], marquee: undefined });
    return true;
  }
  redo(): boolean {
    this.gesture = undefined;
    const e = this.history.redo();
    if (!e) return false;
    this.setDoc(e.after);
    this.patchSession({ lastError: undefined, guides: [], marquee: undefined });
    return true;
  }
  get canUndo(): boolean {
    return this.history.canUndo;
  }
  get canRedo(): boolean {
    return this.history.canRedo;
  }
  get undoLabels(): string[] {
    return this.history.undoLabels;
  }

  // ---------------------------------------------------------------------------------------------
  // Pages, viewport and other session state

  get page(): Page | undefined {
    return this.doc.print?.pages.find((p) => p.id === this.state.pageId);
  }

  setPage(pageId: string): void {
    if (!this.doc.print?.pages.some((p) => p.id === pageId)) return;
    this.patchSession({ pageId, selection: [], editingGroupId: undefined });
  }
  setTool(tool: Tool): void {
    this.gesture = undefined;
    this.patchSession({ tool, creating: undefined });
  }
  setRecordIndex(recordIndex: number): void {
    this.patchSession({ recordIndex: Math.max(0, Math.floor(recordIndex)) });
  }
  setShowFieldNames(showFieldNames: boolean): void {
    this.patchSession({ showFieldNames });
  }
  setSnapping(snapping: boolean): void {
    this.patchSession({ snapping });
  }
  setImageSource(imageSource: string | undefined): void {
    this.patchSession({ imageSource });
  }
  selectBlock(selectedBlockId: string | undefined): void {
    this.patchSession({ selectedBlockId });
  }

  setViewport(width: number, height: number): void {
    this.patchSession({ viewport: { width, height } });
  }

  /** Screen (CSS px in the viewport) → page points. */
  screenToPage(p: Point): Point {
    return { x: (p.x - this.state.pan.x) / this.state.zoom, y: (p.y - this.state.pan.y) / this.state.zoom };
  }
  pageToScreen(p: Point): Point {
    return { x: p.x * this.state.zoom + this.state.pan.x, y: p.y * this.state.zoom + this.state.pan.y };
  }

  /** Zoom by `factor` keeping the page point under `screenPoint` (default: viewport centre) still (Ctrl+wheel). */
  zoomAt(factor: number, screenPoint?: Point): void {
    const s = screenPoint ?? { x: this.state.viewport.width / 2, y: this.state.viewport.height / 2 };
    const q = this.screenToPage(s);
    const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.state.zoom * factor));
    this.patchSession({ zoom, pan: { x: s.x - q.x * zoom, y: s.y - q.y * zoom } });
  }

  /** Fit the current page with its bleed into the viewport with a margin. */
  zoomToFit(marginPixels = 32): void {
    const page = this.page;
    if (!page) return;
    const b = {
      x: -page.bleed.left,
      y: -page.bleed.top,
      width: page.width + page.bleed.left + page.bleed.right,
      height: page.height + page.bleed.top + page.bleed.bottom,
    };
    const { width, height } = this.state.viewport;
    const zoom = Math.min(
      MAX_ZOOM,
      Math.max(MIN_ZOOM, Math.min((width - 2 * marginPixels) / b.width, (height - 2 * marginPixels) / b.height)),
    );
    this.centreOn(b, zoom);
  }

  /** True size (1 pt = 1/72 in on a 96-dpi CSS display), centred on the page. */
  zoomTo100(): void {
    const page = this.page;
    if (!page) return;
    this.centreOn({ x: 0, y: 0, width: page.width, height: page.height }, TRUE_SIZE_ZOOM);
  }

  private centreOn(b: Box, zoom: number): void {
    const c = boxCentre(b);
    const { width, height } = this.state.viewport;
    this.patchSession({ zoom, pan: { x: width / 2 - c.x * zoom, y: height / 2 - c.y * zoom } });
  }

  panBy(dxPixels: number, dyPixels: number): void {
    this.patchSession({ pan: { x: this.state.pan.x + dxPixels, y: this.state.pan.y + dyPixels } });
  }

  /** A wheel event: Ctrl/Cmd+wheel (and pinch) zooms about the pointer; a plain wheel pans. */
  wheel(e: { deltaX: number; deltaY: number; mod: boolean; screenPoint: Point }): void {
    if (e.mod) this.zoomAt(Math.exp(-e.deltaY * 0.01), e.screenPoint);
    else this.panBy(-e.deltaX, -e.deltaY);
  }

  // ---------------------------------------------------------------------------------------------
  // Selection and hit-testing

  get selection(): readonly string[] {
    return this.state.selection;
  }

  /** Select exactly these elements (from the layers panel: locked and hidden ones may be selected there). */
  select(ids: readonly string[]): void {
    const existing = ids.filter((id, i) => ids.indexOf(id) === i && findElement(this.doc, id));
    const pageId = existing.length ? findElement(this.doc, existing[0] as string)?.page.id : this.state.pageId;
    this.patchSession({ selection: existing.filter((id) => findElement(this.doc, id)?.page.id === pageId), pageId });
  }
  toggleSelected(id: string): void {
    const sel = this.state.selection;
    this.select(sel.includes(id) ? sel.filter((s) => s !== id) : [...sel, id]);
  }
  clearSelection(): void {
    this.patchSession({ selection: [] });
  }
  /** Select every selectable (unlocked, visible) element at the current level of the current page. */
  selectAll(): void {
    this.patchSession({ selection: this.selectableAtLevel().map((e) => e.id) });
  }

  /** Elements clicks and marquees pick: the current page's top level, or the children of the entered group. */
  private selectableAtLevel(): { id: string; corners: Point[] }[] {
    const page = this.page;
    if (!page) return [];
    let list: readonly Element[] = page.elements;
    let parent: Matrix = [1, 0, 0, 1, 0, 0];
    if (this.state.editingGroupId) {
      const g = findElement(this.doc, this.state.editingGroupId);
      if (g && g.element.type === 'group') {
        list = g.element.children;
        parent = multiply(g.parentMatrix, elementMatrix(g.element));
      }
    }
    return list.filter((e) => !e.locked && !e.hidden).map((e) => ({ id: e.id, corners: elementCorners(e, parent) }));
  }

  /** The topmost selectable element at a page point (within a few screen pixels for thin shapes). */
  hitTest(p: Point): string | undefined {
    const tolerance = toleranceInPoints(this.handlePixels, this.state.zoom);
    const items = this.selectableAtLevel();
    for (let i = items.length - 1; i >= 0; i--) {
      const it = items[i] as (typeof items)[number];
      if (distanceToPolygon(p, it.corners) <= tolerance) return it.id;
    }
    return undefined;
  }

  /** Elements a marquee rectangle touches (rotated shapes tested exactly); locked and hidden ones are skipped. */
  elementsInRect(rect: Box): string[] {
    return this.selectableAtLevel()
      .filter((it) => polygonIntersectsBox(it.corners, rect))
      .map((it) => it.id);
  }

  /** Page-space bounding box of the selection (rotated boxes). */
  selectionBounds(): Box | undefined {
    return ops.boundsOf(this.doc, this.state.selection);
  }

  /**
   * Transform handles for the selection: for one element, on its own (rotated) box; for several, on their
   * common bounding box. The rotate handle sits above the top edge. Locked selections have none.
   */
  handles(): Handle[] {
    const sel = this.state.selection;
    if (!sel.length) return [];
    const locs = sel.map((id) => findElement(this.doc, id)).filter((l) => l !== undefined);
    if (locs.some(isLocked)) return [];
    let m: Matrix;
    let w: number;
    let h: number;
    if (locs.length === 1) {
      const loc = locs[0] as ops.ElementLocation;
      m = multiply(loc.parentMatrix, elementMatrix(loc.element));
      w = loc.element.width;
      h = loc.element.height;
    } else {
      const b = this.selectionBounds() as Box;
      m = [1, 0, 0, 1, b.x, b.y];
      w = b.width;
      h = b.height;
    }
    const at = (x: number, y: number) => apply(m, { x, y });
    const up = 24 / this.state.zoom;
    return [
      { kind: 'nw', point: at(0, 0) },
      { kind: 'n', point: at(w / 2, 0) },
      { kind: 'ne', point: at(w, 0) },
      { kind: 'e', point: at(w, h / 2) },
      { kind: 'se', point: at(w, h) },
      { kind: 's', point: at(w / 2, h) },
      { kind: 'sw', point: at(0, h) },
      { kind: 'w', point: at(0, h / 2) },
      { kind: 'rotate', point: at(w / 2, Math.sign(h || 1) * -up) },
    ];
  }

  private handleAt(p: Point): HandleKind | undefined {
    const tol = toleranceInPoints(this.handlePixels, this.state.zoom);
    const hit = this.handles().find((h) => Math.hypot(h.point.x - p.x, h.point.y - p.y) <= tol);
    return hit?.kind;
  }

  /** Enter a group so clicks pick its children (double-click); `undefined` leaves it. */
  enterGroup(groupId: string | undefined): void {
    if (groupId === undefined) return this.patchSession({ editingGroupId: undefined });
    const g = findElement(this.doc, groupId);
    if (!g || g.element.type !== 'group') return;
    this.patchSession({ editingGroupId: groupId, selection: [] });
  }

  // ---------------------------------------------------------------------------------------------
  // Pointer gestures (points in page points)

  pointerDown(p: Point, mods: PointerModifiers = {}): void {
    const st = this.state;
    if (st.spaceHeld || mods.button === 1) {
      this.gesture = { kind: 'pan', start: p };
      return;
    }
    if (st.tool !== 'select') {
      this.gesture = { kind: 'create', type: st.tool, start: p };
      this.patchSession({ creating: { type: st.tool, box: { x: p.x, y: p.y, width: 0, height: 0 } } });
      return;
    }
    const handle = this.handleAt(p);
    if (handle) return this.startTransform(handle, p);
    const hit = this.hitTest(p);
    if (hit) {
      const already = st.selection.includes(hit);
      if (!already) this.select(mods.shift ? [...st.selection, hit] : [hit]);
      // Shift-clicking a selected element deselects it — on release, so that shift-dragging still moves.
      return this.startMove(p, mods.shift && already ? hit : undefined);
    }
    if (!mods.shift)
      this.patchSession({ selection: [], editingGroupId: st.editingGroupId && this.insideEditingGroup(p) ? st.editingGroupId : undefined });
    this.gesture = { kind: 'marquee', start: p, base: mods.shift ? this.state.selection : [] };
  }

  private insideEditingGroup(p: Point): boolean {
    const g = this.state.editingGroupId ? findElement(this.doc, this.state.editingGroupId) : undefined;
    return g ? distanceToPolygon(p, elementCorners(g.element, g.parentMatrix)) === 0 : false;
  }

  /** Double-click: edit the text frame under the pointer in place, or enter the group there and select its child. */
  doubleClick(p: Point): void {
    const hit = this.hitTest(p);
    const loc = hit ? findElement(this.doc, hit) : undefined;
    if (loc?.element.type === 'text') return void this.editText(loc.element.id);
    if (!loc || loc.element.type !== 'group') return;
    this.enterGroup(loc.element.id);
    const child = this.hitTest(p);
    if (child) this.select([child]);
  }

  private snapTargetsExcluding(ids: readonly string[]): SnapTarget[] {
    const page = this.page;
    if (!page) return [];
    const skip = new Set(ids);
    const others = page.elements.filter((e) => !e.hidden && !skip.has(e.id)).map((e) => ({ id: e.id, bounds: elementBounds(e) }));
    return snapTargets(page, others);
  }

  private startMove(p: Point, toggleOnClick: string | undefined): void {
    const ids = [...this.state.selection];
    const startBox = ops.boundsOf(this.doc, ids);
    if (!startBox) return;
    this.gesture = {
      kind: 'move',
      start: p,
      ids,
      startDoc: this.doc,
      startBox,
      targets: this.snapTargetsExcluding(ids),
      active: false,
      toggleOnClick,
    };
  }

  private startTransform(handle: HandleKind, p: Point): void {
    const ids = [...this.state.selection];
    const startBox = ops.boundsOf(this.doc, ids) as Box;
    this.mark(handle === 'rotate' ? 'rotate' : 'resize');
    if (handle === 'rotate') this.gesture = { kind: 'rotate', start: p, pivot: boxCentre(startBox), startDoc: this.doc, ids };
    else this.gesture = { kind: 'resize', handle, start: p, startDoc: this.doc, ids, startBox, targets: this.snapTargetsExcluding(ids) };
  }

  pointerMove(p: Point, mods: PointerModifiers = {}): void {
    const g = this.gesture;
    if (!g) return;
    switch (g.kind) {
      case 'pan': {
        const z = this.state.zoom;
        this.panBy((p.x - g.start.x) * z, (p.y - g.start.y) * z);
        return;
      }
      case 'create':
        this.patchSession({ creating: { type: g.type, box: g.type === 'line' ? signedBox(g.start, p) : boxFromPoints(g.start, p) } });
        return;
      case 'marquee': {
        const marquee = boxFromPoints(g.start, p);
        const hits = this.elementsInRect(marquee);
        this.patchSession({ marquee, selection: [...g.base, ...hits.filter((h) => !g.base.includes(h))] });
        return;
      }
      case 'move':
        return this.moveTo(g, p, mods);
      case 'resize':
        return this.resizeTo(g, p, mods);
      case 'rotate':
        return this.rotateTo(g, p, mods);
    }
  }

  private moveTo(g: Extract<Gesture, { kind: 'move' }>, p: Point, mods: PointerModifiers): void {
    let dx = p.x - g.start.x;
    let dy = p.y - g.start.y;
    if (!g.active) {
      if (Math.hypot(dx, dy) * this.state.zoom < DRAG_PIXELS) return;
      g.active = true;
      this.mark('move');
    }
    if (mods.shift) {
      if (Math.abs(dx) > Math.abs(dy)) dy = 0;
      else dx = 0;
    }
    let guides: SnapGuide[] = [];
    if (this.state.snapping && !mods.mod) {
      const moved = { ...g.startBox, x: g.startBox.x + dx, y: g.startBox.y + dy };
      const s = snapBox(moved, g.targets, toleranceInPoints(this.snapPixels, this.state.zoom), {
        x: !mods.shift || dx !== 0,
        y: !mods.shift || dy !== 0,
      });
      dx += s.dx;
      dy += s.dy;
      guides = s.guides;
    }
    // The guides go with the move's one notification (not a second one: panels render once per step).
    this.state = { ...this.state, guides };
    const r = this.run(
      (_doc: TemplateDocument, a: { dx: number; dy: number }) => ops.moveElements(g.startDoc, { ids: g.ids, ...a }),
      { dx, dy },
      { history: 'squash', label: 'move' },
    );
    if (!r.ok) this.patchSession({ guides: [] });
  }

  private resizeTo(g: Extract<Gesture, { kind: 'resize' }>, p: Point, mods: PointerModifiers): void {
    const h = g.handle;
    const tol = toleranceInPoints(this.snapPixels, this.state.zoom);
    if (g.ids.length === 1) {
      const loc = findElement(g.startDoc, g.ids[0] as string);
      if (!loc) return;
      const el = loc.element;
      const toPage = multiply(loc.parentMatrix, elementMatrix(el));
      const q = apply(invert(toPage), p);
      let x0 = 0;
      let y0 = 0;
      let x1 = el.width;
      let y1 = el.height;
      if (h.includes('w')) x0 = q.x;
      if (h.includes('e')) x1 = q.x;
      if (h.includes('n')) y0 = q.y;
      if (h.includes('s')) y1 = q.y;
      if (mods.shift && h.length === 2 && el.width > 0 && el.height > 0) {
        const s = Math.max(Math.abs(x1 - x0) / el.width, Math.abs(y1 - y0) / el.height);
        if (h.includes('w')) x0 = x1 - el.width * s;
        else x1 = x0 + el.width * s;
        if (h.includes('n')) y0 = y1 - el.height * s;
        else y1 = y0 + el.height * s;
      }
      let guides: SnapGuide[] = [];
      const axisAligned = toPage[1] === 0 && toPage[2] === 0 && toPage[0] > 0 && toPage[3] > 0;
      if (this.state.snapping && !mods.mod && axisAligned && !mods.shift) {
        // Unrotated: snap the moving edges in page space.
        const ox = toPage[4];
        const oy = toPage[5];
        const sx = h.includes('w')
          ? snapAxis([x0 + ox], g.targets, 'x', tol)
          : h.includes('e')
            ? snapAxis([x1 + ox], g.targets, 'x', tol)
            : undefined;
        const sy = h.includes('n')
          ? snapAxis([y0 + oy], g.targets, 'y', tol)
          : h.includes('s')
            ? snapAxis([y1 + oy], g.targets, 'y', tol)
            : undefined;
        if (sx && h.includes('w')) x0 += sx.delta;
        else if (sx) x1 += sx.delta;
        if (sy && h.includes('n')) y0 += sy.delta;
        else if (sy) y1 += sy.delta;
        const box = boxFromPoints({ x: x0 + ox, y: y0 + oy }, { x: x1 + ox, y: y1 + oy });
        guides = [...guidesFor(sx, box, 'x'), ...guidesFor(sy, box, 'y')];
      }
      const r = this.run(
        (_d: TemplateDocument, a: { id: string; rect: Box }) => ops.resizeElement(g.startDoc, a),
        { id: el.id, rect: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } },
        { history: 'squash', label: 'resize' },
      );
      this.patchSession({ guides: r.ok ? guides : [] });
      return;
    }
    const b = g.startBox;
    let x0 = b.x;
    let y0 = b.y;
    let x1 = b.x + b.width;
    let y1 = b.y + b.height;
    if (h.includes('w')) x0 = p.x;
    if (h.includes('e')) x1 = p.x;
    if (h.includes('n')) y0 = p.y;
    if (h.includes('s')) y1 = p.y;
    const to = boxFromPoints({ x: x0, y: y0 }, { x: x1, y: y1 });
    this.run(
      (_d: TemplateDocument, a: { ids: string[]; from: Box; to: Box }) => ops.scaleElements(g.startDoc, a),
      { ids: g.ids, from: b, to },
      { history: 'squash', label: 'resize' },
    );
  }

  private rotateTo(g: Extract<Gesture, { kind: 'rotate' }>, p: Point, mods: PointerModifiers): void {
    const a0 = Math.atan2(g.start.y - g.pivot.y, g.start.x - g.pivot.x);
    const a1 = Math.atan2(p.y - g.pivot.y, p.x - g.pivot.x);
    let delta = ((a1 - a0) * 180) / Math.PI;
    if (mods.shift) delta = Math.round(delta / 15) * 15;
    this.run(
      (_d: TemplateDocument, a: { ids: string[]; delta: number; pivot: Point }) => ops.rotateElements(g.startDoc, a),
      { ids: g.ids, delta, pivot: g.pivot },
      { history: 'squash', label: 'rotate' },
    );
  }

  pointerUp(p: Point, mods: PointerModifiers = {}): void {
    const g = this.gesture;
    if (!g) return;
    this.pointerMove(p, mods);
    this.gesture = undefined;
    if (g.kind === 'create') return this.finishCreate(g, p);
    if (g.kind === 'move' && !g.active) {
      const hit = this.hitTest(p);
      if (g.toggleOnClick) this.select(this.state.selection.filter((id) => id !== g.toggleOnClick));
      // A click without a drag on an element already in a multi-selection selects just that element.
      else if (hit && !mods.shift && this.state.selection.length > 1) this.select([hit]);
    }
    this.closeMark();
    this.patchSession({ marquee: undefined, guides: [] });
  }

  /** Cancel the current gesture (Escape while dragging): the document returns to where it was. */
  cancelGesture(): void {
    const g = this.gesture;
    this.gesture = undefined;
    if (g && (g.kind === 'move' || g.kind === 'resize' || g.kind === 'rotate')) this.bailToMark();
    this.patchSession({ marquee: undefined, guides: [], creating: undefined });
  }

  get gestureKind(): Gesture['kind'] | undefined {
    return this.gesture?.kind;
  }

  private finishCreate(g: Extract<Gesture, { kind: 'create' }>, p: Point): void {
    const page = this.page;
    this.patchSession({ creating: undefined });
    if (!page) return;
    const dragged = Math.hypot(p.x - g.start.x, p.y - g.start.y) * this.state.zoom >= DRAG_PIXELS;
    const size = DEFAULT_SIZES[g.type];
    const box = dragged ? (g.type === 'line' ? signedBox(g.start, p) : boxFromPoints(g.start, p)) : { x: g.start.x, y: g.start.y, ...size };
    const patch: Record<string, unknown> | undefined = g.type === 'image' ? { source: this.state.imageSource } : undefined;
    if (g.type === 'image' && !this.state.imageSource) {
      this.patchSession({ lastError: { code: 'invalid', message: 'Choose an image (a logo or asset) before drawing an image frame.' } });
      return;
    }
    const r = this.run(ops.createElement, { pageId: page.id, type: g.type, box, idGen: this.idGen, patch }, { label: `add ${g.type}` });
    if (r.ok && r.created) this.patchSession({ selection: [r.created[0] as string], tool: 'select' });
  }

  // ---------------------------------------------------------------------------------------------
  // Commands on the selection (all undoable; each returns the operation result)

  private onSelection<A>(label: string, op: Op<A & { ids: readonly string[] }>, args: A): OpResult {
    const ids = this.state.selection;
    if (!ids.length) {
      const error: OpError = { code: 'nothing-to-do', message: `Select something to ${label}.` };
      this.patchSession({ lastError: error });
      return { ok: false, error };
    }
    return this.run(op, { ...args, ids } as A & { ids: readonly string[] }, { label });
  }

  deleteSelected(): OpResult {
    const r = this.onSelection('delete', ops.deleteElements, {});
    if (r.ok) this.patchSession({ selection: [] });
    return r;
  }
  duplicateSelected(): OpResult {
    const r = this.onSelection('duplicate', ops.duplicateElements, { idGen: this.idGen });
    if (r.ok && r.created) this.patchSession({ selection: r.created });
    return r;
  }
  groupSelected(): OpResult {
    const r = this.onSelection('group', ops.groupElements, { idGen: this.idGen });
    if (r.ok && r.created) this.patchSession({ selection: r.created });
    return r;
  }
  ungroupSelected(): OpResult {
    const r = this.onSelection('ungroup', ops.ungroupElements, {});
    if (r.ok && r.created) this.patchSession({ selection: r.created });
    return r;
  }
  nudgeSelected(direction: ops.NudgeDirection, large = false): OpResult {
    return this.onSelection('nudge', ops.nudgeElements, { direction, large });
  }
  moveSelected(dx: number, dy: number): OpResult {
    return this.onSelection('move', ops.moveElements, { dx, dy });
  }
  rotateSelected(delta: number): OpResult {
    return this.onSelection('rotate', ops.rotateElements, { delta });
  }
  reorderSelected(to: ops.ZOrder): OpResult {
    return this.onSelection('reorder', ops.reorderElements, { to });
  }
  alignSelected(align: ops.Alignment, relativeTo?: 'selection' | 'page'): OpResult {
    return this.onSelection('align', ops.alignElements, relativeTo ? { align, relativeTo } : { align });
  }
  distributeSelected(axis: 'horizontal' | 'vertical'): OpResult {
    return this.onSelection('distribute', ops.distributeElements, { axis });
  }
  setLocked(locked: boolean): OpResult {
    return this.onSelection(locked ? 'lock' : 'unlock', ops.updateElements, { patch: { locked } });
  }
  setHidden(hidden: boolean): OpResult {
    const r = this.onSelection(hidden ? 'hide' : 'show', ops.updateElements, { patch: { hidden } });
    return r;
  }
  /** Set properties on one element (from the properties panel). */
  updateElement(id: string, patch: Record<string, unknown>, options: RunOptions = {}): OpResult {
    return this.run(ops.updateElement, { id, patch }, { label: 'edit properties', ...options });
  }

  // ---------------------------------------------------------------------------------------------
  // In-place text editing (the view shows an editor over the frame; see text-edit.ts)

  /** Start editing a text frame in place (default: the one selected text frame). Locked or hidden frames refuse. */
  editText(id: string | undefined = this.state.selection.length === 1 ? this.state.selection[0] : undefined): OpResult {
    const loc = id ? findElement(this.doc, id) : undefined;
    let error: OpError | undefined;
    if (!loc || loc.element.type !== 'text')
      error = { code: 'invalid', message: 'Select one text frame to edit its text (Enter or double-click).' };
    else if (this.isLocked(loc.element.id))
      error = { code: 'locked', message: 'This text frame is locked; unlock it in the layers panel to edit its text.' };
    else if (this.isHidden(loc.element.id)) error = { code: 'invalid', message: 'This text frame is hidden; show it to edit its text.' };
    if (error || !loc) {
      this.patchSession({ lastError: error });
      return { ok: false, error: error! };
    }
    this.gesture = undefined;
    this.patchSession({ selection: [loc.element.id], editingTextId: loc.element.id, lastError: undefined });
    return { ok: true, doc: this.doc };
  }

  /**
   * Finish in-place editing with the edited paragraphs: one undoable `edit text` step (none if nothing
   * changed). The paragraphs come from `paragraphsFromEdit`; fabric's own state is never read.
   */
  commitTextEdit(edited: readonly EditedParagraph[]): OpResult {
    const id = this.state.editingTextId;
    const loc = id ? findElement(this.doc, id) : undefined;
    this.state = { ...this.state, editingTextId: undefined };
    if (!loc || loc.element.type !== 'text') {
      this.emit();
      return { ok: false, error: { code: 'not-found', message: 'The text frame being edited no longer exists; nothing was changed.' } };
    }
    const paragraphs = paragraphsFromEdit(loc.element.paragraphs, edited);
    if (sameParagraphs(paragraphs, loc.element.paragraphs)) {
      this.emit();
      return { ok: true, doc: this.doc };
    }
    return this.run(ops.updateElement, { id: loc.element.id, patch: { paragraphs } }, { label: 'edit text' });
  }

  /** Leave in-place editing without changing the document (Escape). */
  cancelTextEdit(): void {
    if (this.state.editingTextId) this.patchSession({ editingTextId: undefined });
  }

  // ---------------------------------------------------------------------------------------------
  // Pages

  addPage(size: ops.PageSizeSpec, name?: string): OpResult {
    const index = this.doc.print ? this.doc.print.pages.findIndex((p) => p.id === this.state.pageId) + 1 : 0;
    const r = this.run(ops.addPage, { size, idGen: this.idGen, index, ...(name ? { name } : {}) }, { label: 'add page' });
    if (r.ok && r.created) this.setPage(r.created[0] as string);
    return r;
  }
  duplicatePage(pageId = this.state.pageId ?? ''): OpResult {
    const r = this.run(ops.duplicatePage, { pageId, idGen: this.idGen }, { label: 'duplicate page' });
    if (r.ok && r.created) this.setPage(r.created[0] as string);
    return r;
  }
  movePage(pageId: string, toIndex: number): OpResult {
    return this.run(ops.movePage, { pageId, toIndex }, { label: 'reorder pages' });
  }
  removePage(pageId: string): OpResult {
    return this.run(ops.removePage, { pageId }, { label: 'remove page' });
  }
  setPageSize(pageId: string, size: ops.PageSizeSpec): OpResult {
    return this.run(ops.setPageSize, { pageId, size }, { label: 'page size' });
  }

  // ---------------------------------------------------------------------------------------------
  // Email blocks (the email block editor drives these; drag to add and reorder)

  addEmailBlock(columnId: string, type: EmailBlockType, index?: number): OpResult {
    const r = this.run(
      ops.addBlock,
      { columnId, type, idGen: this.idGen, ...(index === undefined ? {} : { index }) },
      { label: `add ${type} block` },
    );
    if (r.ok && r.created) this.selectBlock(r.created[0]);
    return r;
  }
  moveEmailBlock(blockId: string, toColumnId: string, toIndex: number): OpResult {
    return this.run(ops.moveBlock, { blockId, toColumnId, toIndex }, { label: 'move block' });
  }
  removeEmailBlock(blockId: string): OpResult {
    const r = this.run(ops.removeBlock, { blockId }, { label: 'remove block' });
    if (r.ok && this.state.selectedBlockId === blockId) this.selectBlock(undefined);
    return r;
  }
  addEmailSection(columns = 1, index?: number): OpResult {
    return this.run(ops.addSection, { idGen: this.idGen, columns, ...(index === undefined ? {} : { index }) }, { label: 'add section' });
  }
  moveEmailSection(sectionId: string, toIndex: number): OpResult {
    return this.run(ops.moveSection, { sectionId, toIndex }, { label: 'move section' });
  }
  removeEmailSection(sectionId: string): OpResult {
    return this.run(ops.removeSection, { sectionId }, { label: 'remove section' });
  }

  // ---------------------------------------------------------------------------------------------
  // Clipboard

  /** Copy the selection (in page coordinates, with its swatch and font definitions). */
  copy(): ClipboardPayload | undefined {
    const locs = this.state.selection.map((id) => findElement(this.doc, id)).filter((l) => l !== undefined);
    if (!locs.length) return undefined;
    this.clipboard = makePayload(this.doc, ops.topmostOnly(locs));
    return this.clipboard;
  }

  cut(): ClipboardPayload | undefined {
    const payload = this.copy();
    if (payload) this.deleteSelected();
    return payload;
  }

  /**
   * Paste elements (from this editor's clipboard or a payload copied in another editor/template) onto the
   * current page with fresh ids, as one undo step, and select them. Swatch and font references are kept;
   * the report lists those the target template lacks. With `importSwatches`, missing swatches are added to
   * the target brand kit from the payload (fonts need their files, so they are only reported).
   */
  paste(payload: ClipboardPayload | undefined = this.clipboard, options: { importSwatches?: boolean } = {}): PasteReport | undefined {
    const page = this.page;
    if (!payload || !page) return undefined;
    const used = ops.usedElementIds(this.doc);
    const offset = payload.sourceTemplateId === this.doc.id && payload.elements.some((e) => used.has(e.id)) ? this.pasteOffset : 0;
    const copies: Element[] = [];
    for (const el of payload.elements) {
      const c = ops.cloneWithFreshIds(el, this.idGen, used);
      if (!c) return undefined;
      copies.push({ ...c, x: c.x + offset, y: c.y + offset });
    }
    const refs = referencedIds(copies);
    const haveSwatches = new Set(this.doc.brand.swatches.map((s) => s.id as string));
    const haveFonts = new Set(this.doc.brand.fonts.map((f) => f.id as string));
    const missingSwatches = [...refs.swatches].filter((s) => !haveSwatches.has(s));
    const missingFonts = [...refs.fonts].filter((f) => !haveFonts.has(f));
    const toImport = options.importSwatches ? payload.swatches.filter((s) => missingSwatches.includes(s.id)) : [];
    const r = this.run(
      (doc: TemplateDocument, a: { elements: Element[] }) => {
        let next = toImport.length ? { ...doc, brand: { ...doc.brand, swatches: [...doc.brand.swatches, ...toImport] } } : doc;
        for (const element of a.elements) {
          const added = ops.addElement(next, { pageId: page.id, element });
          if (!added.ok) return added;
          next = added.doc;
        }
        return ops.ok(
          next,
          a.elements.map((e) => e.id),
        );
      },
      { elements: copies },
      { label: 'paste' },
    );
    if (!r.ok) return undefined;
    this.patchSession({ selection: r.created ?? [] });
    return {
      created: r.created ?? [],
      missingSwatches: missingSwatches.filter((s) => !toImport.some((t) => t.id === s)),
      importedSwatches: toImport.map((s) => s.id),
      missingFonts,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Keyboard

  /** Handle a key-down through the key map; returns the command run (the view prevents default then). */
  keyDown(e: KeyInput): EditorCommand | undefined {
    const cmd = commandForKey(e);
    if (cmd) this.execute(cmd);
    return cmd;
  }
  keyUp(e: KeyInput): EditorCommand | undefined {
    const cmd = commandForKeyUp(e);
    if (cmd) this.execute(cmd);
    return cmd;
  }

  /** Run a command from the key map or a menu. */
  execute(cmd: EditorCommand): void {
    switch (cmd.type) {
      case 'tool':
        return this.setTool(cmd.tool);
      case 'undo':
        this.undo();
        return;
      case 'redo':
        this.redo();
        return;
      case 'group':
        this.groupSelected();
        return;
      case 'ungroup':
        this.ungroupSelected();
        return;
      case 'duplicate':
        this.duplicateSelected();
        return;
      case 'delete':
        this.deleteSelected();
        return;
      case 'nudge':
        this.nudgeSelected(cmd.direction, cmd.large);
        return;
      case 'select-all':
        return this.selectAll();
      case 'escape':
        if (this.gesture) return this.cancelGesture();
        if (this.state.tool !== 'select') return this.setTool('select');
        if (this.state.editingGroupId) {
          const group = this.state.editingGroupId;
          this.patchSession({ editingGroupId: undefined, selection: [group] });
          return;
        }
        return this.clearSelection();
      case 'copy':
        this.copy();
        return;
      case 'cut':
        this.cut();
        return;
      case 'paste':
        this.paste();
        return;
      case 'reorder':
        this.reorderSelected(cmd.to);
        return;
      case 'align':
        this.alignSelected(cmd.align);
        return;
      case 'distribute':
        this.distributeSelected(cmd.axis);
        return;
      case 'lock':
        this.setLocked(cmd.locked);
        return;
      case 'hide':
        this.setHidden(cmd.hidden);
        return;
      case 'zoom':
        if (cmd.to === 'in') return this.zoomAt(1.25);
        if (cmd.to === 'out') return this.zoomAt(0.8);
        if (cmd.to === 'fit') return this.zoomToFit();
        return this.zoomTo100();
      case 'pan-start':
        if (!this.state.spaceHeld) this.patchSession({ spaceHeld: true });
        return;
      case 'pan-end':
        if (this.gesture?.kind === 'pan') this.gesture = undefined;
        this.patchSession({ spaceHeld: false });
        return;
      case 'toggle-field-names':
        return this.setShowFieldNames(!this.state.showFieldNames);
      case 'edit-text': {
        const only = this.state.selection.length === 1 ? findElement(this.doc, this.state.selection[0]!) : undefined;
        if (only?.element.type === 'text') this.editText(only.element.id);
        return;
      }
    }
  }

  /** Hidden elements stay in the document; the view draws them faintly when selected, otherwise not at all. */
  isHidden(id: string): boolean {
    const loc = findElement(this.doc, id);
    return loc ? isHidden(loc) : false;
  }
  isLocked(id: string): boolean {
    const loc = findElement(this.doc, id);
    return loc ? isLocked(loc) : false;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** A line keeps its direction: start point plus a signed size. */
function signedBox(a: Point, b: Point): Box {
  return { x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y };
}
