import { describe, expect, it } from 'vitest';
import { opsTestDocument } from '../../../shared/ops/testing';
import { Editor } from '../../editor/editor';
import { counterIds } from '../../../shared/ops';
import { setColumnWidth, updateEmailEnvelope } from './channel-ops';

describe('updateEmailEnvelope', () => {
  it('sets subject, preheader and sender without touching the blocks, and undoes as one step', () => {
    const doc = opsTestDocument();
    const editor = new Editor(doc, { idGen: counterIds() });
    const r = editor.run(
      updateEmailEnvelope,
      { patch: { subject: 'Hi {{ first_name }}', preheader: 'Soon', from: { name: 'Desk', email: 'desk@example.com' } } },
      { label: 'email header' },
    );
    expect(r.ok).toBe(true);
    expect(editor.document.email?.subject).toBe('Hi {{ first_name }}');
    expect(editor.document.email?.preheader).toBe('Soon');
    expect(editor.document.email?.from).toEqual({ name: 'Desk', email: 'desk@example.com' });
    expect(editor.document.email?.sections).toBe(doc.email?.sections);
    editor.undo();
    expect(editor.document).toBe(doc);
  });

  it('refuses an empty subject, a too-short sender address and keys outside the envelope', () => {
    const doc = opsTestDocument();
    const empty = updateEmailEnvelope(doc, { patch: { subject: '' } });
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.error.message).toMatch(/subject/);
    expect(updateEmailEnvelope(doc, { patch: { from: { name: 'x', email: 'a' } } }).ok).toBe(false);
    const sections = updateEmailEnvelope(doc, { patch: { sections: [] } as never });
    expect(sections.ok).toBe(false);
    if (!sections.ok) expect(sections.error.code).toBe('invalid');
  });

  it('removes an optional property when set to undefined', () => {
    const doc = updateEmailEnvelope(opsTestDocument(), { patch: { replyTo: 'reply@example.com' } });
    if (!doc.ok) throw new Error(doc.error.message);
    expect(doc.doc.email?.replyTo).toBe('reply@example.com');
    const cleared = updateEmailEnvelope(doc.doc, { patch: { replyTo: undefined } });
    expect(cleared.ok && cleared.doc.email && 'replyTo' in cleared.doc.email).toBe(false);
  });
});

describe('setColumnWidth', () => {
  it('sets and clears a column share, refusing values outside 0–100', () => {
    const doc = opsTestDocument();
    const column = doc.email!.sections[0]!.columns[0]!;
    const set = setColumnWidth(doc, { columnId: column.id, width: 40 });
    if (!set.ok) throw new Error(set.error.message);
    expect(set.doc.email!.sections[0]!.columns[0]!.width).toBe(40);
    expect(set.doc.email!.sections[1]).toBe(doc.email!.sections[1]);
    const cleared = setColumnWidth(set.doc, { columnId: column.id, width: undefined });
    expect(cleared.ok && 'width' in cleared.doc.email!.sections[0]!.columns[0]!).toBe(false);
    const bad = setColumnWidth(doc, { columnId: column.id, width: 120 });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('out-of-range');
    const missing = setColumnWidth(doc, { columnId: 'nope', width: 50 });
    expect(missing.ok ? 'ok' : missing.error.code).toBe('not-found');
  });
});
