import { describe, expect, it } from 'vitest';
import * as ops from '../../shared/ops';
import { opsTestDocument } from '../../shared/ops/testing';
import type { ElementOfType } from '../../shared/model/elements/schema';
import type { Paragraph } from '../../shared/model/elements/text';
import { TestEditor } from './test-editor';
import { liquidPieces, paragraphsFromEdit, tokenLabel, type EditedParagraph } from './text-edit';

const bold = { weight: 700 } as const;
const styled: Paragraph[] = [
  { runs: [{ text: 'Hi ' }, { text: '{{ first_name }}', style: bold }, { text: ',' }], spaceBefore: 0, spaceAfter: 4, align: 'center' },
  { runs: [{ text: 'Your car is due.' }], spaceBefore: 2, spaceAfter: 0 },
];

/** An editor over the ops fixture with one styled text frame `t` (made through the create op, as the text tool does). */
function withText(): { ed: TestEditor; text: () => ElementOfType<'text'> } {
  const doc = opsTestDocument();
  const made = ops.createElement(doc, {
    pageId: 'front',
    type: 'text',
    box: { x: 40, y: 300, width: 200, height: 80 },
    idGen: () => 't',
    patch: { paragraphs: styled },
  });
  if (!made.ok) throw new Error(made.error.message);
  const ed = new TestEditor(made.doc);
  return { ed, text: () => ops.findElement(ed.document, 't')!.element as ElementOfType<'text'> };
}

describe('in-place text editing (headless)', () => {
  it('double-click on a text frame edits it; commit is ONE undoable step that keeps runs, styles and fields', () => {
    const { ed, text } = withText();
    const before = ed.document;
    ed.doubleClick({ x: 100, y: 320 });
    expect(ed.session.editingTextId).toBe('t');
    expect(ed.session.selection).toEqual(['t']);
    const undos = ed.undoLabels.length;
    // "Hi " → "Hello ", the bold field untouched, a new sentence typed into the second paragraph.
    const edit: EditedParagraph[] = [
      {
        from: 0,
        parts: [
          { text: 'Hello ', from: [0, 0] },
          { text: '{{ first_name }}', from: [0, 1] },
          { text: '!', from: [0, 2] },
        ],
      },
      { from: 1, parts: [{ text: 'Your car is due. Book today.', from: [1, 0] }] },
    ];
    expect(ed.commitTextEdit(edit).ok).toBe(true);
    expect(ed.session.editingTextId).toBeUndefined();
    expect(ed.undoLabels.length).toBe(undos + 1);
    expect(ed.undoLabels.at(-1)).toBe('edit text');
    expect(text().paragraphs).toEqual([
      {
        runs: [{ text: 'Hello ' }, { text: '{{ first_name }}', style: bold }, { text: '!' }],
        spaceBefore: 0,
        spaceAfter: 4,
        align: 'center',
      },
      { runs: [{ text: 'Your car is due. Book today.' }], spaceBefore: 2, spaceAfter: 0 },
    ]);
    ed.undo();
    expect(ed.document).toBe(before);
    ed.redo();
    expect(text().paragraphs[0]!.runs[0]!.text).toBe('Hello ');
  });

  it('Escape cancels (no step); an unchanged commit makes no step; Enter edits the one selected text frame', () => {
    const { ed } = withText();
    const before = ed.document;
    ed.select(['t']);
    ed.press('Enter');
    expect(ed.session.editingTextId).toBe('t');
    ed.cancelTextEdit();
    expect(ed.session.editingTextId).toBeUndefined();
    expect(ed.document).toBe(before);
    ed.press('Enter');
    const same: EditedParagraph[] = styled.map((p, i) => ({
      from: i,
      parts: p.runs.map((r, j) => ({ text: r.text, from: [i, j] as const })),
    }));
    ed.commitTextEdit(same);
    expect(ed.document).toBe(before);
    expect(ed.canUndo).toBe(false);
    // Enter with a rectangle selected does nothing.
    ed.select(['a']);
    ed.press('Enter');
    expect(ed.session.editingTextId).toBeUndefined();
  });

  it('a locked frame refuses with a message that says what to do; other elements are not text', () => {
    const { ed } = withText();
    ed.updateElement('t', { locked: true });
    expect(ed.editText('t').ok).toBe(false);
    expect(ed.session.lastError?.message).toMatch(/unlock it/);
    expect(ed.editText('a').ok).toBe(false);
    expect(ed.session.editingTextId).toBeUndefined();
  });

  it('splitting a paragraph keeps its settings and the run style; deleted runs go; a frame keeps one paragraph', () => {
    const out = paragraphsFromEdit(styled, [
      { from: 0, parts: [{ text: 'Hi ', from: [0, 0] }] },
      {
        from: 0,
        parts: [
          { text: '{{ first_name }}', from: [0, 1] },
          { text: 'typed', from: [0, 1] },
        ],
      },
      { parts: [{ text: 'new line' }] },
    ]);
    expect(out[0]).toEqual({ runs: [{ text: 'Hi ' }], spaceBefore: 0, spaceAfter: 4, align: 'center' });
    expect(out[1]!.runs).toEqual([{ text: '{{ first_name }}typed', style: bold }]);
    expect(out[1]!.align).toBe('center');
    // Text from nowhere takes the previous part's style; the paragraph the previous one's settings.
    expect(out[2]).toEqual({ runs: [{ text: 'new line', style: bold }], spaceBefore: 0, spaceAfter: 4, align: 'center' });
    expect(paragraphsFromEdit(styled, [])).toEqual([{ runs: [{ text: '' }], spaceBefore: 0, spaceAfter: 4, align: 'center' }]);
  });

  it('Liquid tokens are atomic pieces labelled by field name', () => {
    expect(liquidPieces('Hi {{ first_name }}, {% if x %}yes{% endif %}')).toEqual([
      { text: 'Hi ', token: false },
      { text: '{{ first_name }}', token: true },
      { text: ', ', token: false },
      { text: '{% if x %}', token: true },
      { text: 'yes', token: false },
      { text: '{% endif %}', token: true },
    ]);
    expect(tokenLabel('{{ first_name | upcase }}')).toBe('first_name');
    expect(tokenLabel('{{rules.greeting}}')).toBe('rules.greeting');
    expect(tokenLabel('{% if x %}')).toBe('{% if x %}');
  });
});
