import type { TemplateDocument } from '../model/document';
import type { PageId } from '../model/ids';
import type { BoxSides } from '../model/elements/base';
import type { Element } from '../model/elements/schema';
import { PageSchema, type Page } from '../model/print';
import { inToPt, mmToPt } from '../model/units';
import { cloneWithFreshIds } from './elements';
import { freshId, type IdGenerator } from './ids';
import { fail, ok, type OpResult } from './result';
import { findPage, usedElementIds, usedPageIds, withPages } from './tree';

export type PagePreset = 'letter' | 'a4' | 'postcard-6x9' | 'postcard-4x6';

export interface PageSize {
  width: number;
  height: number;
  bleed: BoxSides;
  safeArea: number;
}

const sides = (v: number): BoxSides => ({ top: v, right: v, bottom: v, left: v });

/**
 * Standard sizes in points. US sizes use a 0.125 in bleed and a 0.25 in safe area; A4 uses 3 mm and 5 mm.
 * Postcards are landscape, as mailed (6×9 in is 648 × 432 pt).
 */
export const PAGE_PRESETS: { [K in PagePreset]: PageSize & { label: string } } = {
  letter: { label: 'US Letter (8.5 × 11 in)', width: inToPt(8.5), height: inToPt(11), bleed: sides(inToPt(0.125)), safeArea: inToPt(0.25) },
  a4: { label: 'A4 (210 × 297 mm)', width: mmToPt(210), height: mmToPt(297), bleed: sides(mmToPt(3)), safeArea: mmToPt(5) },
  'postcard-6x9': { label: 'Postcard 6 × 9 in', width: inToPt(9), height: inToPt(6), bleed: sides(inToPt(0.125)), safeArea: inToPt(0.25) },
  'postcard-4x6': { label: 'Postcard 4 × 6 in', width: inToPt(6), height: inToPt(4), bleed: sides(inToPt(0.125)), safeArea: inToPt(0.25) },
};

/** A page size: a preset (optionally turned), or a custom size with its own bleed and safe area. */
export type PageSizeSpec =
  | { preset: PagePreset; orientation?: 'portrait' | 'landscape' }
  | { preset: 'custom'; width: number; height: number; bleed?: BoxSides | number; safeArea?: number };

export function resolvePageSize(spec: PageSizeSpec): PageSize {
  if (spec.preset === 'custom') {
    const bleed = typeof spec.bleed === 'number' ? sides(spec.bleed) : (spec.bleed ?? sides(0));
    return { width: spec.width, height: spec.height, bleed, safeArea: spec.safeArea ?? 0 };
  }
  const p = PAGE_PRESETS[spec.preset];
  const landscape = p.width > p.height;
  const turn = spec.orientation !== undefined && (spec.orientation === 'landscape') !== landscape;
  return { width: turn ? p.height : p.width, height: turn ? p.width : p.height, bleed: { ...p.bleed }, safeArea: p.safeArea };
}

