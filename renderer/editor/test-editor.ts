import type { TemplateDocument } from '../../shared/model/document';
import type { Element } from '../../shared/model/elements/schema';
import { counterIds, elementBounds, findElement, type Point } from '../../shared/ops';
import type { Box } from '../../shared/model/elements/base';
import { Editor, type EditorOptions, type PointerModifiers } from './editor';
import type { KeyInput } from './keymap';

/**
 * A headless harness for editor tests, in the manner of tldraw's TestEditor: pointer input in page
 * points, key presses, and expectations that throw with a readable message. Runs in Node (no DOM).
 */
export class TestEditor extends Editor {
  readonly initial: TemplateDocument;

  constructor(document: TemplateDocument, options: Partial<EditorOptions> = {}) {
    super(document, { idGen: counterIds(), ...options });
    this.initial = document;
    // A fixed viewport and true-size zoom make pixel tolerances predictable in tests.
    this.setViewport(1200, 800);
  }

  /** Pointer input in page points, chainable: `editor.pointerDown([10, 10]).pointerMove([20, 10]).pointerUp([20, 10])`. */
  override pointerDown(p: Point | [number, number], mods: PointerModifiers = {}): this {
    super.pointerDown(pt(p), mods);
    return this;
  }
  override pointerMove(p: Point | [number, number], mods: PointerModifiers = {}): this {
    super.pointerMove(pt(p), mods);
    return this;
  }
  override pointerUp(p: Point | [number, number], mods: PointerModifiers = {}): this {
    super.pointerUp(pt(p), mods);
    return this;
  }
  /** Down and up at one point. */
  click(p: Point | [number, number], mods: PointerModifiers = {}): this {
    return this.pointerDown(p, mods).pointerUp(p, mods);
  }
  /** Down at `from`, a few intermediate moves, up at `to`. */
  drag(from: Point | [number, number], to: Point | [number, number], mods: PointerModifiers = {}, steps = 4): this {
    const a = pt(from);
    const b = pt(to);
    this.pointerDown(a, mods);
    for (let i = 1; i <= steps; i++) this.pointerMove({ x: a.x + ((b.x - a.x) * i) / steps, y: a.y + ((b.y - a.y) * i) / steps }, mods);
    return this.pointerUp(b, mods);
  }
  /** Press a key: `keyDown('z', { ctrlKey: true })`, `keyDown('ArrowLeft', { shiftKey: true })`. */
  press(key: string, mods: Omit<KeyInput, 'key'> = {}): this {
    super.keyDown({ key, ...mods });
    return this;
  }
  release(key: string, mods: Omit<KeyInput, 'key'> = {}): this {
    super.keyUp({ key, ...mods });
    return this;
  }

  undoAll(): this {
    while (this.undo());
    return this;
  }
  redoAll(): this {
    while (this.redo());
    return this;
  }

  getElement(id: string): Element {
    const loc = findElement(this.document, id);
    if (!loc) throw new Error(`expected element "${id}" to exist on ${this.document.print?.pages.map((p) => p.id).join(', ')}`);
    return loc.element;
  }

  /** The element's rotated bounding box in page points. */
  pageBounds(id: string): Box {
    const loc = findElement(this.document, id);
    if (!loc) throw new Error(`expected element "${id}" to exist`);
    return elementBounds(loc.element, loc.parentMatrix);
  }

  /** The centre of an element in page points (a good place to click it). */
  centreOf(id: string): Point {
    const b = this.pageBounds(id);
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  }

  expectSelection(ids: readonly string[]): this {
    const got = [...this.selection].sort();
    const want = [...ids].sort();
    if (got.join(',') !== want.join(',')) throw new Error(`expected selection [${want.join(', ')}], got [${got.join(', ')}]`);
    return this;
  }

  /** Check some properties of an element (numbers to 1e-6). */
  expectElement(id: string, partial: Record<string, unknown>): this {
    const el = this.getElement(id) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(partial)) {
      const got = el[k];
      const same = typeof v === 'number' && typeof got === 'number' ? Math.abs(v - got) < 1e-6 : JSON.stringify(got) === JSON.stringify(v);
      if (!same) throw new Error(`expected ${id}.${k} to be ${JSON.stringify(v)}, got ${JSON.stringify(got)}`);
    }
    return this;
  }

  expectNoElement(id: string): this {
    if (findElement(this.document, id)) throw new Error(`expected element "${id}" not to exist`);
    return this;
  }

  expectError(code: string): this {
    const e = this.session.lastError;
    if (e?.code !== code) throw new Error(`expected error "${code}", got ${e ? `"${e.code}": ${e.message}` : 'none'}`);
    return this;
  }
}

const pt = (p: Point | [number, number]): Point => (Array.isArray(p) ? { x: p[0], y: p[1] } : p);
