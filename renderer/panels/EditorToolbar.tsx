import type { Editor } from '../editor/editor';
import { TOOLS, type Tool } from '../editor/keymap';
import { Button } from '../ui';
import { useEditor } from './use-editor';
import type { LengthUnit } from '../../shared/model/units';

const TOOL_LABELS: { [K in Tool]: { label: string; key: string } } = {
  select: { label: 'Select', key: 'V' },
  text: { label: 'Text', key: 'T' },
  rect: { label: 'Rectangle', key: 'R' },
  ellipse: { label: 'Ellipse', key: 'E' },
  line: { label: 'Line', key: 'L' },
  image: { label: 'Image', key: 'I' },
  barcode: { label: 'QR code', key: 'B' },
};

/** Tools, undo/redo, zoom, field names, arrange: each button runs an editor command (all undoable). */
export function EditorToolbar({ editor, unit, setUnit }: { editor: Editor; unit: LengthUnit; setUnit(u: LengthUnit): void }) {
  const { session } = useEditor(editor);
  const sel = session.selection.length;
  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Canvas tools">
      <div className="seg" role="group" aria-label="Tools">
        {TOOLS.map((t) => (
          <button
            key={t}
            type="button"
            className="btn btn-small"
            aria-pressed={session.tool === t}
            title={`${TOOL_LABELS[t].label} (${TOOL_LABELS[t].key})`}
            data-testid={`tool-${t}`}
            onClick={() => editor.setTool(t)}
          >
            {TOOL_LABELS[t].label}
          </button>
        ))}
      </div>
      <div className="seg" role="group" aria-label="History">
        <Button size="small" disabled={!editor.canUndo} onClick={() => editor.undo()} title="Undo (Ctrl+Z)" data-testid="undo">
          Undo
        </Button>
        <Button size="small" disabled={!editor.canRedo} onClick={() => editor.redo()} title="Redo (Ctrl+Shift+Z)" data-testid="redo">
          Redo
        </Button>
      </div>
      <div className="seg" role="group" aria-label="Zoom">
        <Button size="small" aria-label="Zoom out" title="Zoom out (Ctrl+-)" onClick={() => editor.zoomAt(0.8)}>
          −
        </Button>
        <span className="mono zoom-readout" data-testid="editor-zoom">
          {Math.round((session.zoom / (96 / 72)) * 100)}%
        </span>
        <Button size="small" aria-label="Zoom in" title="Zoom in (Ctrl+=)" onClick={() => editor.zoomAt(1.25)}>
          +
        </Button>
        <Button size="small" title="Fit the page (Shift+1)" onClick={() => editor.zoomToFit()} data-testid="zoom-fit">
          Fit
        </Button>
        <Button size="small" title="True size (Shift+0)" onClick={() => editor.zoomTo100()} data-testid="zoom-100">
          100%
        </Button>
      </div>
      <div className="seg" role="group" aria-label="Arrange">
        <Button size="small" disabled={sel < 2} onClick={() => editor.alignSelected('left')} title="Align left edges">
          ⇤
        </Button>
        <Button size="small" disabled={sel < 2} onClick={() => editor.alignSelected('centre')} title="Align centres">
          ↔
        </Button>
        <Button size="small" disabled={sel < 2} onClick={() => editor.alignSelected('right')} title="Align right edges">
          ⇥
        </Button>
        <Button size="small" disabled={sel < 2} onClick={() => editor.alignSelected('top')} title="Align tops">
          ⤒
        </Button>
        <Button size="small" disabled={sel < 2} onClick={() => editor.alignSelected('bottom')} title="Align bottoms">
          ⤓
        </Button>
        <Button size="small" disabled={sel < 3} onClick={() => editor.distributeSelected('horizontal')} title="Distribute horizontally">
          ⇹
        </Button>
        <Button size="small" disabled={sel < 2} onClick={() => editor.groupSelected()} title="Group (Ctrl+G)">
          Group
        </Button>
        <Button size="small" disabled={sel < 1} onClick={() => editor.ungroupSelected()} title="Ungroup (Ctrl+Shift+G)">
          Ungroup
        </Button>
        <Button size="small" disabled={sel < 1} onClick={() => editor.reorderSelected('front')} title="Bring to front (Ctrl+])">
          Front
        </Button>
        <Button size="small" disabled={sel < 1} onClick={() => editor.reorderSelected('back')} title="Send to back (Ctrl+[)">
          Back
        </Button>
        <Button size="small" disabled={sel < 1} onClick={() => editor.duplicateSelected()} title="Duplicate (Ctrl+D)">
          Duplicate
        </Button>
        <Button size="small" variant="danger" disabled={sel < 1} onClick={() => editor.deleteSelected()} title="Delete (Del)">
          Delete
        </Button>
      </div>
      <div className="spacer" />
      <label className="check">
        <input
          type="checkbox"
          checked={session.showFieldNames}
          onChange={(e) => editor.setShowFieldNames(e.currentTarget.checked)}
          data-testid="show-field-names"
        />
        Field names (Ctrl+/)
      </label>
      <label className="check">
        <input type="checkbox" checked={session.snapping} onChange={(e) => editor.setSnapping(e.currentTarget.checked)} />
        Snap
      </label>
      <select
        className="input"
        aria-label="Units"
        value={unit}
        onChange={(e) => setUnit(e.currentTarget.value as LengthUnit)}
        data-testid="unit"
      >
        <option value="mm">mm</option>
        <option value="in">in</option>
        <option value="pt">pt</option>
      </select>
    </div>
  );
}