function validPage(page: Page): OpResult | undefined {
  const parsed = PageSchema.safeParse(page);
  if (parsed.success) return undefined;
  return fail(
    'invalid',
    `The page is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(page)'}: ${i.message}`).join('; ')}.`,
  );
}

/**
 * Add an empty page of a size (preset or custom with bleed) at `index` (default: last). Creates the print
 * channel when the template has none. `created` is the new page id.
 */
export function addPage(doc: TemplateDocument, args: { size: PageSizeSpec; idGen: IdGenerator; name?: string; index?: number }): OpResult {
  const id = freshId(args.idGen, 'page', usedPageIds(doc));
  if (!id) return fail('id-exhausted', 'The id generator keeps returning used ids; reload the template.');
  const pages = doc.print?.pages ?? [];
  const page: Page = { id: id as PageId, name: args.name ?? `Page ${pages.length + 1}`, ...resolvePageSize(args.size), elements: [] };
  const invalid = validPage(page);
  if (invalid) return invalid;
  const at = args.index === undefined ? pages.length : Math.max(0, Math.min(pages.length, args.index));
  const nextPages = [...pages.slice(0, at), page, ...pages.slice(at)];
  const print = doc.print ?? { pages: [], marks: { crop: false, bleed: false, offset: 12, length: 18 } };
  return ok({ ...doc, print: { ...print, pages: nextPages } }, [id]);
}

/** Change a page's size (preset or custom with bleed). Elements keep their positions. */
export function setPageSize(doc: TemplateDocument, args: { pageId: string; size: PageSizeSpec }): OpResult {
  const found = findPage(doc, args.pageId);
  if (!found) return fail('not-found', `No page with id "${args.pageId}".`, [args.pageId]);
  const page = { ...found.page, ...resolvePageSize(args.size) };
  const invalid = validPage(page);
  if (invalid) return invalid;
  const pages = (doc.print?.pages ?? []).slice();
  pages[found.pageIndex] = page;
  return ok(withPages(doc, pages));
}

/** Rename a page (or change its safe area) — validated through the page schema. */
export function updatePage(
  doc: TemplateDocument,
  args: { pageId: string; patch: { name?: string; safeArea?: number; bleed?: BoxSides } },
): OpResult {
  const found = findPage(doc, args.pageId);
  if (!found) return fail('not-found', `No page with id "${args.pageId}".`, [args.pageId]);
  const page = { ...found.page, ...args.patch };
  const invalid = validPage(page);
  if (invalid) return invalid;
  const pages = (doc.print?.pages ?? []).slice();
  pages[found.pageIndex] = page;
  return ok(withPages(doc, pages));
}

/** Duplicate a page right after itself, with fresh ids for the page and every element on it. */
export function duplicatePage(doc: TemplateDocument, args: { pageId: string; idGen: IdGenerator }): OpResult {
  const found = findPage(doc, args.pageId);
  if (!found) return fail('not-found', `No page with id "${args.pageId}".`, [args.pageId]);
  const id = freshId(args.idGen, found.page.id, usedPageIds(doc));
  if (!id) return fail('id-exhausted', 'The id generator keeps returning used ids; reload the template.');
  const used = usedElementIds(doc);
  const elements: Element[] = [];
  for (const el of found.page.elements) {
    const c = cloneWithFreshIds(el, args.idGen, used);
    if (!c) return fail('id-exhausted', 'The id generator keeps returning used ids; reload the template.');
    elements.push(c);
  }
  const copy: Page = { ...found.page, id: id as PageId, name: `${found.page.name} copy`, elements };
  const pages = (doc.print?.pages ?? []).slice();
  pages.splice(found.pageIndex + 1, 0, copy);
  return ok(withPages(doc, pages), [id]);
}

/** Move a page to `toIndex` (clamped to the page list). */
export function movePage(doc: TemplateDocument, args: { pageId: string; toIndex: number }): OpResult {
  const found = findPage(doc, args.pageId);
  if (!found) return fail('not-found', `No page with id "${args.pageId}".`, [args.pageId]);
  const pages = (doc.print?.pages ?? []).slice();
  pages.splice(found.pageIndex, 1);
  const at = Math.max(0, Math.min(pages.length, args.toIndex));
  if (at === found.pageIndex) return ok(doc);
  pages.splice(at, 0, found.page);
  return ok(withPages(doc, pages));
}

/** Remove a page. The last page cannot be removed (`last-page`): a print channel needs one. */
export function removePage(doc: TemplateDocument, args: { pageId: string }): OpResult {
  const found = findPage(doc, args.pageId);
  if (!found) return fail('not-found', `No page with id "${args.pageId}".`, [args.pageId]);
  const pages = doc.print?.pages ?? [];
  if (pages.length === 1)
    return fail('last-page', 'A print channel needs at least one page; add another page before removing this one.', [args.pageId]);
  return ok(
    withPages(
      doc,
      pages.filter((_, i) => i !== found.pageIndex),
    ),
  );
}
