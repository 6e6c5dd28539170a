import type { TemplateDocument } from '../../model/document';
import type { BoundRecord } from '../../rules/engine';
import { FontLibrary, TextError } from '../../text/fonts';
import type { PlanItem, PlanPage } from '../plan/types';
import { outputIntentInfo } from '../../color/icc-info';
import { ComposeError } from './errors';
import type { PdfOutputIntent } from './pdf-writer';
import { isStatic, paintElement, type FrameReport, type PrintContext, type RecordScope } from './painters';

/** Template × one record → plan pages. Static runs of elements are painted once and reused by key. */
export interface PrintComposer {
  readonly ctx: PrintContext;
  composeRecord(bound: BoundRecord): ComposeResult;
}

export type ComposeResult =
  { ok: true; pages: PlanPage[]; frames: FrameReport[] } | { ok: false; code: string; reason: string; elementId?: string | undefined };

export interface ComposerInput {
  document: TemplateDocument;
  /** sha256 → bytes (a template package's assets). */
  assets: ReadonlyMap<string, Uint8Array>;
  /** zlib compressor (a host's native one); fflate when absent. */
  deflate?: ((data: Uint8Array, level: number) => Uint8Array) | undefined;
}

const STATIC_RESOLVER = {
  text: (s: string) => s,
  condition: (): boolean => {
    throw new Error('static content has no conditions');
  },
};

export function createPrintComposer(input: ComposerInput): PrintComposer {
  const doc = input.document;
  if (!doc.print) throw new ComposeError('no-print-channel', 'the template has no print channel; add print pages to compose PDFs');
  const assetById = new Map(doc.assets.map((a) => [a.id, a]));
  const fonts = new FontLibrary(
    doc.brand,
    (f) => {
      const a = assetById.get(f.asset);
      return a ? input.assets.get(a.sha256) : undefined;
    },
    (f) => assetById.get(f.asset)?.name,
  );
  const overridden = new Set<string>();
  for (const v of doc.variants?.items ?? []) for (const k of Object.keys(v.swatches)) overridden.add(k);
  const ctx: PrintContext = {
    doc,
    fonts,
    assetBytes: (sha) => input.assets.get(sha),
    images: new Map(),
    svgs: new Map(),
    artwork: new Map(),
    overridden,
    deflate: input.deflate,
  };

  // Segment each page: runs of static elements (one reusable item each) between record-dependent elements.
  const pages = doc.print.pages.map((page, pageIndex) => {
    const segments: (
      | { kind: 'static'; key: string; items: PlanItem[] | undefined; els: typeof page.elements }
      | { kind: 'dynamic'; el: (typeof page.elements)[number] }
    )[] = [];
    for (const el of page.elements) {
      if (el.hidden) continue;
      if (isStatic(el, ctx)) {
        const last = segments[segments.length - 1];
        if (last && last.kind === 'static') last.els.push(el);
        else segments.push({ kind: 'static', key: `${pageIndex}:${segments.length}`, items: undefined, els: [el] });
      } else segments.push({ kind: 'dynamic', el });
    }
    return { page, pageIndex, segments };
  });

  return {
    ctx,
    composeRecord(bound) {
      const frames: FrameReport[] = [];
      const scopeFor = (pageId: string): RecordScope => ({ resolver: bound, swatches: bound.variant?.swatches ?? {}, pageId, frames });
      try {
        const out: PlanPage[] = pages.map(({ page, pageIndex, segments }) => {
          const sc = scopeFor(page.id);
          const items: PlanItem[] = [];
          for (const seg of segments) {
            if (seg.kind === 'static') {
              if (!seg.items) {
                const staticScope: RecordScope = { resolver: STATIC_RESOLVER, swatches: {}, pageId: page.id, frames: [] };
                seg.items = seg.els.flatMap((el) => paintElement(el, ctx, staticScope));
              }
              items.push({ kind: 'static', key: seg.key, items: seg.items });
            } else items.push(...paintElement(seg.el, ctx, sc));
          }
          return { page, pageIndex, items };
        });
        return { ok: true, pages: out, frames };
      } catch (e) {
        if (e instanceof ComposeError) return { ok: false, code: e.code, reason: e.message, elementId: e.elementId };
        if (e instanceof TextError) return { ok: false, code: e.code, reason: e.message };
        return { ok: false, code: 'liquid-error', reason: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}

/**
 * The template's output intent (`print.outputIntent`, an ICC output profile asset) for the PDF writer, or
 * undefined when the template sets none. Throws ComposeError `output-intent-invalid` when the asset is
 * missing or is not a usable output profile: every PDF of the job would be wrong, so no page is written.
 */
export function outputIntentOf(input: ComposerInput): PdfOutputIntent | undefined {
  const id = input.document.print?.outputIntent;
  if (id === undefined) return undefined;
  const asset = input.document.assets.find((a) => a.id === id);
  const bytes = asset ? input.assets.get(asset.sha256) : undefined;
  if (!asset || !bytes)
    throw new ComposeError(
      'output-intent-invalid',
      `print.outputIntent names asset "${id}", which is not in the package; add the ICC profile`,
    );
  try {
    const info = outputIntentInfo(bytes);
    return { profile: bytes, N: info.N, outputConditionIdentifier: info.outputConditionIdentifier, info: info.info };
  } catch (e) {
    throw new ComposeError('output-intent-invalid', `print.outputIntent ("${asset.name}"): ${e instanceof Error ? e.message : String(e)}`);
  }
}
