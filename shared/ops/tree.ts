import type { TemplateDocument } from '../model/document';
import type { ElementId, PageId } from '../model/ids';
import type { Page, PrintChannel } from '../model/print';
import type { Element, GroupElement } from '../model/elements/schema';
import { walkElements } from '../model/elements/registry';
import { IDENTITY, childFrame, multiply, type Matrix } from './geometry';
import { fail, type OpFailure } from './result';

/** Where an element sits: its page, its enclosing groups (outermost first), its index among its siblings. */
export interface ElementLocation {
  element: Element;
  page: Page;
  pageIndex: number;
  /** Enclosing groups, outermost first; empty for a top-level element. */
  ancestors: GroupElement[];
  index: number;
  /** Parent frame → page space (identity for top-level elements). */
  parentMatrix: Matrix;
}

export function requirePrint(doc: TemplateDocument): PrintChannel | OpFailure {
  return doc.print ?? fail('no-print-channel', 'This template has no print channel; add a page first to create one.');
}

export function findPage(doc: TemplateDocument, pageId: PageId | string): { page: Page; pageIndex: number } | undefined {
  const pages = doc.print?.pages ?? [];
  const pageIndex = pages.findIndex((p) => p.id === pageId);
  const page = pages[pageIndex];
  return page ? { page, pageIndex } : undefined;
}

export function findElement(doc: TemplateDocument, id: ElementId | string): ElementLocation | undefined {
  const pages = doc.print?.pages ?? [];
  for (const [pageIndex, page] of pages.entries()) {
    const found = findIn(page.elements, id, [], IDENTITY);
    if (found) return { ...found, page, pageIndex };
  }
  return undefined;
}

function findIn(
  list: readonly Element[],
  id: string,
  ancestors: GroupElement[],
  parentMatrix: Matrix,
): Omit<ElementLocation, 'page' | 'pageIndex'> | undefined {
  for (const [index, element] of list.entries()) {
    if (element.id === id) return { element, ancestors, index, parentMatrix };
    if (element.type === 'group') {
      const inner = findIn(element.children, id, [...ancestors, element], multiply(parentMatrix, childFrame(element)));
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Find every id or report the first missing one. */
export function findAll(doc: TemplateDocument, ids: readonly string[]): ElementLocation[] | OpFailure {
  const out: ElementLocation[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const loc = findElement(doc, id);
    if (loc) out.push(loc);
    else missing.push(id);
  }
  if (missing.length)
    return fail(
      'not-found',
      `No element with id ${missing.map((m) => `"${m}"`).join(', ')}; it may have been deleted — refresh the selection.`,
      missing,
    );
  if (!out.length) return fail('nothing-to-do', 'No elements given; select one or more elements first.');
  return out;
}

/** An element is effectively locked when it or any enclosing group is locked. */
export const isLocked = (loc: ElementLocation): boolean => loc.element.locked || loc.ancestors.some((g) => g.locked);
export const isHidden = (loc: ElementLocation): boolean => loc.element.hidden || loc.ancestors.some((g) => g.hidden);

/** Fail with `locked` when any of the locations is locked (directly or through a group). */
export function refuseLocked(locs: readonly ElementLocation[], doing: string): OpFailure | undefined {
  const locked = locs.filter(isLocked).map((l) => l.element.id);
  if (!locked.length) return undefined;
  return fail('locked', `Cannot ${doing} ${locked.map((i) => `"${i}"`).join(', ')}: locked. Unlock it in the layers panel first.`, locked);
}

export function isFailure(v: unknown): v is OpFailure {
  return typeof v === 'object' && v !== null && 'ok' in v && (v as { ok: unknown }).ok === false;
}

/** Replace one page (structural sharing: everything else is reused). */
export function withPage(doc: TemplateDocument, pageIndex: number, page: Page): TemplateDocument {
  const print = doc.print as PrintChannel;
  const pages = print.pages.slice();
  pages[pageIndex] = page;
  return { ...doc, print: { ...print, pages } };
}

export function withPages(doc: TemplateDocument, pages: Page[]): TemplateDocument {
  const print = doc.print as PrintChannel;
  return { ...doc, print: { ...print, pages } };
}

/** Rewrite the sibling list an element lives in (identified by its page and enclosing group ids). */
export function updateList(
  doc: TemplateDocument,
  pageIndex: number,
  ancestorIds: readonly string[],
  fn: (list: Element[]) => Element[],
): TemplateDocument {
  const page = (doc.print as PrintChannel).pages[pageIndex] as Page;
  return withPage(doc, pageIndex, { ...page, elements: updateNested(page.elements, ancestorIds, fn) });
}

function updateNested(list: Element[], path: readonly string[], fn: (list: Element[]) => Element[]): Element[] {
  const [head, ...rest] = path;
  if (head === undefined) return fn(list.slice());
  return list.map((el) => (el.id === head && el.type === 'group' ? { ...el, children: updateNested(el.children, rest, fn) } : el));
}

/** Replace one element wherever it is. */
export function replaceElement(doc: TemplateDocument, loc: ElementLocation, next: Element): TemplateDocument {
  return updateList(
    doc,
    loc.pageIndex,
    loc.ancestors.map((a) => a.id),
    (list) => {
      list[loc.index] = next;
      return list;
    },
  );
}

/** Every element id and page id in the document (ids are unique across the whole document). */
export function usedElementIds(doc: TemplateDocument): Set<string> {
  const used = new Set<string>();
  for (const page of doc.print?.pages ?? []) for (const { element } of walkElements(page.elements)) used.add(element.id);
  return used;
}

export function usedPageIds(doc: TemplateDocument): Set<string> {
  return new Set((doc.print?.pages ?? []).map((p) => p.id));
}

/** Key for "same sibling list": page index plus enclosing group ids. */
export const parentKey = (loc: ElementLocation): string => `${loc.pageIndex}/${loc.ancestors.map((a) => a.id).join('/')}`;

/** Drop ids whose ancestor is also in the list (moving a group already moves its children). */
export function topmostOnly(locs: readonly ElementLocation[]): ElementLocation[] {
  const ids = new Set(locs.map((l) => l.element.id as string));
  return locs.filter((l) => !l.ancestors.some((a) => ids.has(a.id)));
}

export const asElementId = (id: string): ElementId => id as ElementId;
