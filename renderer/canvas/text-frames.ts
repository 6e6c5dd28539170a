import type { Element, ElementOfType } from '../../shared/model/elements/schema';
import type { Page } from '../../shared/model/print';
import type { FontLibrary } from '../../shared/text/fonts';
import { layoutText, type FitStatus, type TextLayout, type TextResolver } from '../../shared/text/layout';
import { IDENTITY, childFrame, multiply, type Matrix } from '../../shared/ops';

/**
 * The canvas's text, without the DOM: which elements the view draws (the page's element tree flattened
 * with page transforms and the visibility conditions of their groups) and the engine layout each text
 * frame is drawn from. The fabric view and the parity test (tests/editor) both use these functions, so
 * the test checks exactly what the canvas draws against the composed PDF.
 */

/** Leaves of the page's element tree with their page transforms (groups are flattened), bottom first. */
export function* leaves(
  list: readonly Element[],
  parent: Matrix = IDENTITY,
  hidden = false,
  conditions: readonly string[] = [],
): Generator<{ el: Element; m: Matrix; hidden: boolean; conditions: readonly string[] }> {
  for (const el of list) {
    const h = hidden || el.hidden;
    const c = el.visibleIf ? [...conditions, el.visibleIf] : conditions;
    if (el.type === 'group') yield* leaves(el.children, multiply(parent, childFrame(el)), h, c);
    else yield { el, m: parent, hidden: h, conditions: c };
  }
}

/** Whether all conditions hold for the record (a condition that cannot be evaluated shows the element). */
export function conditionsHold(conditions: readonly string[], resolver: TextResolver): boolean {
  try {
    return conditions.every((c) => resolver.condition(c));
  } catch {
    return true;
  }
}

/** The engine's layout of a text frame for the record, or undefined when it cannot be laid out (missing glyph, Liquid error). */
export function canvasTextLayout(el: ElementOfType<'text'>, resolver: TextResolver, fonts: FontLibrary): TextLayout | undefined {
  try {
    return layoutText(el, resolver, fonts);
  } catch {
    return undefined;
  }
}

export interface CanvasTextFrame {
  elementId: string;
  /** The printed lines, as drawn: text, the line's x and baseline in frame points. */
  lines: { text: string; x: number; baseline: number }[];
  size: number;
  status: FitStatus;
  overflow: boolean;
}

/** The text frames the canvas shows as printed for this record (not hidden, conditions true), bottom first. */
export function canvasTextFrames(page: Page, resolver: TextResolver, fonts: FontLibrary): CanvasTextFrame[] {
  const out: CanvasTextFrame[] = [];
  for (const { el, hidden, conditions } of leaves(page.elements)) {
    if (el.type !== 'text' || hidden || !conditionsHold(conditions, resolver)) continue;
    const layout = canvasTextLayout(el, resolver, fonts);
    if (!layout) continue;
    out.push({
      elementId: el.id,
      lines: layout.lines.map((l) => ({ text: l.text, x: l.x, baseline: l.baseline })),
      size: layout.size,
      status: layout.status,
      overflow: layout.overflow,
    });
  }
  return out;
}
