import { z } from 'zod';
import type { TemplateDocument } from '../../shared/model/document';
import { ElementSchema, type Element } from '../../shared/model/elements/schema';
import { modelOf, walkElements } from '../../shared/model/elements/registry';
import { BrandFontSchema, type BrandFont } from '../../shared/model/brand';
import { isSwatchRef, SwatchSchema, type Swatch } from '../../shared/model/color';
import { apply, clean, normaliseAngle, type ElementLocation } from '../../shared/ops';

/**
 * What copy puts on the clipboard: elements in page coordinates (children copied out of a group are
 * converted to page space), plus the definitions of the swatches and fonts they reference so that a
 * paste into another template can report — or bring along — what is missing there.
 */
export const ClipboardPayloadSchema = z.strictObject({
  kind: z.literal('presswork/elements'),
  version: z.literal(1),
  sourceTemplateId: z.string(),
  elements: z.array(ElementSchema).min(1),
  swatches: z.array(SwatchSchema),
  fonts: z.array(BrandFontSchema),
});
export type ClipboardPayload = z.infer<typeof ClipboardPayloadSchema>;

/** An element as it sits on the page (no enclosing groups): centre and rotation composed with its groups'. */
export function toPageSpace(loc: ElementLocation): Element {
  const el = loc.element;
  if (!loc.ancestors.length) return el;
  const c = apply(loc.parentMatrix, { x: el.x + el.width / 2, y: el.y + el.height / 2 });
  const rotation = loc.ancestors.reduce((r, g) => r + g.rotation, el.rotation);
  return { ...el, x: clean(c.x - el.width / 2), y: clean(c.y - el.height / 2), rotation: normaliseAngle(rotation) };
}

/** The swatch and font ids an element tree references (through each type's model registry). */
export function referencedIds(elements: readonly Element[]): { swatches: Set<string>; fonts: Set<string> } {
  const swatches = new Set<string>();
  const fonts = new Set<string>();
  for (const { element } of walkElements(elements)) {
    for (const c of modelOf(element).colors(element)) if (isSwatchRef(c.value)) swatches.add(c.value.swatch);
    for (const f of modelOf(element).fonts(element)) fonts.add(f.value);
  }
  return { swatches, fonts };
}

export function makePayload(doc: TemplateDocument, locs: readonly ElementLocation[]): ClipboardPayload {
  const elements = locs.map(toPageSpace);
  const refs = referencedIds(elements);
  const swatches: Swatch[] = doc.brand.swatches.filter((s) => refs.swatches.has(s.id));
  const fonts: BrandFont[] = doc.brand.fonts.filter((f) => refs.fonts.has(f.id));
  return { kind: 'presswork/elements', version: 1, sourceTemplateId: doc.id, elements, swatches, fonts };
}

/** Text for the system clipboard. */
export const serializeClipboard = (p: ClipboardPayload): string => JSON.stringify(p);

/** Read clipboard text; undefined when it is not Presswork elements (e.g. plain text from elsewhere). */
export function parseClipboard(text: string): ClipboardPayload | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = ClipboardPayloadSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** What a paste did, and which references the target template lacks. */
export interface PasteReport {
  created: string[];
  /** Swatches referenced by the pasted elements that the target brand kit lacks (brought along when `importSwatches`). */
  missingSwatches: string[];
  /** Swatches added to the target brand kit from the clipboard. */
  importedSwatches: string[];
  /** Fonts referenced that the target brand kit lacks; add the font files to the brand kit to fix the text. */
  missingFonts: string[];
}
