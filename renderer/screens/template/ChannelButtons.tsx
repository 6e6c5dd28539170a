import * as ops from '../../../shared/ops';
import type { Editor } from '../../editor/editor';
import { useEditor } from '../../panels/use-editor';
import { Button } from '../../ui';

const newId = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

/**
 * Add or remove the template's print and email channels (each one undoable step). Adding email starts from
 * the brand-kit starter layout; the last channel cannot be removed.
 */
export function ChannelButtons({ editor, onError }: { editor: Editor; onError: (e: unknown) => void }) {
  const { document: doc } = useEditor(editor);
  const run = <A,>(op: ops.Op<A>, args: A, label: string) => {
    const r = editor.run(op, args, { label });
    if (!r.ok) onError(new Error(r.error.message));
  };
  const both = Boolean(doc.print && doc.email);
  const firstPage = doc.print?.pages[0];
  return (
    <div className="toolbar" role="group" aria-label="Channels" data-testid="channels">
      {doc.email ? (
        <Button
          size="small"
          disabled={!both}
          title={both ? 'Remove the email channel (Undo brings it back)' : 'The only channel cannot be removed'}
          onClick={() => run(ops.removeEmailChannel, undefined, 'remove email channel')}
          data-testid="remove-email"
        >
          Remove email
        </Button>
      ) : (
        <Button size="small" onClick={() => run(ops.addEmailChannel, { idGen: newId }, 'add email channel')} data-testid="add-email">
          Add email channel
        </Button>
      )}
      {doc.print ? (
        <Button
          size="small"
          disabled={!both}
          title={both ? 'Remove the print channel (Undo brings it back)' : 'The only channel cannot be removed'}
          onClick={() => run(ops.removePrintChannel, undefined, 'remove print channel')}
          data-testid="remove-print"
        >
          Remove print
        </Button>
      ) : (
        <Button
          size="small"
          onClick={() =>
            run(
              ops.addPrintChannel,
              { idGen: newId, width: firstPage?.width ?? 612, height: firstPage?.height ?? 792 },
              'add print channel',
            )
          }
          data-testid="add-print"
        >
          Add print channel
        </Button>
      )}
    </div>
  );
}
