import type { TemplateDocument } from '../model/document';
import type { ElementId } from '../model/ids';
import type { Box } from '../model/elements/base';
import type { Element, GroupElement } from '../model/elements/schema';
import { elementModels } from '../model/elements/registry';
import { apply, clean, elementBounds, elementMatrix, unionBoxes } from './geometry';
import { freshId, type IdGenerator } from './ids';
import { fail, ok, type OpResult } from './result';
import { moveElements, normaliseAngle } from './transform';
import {
  findAll,
  findElement,
  isFailure,
  parentKey,
  refuseLocked,
  topmostOnly,
  updateList,
  usedElementIds,
  type ElementLocation,
} from './tree';

/**
 * Group elements that share a parent (a page or a group). The group's box is the union of the children's
 * rotated bounding boxes; children keep their page position, stored relative to the group's top-left.
 * The group takes the z-position of the topmost child. `created` is the group's id.
 */
export function groupElements(doc: TemplateDocument, args: { ids: readonly string[]; idGen: IdGenerator; name?: string }): OpResult {
  const found = findAll(doc, args.ids);
  if (isFailure(found)) return found;
  const locs = topmostOnly(found);
  if (locs.length < 1) return fail('too-few', 'Select at least one element to group.');
  if (new Set(locs.map(parentKey)).size > 1)
    return fail(
      'different-parents',
      'These elements are on different pages or in different groups; group elements that share a parent.',
      locs.map((l) => l.element.id),
    );
  const locked = refuseLocked(locs, 'group');
  if (locked) return locked;
  const first = locs[0] as ElementLocation;
  const ordered = [...locs].sort((a, b) => a.index - b.index);
  const box = unionBoxes(ordered.map((l) => elementBounds(l.element))) as Box;
  const id = freshId(args.idGen, 'group', usedElementIds(doc));
  if (!id) return fail('id-exhausted', 'The id generator keeps returning used ids; reload the template.');
  const children = ordered.map((l) => ({ ...l.element, x: clean(l.element.x - box.x), y: clean(l.element.y - box.y) }));
  const group: GroupElement = {
    ...elementModels.group.create(id as ElementId, {
      x: clean(box.x),
      y: clean(box.y),
      width: clean(box.width),
      height: clean(box.height),
    }),
    children,
    ...(args.name ? { name: args.name } : {}),
  };
  const taken = new Set(ordered.map((l) => l.index));
  const top = (ordered[ordered.length - 1] as ElementLocation).index;
  const next = updateList(
    doc,
    first.pageIndex,
    first.ancestors.map((a) => a.id),
    (list) => {
      const out: Element[] = [];
      list.forEach((el, i) => {
        if (i === top) out.push(group);
        else if (!taken.has(i)) out.push(el);
      });
      return out;
    },
  );
  return ok(next, [id]);
}

/**
 * Ungroup: each group is replaced by its children, converted back to the parent's coordinates. A rotated
 * group is handled exactly (each child's centre is turned with the group and its rotation adds the
 * group's); group opacity multiplies into the children and a hidden group hides them. A group with a
 * visibility condition refuses (`group-has-condition`), as the condition cannot be kept. `created` lists the freed children.
 */
