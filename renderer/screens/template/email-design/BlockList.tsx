import { useState, type DragEvent, type ReactNode } from 'react';
import type { Editor } from '../../../editor/editor';
import type { TemplateDocument } from '../../../../shared/model/document';
import type { EmailBlock } from '../../../../shared/model/email';
import * as ops from '../../../../shared/ops';
import { cssColor } from '../../../canvas';
import { useEditor } from '../../../panels/use-editor';
import { blockSummary, emailBlockKinds } from '../../../panels/email/blocks';
import type { RunCaret } from '../../../panels/email/BlockPanels';
import { accepts, blockMoveIndex, DRAG_TYPES, readPayload, sectionMoveIndex } from './dnd';

/** A thin drop target between blocks (or sections) that lights up while something droppable is over it. */
function Slot({ kind, testId, onDrop }: { kind: 'blocks' | 'sections'; testId: string; onDrop(e: DragEvent): void }) {
  const [over, setOver] = useState(false);
  const ok = (e: DragEvent) => accepts(kind, [...e.dataTransfer.types]);
  return (
    <div
      className={`em-slot em-slot-${kind}${over ? ' em-slot-over' : ''}`}
      data-testid={testId}
      onDragEnter={(e) => ok(e) && setOver(true)}
      onDragLeave={() => setOver(false)}
      onDragOver={(e) => {
        if (!ok(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = e.dataTransfer.types.includes(DRAG_TYPES.new) ? 'copy' : 'move';
      }}
      onDrop={(e) => {
        setOver(false);
        if (!ok(e)) return;
        e.preventDefault();
        e.stopPropagation();
        onDrop(e);
      }}
    />
  );
}

/** A text block's runs, edited in place: each run is its own editable span, committed on blur or Enter. */
function InlineText({
  editor,
  block,
  setCaret,
}: {
  editor: Editor;
  block: Extract<EmailBlock, { type: 'text' }>;
  setCaret(c: RunCaret | undefined): void;
}) {
  const commit = (p: number, r: number, text: string) => {
    const run = block.paragraphs[p]?.runs[r];
    if (!run || run.text === text) return;
    editor.run(
      ops.updateBlock,
      {
        blockId: block.id,
        patch: {
          paragraphs: block.paragraphs.map((para, i) =>
            i === p ? { runs: para.runs.map((x, j) => (j === r ? { ...x, text } : x)) } : para,
          ),
        },
      },
      { label: 'edit text' },
    );
  };
  const caretOf = (p: number, r: number) => () => {
    const sel = window.getSelection();
    setCaret({ blockId: block.id, p, r, pos: sel?.anchorOffset ?? 0 });
  };
  return (
    <div className="em-inline" data-testid={`inline-${block.id}`}>
      {block.paragraphs.map((para, p) => (
        <p key={p}>
          {para.runs.map((run, r) => (
            <span
              // Remount when the document's text changes, so React never fights the browser's edits.
              key={`${r}:${run.text}`}
              contentEditable
              suppressContentEditableWarning
              spellCheck={false}
              className="em-inline-run"
              data-testid={`inline-run-${p}-${r}`}
              style={{
                fontWeight: run.bold ? 700 : undefined,
                fontStyle: run.italic ? 'italic' : undefined,
                textDecoration: run.underline || run.href ? 'underline' : undefined,
              }}
              onKeyUp={caretOf(p, r)}
              onMouseUp={caretOf(p, r)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  e.currentTarget.blur();
                }
                if (e.key === 'Escape') {
                  e.currentTarget.textContent = run.text;
                  e.currentTarget.blur();
                }
                e.stopPropagation();
              }}
              onBlur={(e) => {
                caretOf(p, r)();
                commit(p, r, e.currentTarget.textContent ?? '');
              }}
            >
              {run.text}
            </span>
          ))}
        </p>
      ))}
    </div>
  );
}

