import { useEffect, useRef, useState } from 'react';
import type { EmailProof } from '../../../../shared/ipc/contract';
import type { Editor } from '../../../editor/editor';
import { useEditor } from '../../../panels/use-editor';
import { asProblem, useStudio, type Problem } from '../../../state/store';
import { Notice, Tabs } from '../../../ui';
import { whenSaved } from '../drafts';

const DEBOUNCE_MS = 350;

/**
 * The email exactly as it would be sent to the current record: main compiles the MJML of the latest
 * draft (the editor's document reaches main first, `whenSaved`), re-rendered shortly after each edit and
 * on every record change. Desktop 640 px or mobile 375 px, in a sandboxed frame (no scripts;
 * images the email links to load as they would in a mail client).
 */
export function LivePreview({ editor }: { editor: Editor }) {
  const { bridge, template, dataset, index } = useStudio();
  const { document: doc } = useEditor(editor);
  const [mail, setMail] = useState<EmailProof | null>(null);
  const [shownFor, setShownFor] = useState<number | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(true);
  const [view, setView] = useState<'desktop' | 'mobile'>('desktop');
  const seq = useRef(0);

  useEffect(() => {
    const n = ++seq.current;
    setBusy(true);
    const t = setTimeout(() => {
      whenSaved()
        .then(() => bridge.call('preview:email', { templateId: template!.id, datasetId: dataset?.id ?? null, index }))
        .then(
          (m) => {
            if (n !== seq.current) return;
            setMail(m);
            setShownFor(index);
            setProblem(null);
          },
          (e: unknown) => n === seq.current && setProblem(asProblem(e)),
        )
        .finally(() => n === seq.current && setBusy(false));
    }, DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [bridge, template, dataset, index, doc]);

  return (
    <div className="em-preview" data-testid="email-live-preview">
      <div className="toolbar">
        <Tabs
          label="Preview width"
          value={view}
          onChange={setView}
          tabs={[
            { id: 'desktop', label: 'Desktop 640' },
            { id: 'mobile', label: 'Mobile 375' },
          ]}
        />
        <span className="muted" data-testid="email-preview-status" data-busy={busy ? 'yes' : 'no'}>
          {busy ? 'Updating…' : shownFor !== null ? `Record ${shownFor + 1}` : ''}
        </span>
      </div>
      {problem ? <Notice tone="error" title={problem.message} testId="email-live-problem" /> : null}
      {mail ? (
        <>
          <div className="em-preview-head">
            <div className="em-preview-subject" data-testid="email-live-subject">
              {mail.subject}
            </div>
            <div className="muted" data-testid="email-live-preheader">
              {mail.from} · {mail.preheader}
            </div>
          </div>
          <div className="mail-frame em-frame">
            <iframe
              title="Live email preview"
              sandbox=""
              referrerPolicy="no-referrer"
              srcDoc={mail.html}
              style={{ width: view === 'mobile' ? 375 : 640 }}
              data-testid="email-live-frame"
            />
          </div>
        </>
      ) : problem ? null : (
        <div className="empty">Composing the email…</div>
      )}
    </div>
  );
}
