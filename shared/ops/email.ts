import type { TemplateDocument } from '../model/document';
import type { ColorRef } from '../model/color';
import type { BlockId } from '../model/ids';
import {
  EmailBlockSchema,
  EmailSectionSchema,
  type EmailBlock,
  type EmailBlockType,
  type EmailChannel,
  type EmailColumn,
  type EmailSection,
} from '../model/email';
import { freshId, type IdGenerator } from './ids';
import { fail, ok, type OpResult } from './result';

/**
 * Operations on the email channel's block tree (sections → columns → blocks), used by the email block
 * editor: add, move (drag to reorder, also across columns), duplicate, update and remove.
 */

type BlockOfType<K extends EmailBlockType> = Extract<EmailBlock, { type: K }>;

interface BlockDefaults {
  /** The brand's first swatch (a neutral colour without swatches). */
  accent: ColorRef;
  /** Text on the accent: the brand swatch whose screen colour is lightest (white without swatches). */
  onAccent: ColorRef;
}

/** One definition per email block type: what a new block of that type looks like. */
export const emailBlockDefaults = {
  text: (id) => ({
    id,
    type: 'text',
    paragraphs: [{ runs: [{ text: 'Write your message here.' }] }],
    size: 16,
    lineHeight: 1.5,
    align: 'left',
  }),
  image: (id) => ({ id, type: 'image', src: 'https://example.com/image.png', alt: '', align: 'center' }),
  button: (id, d) => ({
    id,
    type: 'button',
    label: 'Book now',
    href: 'https://example.com',
    background: d.accent,
    color: d.onAccent,
    align: 'center',
    borderRadius: 4,
  }),
  divider: (id, d) => ({ id, type: 'divider', color: d.accent, thickness: 1 }),
  spacer: (id) => ({ id, type: 'spacer', height: 20 }),
  social: (id) => ({ id, type: 'social', links: [{ network: 'web', href: 'https://example.com' }], align: 'center' }),
  raw: (id) => ({ id, type: 'raw', html: '<!-- raw HTML -->' }),
} satisfies { [K in EmailBlockType]: (id: BlockId, d: BlockDefaults) => BlockOfType<K> };

function requireEmail(doc: TemplateDocument): EmailChannel | undefined {
  return doc.email;
}
const noEmail = () =>
  fail('no-email-channel', 'This template has no email channel; add one with “Add email channel” above the tabs on the Template screen.');

function withSections(doc: TemplateDocument, sections: EmailSection[]): TemplateDocument {
  return { ...doc, email: { ...(doc.email as EmailChannel), sections } };
}

/** Every section, column and block id (they share one id space). */
export function usedBlockIds(doc: TemplateDocument): Set<string> {
  const used = new Set<string>();
  for (const s of doc.email?.sections ?? []) {
    used.add(s.id);
    for (const c of s.columns) {
      used.add(c.id);
      for (const b of c.blocks) used.add(b.id);
    }
  }
  return used;
}

interface BlockLocation {
  sectionIndex: number;
  columnIndex: number;
  index: number;
  block: EmailBlock;
}

function findBlock(email: EmailChannel, id: string): BlockLocation | undefined {
  for (const [sectionIndex, s] of email.sections.entries())
    for (const [columnIndex, c] of s.columns.entries()) {
      const index = c.blocks.findIndex((b) => b.id === id);
      const block = c.blocks[index];
      if (block) return { sectionIndex, columnIndex, index, block };
    }
  return undefined;
}

function findColumn(email: EmailChannel, id: string): { sectionIndex: number; columnIndex: number; column: EmailColumn } | undefined {
  for (const [sectionIndex, s] of email.sections.entries()) {
    const columnIndex = s.columns.findIndex((c) => c.id === id);
    const column = s.columns[columnIndex];
    if (column) return { sectionIndex, columnIndex, column };
  }
  return undefined;
}

function editColumn(sections: EmailSection[], si: number, ci: number, fn: (blocks: EmailBlock[]) => EmailBlock[]): EmailSection[] {
  const out = sections.slice();
  const s = out[si] as EmailSection;
  const columns = s.columns.slice();
  const c = columns[ci] as EmailColumn;
  columns[ci] = { ...c, blocks: fn(c.blocks.slice()) };
  out[si] = { ...s, columns };
  return out;
}

