import { describe, expect, it } from 'vitest';
import { opsTestDocument } from '../../shared/ops/testing';
import { History } from './history';

const docs = () => {
  const a = opsTestDocument();
  const b = { ...a, name: 'b' };
  const c = { ...a, name: 'c' };
  const d = { ...a, name: 'd' };
  return { a, b, c, d };
};

describe('History', () => {
  it('records steps and undoes/redoes exact snapshots', () => {
    const { a, b, c } = docs();
    const h = new History();
    h.commit('record', 'one', a, b);
    h.commit('record', 'two', b, c);
    expect(h.undoLabels).toEqual(['one', 'two']);
    expect(h.undo()?.before).toBe(b);
    expect(h.undo()?.before).toBe(a);
    expect(h.undo()).toBeUndefined();
    expect(h.redo()?.after).toBe(b);
    expect(h.redoLabels).toEqual(['two']);
  });

  it('squashes changes after a mark into one step; a new record clears redo', () => {
    const { a, b, c, d } = docs();
    const h = new History();
    h.mark('drag', a);
    h.commit('squash', 'move', a, b);
    h.commit('squash', 'move', b, c);
    expect(h.undoLabels).toEqual(['drag']);
    const e = h.undo();
    expect([e?.before, e?.after]).toEqual([a, c]);
    h.redo();
    h.undo();
    h.commit('record', 'other', a, d);
    expect(h.canRedo).toBe(false);
  });

  it('squash without a mark merges into the last step when it continues from it', () => {
    const { a, b, c } = docs();
    const h = new History();
    h.commit('record', 'type', a, b);
    h.commit('squash', 'type', b, c);
    expect(h.undoLabels).toEqual(['type']);
  });

  it('ignore leaves history alone; bail drops the marked step', () => {
    const { a, b, c } = docs();
    const h = new History();
    h.commit('ignore', 'x', a, b);
    expect(h.canUndo).toBe(false);
    h.mark('drag', b);
    h.commit('squash', 'move', b, c);
    expect(h.bail()).toBe(b);
    expect(h.canUndo).toBe(false);
  });

  it('keeps at most `limit` steps', () => {
    const { a, b } = docs();
    const h = new History(2);
    h.commit('record', '1', a, b);
    h.commit('record', '2', b, a);
    h.commit('record', '3', a, b);
    expect(h.undoLabels).toEqual(['2', '3']);
  });
});
