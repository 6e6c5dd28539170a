import type { EmailBlockType, EmailSection } from '../../../../shared/model/email';
import { EMAIL_BLOCK_TYPES } from '../../../../shared/model/email';

/**
 * Drag and drop in the email design view, DOM-free: what is being dragged (a new block from the palette,
 * a block, a section), and where a drop slot puts it in terms of the email operations' indices.
 */
export const DRAG_TYPES = {
  new: 'application/x-presswork-email-new',
  block: 'application/x-presswork-email-block',
  section: 'application/x-presswork-email-section',
} as const;

export type DragPayload = { kind: 'new'; type: EmailBlockType } | { kind: 'block'; id: string } | { kind: 'section'; id: string };

/** Read a drop's payload from its data (type → string), ignoring anything that is not ours. */
export function readPayload(get: (type: string) => string): DragPayload | undefined {
  const type = get(DRAG_TYPES.new);
  if (type && (EMAIL_BLOCK_TYPES as readonly string[]).includes(type)) return { kind: 'new', type: type as EmailBlockType };
  const block = get(DRAG_TYPES.block);
  if (block) return { kind: 'block', id: block };
  const section = get(DRAG_TYPES.section);
  if (section) return { kind: 'section', id: section };
  return undefined;
}

/** Whether a slot accepts what is being dragged (during dragover only the data types are readable). */
export function accepts(slot: 'blocks' | 'sections', types: readonly string[]): boolean {
  return slot === 'blocks' ? types.includes(DRAG_TYPES.new) || types.includes(DRAG_TYPES.block) : types.includes(DRAG_TYPES.section);
}

/**
 * The `toIndex` for `moveBlock` when `blockId` is dropped on slot `slot` of `column` (slot i is before the
 * i-th block; slot n is after the last). `moveBlock` counts the target column without the moved block.
 */
export function blockMoveIndex(columnBlockIds: readonly string[], slot: number, blockId: string): number {
  const from = columnBlockIds.indexOf(blockId);
  return from >= 0 && from < slot ? slot - 1 : slot;
}

/** The `toIndex` for `moveSection` when `sectionId` is dropped on section slot `slot`. */
export function sectionMoveIndex(sectionIds: readonly string[], slot: number, sectionId: string): number {
  const from = sectionIds.indexOf(sectionId);
  return from >= 0 && from < slot ? slot - 1 : slot;
}

/**
 * Where a click on a palette item adds a block: right after the selected block; at the end of the
 * selected section's first column; else at the end of the last section's first column.
 */
export function clickAddTarget(
  sections: readonly EmailSection[],
  selectedId: string | undefined,
): { columnId: string; index: number } | undefined {
  for (const s of sections) {
    if (s.id === selectedId) {
      const c = s.columns[0];
      return c ? { columnId: c.id, index: c.blocks.length } : undefined;
    }
    for (const c of s.columns) {
      if (c.id === selectedId) return { columnId: c.id, index: c.blocks.length };
      const i = c.blocks.findIndex((b) => b.id === selectedId);
      if (i >= 0) return { columnId: c.id, index: i + 1 };
    }
  }
  const last = sections[sections.length - 1]?.columns[0];
  return last ? { columnId: last.id, index: last.blocks.length } : undefined;
}
