import { useState } from 'react';
import type { Editor } from '../editor/editor';
import type { Element } from '../../shared/model/elements/schema';
import { elementModels } from '../../shared/model/elements/registry';
import { moveElementTo } from '../editor/layer-order';
import { useEditor } from './use-editor';

/**
 * Layers of the current page, topmost first: select (shift adds), lock, hide, rename, and drag to reorder
 * within the same parent. Every change is an editor operation.
 */
export function LayersPanel({ editor }: { editor: Editor }) {
  const { session } = useEditor(editor);
  const page = editor.page;
  const [renaming, setRenaming] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const selected = new Set(session.selection);

  const row = (el: Element, depth: number, siblings: readonly Element[]) => {
    const index = siblings.indexOf(el);
    return (
      <li key={el.id}>
        <div
          className="list-row"
          aria-selected={selected.has(el.id)}
          draggable
          onDragStart={(e) => (setDragging(el.id), e.dataTransfer.setData('text/plain', el.id))}
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            if (dragging && dragging !== el.id)
              editor.run(moveElementTo, { id: dragging, siblingOf: el.id, index }, { label: 'reorder layers' });
            setDragging(null);
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
        {el.type === 'group' ? <ol className="list">{[...el.children].reverse().map((c) => row(c, depth + 1, el.children))}</ol> : null}
      </li>
    );
  };

  return (
    <section className="side-panel" aria-label="Layers" data-testid="layers-panel">
      <h3>Layers</h3>
      {page && page.elements.length ? (
        <ol className="list">{[...page.elements].reverse().map((el) => row(el, 0, page.elements))}</ol>
      ) : (
        <p className="muted">No elements. Pick a tool and drag on the page.</p>
      )}
    </section>
  );
}
