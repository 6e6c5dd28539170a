import { useEffect, useRef, useState } from 'react';
import type { ReviewTile as Tile } from '../../../shared/ipc/contract';
import type { VariantApprovalDto } from '../../../shared/approvals/model';
import { useStudio } from '../../state/store';
import { Badge, Button } from '../../ui';
import { drawProof } from './proof';
import { statusLabel, statusTone } from './ReviewScreen';

const EMAIL_WIDTH = 600;
const THUMB_WIDTH = 236;

/** The record's email as it would be sent, scaled down in a sandboxed frame (no scripts, no network), and its subject. */
function EmailThumb({ templateId, datasetId, index }: { templateId: string; datasetId: string | null; index: number }) {
  const { bridge } = useStudio();
  const [mail, setMail] = useState<{ subject: string; html: string } | string | null>(null);
  useEffect(() => {
    let live = true;
    setMail(null);
    bridge.call('preview:email', { templateId, datasetId, index }).then(
      (m) => live && setMail({ subject: m.subject, html: m.html }),
      (e: unknown) => live && setMail(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [bridge, templateId, datasetId, index]);
  if (mail === null) return <div className="review-email muted">Composing the email…</div>;
  if (typeof mail === 'string') return <div className="review-email review-thumb-error">{mail}</div>;
  const scale = THUMB_WIDTH / EMAIL_WIDTH;
  return (
    <div className="review-email" data-testid="tile-email">
      <div className="review-email-subject" title={mail.subject}>
        ✉ {mail.subject}
      </div>
      <div className="review-email-frame" style={{ width: THUMB_WIDTH, height: 200 }}>
        <iframe
          title="Email"
          sandbox=""
          referrerPolicy="no-referrer"
          srcDoc={mail.html}
          tabIndex={-1}
          style={{ width: EMAIL_WIDTH, height: 200 / scale, transform: `scale(${scale})`, transformOrigin: '0 0' }}
        />
      </div>
    </div>
  );
}

const SEVERITY_TONE = { error: 'danger', warning: 'warn', info: 'neutral' } as const;

/** One dealer: the front page of a record, its findings, its approval status and the approve/reject form. */
export function ReviewTile(p: {
  tile: Tile;
  templateId: string;
  datasetId: string | null;
  index: number;
  onPick(index: number): void;
  approval: VariantApprovalDto | undefined;
  canDecide: boolean;
  onDecide(decision: 'approved' | 'rejected', comment: string): Promise<void>;
  onCompare(): void;
}) {
  const { bridge } = useStudio();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | string>('loading');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const { tile, approval } = p;

  useEffect(() => {
    if (!canvas.current) return;
    setState('loading');
    drawProof(bridge, { templateId: p.templateId, datasetId: p.datasetId, index: p.index }, canvas.current, THUMB_WIDTH).then(
      () => setState('ready'),
      (e: unknown) => setState(e instanceof Error ? e.message : String(e)),
    );
  }, [bridge, p.templateId, p.datasetId, p.index]);

  const decide = async (d: 'approved' | 'rejected') => {
    setBusy(true);
    try {
      await p.onDecide(d, comment);
      setComment('');
    } finally {
      setBusy(false);
    }
  };
  const errors = tile.findings.filter((f) => f.severity === 'error').length;
  const warnings = tile.findings.filter((f) => f.severity === 'warning').length;

  return (
    <article className="review-tile" data-testid="review-tile" data-variant={tile.key} aria-label={`${tile.label} (${tile.key})`}>
      <header>
        <div>
          <strong>{tile.label}</strong>
          <div className="muted mono">
            {tile.key} · {tile.records} record{tile.records === 1 ? '' : 's'}
          </div>
        </div>
        <span data-testid="tile-status">
          <Badge tone={statusTone(approval?.status)} title={approval?.reason ?? undefined}>
            {statusLabel(approval?.status)}
          </Badge>
        </span>
      </header>
      <button type="button" className="review-thumb" onClick={p.onCompare} title="Open: compare with the base design">
        <canvas ref={canvas} data-testid="tile-proof" data-state={state === 'ready' || state === 'loading' ? state : 'error'} />
        {state === 'loading' ? <span className="spinner review-thumb-spinner" aria-label="Composing" /> : null}
        {state !== 'ready' && state !== 'loading' ? <span className="review-thumb-error">{state}</span> : null}
      </button>
      <EmailThumb templateId={p.templateId} datasetId={p.datasetId} index={p.index} />
      {tile.indexes.length > 1 ? (
        <label className="muted review-record">
          Record{' '}
          <select className="input" value={p.index} onChange={(e) => p.onPick(Number(e.target.value))} data-testid="tile-record">
            {tile.indexes.map((i) => (
              <option key={i} value={i}>
                {i + 1}
                {i === tile.representative ? ' (longest values)' : ''}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div className="review-findings" data-testid="tile-findings">
        {tile.findings.length === 0 ? (
          <span className="muted">No preflight findings</span>
        ) : (
          <>
            {errors ? (
              <Badge tone="danger">
                {errors} error{errors === 1 ? '' : 's'}
              </Badge>
            ) : null}{' '}
            {warnings ? (
              <Badge tone="warn">
                {warnings} warning{warnings === 1 ? '' : 's'}
              </Badge>
            ) : null}
            <ul>
              {tile.findings.slice(0, 3).map((f, i) => (
                <li key={i} title={f.fix}>
                  <Badge tone={SEVERITY_TONE[f.severity]}>{f.code}</Badge> {f.message}
                  {f.count ? <span className="muted"> ({f.count} records)</span> : null}
                </li>
              ))}
              {tile.findings.length > 3 ? <li className="muted">…and {tile.findings.length - 3} more</li> : null}
            </ul>
          </>
        )}
      </div>
      {approval?.decision ? (
        <div className="muted review-decision" data-testid="tile-decision">
          {approval.decision.decision} by {approval.decision.by}, {approval.decision.at.slice(0, 16).replace('T', ' ')}
          {approval.decision.comment ? `: “${approval.decision.comment}”` : ''}
          {approval.reason && approval.status === 'needs-reapproval' ? <div>{approval.reason}</div> : null}
        </div>
      ) : null}
      {p.canDecide ? (
        <div className="review-actions">
          <textarea
            className="input"
            rows={2}
            placeholder="Comment (required to reject)"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            aria-label={`Comment on ${tile.label}`}
          />
          <div className="toolbar">
            <Button size="small" variant="primary" busy={busy} onClick={() => void decide('approved')} data-testid="approve">
              Approve
            </Button>
            <Button size="small" disabled={busy || !comment.trim()} onClick={() => void decide('rejected')} data-testid="reject">
              Reject
            </Button>
            <div className="spacer" />
            <Button size="small" onClick={p.onCompare}>
              Compare
            </Button>
          </div>
        </div>
      ) : null}
    </article>
  );
}
