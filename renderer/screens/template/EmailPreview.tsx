import { useEffect, useState } from 'react';
import type { EmailProof } from '../../../shared/ipc/contract';
import { useStudio, asProblem, type Problem } from '../../state/store';
import { Notice, Tabs } from '../../ui';
import { whenSaved } from './drafts';

/** The email exactly as it would be sent for the current record, in a sandboxed frame (no scripts, no network). */
export function EmailPreview() {
  const { bridge, template, dataset, index, revision } = useStudio();
  const [mail, setMail] = useState<EmailProof | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [view, setView] = useState<'desktop' | 'mobile' | 'text'>('desktop');
  useEffect(() => {
    let live = true;
    // The editor's latest document reaches main first, so the email is never older than the edits (as the print proof).
    whenSaved()
      .then(() => bridge.call('preview:email', { templateId: template!.id, datasetId: dataset?.id ?? null, index }))
      .then(
        (m) => live && (setMail(m), setProblem(null)),
        (e: unknown) => live && setProblem(asProblem(e)),
      );
    return () => {
      live = false;
    };
  }, [bridge, template, dataset, index, revision]);
  if (problem) return <Notice tone="error" title={problem.message} testId="email-problem" />;
  if (!mail) return <div className="empty">Composing the email…</div>;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <dl className="mail-head" data-testid="email-head">
        <dt>From</dt>
        <dd>{mail.from}</dd>
        <dt>To</dt>
        <dd>{mail.to}</dd>
        <dt>Subject</dt>
        <dd data-testid="email-subject">
          <strong>{mail.subject}</strong>
        </dd>
        <dt>Preheader</dt>
        <dd className="muted" data-testid="email-preheader">
          {mail.preheader}
        </dd>
      </dl>
      <Tabs
        label="Email view"
        value={view}
        onChange={setView}
        tabs={[
          { id: 'desktop', label: 'Desktop (640 px)' },
          { id: 'mobile', label: 'Mobile (375 px)' },
          { id: 'text', label: 'Plain text' },
        ]}
      />
      {view === 'text' ? (
        <pre className="plain" data-testid="email-text">
          {mail.text}
        </pre>
      ) : (
        <div className="mail-frame">
          <iframe
            title="Email preview"
            sandbox=""
            referrerPolicy="no-referrer"
            srcDoc={mail.html}
            style={{ width: view === 'mobile' ? 375 : 640 }}
            data-testid="email-frame"
          />
        </div>
      )}
    </div>
  );
}
