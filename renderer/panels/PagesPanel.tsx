import { useState } from 'react';
import type { Editor } from '../editor/editor';
import { PAGE_PRESETS, type PagePreset } from '../../shared/ops';
import { fromPt } from '../../shared/model/units';
import { Button } from '../ui';
import { useEditor } from './use-editor';

const PRESETS = Object.keys(PAGE_PRESETS) as PagePreset[];

/** Pages: pick, add (size presets or custom with bleed), duplicate, reorder by drag, remove — all undoable. */
export function PagesPanel({ editor }: { editor: Editor }) {
  const { document, session } = useEditor(editor);
  const [preset, setPreset] = useState<PagePreset | 'custom'>('postcard-6x9');
  const [custom, setCustom] = useState({ w: 5, h: 7, bleed: 0.125 });
  const [dragging, setDragging] = useState<string | null>(null);
  const pages = document.print?.pages ?? [];
  const add = () =>
    editor.addPage(
      preset === 'custom'
        ? { preset: 'custom', width: custom.w * 72, height: custom.h * 72, bleed: custom.bleed * 72, safeArea: 18 }
        : { preset },
    );
  return (
    <section className="side-panel" aria-label="Pages" data-testid="pages-panel">
      <h3>Pages</h3>
      <ol className="list">
        {pages.map((p, i) => (
          <li
            key={p.id}
            draggable
            onDragStart={() => setDragging(p.id)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={() => {
              if (dragging && dragging !== p.id) editor.movePage(dragging, i);
              setDragging(null);
            }}
            aria-current={p.id === session.pageId}
            className="list-row"
            data-testid={`page-${i}`}
          >
            <button type="button" className="list-main" onClick={() => (editor.setPage(p.id), editor.zoomToFit())}>
              <strong>{p.name ?? `Page ${i + 1}`}</strong>
              <span className="muted">
                {fromPt(p.width, 'in').toFixed(2)} × {fromPt(p.height, 'in').toFixed(2)} in
              </span>
            </button>
            <button type="button" className="icon" title="Duplicate page" onClick={() => editor.duplicatePage(p.id)}>
              ⊕
            </button>
            <button type="button" className="icon" title="Remove page" disabled={pages.length < 2} onClick={() => editor.removePage(p.id)}>
              ✕
            </button>
          </li>
        ))}
      </ol>
      <div className="stack">
        <select className="input" aria-label="Page size" value={preset} onChange={(e) => setPreset(e.currentTarget.value as PagePreset)}>
          {PRESETS.map((k) => (
            <option key={k} value={k}>
              {PAGE_PRESETS[k].label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
        {preset === 'custom' ? (
          <div className="row3">
            {(['w', 'h', 'bleed'] as const).map((k) => (
              <label key={k} className="mini">
                {k === 'bleed' ? 'bleed in' : `${k} in`}
                <input
                  className="input"
                  type="number"
                  step={k === 'bleed' ? 0.0625 : 0.25}
                  value={custom[k]}
                  onChange={(e) => setCustom({ ...custom, [k]: Number(e.currentTarget.value) })}
                />
              </label>
            ))}
          </div>
        ) : null}
        <div className="toolbar">
          <Button size="small" onClick={add} data-testid="add-page">
            Add page
          </Button>
          {session.pageId ? (
            <Button
              size="small"
              title="Apply the chosen size to the current page"
              onClick={() =>
                editor.setPageSize(
                  session.pageId!,
                  preset === 'custom'
                    ? { preset: 'custom', width: custom.w * 72, height: custom.h * 72, bleed: custom.bleed * 72, safeArea: 18 }
                    : { preset },
                )
              }
            >
              Resize page
            </Button>
          ) : null}
        </div>
      </div>
    </section>
  );
}
