import { useSyncExternalStore } from 'react';
import type { Editor } from '../editor/editor';

/**
 * Re-render a panel when the editor's document or session changes. The snapshot is the pair of immutable
 * objects, so React compares identities and panels read `editor.document` / `editor.session` directly.
 */
export function useEditor(editor: Editor): { document: Editor['document']; session: Editor['session'] } {
  const document = useSyncExternalStore(
    (l) => editor.subscribe(l),
    () => editor.document,
  );
  const session = useSyncExternalStore(
    (l) => editor.subscribe(l),
    () => editor.session,
  );
  return { document, session };
}
