import type { Paragraph, TextRun } from '../../shared/model/elements/text';

/**
 * In-place text editing, without the DOM: the canvas's overlay editor shows a text frame's paragraphs and
 * runs (each run keeps its style; Liquid tokens such as `{{ first_name }}` are atomic chips showing the
 * field name), and on commit reads them back as `EditedParagraph`s, which `paragraphsFromEdit` turns into
 * the frame's new paragraphs: one `updateElement` through the editor, one undo step.
 */

/** A piece of edited text and the run it came from (`[paragraph, run]` in the frame before editing). */
export interface EditedPart {
  text: string;
  from?: readonly [number, number];
}
/** An edited paragraph: its parts, and the paragraph it came from (a split paragraph keeps its origin's settings). */
export interface EditedParagraph {
  from?: number;
  parts: EditedPart[];
}

/** Liquid output `{{ … }}` and tags `{% … %}`: edited as one unit, never split by typing. */
const LIQUID = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;

/** A run's text as plain pieces and Liquid tokens, in order (for the overlay's chips). */
export function liquidPieces(text: string): { text: string; token: boolean }[] {
  const out: { text: string; token: boolean }[] = [];
  let at = 0;
  for (const m of text.matchAll(LIQUID)) {
    if (m.index > at) out.push({ text: text.slice(at, m.index), token: false });
    out.push({ text: m[0], token: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at), token: false });
  return out;
}

/** The name a token shows while editing: `{{ first_name | upcase }}` → `first_name`, tags as written. */
export function tokenLabel(token: string): string {
  const m = /^\{\{\s*([^|}]+?)\s*(\|[^}]*)?\}\}$/.exec(token);
  return m ? m[1]! : token;
}

/**
 * The frame's paragraphs after an edit. Parts keep the style of the run they came from (text typed into a
 * run takes its style; text from nowhere takes the previous part's); neighbouring parts of one style merge;
 * empty runs go, but every paragraph keeps at least one run. A paragraph keeps the alignment, spacing and
 * condition of the paragraph it came from (a new one: of the one before it).
 */
export function paragraphsFromEdit(before: readonly Paragraph[], edited: readonly EditedParagraph[]): Paragraph[] {
  const out: Paragraph[] = [];
  let lastOrigin: Paragraph = before[0] ?? { runs: [{ text: '' }], spaceBefore: 0, spaceAfter: 0 };
  let lastRun: TextRun | undefined;
  for (const ep of edited.length ? edited : [{ parts: [] }]) {
    const origin = (ep.from !== undefined ? before[ep.from] : undefined) ?? lastOrigin;
    lastOrigin = origin;
    const runs: TextRun[] = [];
    for (const part of ep.parts) {
      const source = part.from ? before[part.from[0]]?.runs[part.from[1]] : undefined;
      const style = (source ?? lastRun ?? origin.runs[0])?.style;
      lastRun = source ?? lastRun;
      const prev = runs[runs.length - 1];
      if (prev && prev.style === style) prev.text += part.text;
      else runs.push(style ? { text: part.text, style } : { text: part.text });
    }
    const kept = runs.filter((r) => r.text !== '');
    const style = runs[0]?.style ?? origin.runs[0]?.style;
    const empty: TextRun = style ? { text: '', style } : { text: '' };
    out.push({ ...origin, runs: kept.length ? kept : [empty] });
  }
  return out;
}

/** Whether two paragraph lists hold the same text, runs and settings (an edit that changed nothing is no step). */
export function sameParagraphs(a: readonly Paragraph[], b: readonly Paragraph[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
