import { useEffect, useState, type KeyboardEvent } from 'react';
import type { Editor } from '../../../editor/editor';
import { EMAIL_BLOCK_TYPES } from '../../../../shared/model/email';
import { Button, Notice } from '../../../ui';
import { useEditor } from '../../../panels/use-editor';
import { emailBlockKinds } from '../../../panels/email/blocks';
import type { RunCaret } from '../../../panels/email/BlockPanels';
import { EmailProperties, locate } from '../../../panels/email/EmailProperties';
import { EnvelopePanel } from '../../../panels/email/EnvelopePanel';
import type { TemplateEditor } from '../use-template-editor';
import { BlockList } from './BlockList';
import { LivePreview } from './LivePreview';
import { clickAddTarget, DRAG_TYPES } from './dnd';
import '../../../panels/editor.css';
import '../../../panels/email/email.css';

/** Block types to drag onto the list, or click to add after the selection. */
function Palette({ editor }: { editor: Editor }) {
  const { document: doc, session } = useEditor(editor);
  return (
    <div className="side-panel em-palette" data-testid="email-palette">
      <h3>Blocks</h3>
      {EMAIL_BLOCK_TYPES.map((type) => (
        <button
          key={type}
          type="button"
          className="em-palette-item"
          draggable
          data-testid={`palette-${type}`}
          title={`${emailBlockKinds[type].hint}. Drag into the email, or click to add after the selection.`}
          onDragStart={(e) => {
            e.dataTransfer.setData(DRAG_TYPES.new, type);
            e.dataTransfer.effectAllowed = 'copy';
          }}
          onClick={() => {
            const t = clickAddTarget(doc.email?.sections ?? [], session.selectedBlockId);
            if (t) editor.addEmailBlock(t.columnId, type, t.index);
          }}
        >
          <span className="em-glyph">{emailBlockKinds[type].glyph}</span>
          {emailBlockKinds[type].label}
        </button>
      ))}
      <h3>Section</h3>
      <div className="em-section-adds">
        {[1, 2, 3, 4].map((n) => (
          <button
            key={n}
            type="button"
            className="btn btn-small"
            data-testid={`add-section-${n}`}
            title={`Add a section with ${n} column${n > 1 ? 's' : ''} after the selected section`}
            onClick={() => {
              const sections = doc.email?.sections ?? [];
              const at = locate(sections, session.selectedBlockId);
              const after = at ? sections.indexOf(at.section) + 1 : sections.length;
              const r = editor.addEmailSection(n, after);
              if (r.ok && r.created?.[0]) editor.selectBlock(r.created[0]);
            }}
          >
            {'▯'.repeat(n)}
          </button>
        ))}
      </div>
    </div>
  );
}

const isTyping = (t: EventTarget) =>
  t instanceof HTMLElement && (t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');

/**
 * The email design view of the Template screen: palette (left), the section/column/block list (centre),
 * the selected block's properties (right) and the live preview for the current record. It edits through
 * the template's one Editor (shared with the canvas), so every change is undoable and journalled as a draft.
 */
export function EmailDesign({ loaded, problem }: { loaded: TemplateEditor | null; problem: string | null }) {
  if (problem) return <Notice tone="error" title={problem} testId="editor-problem" />;
  if (!loaded) return <div className="empty">Opening the template…</div>;
  return <EmailDesignBody editor={loaded.editor} />;
}

function EmailDesignBody({ editor }: { editor: Editor }) {
  const { document: doc, session } = useEditor(editor);
  const [caret, setCaret] = useState<RunCaret | undefined>(undefined);
  // A selection that an undo took away is dropped.
  useEffect(() => {
    if (session.selectedBlockId && !locate(doc.email?.sections ?? [], session.selectedBlockId)) editor.selectBlock(undefined);
  }, [doc, session.selectedBlockId, editor]);
  if (!doc.email)
    return (
      <Notice tone="info" title="This template has no email channel." testId="no-email">
        Use “Add email channel” above the tabs: it starts from a layout built from the brand kit.
      </Notice>
    );

  const onKeyDown = (e: KeyboardEvent) => {
    if (isTyping(e.target)) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (mod && key === 'z') editor[e.shiftKey ? 'redo' : 'undo']();
    else if (mod && key === 'y') editor.redo();
    else if ((e.key === 'Delete' || e.key === 'Backspace') && session.selectedBlockId) {
      const at = locate(doc.email?.sections ?? [], session.selectedBlockId);
      if (at?.kind === 'block') editor.removeEmailBlock(at.block.id);
      else if (at?.kind === 'section') editor.removeEmailSection(at.section.id);
    } else if (e.key === 'Escape') editor.selectBlock(undefined);
    else return;
    e.preventDefault();
  };

  return (
    <div className="em-design" data-testid="email-design" tabIndex={-1} onKeyDown={onKeyDown}>
      <div className="editor-toolbar">
        <Button size="small" onClick={() => editor.undo()} disabled={!editor.canUndo} data-testid="email-undo" title="Ctrl+Z">
          Undo
        </Button>
        <Button size="small" onClick={() => editor.redo()} disabled={!editor.canRedo} data-testid="email-redo" title="Ctrl+Shift+Z">
          Redo
        </Button>
        <span className="muted" data-testid="email-undo-label">
          {editor.undoLabels.length ? `Undo: ${editor.undoLabels[editor.undoLabels.length - 1]}` : 'Nothing to undo'}
        </span>
        <span className="spacer" />
        <span className="muted">Drag blocks from the palette into the email; drag ⠿ to reorder. Changes are undoable (Ctrl+Z).</span>
      </div>
      <EnvelopePanel editor={editor} />
      <div className="em-body">
        <Palette editor={editor} />
        <BlockList editor={editor} setCaret={setCaret} />
        <EmailProperties editor={editor} caret={caret} setCaret={setCaret} />
        <LivePreview editor={editor} />
      </div>
    </div>
  );
}
