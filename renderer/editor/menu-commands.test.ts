import { describe, expect, it } from 'vitest';
import { opsTestDocument } from '../../shared/ops/testing';
import { TestEditor } from './test-editor';
import { editorCommandForMenu } from './menu-commands';

describe('menu commands reach the editor core', () => {
  it('Undo and Redo from the menu step the editor history', () => {
    const ed = new TestEditor(opsTestDocument());
    const before = ed.document;
    const id = before.print!.pages[0]!.elements.find((e) => !e.locked && !e.hidden)!.id;
    ed.select([id]);
    ed.nudgeSelected('right', true);
    const after = ed.document;
    expect(after).not.toBe(before);
    ed.execute(editorCommandForMenu('undo', true)!);
    expect(ed.document).toBe(before);
    ed.execute(editorCommandForMenu('redo', false)!);
    expect(ed.document).toBe(after);
  });

  it('Duplicate and Group are undoable editor commands; zoom only while the canvas is shown', () => {
    expect(editorCommandForMenu('duplicate', false)).toEqual({ type: 'duplicate' });
    expect(editorCommandForMenu('group', true)).toEqual({ type: 'group' });
    expect(editorCommandForMenu('ungroup', true)).toEqual({ type: 'ungroup' });
    expect(editorCommandForMenu('zoomIn', true)).toEqual({ type: 'zoom', to: 'in' });
    expect(editorCommandForMenu('zoomReset', true)).toEqual({ type: 'zoom', to: '100%' });
    expect(editorCommandForMenu('zoomIn', false)).toBeUndefined();
    expect(editorCommandForMenu('save', true)).toBeUndefined();
    expect(editorCommandForMenu('open', true)).toBeUndefined();
  });
});
