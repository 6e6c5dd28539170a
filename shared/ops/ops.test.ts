import { describe, expect, it } from 'vitest';
import type { TemplateDocument } from '../model/document';
import type { Element } from '../model/elements/schema';
import type { EmailBlock } from '../model/email';
import { parseTemplateDocument } from '../model/validate';
import { opsTestDocument } from './testing';
import { counterIds } from './ids';
import type { OpResult } from './result';
import { findElement, findPage } from './tree';
import { elementBounds } from './geometry';
import { addElement, createElement, deleteElements, duplicateElements, updateElement, updateElements } from './elements';
import { boundsOf, moveElements, nudgeElements, resizeElement, rotateElements, scaleElements, setRotation } from './transform';
import { alignElements, distributeElements, groupElements, reorderElements, ungroupElements } from './arrange';
import { addPage, duplicatePage, movePage, PAGE_PRESETS, removePage, setPageSize, updatePage } from './pages';
import {
  addBlock,
  addColumn,
  addSection,
  duplicateBlock,
  duplicateSection,
  moveBlock,
  moveColumn,
  moveSection,
  removeBlock,
  removeColumn,
  removeSection,
  updateBlock,
  updateSection,
} from './email';

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

/** A frozen fixture: any mutation by an operation throws. */
const fixture = () => deepFreeze(opsTestDocument());

