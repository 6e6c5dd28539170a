import type { EmailBlock, EmailBlockType } from '../../../shared/model/email';

export type EmailBlockOf<K extends EmailBlockType> = Extract<EmailBlock, { type: K }>;

/** How each email block type appears in the palette and in the block list. */
export interface EmailBlockKind<K extends EmailBlockType> {
  label: string;
  /** A one-character glyph for the palette and list. */
  glyph: string;
  hint: string;
  /** One line describing the block in the list (its text, label, height…). */
  summary(block: EmailBlockOf<K>): string;
}

const plain = (b: EmailBlockOf<'text'>) =>
  b.paragraphs
    .map((p) => p.runs.map((r) => r.text).join(''))
    .join(' ¶ ')
    .trim();

/** One entry per block type: a new type fails to compile until it appears here. */
export const emailBlockKinds = {
  text: { label: 'Text', glyph: 'T', hint: 'Paragraphs with bold, italic, links and fields', summary: (b) => plain(b) || '(empty text)' },
  image: { label: 'Image', glyph: '▣', hint: 'A brand logo, an image or a Liquid source', summary: (b) => b.alt || b.src },
  button: { label: 'Button', glyph: '▭', hint: 'A call to action with a link', summary: (b) => `${b.label} → ${b.href}` },
  divider: { label: 'Divider', glyph: '—', hint: 'A horizontal rule', summary: (b) => `${b.thickness} px line` },
  spacer: { label: 'Spacer', glyph: '↕', hint: 'Vertical space', summary: (b) => `${b.height} px space` },
  social: {
    label: 'Social',
    glyph: '◎',
    hint: 'Links to social networks',
    summary: (b) => b.links.map((l) => l.network).join(', '),
  },
  raw: { label: 'HTML', glyph: '<>', hint: 'Designer HTML passed through as is', summary: (b) => b.html.slice(0, 60) },
} satisfies { [K in EmailBlockType]: EmailBlockKind<K> };

/** Summary of any block, dispatched through the registry. */
export function blockSummary(block: EmailBlock): string {
  return (emailBlockKinds[block.type] as EmailBlockKind<typeof block.type>).summary(block as never);
}

/** CSS padding shorthand in px, as the model accepts it. */
export const PADDING_RE = /^(\d+(\.\d+)?px\s*){1,4}$/;
export const checkPadding = (v: string): string | undefined =>
  !v.trim() || PADDING_RE.test(v.trim()) ? undefined : 'Write CSS padding in px, e.g. "10px 25px".';