export function ungroupElements(doc: TemplateDocument, args: { ids: readonly string[] }): OpResult {
  const found = findAll(doc, args.ids);
  if (isFailure(found)) return found;
  const notGroups = found.filter((l) => l.element.type !== 'group').map((l) => l.element.id);
  if (notGroups.length)
    return fail('not-a-group', `${notGroups.map((i) => `"${i}"`).join(', ')} is not a group; select groups to ungroup.`, notGroups);
  const locked = refuseLocked(found, 'ungroup');
  if (locked) return locked;
  const conditioned = found.filter((l) => l.element.visibleIf !== undefined).map((l) => l.element.id);
  if (conditioned.length)
    return fail(
      'group-has-condition',
      `Group ${conditioned.map((i) => `"${i}"`).join(', ')} has a visibility condition that its children would lose; move the condition onto the children or remove it, then ungroup.`,
      conditioned,
    );
  let next = doc;
  const created: string[] = [];
  for (const loc of found) {
    const now = findElement(next, loc.element.id) as ElementLocation;
    const group = now.element as GroupElement;
    const m = elementMatrix(group);
    const freed = group.children.map((c) => {
      const centre = apply(m, { x: c.x + c.width / 2, y: c.y + c.height / 2 });
      return {
        ...c,
        x: clean(centre.x - c.width / 2),
        y: clean(centre.y - c.height / 2),
        rotation: normaliseAngle(c.rotation + group.rotation),
        opacity: clean(c.opacity * group.opacity),
        hidden: c.hidden || group.hidden,
      } as Element;
    });
    created.push(...freed.map((f) => f.id));
    next = updateList(
      next,
      now.pageIndex,
      now.ancestors.map((a) => a.id),
      (list) => {
        list.splice(now.index, 1, ...freed);
        return list;
      },
    );
  }
  return ok(next, created);
}

export type ZOrder = 'forward' | 'backward' | 'front' | 'back';

/**
 * Change stacking order within each element's own parent (first = bottom). `forward`/`backward` step past
 * one unselected neighbour; `front`/`back` move to the end, keeping the selection's relative order.
 */
export function reorderElements(doc: TemplateDocument, args: { ids: readonly string[]; to: ZOrder }): OpResult {
  const found = findAll(doc, args.ids);
  if (isFailure(found)) return found;
  const locked = refuseLocked(found, 'reorder');
  if (locked) return locked;
  const byParent = new Map<string, ElementLocation[]>();
  for (const loc of topmostOnly(found)) byParent.set(parentKey(loc), [...(byParent.get(parentKey(loc)) ?? []), loc]);
  let next = doc;
  for (const locs of byParent.values()) {
    const first = locs[0] as ElementLocation;
    const selected = new Set(locs.map((l) => l.element.id as string));
    const siblings = first.ancestors.length ? (first.ancestors[first.ancestors.length - 1] as GroupElement).children : first.page.elements;
    const reordered = reorderList(siblings, selected, args.to);
    if (reordered.every((e, i) => e === siblings[i])) continue;
    next = updateList(
      next,
      first.pageIndex,
      first.ancestors.map((a) => a.id),
      () => reordered,
    );
  }
  return ok(next);
}

function reorderList(list: Element[], selected: Set<string>, to: ZOrder): Element[] {
  const isSel = (e: Element | undefined) => e !== undefined && selected.has(e.id);
  if (to === 'front') return [...list.filter((e) => !isSel(e)), ...list.filter(isSel)];
  if (to === 'back') return [...list.filter(isSel), ...list.filter((e) => !isSel(e))];
  const out = list.slice();
  const swap = (i: number, j: number) => ([out[i], out[j]] = [out[j] as Element, out[i] as Element]);
  if (to === 'forward') {
    for (let i = out.length - 2; i >= 0; i--) if (isSel(out[i]) && !isSel(out[i + 1])) swap(i, i + 1);
  } else {
    for (let i = 1; i < out.length; i++) if (isSel(out[i]) && !isSel(out[i - 1])) swap(i, i - 1);
  }
  return out;
}

export const bringForward = (doc: TemplateDocument, args: { ids: readonly string[] }): OpResult =>
  reorderElements(doc, { ...args, to: 'forward' });
export const sendBackward = (doc: TemplateDocument, args: { ids: readonly string[] }): OpResult =>
  reorderElements(doc, { ...args, to: 'backward' });
export const bringToFront = (doc: TemplateDocument, args: { ids: readonly string[] }): OpResult =>
  reorderElements(doc, { ...args, to: 'front' });
export const sendToBack = (doc: TemplateDocument, args: { ids: readonly string[] }): OpResult =>
  reorderElements(doc, { ...args, to: 'back' });

