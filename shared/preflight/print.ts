import type { TemplateDocument } from '../model/document';
import type { Element } from '../model/elements/schema';
import { formatPath } from '../model/issues';
import type { BoundRecord } from '../rules/engine';
import { createPrintComposer } from '../compose/print/compose';
import { ComposeError } from '../compose/print/errors';
import { isStatic, paintElement, type FrameReport, type PrintContext, type RecordScope } from '../compose/print/painters';
import type { PlanItem } from '../compose/plan/types';
import { TextError } from '../text/fonts';
import type { FindingTarget, Occurrence } from './report';

/**
 * Print checks for one record, through the print composer's own painters: the same text layout, image
 * placement and colour resolution as the PDF. Each leaf element is painted on its own so that a problem is
 * pinned to its element; static elements (the same for every record) are checked once, as template findings.
 */

type Path = (string | number)[];
type Emit = (o: Omit<Occurrence, 'channel' | 'record'>) => void;

interface Leaf {
  element: Element;
  path: Path;
  pageId: string;
  /** Ancestors' visibility conditions (a group hides its children). */
  conditions: string[];
  static: boolean;
}

/** What painting needs from a record: Liquid rendering, conditions and the variant's swatch overrides. */
export type RecordResolver = Pick<BoundRecord, 'text' | 'condition' | 'variant'>;

/** Static elements have no Liquid, no conditions and no overridden swatches: they need no record. */
export const STATIC_RECORD: RecordResolver = {
  text: (s) => s,
  condition: () => true,
  variant: undefined,
};

export interface PrintChecker {
  /** Check the elements that are the same for every record (once per run). */
  checkStatic(emit: Emit): void;
  /** Check the record-dependent elements for one record. */
  checkRecord(bound: BoundRecord, emit: Emit): void;
}

export interface PrintCheckOptions {
  minPpi: number;
}

const PT_PER_INCH = 72;

export function createPrintChecker(
  doc: TemplateDocument,
  assets: ReadonlyMap<string, Uint8Array>,
  options: PrintCheckOptions,
  deflate?: (data: Uint8Array, level: number) => Uint8Array,
): PrintChecker {
  const composer = createPrintComposer({ document: doc, assets, deflate });
  const ctx = composer.ctx;
  const leaves: Leaf[] = [];
  const visit = (els: readonly Element[], base: Path, pageId: string, conditions: string[], groupStatic: boolean) => {
    els.forEach((element, i) => {
      if (element.hidden) return;
      const path = [...base, i];
      const st = groupStatic && isStatic(element, ctx);
      if (element.type === 'group') {
        visit(element.children, [...path, 'children'], pageId, element.visibleIf ? [...conditions, element.visibleIf] : conditions, st);
      } else leaves.push({ element, path, pageId, conditions, static: st });
    });
  };
  doc.print?.pages.forEach((page, pi) => visit(page.elements, ['print', 'pages', pi, 'elements'], page.id, [], true));

  const check = (leaf: Leaf, bound: RecordResolver, emit: Emit) => {
    if (leaf.conditions.some((c) => !bound.condition(c))) return;
    const el = leaf.element;
    const target: FindingTarget = { kind: 'element', id: el.id, path: formatPath(leaf.path), pageId: leaf.pageId };
    const frames: FrameReport[] = [];
    const scope: RecordScope = { resolver: bound, swatches: bound.variant?.swatches ?? {}, pageId: leaf.pageId, frames };
    let items: PlanItem[];
    try {
      items = paintElement(el, ctx, scope);
    } catch (e) {
      if (e instanceof TextError && e.code === 'missing-glyph') emit({ code: 'missing-glyph', target, message: e.message });
      else if (e instanceof ComposeError && e.code === 'image-not-found') emit({ code: 'image-not-found', target, message: e.message });
      else if (e instanceof ComposeError || e instanceof TextError) emit({ code: 'compose-failed', target, message: e.message });
      else emit({ code: 'compose-failed', target, message: `${el.type} "${el.id}": ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    for (const f of frames) frameFinding(f, el, target, emit);
    for (const img of imageItems(items)) resolutionFinding(img, ctx, el, target, options.minPpi, emit);
  };

  return {
    checkStatic(emit) {
      for (const leaf of leaves) if (leaf.static) check(leaf, STATIC_RECORD, emit);
    },
    checkRecord(bound, emit) {
      for (const leaf of leaves) if (!leaf.static) check(leaf, bound, emit);
    },
  };
}

function frameFinding(f: FrameReport, el: Element, target: FindingTarget, emit: Emit): void {
  const min = el.type === 'text' && el.fit.mode === 'shrink' ? (el.fit.minSize ?? el.style.size / 2) : undefined;
  if (f.status === 'overflow')
    emit({
      code: 'text-overflow',
      target,
      message:
        min !== undefined
          ? `text frame "${el.id}" does not fit even at its minimum size of ${min} pt; text would be cut off`
          : `text frame "${el.id}" overflows at ${f.designSize} pt; the lines beyond the frame would not print`,
    });
  else if (f.status === 'min-size')
    emit({
      code: 'copyfit-min-size',
      target,
      message: `text frame "${el.id}" fits only at its minimum size of ${f.size} pt (designed at ${f.designSize} pt)`,
    });
  else if (f.status === 'clipped')
    emit({ code: 'text-clipped', target, message: `text frame "${el.id}" (fit: clip) cuts its text at the frame` });
}

function* imageItems(items: readonly PlanItem[]): Generator<Extract<PlanItem, { kind: 'image' }>> {
  for (const it of items) {
    if (it.kind === 'image') yield it;
    else if (it.kind === 'group' || it.kind === 'static') yield* imageItems(it.items);
  }
}

function resolutionFinding(
  img: Extract<PlanItem, { kind: 'image' }>,
  ctx: PrintContext,
  el: Element,
  target: FindingTarget,
  minPpi: number,
  emit: Emit,
): void {
  const prepared = ctx.images.get(img.sha256);
  if (!prepared || img.width <= 0 || img.height <= 0) return;
  // Group transforms in a plan only translate or rotate, so the placed size in points is the printed size.
  const ppi = Math.min(prepared.width / (img.width / PT_PER_INCH), prepared.height / (img.height / PT_PER_INCH));
  if (ppi >= minPpi) return;
  const asset = ctx.doc.assets.find((a) => a.sha256 === img.sha256);
  const name = asset ? asset.name : img.sha256.slice(0, 12);
  const needW = Math.ceil((img.width / PT_PER_INCH) * minPpi);
  const needH = Math.ceil((img.height / PT_PER_INCH) * minPpi);
  emit({
    code: 'image-low-resolution',
    target,
    message: `image frame "${el.id}" prints "${name}" (${prepared.width}×${prepared.height} px) at ${Math.floor(ppi)} ppi, below ${minPpi} ppi`,
    fix: `Use an image of at least ${needW}×${needH} px for this frame, or place it smaller.`,
  });
}