const clamp = (i: number | undefined, len: number) => (i === undefined ? len : Math.max(0, Math.min(len, i)));
const exhausted = () => fail('id-exhausted', 'The id generator keeps returning used ids; reload the template.');

function accent(doc: TemplateDocument): ColorRef {
  const s = doc.brand.swatches[0];
  return s ? { swatch: s.id, tint: 100 } : { rgb: '#333333' };
}

/** Relative luminance (sRGB, WCAG) of #rrggbb. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** A brand colour to write on the accent: the lightest swatch, so a new button is on-brand from the start. */
function onAccent(doc: TemplateDocument): ColorRef {
  const lightest = [...doc.brand.swatches].sort((a, b) => luminance(b.srgb) - luminance(a.srgb))[0];
  return lightest && luminance(lightest.srgb) > 0.6 ? { swatch: lightest.id, tint: 100 } : { rgb: '#ffffff' };
}

/** Add a section with `columns` (1–4, default 1) empty columns at `index` (default: last). `created`: section id, then column ids. */
export function addSection(doc: TemplateDocument, args: { idGen: IdGenerator; index?: number; columns?: number }): OpResult {
  const email = requireEmail(doc);
  if (!email) return noEmail();
  const n = args.columns ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 4)
    return fail('too-many-columns', 'A section has 1 to 4 columns; choose a number in that range.');
  const used = usedBlockIds(doc);
  const id = freshId(args.idGen, 'section', used);
  const columns: EmailColumn[] = [];
  for (let i = 0; i < n; i++) {
    const cid = freshId(args.idGen, 'column', used);
    if (!cid) return exhausted();
    columns.push({ id: cid as BlockId, blocks: [] });
  }
  if (!id) return exhausted();
  const sections = email.sections.slice();
  sections.splice(clamp(args.index, sections.length), 0, { id: id as BlockId, columns });
  return ok(withSections(doc, sections), [id, ...columns.map((c) => c.id)]);
}

/** Remove a section and its blocks; the last section refuses (`last-section`). */
export function removeSection(doc: TemplateDocument, args: { sectionId: string }): OpResult {
  const email = requireEmail(doc);
  if (!email) return noEmail();
  const i = email.sections.findIndex((s) => s.id === args.sectionId);
  if (i < 0) return fail('not-found', `No email section "${args.sectionId}".`, [args.sectionId]);
  if (email.sections.length === 1)
    return fail('last-section', 'An email needs at least one section; add another before removing this one.', [args.sectionId]);
  return ok(
    withSections(
      doc,
      email.sections.filter((_, j) => j !== i),
    ),
  );
}

/** Move a section to `toIndex` (drag to reorder). */
export function moveSection(doc: TemplateDocument, args: { sectionId: string; toIndex: number }): OpResult {
  const email = requireEmail(doc);
  if (!email) return noEmail();
  const i = email.sections.findIndex((s) => s.id === args.sectionId);
  if (i < 0) return fail('not-found', `No email section "${args.sectionId}".`, [args.sectionId]);
  const sections = email.sections.slice();
  const [s] = sections.splice(i, 1);
  sections.splice(clamp(args.toIndex, sections.length), 0, s as EmailSection);
  return ok(withSections(doc, sections));
}

/** Duplicate a section (fresh ids for it, its columns and blocks) right after itself. */
export function duplicateSection(doc: TemplateDocument, args: { sectionId: string; idGen: IdGenerator }): OpResult {
  const email = requireEmail(doc);
  if (!email) return noEmail();
  const i = email.sections.findIndex((s) => s.id === args.sectionId);
  const s = email.sections[i];
  if (!s) return fail('not-found', `No email section "${args.sectionId}".`, [args.sectionId]);
  const used = usedBlockIds(doc);
  const fresh = (prefix: string) => freshId(args.idGen, prefix, used) as BlockId | undefined;
  const id = fresh(s.id);
  if (!id) return exhausted();
  const columns: EmailColumn[] = [];
  for (const c of s.columns) {
    const cid = fresh(c.id);
    if (!cid) return exhausted();
    const blocks: EmailBlock[] = [];
    for (const b of c.blocks) {
      const bid = fresh(b.id);
      if (!bid) return exhausted();
      blocks.push({ ...b, id: bid });
    }
    columns.push({ ...c, id: cid, blocks });
  }
  const sections = email.sections.slice();
  sections.splice(i + 1, 0, { ...s, id, columns });
  return ok(withSections(doc, sections), [id]);
}