function okDoc(r: OpResult): TemplateDocument {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  const parsed = parseTemplateDocument(JSON.parse(JSON.stringify(r.doc)));
  if (!parsed.ok)
    throw new Error(`operation produced an invalid document: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return r.doc;
}
function errCode(r: OpResult): string {
  if (r.ok) throw new Error('expected a failure');
  expect(r.error.message.length).toBeGreaterThan(10);
  return r.error.code;
}
const el = (doc: TemplateDocument, id: string): Element => {
  const loc = findElement(doc, id);
  if (!loc) throw new Error(`no ${id}`);
  return loc.element;
};
const ids = (list: readonly { id: string }[]) => list.map((e) => e.id);
const frontIds = (doc: TemplateDocument) => ids(doc.print!.pages[0]!.elements);

describe('element operations', () => {
  it('addElement validates through the schemas and refuses duplicate ids', () => {
    const doc = fixture();
    const rect = {
      id: 'new',
      type: 'rect',
      x: 1,
      y: 2,
      width: 3,
      height: 4,
      rotation: 0,
      opacity: 1,
      locked: false,
      hidden: false,
      cornerRadius: 0,
    } as Element;
    const next = okDoc(addElement(doc, { pageId: 'front', element: rect, index: 0 }));
    expect(frontIds(next)[0]).toBe('new');
    expect(errCode(addElement(doc, { pageId: 'front', element: { ...rect, id: 'a' } as Element }))).toBe('duplicate-id');
    expect(errCode(addElement(doc, { pageId: 'front', element: { ...rect, width: -5 } as Element }))).toBe('invalid');
    expect(errCode(addElement(doc, { pageId: 'nope', element: rect }))).toBe('not-found');
    expect(errCode(addElement(doc, { pageId: 'front', parentId: 'a', element: rect }))).toBe('not-a-group');
  });

  it('addElement into a group', () => {
    const rect = { id: 'inner', type: 'rect', x: 0, y: 0, width: 5, height: 5 } as unknown as Element;
    const next = okDoc(addElement(fixture(), { pageId: 'front', parentId: 'g', element: rect }));
    expect(findElement(next, 'inner')?.ancestors.map((a) => a.id)).toEqual(['g']);
  });

  it('createElement uses the registry defaults and a fresh id for every type', () => {
    let doc = fixture();
    for (const type of ['text', 'image', 'rect', 'ellipse', 'line', 'path', 'barcode', 'group'] as const) {
      const patch = type === 'image' ? { source: '{{ id }}' } : undefined;
      const r = createElement(doc, { pageId: 'front', type, box: { x: 5, y: 5, width: 50, height: 20 }, idGen: counterIds(), patch });
      doc = okDoc(r);
      if (!r.ok) throw new Error(r.error.message);
      expect(el(doc, r.created![0]!).type).toBe(type);
    }
  });

  it('createElement of text refuses without a brand font', () => {
    const doc = { ...fixture(), brand: { ...fixture().brand, fonts: [] } };
    expect(
      errCode(createElement(doc, { pageId: 'front', type: 'text', box: { x: 0, y: 0, width: 10, height: 10 }, idGen: counterIds() })),
    ).toBe('invalid');
  });

  it('updateElement validates, removes optional props with undefined, and never changes id/type', () => {
    const doc = fixture();
    const next = okDoc(updateElement(doc, { id: 'a', patch: { fill: { swatch: 'red' }, opacity: 0.5 } }));
    expect(el(next, 'a')).toMatchObject({ fill: { swatch: 'red', tint: 100 }, opacity: 0.5 });
    expect(el(doc, 'a')).toMatchObject({ opacity: 1 });
    const noFill = okDoc(updateElement(doc, { id: 'a', patch: { fill: undefined } }));
    expect('fill' in el(noFill, 'a')).toBe(false);
    expect(errCode(updateElement(doc, { id: 'a', patch: { opacity: 2 } }))).toBe('invalid');
    expect(errCode(updateElement(doc, { id: 'a', patch: { id: 'zz' } as never }))).toBe('invalid');
    expect(errCode(updateElement(doc, { id: 'missing', patch: { opacity: 1 } }))).toBe('not-found');
  });

  it('updateElement edits children of groups in place (structural sharing elsewhere)', () => {
    const doc = fixture();
    const next = okDoc(updateElement(doc, { id: 'g2', patch: { opacity: 0.25 } }));
    expect(el(next, 'g2').opacity).toBe(0.25);
    expect(next.print!.pages[1]).toBe(doc.print!.pages[1]);
    expect(el(next, 'a')).toBe(el(doc, 'a'));
  });

  it('a locked element refuses geometry but accepts other properties and unlocking', () => {
    const doc = fixture();
    expect(errCode(updateElement(doc, { id: 'locked', patch: { x: 1 } }))).toBe('locked');
    okDoc(updateElement(doc, { id: 'locked', patch: { opacity: 0.5 } }));
    const unlocked = okDoc(updateElement(doc, { id: 'locked', patch: { locked: false } }));
    okDoc(updateElement(unlocked, { id: 'locked', patch: { x: 1 } }));
  });

  it('updateElements locks and hides several at once, all or nothing', () => {
    const doc = fixture();
    const next = okDoc(updateElements(doc, { ids: ['a', 'b'], patch: { hidden: true } }));
    expect([el(next, 'a').hidden, el(next, 'b').hidden]).toEqual([true, true]);
    expect(errCode(updateElements(doc, { ids: ['a', 'missing'], patch: { hidden: true } }))).toBe('not-found');
  });

  it('deleteElements removes elements anywhere, refuses locked ones', () => {
    const doc = fixture();
    const next = okDoc(deleteElements(doc, { ids: ['a', 'g1', 'back-1'] }));
    expect(findElement(next, 'a')).toBeUndefined();
    expect(findElement(next, 'g1')).toBeUndefined();
    expect(next.print!.pages[1]!.elements).toEqual([]);
    expect(errCode(deleteElements(doc, { ids: ['a', 'locked'] }))).toBe('locked');
    expect(errCode(deleteElements(doc, { ids: [] }))).toBe('nothing-to-do');
  });

  it('deleting a group with one of its children selected deletes the group once', () => {
    const next = okDoc(deleteElements(fixture(), { ids: ['g', 'g1'] }));
    expect(findElement(next, 'g')).toBeUndefined();
  });

  it('duplicateElements makes copies with fresh ids above the originals, children included', () => {
    const doc = fixture();
    const r = duplicateElements(doc, { ids: ['a', 'g'], idGen: counterIds() });
    const next = okDoc(r);
    expect(r.ok && r.created).toEqual(['a-1', 'g-2']);
    expect(frontIds(next).slice(0, 2)).toEqual(['a', 'a-1']);
    expect(el(next, 'a-1')).toMatchObject({ x: 20, y: 20, width: 100 });
    const g = el(next, 'g-2');
    expect(g.type === 'group' && ids(g.children)).toEqual(['g1-3', 'g2-4']);
  });

  it('duplicate skips ids already in use', () => {
    const r = duplicateElements(fixture(), { ids: ['a'], idGen: () => 'b' });
    expect(errCode(r)).toBe('id-exhausted');
    let n = 0;
    const gen = () => ['a', 'b', 'fresh'][n++] ?? 'x';
    const ok = duplicateElements(fixture(), { ids: ['a'], idGen: gen });
    expect(ok.ok && ok.created).toEqual(['fresh']);
  });
});

describe('transform operations', () => {
  it('moveElements moves top-level, grouped and off-page elements; refuses locked', () => {
    const doc = fixture();
    const next = okDoc(moveElements(doc, { ids: ['a', 'off', 'g1'], dx: 5, dy: -3 }));
    expect(el(next, 'a')).toMatchObject({ x: 15, y: 7 });
    expect(el(next, 'off')).toMatchObject({ x: 705, y: 17 });
    expect(el(next, 'g1')).toMatchObject({ x: 5, y: -3 });
    expect(errCode(moveElements(doc, { ids: ['a', 'locked'], dx: 1, dy: 1 }))).toBe('locked');
  });

  it('moving a child of a rotated group moves it in page space', () => {
    const rotated = okDoc(setRotation(fixture(), { id: 'g', rotation: 90 }));
    const before = elementBounds(el(rotated, 'g1'), findElement(rotated, 'g1')!.parentMatrix);
    const next = okDoc(moveElements(rotated, { ids: ['g1'], dx: 10, dy: 0 }));
    const after = elementBounds(el(next, 'g1'), findElement(next, 'g1')!.parentMatrix);
    expect(after.x - before.x).toBeCloseTo(10);
    expect(after.y - before.y).toBeCloseTo(0);
    expect(el(next, 'g1').y).toBeCloseTo(-10); // in the group's frame, page-right is group-up
  });

  it('moving a group with its child selected moves the child once', () => {
    const next = okDoc(moveElements(fixture(), { ids: ['g', 'g1'], dx: 10, dy: 0 }));
    expect(el(next, 'g').x).toBe(110);
    expect(el(next, 'g1').x).toBe(0);
  });

  it('a child of a locked group is locked', () => {
    const doc = okDoc(updateElement(fixture(), { id: 'g', patch: { locked: true } }));
    expect(errCode(moveElements(doc, { ids: ['g1'], dx: 1, dy: 0 }))).toBe('locked');
  });

  it('nudge moves 1 pt, or 10 with large', () => {
    const doc = fixture();
    expect(el(okDoc(nudgeElements(doc, { ids: ['a'], direction: 'left' })), 'a').x).toBe(9);
    expect(el(okDoc(nudgeElements(doc, { ids: ['a'], direction: 'down', large: true })), 'a').y).toBe(20);
    expect(errCode(nudgeElements(doc, { ids: ['locked'], direction: 'up' }))).toBe('locked');
  });

  it('resizeElement keeps the opposite edge fixed, also when rotated', () => {
    const doc = fixture();
    const wider = okDoc(resizeElement(doc, { id: 'a', rect: { x: 0, y: 0, width: 150, height: 50 } }));
    expect(el(wider, 'a')).toMatchObject({ x: 10, y: 10, width: 150, height: 50 });
    // c is rotated 90°: its local right edge points down on the page. Growing width by 20 keeps its page top.
    const before = elementBounds(el(doc, 'c'));
    const grown = okDoc(resizeElement(doc, { id: 'c', rect: { x: 0, y: 0, width: 120, height: 50 } }));
    const after = elementBounds(el(grown, 'c'));
    expect(after.y).toBeCloseTo(before.y);
    expect(after.height).toBeCloseTo(before.height + 20);
    expect(after.x).toBeCloseTo(before.x);
    expect(errCode(resizeElement(doc, { id: 'locked', rect: { x: 0, y: 0, width: 1, height: 1 } }))).toBe('locked');
  });

  it('resizeElement normalises a negative size (dragging past the anchor)', () => {
    const next = okDoc(resizeElement(fixture(), { id: 'a', rect: { x: 0, y: 0, width: -20, height: 50 } }));
    expect(el(next, 'a')).toMatchObject({ x: -10, width: 20 });
  });

  it('resizing a group scales its children', () => {
    const next = okDoc(resizeElement(fixture(), { id: 'g', rect: { x: 0, y: 0, width: 400, height: 100 } }));
    expect(el(next, 'g2')).toMatchObject({ x: 300, width: 100, height: 50 });
  });

  it('scaleElements scales a multi-selection from one box to another', () => {
    const doc = fixture();
    const from = boundsOf(doc, ['a', 'b'])!;
    const next = okDoc(scaleElements(doc, { ids: ['a', 'b'], from, to: { ...from, width: from.width * 2 } }));
    expect(el(next, 'a')).toMatchObject({ x: 10, width: 200 });
    expect(el(next, 'b')).toMatchObject({ x: 390, width: 200 });
  });

  it('rotateElements turns about the selection centre; setRotation normalises', () => {
    const doc = fixture();
    const one = okDoc(rotateElements(doc, { ids: ['a'], delta: 90 }));
    expect(el(one, 'a')).toMatchObject({ x: 10, y: 10, rotation: 90 });
    const two = okDoc(rotateElements(doc, { ids: ['a', 'b'], delta: 180 }));
    expect(el(two, 'a')).toMatchObject({ x: 200, rotation: 180 });
    expect(el(two, 'b')).toMatchObject({ x: 10, rotation: 180 });
    expect(el(okDoc(setRotation(doc, { id: 'c', rotation: -90 })), 'c').rotation).toBe(270);
    expect(el(okDoc(rotateElements(doc, { ids: ['c'], delta: 270 })), 'c').rotation).toBe(0);
    expect(errCode(rotateElements(doc, { ids: ['locked'], delta: 5 }))).toBe('locked');
    expect(errCode(setRotation(doc, { id: 'a', rotation: Number.NaN }))).toBe('invalid');
  });
});

describe('arrange operations', () => {
  it('groups siblings into a box around their rotated bounds, keeping page positions and z-order', () => {
    const doc = fixture();
    const r = groupElements(doc, { ids: ['b', 'c'], idGen: counterIds() });
    const next = okDoc(r);
    const gid = r.ok ? r.created![0]! : '';
    expect(frontIds(next)).toEqual(['a', gid, 'locked', 'hidden', 'g', 'off']);
    const group = el(next, gid);
    expect(group).toMatchObject({ x: 200, y: 10, width: 175, height: 265 }); // c's rotated box is 325..375 × 175..275
    expect(elementBounds(el(next, 'c'), findElement(next, 'c')!.parentMatrix)).toEqual(elementBounds(el(doc, 'c')));
  });

  it('group refuses locked elements and elements with different parents', () => {
    expect(errCode(groupElements(fixture(), { ids: ['a', 'locked'], idGen: counterIds() }))).toBe('locked');
    expect(errCode(groupElements(fixture(), { ids: ['a', 'g1'], idGen: counterIds() }))).toBe('different-parents');
    expect(errCode(groupElements(fixture(), { ids: ['a', 'back-1'], idGen: counterIds() }))).toBe('different-parents');
  });

  it('ungroup restores page coordinates; group then ungroup is the identity on positions', () => {
    const doc = fixture();
    const grouped = groupElements(doc, { ids: ['a', 'b'], idGen: counterIds() });
    const back = okDoc(ungroupElements(okDoc(grouped), { ids: [grouped.ok ? grouped.created![0]! : ''] }));
    expect(el(back, 'a')).toEqual(el(doc, 'a'));
    expect(el(back, 'b')).toEqual(el(doc, 'b'));
  });

  it('ungrouping a rotated group keeps every child where it was on the page', () => {
    const rotated = okDoc(setRotation(fixture(), { id: 'g', rotation: 30 }));
    const pageBox = (d: TemplateDocument, id: string) => elementBounds(el(d, id), findElement(d, id)!.parentMatrix);
    const before = pageBox(rotated, 'g2');
    const r = ungroupElements(rotated, { ids: ['g'] });
    const next = okDoc(r);
    expect(r.ok && r.created).toEqual(['g1', 'g2']);
    const after = pageBox(next, 'g2');
    expect(after.x).toBeCloseTo(before.x, 5);
    expect(after.y).toBeCloseTo(before.y, 5);
    expect(el(next, 'g2').rotation).toBe(30);
  });

  it('ungroup carries opacity and hidden into children; refuses conditions, locks and non-groups', () => {
    const doc = okDoc(updateElement(fixture(), { id: 'g', patch: { opacity: 0.5, hidden: true } }));
    const next = okDoc(ungroupElements(doc, { ids: ['g'] }));
    expect(el(next, 'g1')).toMatchObject({ opacity: 0.5, hidden: true, x: 100, y: 150 });
    const cond = okDoc(updateElement(fixture(), { id: 'g', patch: { visibleIf: 'id' } }));
    expect(errCode(ungroupElements(cond, { ids: ['g'] }))).toBe('group-has-condition');
    expect(errCode(ungroupElements(okDoc(updateElement(fixture(), { id: 'g', patch: { locked: true } })), { ids: ['g'] }))).toBe('locked');
    expect(errCode(ungroupElements(fixture(), { ids: ['a'] }))).toBe('not-a-group');
  });

  it('z-order: forward, backward, front, back within the parent', () => {
    const doc = fixture();
    expect(frontIds(okDoc(reorderElements(doc, { ids: ['a'], to: 'forward' })))).toEqual(['b', 'a', 'c', 'locked', 'hidden', 'g', 'off']);
    expect(frontIds(okDoc(reorderElements(doc, { ids: ['a', 'b'], to: 'forward' })))).toEqual([
      'c',
      'a',
      'b',
      'locked',
      'hidden',
      'g',
      'off',
    ]);
    expect(frontIds(okDoc(reorderElements(doc, { ids: ['c'], to: 'backward' })))).toEqual(['a', 'c', 'b', 'locked', 'hidden', 'g', 'off']);
    expect(frontIds(okDoc(reorderElements(doc, { ids: ['a', 'c'], to: 'front' })))).toEqual([
      'b',
      'locked',
      'hidden',
      'g',
      'off',
      'a',
      'c',
    ]);
    expect(frontIds(okDoc(reorderElements(doc, { ids: ['off'], to: 'back' })))).toEqual(['off', 'a', 'b', 'c', 'locked', 'hidden', 'g']);
    const inGroup = okDoc(reorderElements(doc, { ids: ['g1'], to: 'front' }));
    const g = el(inGroup, 'g');
    expect(g.type === 'group' && ids(g.children)).toEqual(['g2', 'g1']);
    expect(frontIds(okDoc(reorderElements(doc, { ids: ['off'], to: 'forward' })))).toEqual(frontIds(doc));
    expect(errCode(reorderElements(doc, { ids: ['locked'], to: 'front' }))).toBe('locked');
  });

  it('align uses rotated bounding boxes', () => {
    const doc = fixture();
    const left = okDoc(alignElements(doc, { ids: ['a', 'c'], align: 'left' }));
    expect(elementBounds(el(left, 'c')).x).toBeCloseTo(10);
    const right = okDoc(alignElements(doc, { ids: ['a', 'c'], align: 'right' }));
    expect(el(right, 'a').x).toBeCloseTo(275); // c's rotated box ends at 375
    const middle = okDoc(alignElements(doc, { ids: ['a', 'b'], align: 'middle' }));
    expect(el(middle, 'a').y).toBe(10);
    const bottom = okDoc(alignElements(doc, { ids: ['a', 'c'], align: 'bottom' }));
    expect(el(bottom, 'a').y).toBeCloseTo(225);
    const top = okDoc(alignElements(doc, { ids: ['a', 'c'], align: 'top' }));
    expect(elementBounds(el(top, 'c')).y).toBeCloseTo(10);
  });

  it('a single element aligns to the page; centre puts it on the page centre', () => {
    const next = okDoc(alignElements(fixture(), { ids: ['off'], align: 'centre' }));
    expect(el(next, 'off').x).toBe(304);
    expect(errCode(alignElements(fixture(), { ids: ['a', 'locked'], align: 'left' }))).toBe('locked');
    expect(errCode(alignElements(fixture(), { ids: ['a', 'back-1'], align: 'left' }))).toBe('different-parents');
  });

  it('distribute equalises gaps between rotated boxes; needs three', () => {
    const doc = fixture();
    const next = okDoc(distributeElements(doc, { ids: ['a', 'c', 'off'], axis: 'horizontal' }));
    // a: 10..110, c (rotated): 325..375 → moves, off: 700..740. Gap = (730 - 100 - 50 - 40) / 2 = 270.
    expect(elementBounds(el(next, 'c')).x).toBeCloseTo(380);
    const v = okDoc(distributeElements(doc, { ids: ['a', 'c', 'g'], axis: 'vertical' }));
    expect(el(v, 'a').y).toBe(10);
    expect(errCode(distributeElements(doc, { ids: ['a', 'b'], axis: 'horizontal' }))).toBe('too-few');
  });
});

describe('page operations', () => {
  it('adds pages from presets and custom sizes with bleed', () => {
    const doc = fixture();
    const r = addPage(doc, { size: { preset: 'a4' }, idGen: counterIds() });
    const next = okDoc(r);
    const page = findPage(next, r.ok ? r.created![0]! : '')!.page;
    expect(page.width).toBeCloseTo(595.2756, 3);
    expect(page.bleed.top).toBeCloseTo(8.5039, 3);
    expect(PAGE_PRESETS['postcard-6x9']).toMatchObject({ width: 648, height: 432 });
    const letter = okDoc(addPage(doc, { size: { preset: 'letter', orientation: 'landscape' }, idGen: counterIds(), index: 0 }));
    expect(letter.print!.pages[0]).toMatchObject({ width: 792, height: 612 });
    const postcard = okDoc(addPage(doc, { size: { preset: 'postcard-4x6' }, idGen: counterIds() }));
    expect(postcard.print!.pages[2]).toMatchObject({ width: 432, height: 288, bleed: { top: 9 } });
    const custom = okDoc(addPage(doc, { size: { preset: 'custom', width: 300, height: 200, bleed: 6 }, idGen: counterIds() }));
    expect(custom.print!.pages[2]).toMatchObject({ width: 300, bleed: { left: 6 } });
    expect(errCode(addPage(doc, { size: { preset: 'custom', width: -1, height: 200 }, idGen: counterIds() }))).toBe('invalid');
  });

  it('adds the print channel to an email-only template', () => {
    const { print: _print, ...emailOnly } = fixture();
    const next = okDoc(addPage(emailOnly, { size: { preset: 'letter' }, idGen: counterIds() }));
    expect(next.print!.pages).toHaveLength(1);
  });

  it('setPageSize and updatePage', () => {
    const doc = fixture();
    expect(okDoc(setPageSize(doc, { pageId: 'back', size: { preset: 'postcard-4x6' } })).print!.pages[1]).toMatchObject({
      width: 432,
      height: 288,
    });
    expect(okDoc(updatePage(doc, { pageId: 'back', patch: { name: 'Reverse' } })).print!.pages[1]!.name).toBe('Reverse');
    expect(errCode(updatePage(doc, { pageId: 'back', patch: { name: '' } }))).toBe('invalid');
  });

  it('duplicates a page with fresh ids for everything on it', () => {
    const r = duplicatePage(fixture(), { pageId: 'front', idGen: counterIds() });
    const next = okDoc(r);
    const copy = next.print!.pages[1]!;
    expect(copy.id).toBe(r.ok && r.created![0]);
    expect(copy.elements).toHaveLength(7);
    expect(copy.elements.some((e) => e.id === 'a')).toBe(false);
  });

  it('reorders and removes pages; the last page stays', () => {
    const doc = fixture();
    expect(ids(okDoc(movePage(doc, { pageId: 'back', toIndex: 0 })).print!.pages)).toEqual(['back', 'front']);
    expect(movePage(doc, { pageId: 'back', toIndex: 5 })).toEqual({ ok: true, doc });
    const one = okDoc(removePage(doc, { pageId: 'front' }));
    expect(ids(one.print!.pages)).toEqual(['back']);
    expect(errCode(removePage(one, { pageId: 'back' }))).toBe('last-page');
    expect(errCode(removePage(doc, { pageId: 'x' }))).toBe('not-found');
  });
});

describe('email block operations', () => {
  const blockIds = (doc: TemplateDocument) => doc.email!.sections.map((s) => s.columns.map((c) => c.blocks.map((b) => b.id)));

  it('adds, moves, duplicates and removes sections', () => {
    const doc = fixture();
    const r = addSection(doc, { idGen: counterIds(), columns: 2, index: 1 });
    const next = okDoc(r);
    expect(r.ok && r.created).toEqual(['section-1', 'column-2', 'column-3']);
    expect(ids(next.email!.sections)).toEqual(['s1', 'section-1', 's2']);
    expect(errCode(addSection(doc, { idGen: counterIds(), columns: 5 }))).toBe('too-many-columns');
    expect(ids(okDoc(moveSection(doc, { sectionId: 's2', toIndex: 0 })).email!.sections)).toEqual(['s2', 's1']);
    const dup = okDoc(duplicateSection(doc, { sectionId: 's1', idGen: counterIds() }));
    expect(blockIds(dup)[1]).toEqual([['t1-3', 'sp1-4']]);
    const one = okDoc(removeSection(doc, { sectionId: 's1' }));
    expect(errCode(removeSection(one, { sectionId: 's2' }))).toBe('last-section');
    expect(okDoc(updateSection(doc, { sectionId: 's1', patch: { padding: '10px 20px' } })).email!.sections[0]!.padding).toBe('10px 20px');
    expect(errCode(updateSection(doc, { sectionId: 's1', patch: { padding: 'big' } }))).toBe('invalid');
  });

  it('adds, moves and removes columns (1–4)', () => {
    let doc: TemplateDocument = fixture();
    for (let i = 0; i < 3; i++) doc = okDoc(addColumn(doc, { sectionId: 's1', idGen: counterIds(10 * i) }));
    expect(errCode(addColumn(doc, { sectionId: 's1', idGen: counterIds(99) }))).toBe('too-many-columns');
    const cols = ids(doc.email!.sections[0]!.columns);
    expect(ids(okDoc(moveColumn(doc, { columnId: 's1c1', toIndex: 3 })).email!.sections[0]!.columns)).toEqual([...cols.slice(1), 's1c1']);
    expect(okDoc(removeColumn(doc, { columnId: 's1c1' })).email!.sections[0]!.columns).toHaveLength(3);
    expect(errCode(removeColumn(fixture(), { columnId: 's2c1' }))).toBe('last-column');
  });

  it('adds every block type from its defaults, or a given block', () => {
    let doc: TemplateDocument = fixture();
    for (const type of ['text', 'image', 'button', 'divider', 'spacer', 'social', 'raw'] as const) {
      const r = addBlock(doc, { columnId: 's2c1', type, idGen: counterIds() });
      doc = okDoc(r);
      expect(doc.email!.sections[1]!.columns[0]!.blocks.at(-1)!.type).toBe(type);
    }
    expect(errCode(addBlock(fixture(), { columnId: 's2c1', block: { id: 't1', type: 'spacer', height: 5 } as EmailBlock }))).toBe(
      'duplicate-id',
    );
    expect(errCode(addBlock(fixture(), { columnId: 's2c1', block: { id: 'new', type: 'spacer', height: -5 } as EmailBlock }))).toBe(
      'invalid',
    );
    expect(errCode(addBlock(fixture(), { columnId: 'nope', type: 'text', idGen: counterIds() }))).toBe('not-found');
  });

  it('gives a new button brand colours: the first swatch behind, the lightest light swatch on it', () => {
    const lastButton = (doc: TemplateDocument) =>
      doc.email!.sections[1]!.columns[0]!.blocks.at(-1) as Extract<EmailBlock, { type: 'button' }>;
    const withPaper = {
      ...fixture(),
      brand: {
        ...fixture().brand,
        swatches: [
          ...fixture().brand.swatches,
          { id: 'paper', name: 'Paper', cmyk: [0, 0, 0, 0] as [number, number, number, number], srgb: '#ffffff' },
        ],
      },
    } as TemplateDocument;
    const onBrand = lastButton(okDoc(addBlock(withPaper, { columnId: 's2c1', type: 'button', idGen: counterIds() })));
    expect(onBrand.background).toEqual({ swatch: 'navy', tint: 100 });
    expect(onBrand.color).toEqual({ swatch: 'paper', tint: 100 });
    // Without a light swatch the text stays white, which preflight reports as off-brand.
    expect(lastButton(okDoc(addBlock(fixture(), { columnId: 's2c1', type: 'button', idGen: counterIds() }))).color).toEqual({
      rgb: '#ffffff',
    });
  });

  it('moves blocks within and across columns (drag to reorder)', () => {
    const doc = fixture();
    expect(blockIds(okDoc(moveBlock(doc, { blockId: 't1', toColumnId: 's1c1', toIndex: 1 })))).toEqual([[['sp1', 't1']], [['b1']]]);
    expect(blockIds(okDoc(moveBlock(doc, { blockId: 't1', toColumnId: 's2c1', toIndex: 0 })))).toEqual([[['sp1']], [['t1', 'b1']]]);
    expect(errCode(moveBlock(doc, { blockId: 'x', toColumnId: 's2c1', toIndex: 0 }))).toBe('not-found');
  });

  it('duplicates, updates and removes blocks', () => {
    const doc = fixture();
    expect(blockIds(okDoc(duplicateBlock(doc, { blockId: 't1', idGen: counterIds() })))[0]).toEqual([['t1', 't1-1', 'sp1']]);
    const up = okDoc(updateBlock(doc, { blockId: 'sp1', patch: { height: 40 } }));
    expect(up.email!.sections[0]!.columns[0]!.blocks[1]).toMatchObject({ height: 40 });
    expect(errCode(updateBlock(doc, { blockId: 'sp1', patch: { height: 0 } }))).toBe('invalid');
    expect(errCode(updateBlock(doc, { blockId: 'sp1', patch: { type: 'text' } }))).toBe('invalid');
    expect(blockIds(okDoc(removeBlock(doc, { blockId: 't1' })))[0]).toEqual([['sp1']]);
  });

  it('refuses on a template without email', () => {
    const { email: _email, ...printOnly } = fixture();
    expect(errCode(addSection(printOnly, { idGen: counterIds() }))).toBe('no-email-channel');
  });
});