export type Alignment = 'left' | 'centre' | 'right' | 'top' | 'middle' | 'bottom';

function samePage(locs: readonly ElementLocation[]): OpResult | undefined {
  if (new Set(locs.map((l) => l.pageIndex)).size > 1)
    return fail(
      'different-parents',
      'These elements are on different pages; align or distribute elements of one page.',
      locs.map((l) => l.element.id),
    );
  return undefined;
}

/**
 * Align elements' rotated bounding boxes to the selection's bounding box, or to the page's trim box
 * (`relativeTo: 'page'`, the default for a single element).
 */
export function alignElements(
  doc: TemplateDocument,
  args: { ids: readonly string[]; align: Alignment; relativeTo?: 'selection' | 'page' },
): OpResult {
  const found = findAll(doc, args.ids);
  if (isFailure(found)) return found;
  const locs = topmostOnly(found);
  const other = samePage(locs);
  if (other) return other;
  const locked = refuseLocked(locs, 'align');
  if (locked) return locked;
  const bounds = locs.map((l) => ({ id: l.element.id, b: elementBounds(l.element, l.parentMatrix) }));
  const page = (locs[0] as ElementLocation).page;
  const toPage = (args.relativeTo ?? (locs.length > 1 ? 'selection' : 'page')) === 'page';
  const ref = toPage ? { x: 0, y: 0, width: page.width, height: page.height } : (unionBoxes(bounds.map((b) => b.b)) as Box);
  let next = doc;
  for (const { id, b } of bounds) {
    const d = alignDelta(b, ref, args.align);
    const r = moveElements(next, { ids: [id], dx: d.x, dy: d.y });
    if (!r.ok) return r;
    next = r.doc;
  }
  return ok(next);
}

function alignDelta(b: Box, ref: Box, align: Alignment): { x: number; y: number } {
  switch (align) {
    case 'left':
      return { x: ref.x - b.x, y: 0 };
    case 'centre':
      return { x: ref.x + ref.width / 2 - (b.x + b.width / 2), y: 0 };
    case 'right':
      return { x: ref.x + ref.width - (b.x + b.width), y: 0 };
    case 'top':
      return { x: 0, y: ref.y - b.y };
    case 'middle':
      return { x: 0, y: ref.y + ref.height / 2 - (b.y + b.height / 2) };
    case 'bottom':
      return { x: 0, y: ref.y + ref.height - (b.y + b.height) };
  }
}

/**
 * Distribute three or more elements so the gaps between their rotated bounding boxes are equal; the first
 * and last (by position on the axis) stay put.
 */
export function distributeElements(doc: TemplateDocument, args: { ids: readonly string[]; axis: 'horizontal' | 'vertical' }): OpResult {
  const found = findAll(doc, args.ids);
  if (isFailure(found)) return found;
  const locs = topmostOnly(found);
  if (locs.length < 3) return fail('too-few', 'Distributing needs at least three elements; select more.');
  const other = samePage(locs);
  if (other) return other;
  const locked = refuseLocked(locs, 'distribute');
  if (locked) return locked;
  const h = args.axis === 'horizontal';
  const items = locs
    .map((l) => {
      const b = elementBounds(l.element, l.parentMatrix);
      return { id: l.element.id, start: h ? b.x : b.y, size: h ? b.width : b.height };
    })
    .sort((a, b) => a.start - b.start || a.size - b.size);
  const first = items[0] as (typeof items)[number];
  const last = items[items.length - 1] as (typeof items)[number];
  const total = last.start + last.size - first.start;
  const gap = (total - items.reduce((s, i) => s + i.size, 0)) / (items.length - 1);
  let cursor = first.start + first.size + gap;
  let next = doc;
  for (const item of items.slice(1, -1)) {
    const delta = cursor - item.start;
    const r = moveElements(next, { ids: [item.id], dx: h ? delta : 0, dy: h ? 0 : delta });
    if (!r.ok) return r;
    next = r.doc;
    cursor += item.size + gap;
  }
  return ok(next);
}
