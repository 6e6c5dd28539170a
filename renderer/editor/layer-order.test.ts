import { describe, expect, it } from 'vitest';
import { opsTestDocument } from '../../shared/ops/testing';
import { counterIds } from '../../shared/ops';
import { Editor } from './editor';
import { moveElementTo } from './layer-order';

const ids = (e: Editor, page = 0) => e.document.print!.pages[page]!.elements.map((x) => x.id);

describe('moveElementTo (layers panel drag)', () => {
  it('moves an element to the index of the element it was dropped on, as one undo step', () => {
    const e = new Editor(opsTestDocument(), { idGen: counterIds() });
    const before = e.document;
    expect(ids(e).slice(0, 3)).toEqual(['a', 'b', 'c']);
    expect(e.run(moveElementTo, { id: 'a', siblingOf: 'c', index: 2 }).ok).toBe(true);
    expect(ids(e).slice(0, 3)).toEqual(['b', 'c', 'a']);
    e.undo();
    expect(e.document).toBe(before);
  });

  it('reorders inside a group, and refuses across parents and on locked elements with what to do', () => {
    const e = new Editor(opsTestDocument(), { idGen: counterIds() });
    expect(e.run(moveElementTo, { id: 'g2', siblingOf: 'g1', index: 0 }).ok).toBe(true);
    const g = e.document.print!.pages[0]!.elements.find((x) => x.id === 'g');
    expect(g?.type === 'group' ? g.children.map((c) => c.id) : []).toEqual(['g2', 'g1']);
    const across = e.run(moveElementTo, { id: 'g1', siblingOf: 'a', index: 0 });
    expect(across.ok ? undefined : across.error.code).toBe('different-parents');
    expect(e.session.lastError?.message).toMatch(/ungroup first/);
    const locked = e.run(moveElementTo, { id: 'locked', siblingOf: 'a', index: 0 });
    expect(locked.ok ? undefined : locked.error.code).toBe('locked');
    const gone = e.run(moveElementTo, { id: 'nope', siblingOf: 'a', index: 0 });
    expect(gone.ok ? undefined : gone.error.code).toBe('not-found');
  });
});