/** How a block looks in the list: a small, brand-coloured sketch of what the email shows. */
function Sketch({ doc, block }: { doc: TemplateDocument; block: EmailBlock }): ReactNode {
  switch (block.type) {
    case 'button':
      return (
        <span
          className="em-sketch-button"
          style={{ background: cssColor(doc, block.background), color: cssColor(doc, block.color), borderRadius: block.borderRadius }}
        >
          {block.label}
        </span>
      );
    case 'divider':
      return <hr className="em-sketch-divider" style={{ borderTopColor: cssColor(doc, block.color), borderTopWidth: block.thickness }} />;
    case 'text':
      return (
        <span className="em-sketch-text" style={{ color: cssColor(doc, block.color), textAlign: block.align }}>
          {blockSummary(block)}
        </span>
      );
    default:
      return <span className="em-sketch-text">{blockSummary(block)}</span>;
  }
}

/**
 * The email as a vertical list: sections (drag to reorder, duplicate, delete), their 1–4 columns side by
 * side, and each column's blocks (drag to reorder or into another column; drop palette blocks between).
 * Selecting a text block edits its runs in place.
 */
export function BlockList({ editor, setCaret }: { editor: Editor; setCaret(c: RunCaret | undefined): void }) {
  const { document: doc, session } = useEditor(editor);
  const sections = doc.email?.sections ?? [];
  const selected = session.selectedBlockId;
  const sectionIds = sections.map((s) => s.id);

  const dropOnColumn = (columnId: string, blockIds: string[], slot: number) => (e: DragEvent) => {
    const p = readPayload((t) => e.dataTransfer.getData(t));
    if (!p || p.kind === 'section') return;
    if (p.kind === 'new') editor.addEmailBlock(columnId, p.type, slot);
    else editor.moveEmailBlock(p.id, columnId, blockMoveIndex(blockIds, slot, p.id));
  };
  const dropSection = (slot: number) => (e: DragEvent) => {
    const p = readPayload((t) => e.dataTransfer.getData(t));
    if (p?.kind === 'section') editor.moveEmailSection(p.id, sectionMoveIndex(sectionIds, slot, p.id));
  };
  const dragStart = (type: string, id: string) => (e: DragEvent) => {
    e.stopPropagation();
    e.dataTransfer.setData(type, id);
    e.dataTransfer.effectAllowed = 'move';
  };
  const tool = (label: string, onClick: () => void, glyph: string, testId?: string, disabled?: boolean) => (
    <button
      type="button"
      className="btn btn-small em-mini"
      aria-label={label}
      title={label}
      data-testid={testId}
      disabled={disabled}
      onClick={(e) => {
        e.stopPropagation();
        onClick();
      }}
    >
      {glyph}
    </button>
  );

  const blockCard = (columnId: string, blocks: EmailBlock[], b: EmailBlock, i: number) => {
    const isSel = b.id === selected;
    const editing = isSel && b.type === 'text';
    return (
      <div
        className={`em-block${isSel ? ' em-selected' : ''}`}
        data-testid={`block-${b.id}`}
        data-type={b.type}
        draggable={!editing}
        onDragStart={dragStart(DRAG_TYPES.block, b.id)}
        onClick={(e) => {
          e.stopPropagation();
          editor.selectBlock(b.id);
        }}
      >
        <div className="em-block-head">
          <span className="em-handle" draggable onDragStart={dragStart(DRAG_TYPES.block, b.id)} title="Drag to move" aria-hidden>
            ⠿
          </span>
          <span className="em-glyph">{emailBlockKinds[b.type].glyph}</span>
          <strong>{emailBlockKinds[b.type].label}</strong>
          {b.visibleIf ? (
            <span className="badge" title={`Shown if ${b.visibleIf}`}>
              if
            </span>
          ) : null}
          <span className="spacer" />
          {tool('Move up', () => editor.moveEmailBlock(b.id, columnId, Math.max(0, i - 1)), '↑', `up-${b.id}`, i === 0)}
          {tool('Move down', () => editor.moveEmailBlock(b.id, columnId, i + 1), '↓', `down-${b.id}`, i === blocks.length - 1)}
          {tool(
            'Duplicate',
            () => {
              const r = editor.run(ops.duplicateBlock, { blockId: b.id, idGen: editor.idGen }, { label: 'duplicate block' });
              if (r.ok && r.created?.[0]) editor.selectBlock(r.created[0]);
            },
            '❏',
            `dup-${b.id}`,
          )}
          {tool('Delete', () => editor.removeEmailBlock(b.id), '×', `del-${b.id}`)}
        </div>
        {editing ? <InlineText editor={editor} block={b} setCaret={setCaret} /> : <Sketch doc={doc} block={b} />}
      </div>
    );
  };

  return (
    <div className="em-list" data-testid="email-block-list" onClick={() => editor.selectBlock(undefined)}>
      {sections.map((s, si) => (
        <div key={s.id}>
          <Slot kind="sections" testId={`section-slot-${si}`} onDrop={dropSection(si)} />
          <div
            className={`em-section${s.id === selected ? ' em-selected' : ''}`}
            data-testid={`section-${s.id}`}
            style={{ borderLeftColor: cssColor(doc, s.background) ?? 'var(--border)' }}
            title={s.background ? 'The left stripe is the section background' : undefined}
            onClick={(e) => {
              e.stopPropagation();
              editor.selectBlock(s.id);
            }}
          >
            <div className="em-section-head" draggable onDragStart={dragStart(DRAG_TYPES.section, s.id)}>
              <span className="em-handle" aria-hidden>
                ⠿
              </span>
              <strong>Section {si + 1}</strong>
              <span className="muted">
                {s.columns.length} column{s.columns.length > 1 ? 's' : ''}
              </span>
              {s.visibleIf ? (
                <span className="badge" title={`Shown if ${s.visibleIf}`}>
                  if {s.visibleIf}
                </span>
              ) : null}
              <span className="spacer" />
              {tool('Move section up', () => editor.moveEmailSection(s.id, si - 1), '↑', `sup-${s.id}`, si === 0)}
              {tool('Move section down', () => editor.moveEmailSection(s.id, si + 1), '↓', `sdown-${s.id}`, si === sections.length - 1)}
              {tool(
                'Duplicate section',
                () => editor.run(ops.duplicateSection, { sectionId: s.id, idGen: editor.idGen }, { label: 'duplicate section' }),
                '❏',
                `sdup-${s.id}`,
              )}
              {tool('Delete section', () => editor.removeEmailSection(s.id), '×', `sdel-${s.id}`, sections.length === 1)}
            </div>
            <div
              className="em-columns"
              style={{ gridTemplateColumns: s.columns.map((c) => `minmax(0, ${c.width ?? 100 / s.columns.length}fr)`).join(' ') }}
            >
              {s.columns.map((c) => {
                const blockIds = c.blocks.map((b) => b.id);
                return (
                  <div key={c.id} className="em-column" data-testid={`column-${c.id}`}>
                    <Slot kind="blocks" testId={`slot-${c.id}-0`} onDrop={dropOnColumn(c.id, blockIds, 0)} />
                    {c.blocks.map((b, i) => (
                      <div key={b.id}>
                        {blockCard(c.id, c.blocks, b, i)}
                        <Slot kind="blocks" testId={`slot-${c.id}-${i + 1}`} onDrop={dropOnColumn(c.id, blockIds, i + 1)} />
                      </div>
                    ))}
                    {c.blocks.length === 0 ? <div className="em-empty muted">Drop blocks here</div> : null}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      ))}
      <Slot kind="sections" testId={`section-slot-${sections.length}`} onDrop={dropSection(sections.length)} />
    </div>
  );
}
