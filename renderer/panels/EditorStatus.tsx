import type { Editor } from '../editor/editor';
import { useEditor } from './use-editor';

/** The line under the canvas: the last refused operation (its message says what to do), selection, draft state. */
export function EditorStatus({
  editor,
  draftSavedAt,
  problem,
}: {
  editor: Editor;
  draftSavedAt: string | undefined;
  problem: string | undefined;
}) {
  const { session } = useEditor(editor);
  return (
    <div className="editor-status" role="status">
      {session.lastError ? (
        <span className="badge badge-danger" data-testid="editor-error">
          {session.lastError.message}
        </span>
      ) : null}
      {problem ? <span className="badge badge-warn">{problem}</span> : null}
      <span className="muted" data-testid="editor-selection">
        {session.selection.length ? `${session.selection.length} selected` : 'Nothing selected'}
      </span>
      <span className="spacer" />
      <span className="muted" data-testid="draft-state">
        {draftSavedAt ? `Draft saved ${new Date(draftSavedAt).toLocaleTimeString()}` : 'No unsaved changes'}
      </span>
    </div>
  );
}
