import type { TemplateDocument } from '../model/document';
import type { ColorRef } from '../model/color';
import type { ElementId, FontId } from '../model/ids';
import type { Box } from '../model/elements/base';
import { ElementSchema, type Element, type ElementType } from '../model/elements/schema';
import { elementModels, modelOf, walkElements, type CreateDefaults } from '../model/elements/registry';
import { applyVector, invert, type Point } from './geometry';
import { freshId, type IdGenerator } from './ids';
import { fail, ok, type OpResult } from './result';
import {
  findAll,
  findElement,
  findPage,
  isFailure,
  refuseLocked,
  replaceElement,
  requirePrint,
  topmostOnly,
  updateList,
  usedElementIds,
  type ElementLocation,
} from './tree';

/** The fields of one element type that a property edit may change (never `id` or `type`). */
export type ElementPatch = Element extends infer E ? (E extends Element ? Partial<Omit<E, 'id' | 'type'>> : never) : never;

/** Geometry fields: a locked element refuses changes to these. */
const GEOMETRY = ['x', 'y', 'width', 'height', 'rotation'] as const;

function schemaIssues(value: unknown): string | undefined {
  const parsed = ElementSchema.safeParse(value);
  if (parsed.success) return undefined;
  return parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(element)'}: ${i.message}`).join('; ');
}

/** Where a new element goes: a page, optionally inside a group, at an index (default: on top). */
export interface InsertTarget {
  pageId: string;
  /** A group on that page to insert into; coordinates are then relative to the group's box. */
  parentId?: string;
  index?: number;
}

function insertAt(doc: TemplateDocument, target: InsertTarget, elements: Element[]): OpResult {
  const found = findPage(doc, target.pageId);
  if (!found) return fail('not-found', `No page with id "${target.pageId}"; pick a page from the pages panel.`);
  let ancestorIds: string[] = [];
  if (target.parentId !== undefined) {
    const parent = findElement(doc, target.parentId);
    if (!parent || parent.pageIndex !== found.pageIndex)
      return fail('not-found', `No group "${target.parentId}" on page "${target.pageId}".`);
    if (parent.element.type !== 'group')
      return fail('not-a-group', `"${target.parentId}" is a ${parent.element.type}, not a group; insert into a group or the page.`);
    ancestorIds = [...parent.ancestors.map((a) => a.id), parent.element.id];
  }
  return ok(
    updateList(doc, found.pageIndex, ancestorIds, (list) => {
      const at = target.index === undefined ? list.length : Math.max(0, Math.min(list.length, target.index));
      list.splice(at, 0, ...elements);
      return list;
    }),
    elements.map((e) => e.id),
  );
}

/**
 * Add an element (validated through the element schemas; its id and its children's ids must be new).
 * Fails with `invalid` or `duplicate-id`.
 */
export function addElement(doc: TemplateDocument, args: InsertTarget & { element: Element }): OpResult {
  const print = requirePrint(doc);
  if (isFailure(print)) return print;
  const issues = schemaIssues(args.element);
  if (issues) return fail('invalid', `The element is not valid: ${issues}. Fix these properties and try again.`);
  const parsed = ElementSchema.parse(args.element);
  const used = usedElementIds(doc);
  const clash = [...walkElements([parsed])].map((w) => w.element.id).filter((id) => used.has(id));
  if (clash.length)
    return fail('duplicate-id', `Element id ${clash.map((c) => `"${c}"`).join(', ')} is already used; choose another id.`, clash);
  return insertAt(doc, args, [parsed]);
}

/** Defaults for new elements: the brand's first font and first swatch (black CMYK without swatches). */
export function createDefaults(doc: TemplateDocument): CreateDefaults {
  const swatch = doc.brand.swatches[0];
  const color: ColorRef = swatch ? { swatch: swatch.id, tint: 100 } : { cmyk: [0, 0, 0, 100], tint: 100 };
  return { font: (doc.brand.fonts[0]?.id ?? 'no-brand-font') as FontId, color };
}

/**
 * Create a new element of a type from its registry defaults (shared/model `elementModels`) in the
 * given box, with a fresh id. Fails with `invalid` when the defaults reference a font the brand lacks.
 */
export function createElement(
  doc: TemplateDocument,
  args: InsertTarget & { type: ElementType; box: Box; idGen: IdGenerator; patch?: Record<string, unknown> },
): OpResult {
  const id = freshId(args.idGen, args.type, usedElementIds(doc));
  if (!id) return fail('id-exhausted', 'The id generator keeps returning used ids; reload the template.');
  const base = elementModels[args.type].create(id as ElementId, args.box, createDefaults(doc)) as Element;
  const element = { ...base, ...args.patch, id, type: args.type } as Element;
  const fonts = new Set(doc.brand.fonts.map((f) => f.id as string));
  const missing = modelOf(element)
    .fonts(element)
    .filter((r) => !fonts.has(r.value));
  if (missing.length)
    return fail('invalid', `A ${elementModels[args.type].label.toLowerCase()} needs a brand font; add one to the brand kit first.`);
  return addElement(doc, { ...args, element });
}

