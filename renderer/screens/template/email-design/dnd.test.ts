import { describe, expect, it } from 'vitest';
import { counterIds, moveBlock, moveSection } from '../../../../shared/ops';
import { opsTestDocument } from '../../../../shared/ops/testing';
import { Editor } from '../../../editor/editor';
import { accepts, blockMoveIndex, clickAddTarget, DRAG_TYPES, readPayload, sectionMoveIndex } from './dnd';

const ids = (doc: ReturnType<typeof opsTestDocument>) => doc.email!.sections.map((s) => s.columns.map((c) => c.blocks.map((b) => b.id)));

describe('email design drag and drop', () => {
  it('reads only our payloads', () => {
    const data = (m: Record<string, string>) => (t: string) => m[t] ?? '';
    expect(readPayload(data({ [DRAG_TYPES.new]: 'button' }))).toEqual({ kind: 'new', type: 'button' });
    expect(readPayload(data({ [DRAG_TYPES.new]: 'video' }))).toBeUndefined();
    expect(readPayload(data({ [DRAG_TYPES.block]: 'b1' }))).toEqual({ kind: 'block', id: 'b1' });
    expect(readPayload(data({ [DRAG_TYPES.section]: 's1' }))).toEqual({ kind: 'section', id: 's1' });
    expect(readPayload(data({ 'text/plain': 'x' }))).toBeUndefined();
    expect(accepts('blocks', [DRAG_TYPES.block])).toBe(true);
    expect(accepts('blocks', [DRAG_TYPES.section])).toBe(false);
    expect(accepts('sections', [DRAG_TYPES.section])).toBe(true);
  });

  it('turns a slot into the move index, so dropping below a block in its own column lands there', () => {
    const doc = opsTestDocument();
    const col = doc.email!.sections[0]!.columns[0]!;
    const order = col.blocks.map((b) => b.id);
    expect(order.length).toBeGreaterThanOrEqual(2);
    const first = order[0]!;
    // Drop the first block on the slot after the second block: it becomes second.
    const r = moveBlock(doc, { blockId: first, toColumnId: col.id, toIndex: blockMoveIndex(order, 2, first) });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.doc.email!.sections[0]!.columns[0]!.blocks.map((b) => b.id)).toEqual([order[1], first, ...order.slice(2)]);
    // Dropping on its own slots changes nothing.
    expect(blockMoveIndex(order, 0, first)).toBe(0);
    expect(blockMoveIndex(order, 1, first)).toBe(0);
    // Into another column the slot is the index.
    expect(blockMoveIndex(['x', 'y'], 1, first)).toBe(1);
  });

  it('moves sections to the dropped slot', () => {
    const doc = opsTestDocument();
    const sections = doc.email!.sections.map((s) => s.id);
    const r = moveSection(doc, { sectionId: sections[0]!, toIndex: sectionMoveIndex(sections, sections.length, sections[0]!) });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.doc.email!.sections.map((s) => s.id)).toEqual([...sections.slice(1), sections[0]]);
  });

  it('adds after the selected block, else at the end of the selected or last section', () => {
    const doc = opsTestDocument();
    const [s0, s1] = doc.email!.sections;
    const b0 = s0!.columns[0]!.blocks[0]!;
    expect(clickAddTarget(doc.email!.sections, b0.id)).toEqual({ columnId: s0!.columns[0]!.id, index: 1 });
    expect(clickAddTarget(doc.email!.sections, s0!.id)).toEqual({ columnId: s0!.columns[0]!.id, index: s0!.columns[0]!.blocks.length });
    expect(clickAddTarget(doc.email!.sections, undefined)).toEqual({ columnId: s1!.columns[0]!.id, index: s1!.columns[0]!.blocks.length });
    const editor = new Editor(doc, { idGen: counterIds() });
    const t = clickAddTarget(doc.email!.sections, b0.id)!;
    editor.addEmailBlock(t.columnId, 'spacer', t.index);
    expect(ids(editor.document)[0]![0]![1]).toBe(editor.session.selectedBlockId);
  });
});
