import type { ReactNode } from 'react';
import type { Editor } from '../../editor/editor';
import type { EmailBlock, EmailSection } from '../../../shared/model/email';
import * as ops from '../../../shared/ops';
import { useEditor } from '../use-editor';
import { CommitInput, ConditionInput, NumberInput, Row, SwatchPicker } from '../properties/fields';
import { emailBlockKinds, checkPadding } from './blocks';
import { setColumnWidth } from './channel-ops';
import { emailBlockPanels, type BlockPanelProps, type RunCaret } from './BlockPanels';

/** Find a block (with its column and section) or a section by id: they share one id space. */
export function locate(
  sections: readonly EmailSection[],
  id: string | undefined,
):
  | { kind: 'block'; block: EmailBlock; section: EmailSection; columnId: string; index: number }
  | { kind: 'section'; section: EmailSection }
  | undefined {
  if (!id) return undefined;
  for (const section of sections) {
    if (section.id === id) return { kind: 'section', section };
    for (const c of section.columns) {
      const index = c.blocks.findIndex((b) => b.id === id);
      const block = c.blocks[index];
      if (block) return { kind: 'block', block, section, columnId: c.id, index };
    }
  }
  return undefined;
}

function Common({
  value,
  onPadding,
  onCondition,
  doc,
}: {
  value: { padding?: string | undefined; visibleIf?: string | undefined };
  onPadding(v: string | undefined): void;
  onCondition(v: string | undefined): void;
  doc: BlockPanelProps<'text'>['doc'];
}) {
  return (
    <>
      <Row label="Padding">
        <CommitInput
          value={value.padding ?? ''}
          placeholder="Default (e.g. 10px 25px)"
          testId="email-padding"
          check={checkPadding}
          onCommit={(v) => onPadding(v.trim() || undefined)}
        />
      </Row>
      <Row label="Show if">
        <ConditionInput doc={doc} value={value.visibleIf} testId="email-show-if" onCommit={onCondition} />
      </Row>
    </>
  );
}

/**
 * The email design view's properties: the selected block's panel (from the `emailBlockPanels` registry)
 * or the selected section's background, padding, condition and columns. Every change is one undo step.
 */
export function EmailProperties({
  editor,
  caret,
  setCaret,
}: {
  editor: Editor;
  caret: RunCaret | undefined;
  setCaret(c: RunCaret | undefined): void;
}) {
  const { document: doc, session } = useEditor(editor);
  const sections = doc.email?.sections ?? [];
  const at = locate(sections, session.selectedBlockId);
  let body: ReactNode;
  if (!at) body = <p className="muted">Select a block or a section, or drag a block from the palette.</p>;
  else if (at.kind === 'block') {
    const b = at.block;
    const set = (patch: Record<string, unknown>, label: string) => editor.run(ops.updateBlock, { blockId: b.id, patch }, { label });
    const Panel = emailBlockPanels[b.type] as (p: BlockPanelProps<typeof b.type>) => ReactNode;
    body = (
      <>
        <h3 data-testid="email-props-title">
          {emailBlockKinds[b.type].label} <span className="muted">{b.id}</span>
        </h3>
        <Panel block={b as never} doc={doc} set={set} caret={caret} setCaret={setCaret} />
        <h4>Layout</h4>
        <Common
          doc={doc}
          value={b}
          onPadding={(padding) => set({ padding }, 'padding')}
          onCondition={(visibleIf) => set({ visibleIf }, 'show if')}
        />
      </>
    );
  } else {
    const s = at.section;
    const set = (patch: Partial<Omit<EmailSection, 'id' | 'columns'>>, label: string) =>
      editor.run(ops.updateSection, { sectionId: s.id, patch }, { label });
    body = (
      <>
        <h3 data-testid="email-props-title">
          Section <span className="muted">{s.id}</span>
        </h3>
        <Row label="Background">
          <SwatchPicker
            doc={doc}
            value={s.background}
            allowNone
            testId="email-section-bg"
            onChange={(background) => set({ background }, 'section background')}
          />
        </Row>
        <Common
          doc={doc}
          value={s}
          onPadding={(padding) => set({ padding }, 'padding')}
          onCondition={(visibleIf) => set({ visibleIf }, 'show if')}
        />
        <h4>Columns</h4>
        {s.columns.map((c, i) => (
          <div key={c.id} className="em-run" data-testid={`column-props-${i}`}>
            <span>Column {i + 1}</span>
            <NumberInput
              value={c.width ?? Math.round(100 / s.columns.length)}
              min={1}
              max={100}
              onCommit={(width) => editor.run(setColumnWidth, { columnId: c.id, width }, { label: 'column width' })}
            />
            <span className="muted">%</span>
            <button
              type="button"
              className="btn btn-small"
              disabled={s.columns.length === 1}
              aria-label={`Remove column ${i + 1}`}
              onClick={() => editor.run(ops.removeColumn, { columnId: c.id }, { label: 'remove column' })}
            >
              ×
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn btn-small"
          data-testid="add-column"
          disabled={s.columns.length >= 4}
          onClick={() => editor.run(ops.addColumn, { sectionId: s.id, idGen: editor.idGen }, { label: 'add column' })}
        >
          + Column
        </button>
      </>
    );
  }
  return (
    <div className="side-panel em-props" data-testid="email-props">
      {body}
      {session.lastError ? (
        <small className="prop-problem" role="alert" data-testid="email-op-error">
          {session.lastError.message}
        </small>
      ) : null}
    </div>
  );
}
