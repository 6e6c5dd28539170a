import { memo, useMemo, useRef, useState, type MemoExoticComponent } from 'react';
import type { Editor } from '../editor/editor';
import type { Element } from '../../shared/model/elements/schema';
import { elementModels } from '../../shared/model/elements/registry';
import { moveElementTo } from '../editor/layer-order';
import { useEditor } from './use-editor';

/** One layer row and its children. Memoised: while an element is dragged only its own row renders again. */
interface LayerRowProps {
  editor: Editor;
  el: Element;
  depth: number;
  index: number;
  /** The selected ids; rows compare only whether they are in it (see `sameRow`). */
  selection: ReadonlySet<string>;
  renaming: string | null;
  setRenaming: (id: string | null) => void;
  dragging: { current: string | null };
}

function LayerRowView({ editor, el, depth, index, selection, renaming, setRenaming, dragging }: LayerRowProps) {
  return (
    <li>
      <div
        className="list-row"
        aria-selected={selection.has(el.id)}
        draggable
        onDragStart={(e) => ((dragging.current = el.id), e.dataTransfer.setData('text/plain', el.id))}
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          const from = dragging.current;
          if (from && from !== el.id) editor.run(moveElementTo, { id: from, siblingOf: el.id, index }, { label: 'reorder layers' });
          dragging.current = null;
        }}
        style={{ paddingLeft: 6 + depth * 14 }}
        data-testid={`layer-${el.id}`}
      >
        {renaming === el.id ? (
          <input
            className="input"
            autoFocus
            defaultValue={el.name ?? ''}
            aria-label="Layer name"
            onBlur={(e) => (
              editor.updateElement(el.id, { name: e.currentTarget.value.trim() || undefined }, { label: 'rename' }),
              setRenaming(null)
            )}
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.currentTarget.blur();
              if (e.key === 'Escape') setRenaming(null);
            }}
          />
        ) : (
          <button
            type="button"
            className="list-main"
            onClick={(e) => (e.shiftKey ? editor.toggleSelected(el.id) : editor.select([el.id]))}
            onDoubleClick={() => setRenaming(el.id)}
            title="Click to select, shift-click to add, double-click to rename, drag to reorder"
          >
            <span className="layer-type">{elementModels[el.type].label}</span>
            <span className={el.hidden ? 'muted' : undefined}>{el.name ?? el.id}</span>
          </button>
        )}
        <button
          type="button"
          className="icon"
          aria-pressed={el.locked}
          title={el.locked ? 'Unlock' : 'Lock'}
          data-testid={`lock-${el.id}`}
          onClick={() => editor.updateElement(el.id, { locked: !el.locked }, { label: el.locked ? 'unlock' : 'lock' })}
        >
          {el.locked ? '⊠' : '□'}
        </button>
        <button
          type="button"
          className="icon"
          aria-pressed={el.hidden}
          title={el.hidden ? 'Show' : 'Hide'}
          data-testid={`hide-${el.id}`}
          onClick={() => editor.updateElement(el.id, { hidden: !el.hidden }, { label: el.hidden ? 'show' : 'hide' })}
        >
          {el.hidden ? '◌' : '◉'}
        </button>
      </div>
      {el.type === 'group' ? (
        <ol className="list">
          {[...el.children].reverse().map((c) => (
            <LayerRow
              key={c.id}
              editor={editor}
              el={c}
              depth={depth + 1}
              index={el.children.indexOf(c)}
              selection={selection}
              renaming={renaming}
              setRenaming={setRenaming}
              dragging={dragging}
            />
          ))}
        </ol>
      ) : null}
    </li>
  );
}
const LayerRow: MemoExoticComponent<typeof LayerRowView> = memo(LayerRowView, sameRow);

/** Whether a row (and its subtree) would render the same: same element object, same selection and renaming state inside it. */
function sameRow(a: LayerRowProps, b: LayerRowProps): boolean {
  if (a.el !== b.el || a.depth !== b.depth || a.index !== b.index || a.editor !== b.editor) return false;
  const ids = [...subtreeIds(b.el)];
  if (a.renaming !== b.renaming && ids.some((id) => id === a.renaming || id === b.renaming)) return false;
  return a.selection === b.selection || ids.every((id) => a.selection.has(id) === b.selection.has(id));
}

function* subtreeIds(el: Element): Generator<string> {
  yield el.id;
  if (el.type === 'group') for (const c of el.children) yield* subtreeIds(c);
}

/**
 * Layers of the current page, topmost first: select (shift adds), lock, hide, rename, and drag to reorder
 * within the same parent. Every change is an editor operation.
 */
export function LayersPanel({ editor }: { editor: Editor }) {
  const { session } = useEditor(editor);
  const page = editor.page;
  const [renaming, setRenaming] = useState<string | null>(null);
  const dragging = useRef<string | null>(null);
  const selection = useMemo(() => new Set(session.selection), [session.selection]);

  return (
    <section className="side-panel" aria-label="Layers" data-testid="layers-panel">
      <h3>Layers</h3>
      {page && page.elements.length ? (
        <ol className="list">
          {[...page.elements].reverse().map((el) => (
            <LayerRow
              key={el.id}
              editor={editor}
              el={el}
              depth={0}
              index={page.elements.indexOf(el)}
              selection={selection}
              renaming={renaming}
              setRenaming={setRenaming}
              dragging={dragging}
            />
          ))}
        </ol>
      ) : (
        <p className="muted">No elements. Pick a tool and drag on the page.</p>
      )}
    </section>
  );
}