/**
 * Set properties of one element. The merged element is validated with its type's schema; a patch value
 * of `undefined` removes an optional property. A locked element refuses geometry changes (x, y, width,
 * height, rotation) but accepts other properties, including `locked: false`.
 */
export function updateElement(doc: TemplateDocument, args: { id: string; patch: ElementPatch | Record<string, unknown> }): OpResult {
  const loc = findElement(doc, args.id);
  if (!loc) return fail('not-found', `No element with id "${args.id}"; it may have been deleted.`, [args.id]);
  return updateAt(doc, loc, args.patch as Record<string, unknown>);
}

function updateAt(doc: TemplateDocument, loc: ElementLocation, patch: Record<string, unknown>): OpResult {
  const el = loc.element;
  if ('id' in patch || 'type' in patch)
    return fail('invalid', "An element's id and type cannot be changed; create a new element instead.", [el.id]);
  if ('children' in patch)
    return fail('invalid', "Change a group's children with group, ungroup, add and delete, not as a property.", [el.id]);
  const touchesGeometry = GEOMETRY.some((k) => k in patch && patch[k] !== (el as unknown as Record<string, unknown>)[k]);
  if (touchesGeometry) {
    const locked = refuseLocked([loc], 'move or resize');
    if (locked) return locked;
  }
  const merged: Record<string, unknown> = { ...el };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  const issues = schemaIssues(merged);
  if (issues) return fail('invalid', `Cannot set ${Object.keys(patch).join(', ')} on "${el.id}": ${issues}.`, [el.id]);
  return ok(replaceElement(doc, loc, ElementSchema.parse(merged)));
}

/** Set the same properties on several elements (lock, hide, opacity, …); all or nothing. */
export function updateElements(doc: TemplateDocument, args: { ids: readonly string[]; patch: Record<string, unknown> }): OpResult {
  const locs = findAll(doc, args.ids);
  if (isFailure(locs)) return locs;
  let next = doc;
  for (const id of args.ids) {
    const r = updateElement(next, { id, patch: args.patch });
    if (!r.ok) return r;
    next = r.doc;
  }
  return ok(next);
}

/** Delete elements (a group with its children). Locked elements refuse; nothing is deleted then. */
export function deleteElements(doc: TemplateDocument, args: { ids: readonly string[] }): OpResult {
  const locs = findAll(doc, args.ids);
  if (isFailure(locs)) return locs;
  const locked = refuseLocked(locs, 'delete');
  if (locked) return locked;
  let next = doc;
  for (const loc of topmostOnly(locs)) {
    const now = findElement(next, loc.element.id) as ElementLocation;
    next = updateList(
      next,
      now.pageIndex,
      now.ancestors.map((a) => a.id),
      (list) => {
        list.splice(now.index, 1);
        return list;
      },
    );
  }
  return ok(next);
}

/** A deep copy with fresh ids for the element and all its descendants. */
export function cloneWithFreshIds(el: Element, idGen: IdGenerator, used: Set<string>): Element | undefined {
  const id = freshId(idGen, el.id, used);
  if (!id) return undefined;
  if (el.type !== 'group') return { ...structuredCloneElement(el), id: id as ElementId };
  const children: Element[] = [];
  for (const child of el.children) {
    const c = cloneWithFreshIds(child, idGen, used);
    if (!c) return undefined;
    children.push(c);
  }
  return { ...el, id: id as ElementId, children };
}

/** JSON-clone (elements are plain JSON data). */
const structuredCloneElement = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * Duplicate elements: each copy (fresh ids, including children) sits just above its original, offset by
 * `offset` page points (default 10, 10). `created` lists the copies' ids in the order given.
 */
export function duplicateElements(doc: TemplateDocument, args: { ids: readonly string[]; idGen: IdGenerator; offset?: Point }): OpResult {
  const locs = findAll(doc, args.ids);
  if (isFailure(locs)) return locs;
  const offset = args.offset ?? { x: 10, y: 10 };
  const used = usedElementIds(doc);
  let next = doc;
  const created: string[] = [];
  for (const loc of topmostOnly(locs)) {
    const copy = cloneWithFreshIds(loc.element, args.idGen, used);
    if (!copy) return fail('id-exhausted', 'The id generator keeps returning used ids; reload the template.');
    const d = applyVector(invert(loc.parentMatrix), offset);
    const moved = { ...copy, x: copy.x + d.x, y: copy.y + d.y };
    const now = findElement(next, loc.element.id) as ElementLocation;
    next = updateList(
      next,
      now.pageIndex,
      now.ancestors.map((a) => a.id),
      (list) => {
        list.splice(now.index + 1, 0, moved);
        return list;
      },
    );
    created.push(copy.id);
  }
  return ok(next, created);
}