/** Set a section's background, padding or visibility condition (validated). */
export function updateSection(
  doc: TemplateDocument,
  args: { sectionId: string; patch: Partial<Omit<EmailSection, 'id' | 'columns'>> },
): OpResult {
  const email = requireEmail(doc);
  if (!email) return noEmail();
  const i = email.sections.findIndex((s) => s.id === args.sectionId);
  const s = email.sections[i];
  if (!s) return fail('not-found', `No email section "${args.sectionId}".`, [args.sectionId]);
  const merged: Record<string, unknown> = { ...s };
  for (const [k, v] of Object.entries(args.patch)) {
    if (k === 'id' || k === 'columns')
      return fail('invalid', "Change a section's columns with the column operations; its id cannot change.");
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  const parsed = EmailSectionSchema.safeParse(merged);
  if (!parsed.success)
    return fail('invalid', `The section is not valid: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}.`);
  const sections = email.sections.slice();
  sections[i] = parsed.data;
  return ok(withSections(doc, sections));
}

/** Add an empty column to a section (at most 4). `created`: the column id. */
export function addColumn(doc: TemplateDocument, args: { sectionId: string; idGen: IdGenerator; index?: number }): OpResult {
  const email = requireEmail(doc);
  if (!email) return noEmail();
  const i = email.sections.findIndex((s) => s.id === args.sectionId);
  const s = email.sections[i];
  if (!s) return fail('not-found', `No email section "${args.sectionId}".`, [args.sectionId]);
  if (s.columns.length >= 4)
    return fail('too-many-columns', 'A section has at most 4 columns; add another section instead.', [args.sectionId]);
  const id = freshId(args.idGen, 'column', usedBlockIds(doc));
  if (!id) return exhausted();
  const columns = s.columns.slice();
  columns.splice(clamp(args.index, columns.length), 0, { id: id as BlockId, blocks: [] });
  const sections = email.sections.slice();
  sections[i] = { ...s, columns };
  return ok(withSections(doc, sections), [id]);
}

/** Remove a column and its blocks; a section's last column refuses (`last-column`). */
export function removeColumn(doc: TemplateDocument, args: { columnId: string }): OpResult {
  const email = requireEmail(doc);
  if (!email) return noEmail();
  const found = findColumn(email, args.columnId);
  if (!found) return fail('not-found', `No email column "${args.columnId}".`, [args.columnId]);
  const s = email.sections[found.sectionIndex] as EmailSection;
  if (s.columns.length === 1)
    return fail('last-column', 'A section needs at least one column; remove the section instead.', [args.columnId]);
  const sections = email.sections.slice();
  sections[found.sectionIndex] = { ...s, columns: s.columns.filter((c) => c.id !== args.columnId) };
  return ok(withSections(doc, sections));
}

/** Move a column within its section to `toIndex`. */
export function moveColumn(doc: TemplateDocument, args: { columnId: string; toIndex: number }): OpResult {
  const email = requireEmail(doc);
  if (!email) return noEmail();
  const found = findColumn(email, args.columnId);
  if (!found) return fail('not-found', `No email column "${args.columnId}".`, [args.columnId]);
  const s = email.sections[found.sectionIndex] as EmailSection;
  const columns = s.columns.slice();
  columns.splice(found.columnIndex, 1);
  columns.splice(clamp(args.toIndex, columns.length), 0, found.column);
  const sections = email.sections.slice();
  sections[found.sectionIndex] = { ...s, columns };
  return ok(withSections(doc, sections));
}

/**
 * Add a block to a column at `index` (default: last): either a new block of `type` from its defaults, or
 * a given `block` (validated; its id must be new). `created`: the block id.
 */
export function addBlock(
  doc: TemplateDocument,
  args: { columnId: string; index?: number } & ({ type: EmailBlockType; idGen: IdGenerator } | { block: EmailBlock }),
): OpResult {
  const email = requireEmail(doc);
  if (!email) return noEmail();
  const col = findColumn(email, args.columnId);
  if (!col) return fail('not-found', `No email column "${args.columnId}".`, [args.columnId]);
  const used = usedBlockIds(doc);
  let block: EmailBlock;
  if ('block' in args) {
    if (used.has(args.block.id))
      return fail('duplicate-id', `Block id "${args.block.id}" is already used; choose another id.`, [args.block.id]);
    const parsed = EmailBlockSchema.safeParse(args.block);
    if (!parsed.success)
      return fail('invalid', `The block is not valid: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}.`);
    block = parsed.data;
  } else {
    const id = freshId(args.idGen, args.type, used);
    if (!id) return exhausted();
    block = (emailBlockDefaults[args.type] as (id: BlockId, d: BlockDefaults) => EmailBlock)(id as BlockId, {
      accent: accent(doc),
      onAccent: onAccent(doc),
    });
  }
  const sections = editColumn(email.sections, col.sectionIndex, col.columnIndex, (blocks) => {
    blocks.splice(clamp(args.index, blocks.length), 0, block);
    return blocks;
  });
  return ok(withSections(doc, sections), [block.id]);
}

/**
 * Move a block to `toIndex` in column `toColumnId` (the same or another column, in any section). The index
 * counts the target column's blocks without the moved one, as a drop position does.
 */
export function moveBlock(doc: TemplateDocument, args: { blockId: string; toColumnId: string; toIndex: number }): OpResult {
  const email = requireEmail(doc);
  if (!email) return noEmail();
  const from = findBlock(email, args.blockId);
  if (!from) return fail('not-found', `No email block "${args.blockId}".`, [args.blockId]);
  if (!findColumn(email, args.toColumnId)) return fail('not-found', `No email column "${args.toColumnId}".`, [args.toColumnId]);
  const removed = editColumn(email.sections, from.sectionIndex, from.columnIndex, (blocks) => {
    blocks.splice(from.index, 1);
    return blocks;
  });
  const to = findColumn({ ...email, sections: removed }, args.toColumnId) as NonNullable<ReturnType<typeof findColumn>>;
  const sections = editColumn(removed, to.sectionIndex, to.columnIndex, (blocks) => {
    blocks.splice(clamp(args.toIndex, blocks.length), 0, from.block);
    return blocks;
  });
  return ok(withSections(doc, sections));
}

/** Remove a block. */
export function removeBlock(doc: TemplateDocument, args: { blockId: string }): OpResult {
  const email = requireEmail(doc);
  if (!email) return noEmail();
  const at = findBlock(email, args.blockId);
  if (!at) return fail('not-found', `No email block "${args.blockId}".`, [args.blockId]);
  return ok(
    withSections(
      doc,
      editColumn(email.sections, at.sectionIndex, at.columnIndex, (blocks) => {
        blocks.splice(at.index, 1);
        return blocks;
      }),
    ),
  );
}

/** Duplicate a block right after itself with a fresh id. `created`: the copy's id. */
export function duplicateBlock(doc: TemplateDocument, args: { blockId: string; idGen: IdGenerator }): OpResult {
  const email = requireEmail(doc);
  if (!email) return noEmail();
  const at = findBlock(email, args.blockId);
  if (!at) return fail('not-found', `No email block "${args.blockId}".`, [args.blockId]);
  const id = freshId(args.idGen, at.block.id, usedBlockIds(doc));
  if (!id) return exhausted();
  const copy = { ...(JSON.parse(JSON.stringify(at.block)) as EmailBlock), id: id as BlockId };
  return ok(
    withSections(
      doc,
      editColumn(email.sections, at.sectionIndex, at.columnIndex, (blocks) => {
        blocks.splice(at.index + 1, 0, copy);
        return blocks;
      }),
    ),
    [id],
  );
}

/** Set a block's properties (validated with the block schemas; `undefined` removes an optional property). */
export function updateBlock(doc: TemplateDocument, args: { blockId: string; patch: Record<string, unknown> }): OpResult {
  const email = requireEmail(doc);
  if (!email) return noEmail();
  const at = findBlock(email, args.blockId);
  if (!at) return fail('not-found', `No email block "${args.blockId}".`, [args.blockId]);
  if ('id' in args.patch || 'type' in args.patch)
    return fail('invalid', "A block's id and type cannot change; add a new block instead.", [args.blockId]);
  const merged: Record<string, unknown> = { ...at.block };
  for (const [k, v] of Object.entries(args.patch)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  const parsed = EmailBlockSchema.safeParse(merged);
  if (!parsed.success)
    return fail(
      'invalid',
      `Cannot set ${Object.keys(args.patch).join(', ')}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}.`,
      [args.blockId],
    );
  return ok(
    withSections(
      doc,
      editColumn(email.sections, at.sectionIndex, at.columnIndex, (blocks) => {
        blocks[at.index] = parsed.data;
        return blocks;
      }),
    ),
  );
}
