import { useEffect, useRef, useState } from 'react';
import type { ReviewFinding, ReviewTile as Tile } from '../../../shared/ipc/contract';
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

/** Up to this many records a dealer's records are listed; beyond, the reviewer types a row number. */
const LISTED = 500;

/**
 * Pick any record of the dealer: a list of its rows (the representative marked) for up to LISTED records, else a
 * row number checked against the dealer's rows, with the longest-values record one click away.
 */
function RecordPicker({ tile, index, onPick }: { tile: Tile; index: number; onPick(index: number): void }) {
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  if (tile.indexes.length <= LISTED)
    return (
      <label className="muted review-record">
        Record{' '}
        <select className="input" value={index} onChange={(e) => onPick(Number(e.target.value))} data-testid="tile-record">
          {tile.indexes.map((i) => (
            <option key={i} value={i}>
              {i + 1}
              {i === tile.representative ? ' (longest values)' : ''}
            </option>
          ))}
        </select>
      </label>
    );
  const go = () => {
    const row = Number(typed);
    const i = row - 1;
    if (!Number.isInteger(row) || !tile.indexes.includes(i)) {
      setProblem(`Row ${typed} is not one of ${tile.key}’s ${tile.records} records.`);
      return;
    }
    setProblem(null);
    onPick(i);
  };
  return (
    <div className="muted review-record">
      <label>
        Record row{' '}
        <input
          className="input"
          inputMode="numeric"
          size={7}
          placeholder={String(index + 1)}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && go()}
          data-testid="tile-record-row"
          aria-label={`Row number of a ${tile.key} record`}
        />
      </label>{' '}
      <Button size="small" onClick={go}>
        Show
      </Button>{' '}
      {tile.representative !== null && index !== tile.representative ? (
        <Button size="small" onClick={() => onPick(tile.representative!)}>
          Longest values
        </Button>
      ) : (
        <span>row {index + 1} (longest values)</span>
      )}
      {problem ? <div className="review-thumb-error">{problem}</div> : null}
    </div>
  );
}

const SEVERITY_TONE = { error: 'danger', warning: 'warn', info: 'neutral' } as const;

/**
 * One preflight finding: severity and code, the message, the element it is about, the records (each row picks
 * that record in the tile when it is this dealer's), and the sentence saying how to fix it.
 */
export function FindingItem({ f, tile, onPick }: { f: ReviewFinding; tile?: Tile; onPick?(index: number): void }) {
  const more = f.count - f.rows.length;
  return (
    <li data-testid="finding" data-code={f.code}>
      <Badge tone={SEVERITY_TONE[f.severity]}>{f.code}</Badge> {f.message}
      <div className="muted review-finding-where">
        {f.channel}
        {f.element ? ` · ${f.element}` : ''} ·{' '}
        {f.count === 0 ? (
          'every record'
        ) : (
          <>
            {f.count === 1 ? 'row' : `${f.count} records, rows`}{' '}
            {f.rows.map((r, i) => (
              <span key={r}>
                {i ? ', ' : ''}
                {tile && onPick && tile.indexes.includes(r - 1) ? (
                  <button type="button" className="review-row-link" onClick={() => onPick(r - 1)} title={`Show row ${r} in this tile`}>
                    {r}
                  </button>
                ) : (
                  r
                )}
              </span>
            ))}
            {more > 0 ? `, … ${more} more` : ''}
          </>
        )}
      </div>
      <div className="review-fix" data-testid="finding-fix">
        Fix: {f.fix}
      </div>
    </li>
  );
}

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
      {tile.indexes.length > 1 ? <RecordPicker tile={tile} index={p.index} onPick={p.onPick} /> : null}
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
                <FindingItem key={i} f={f} tile={tile} onPick={p.onPick} />
              ))}
            </ul>
            {tile.findings.length > 3 ? (
              <details>
                <summary className="muted">…and {tile.findings.length - 3} more</summary>
                <ul>
                  {tile.findings.slice(3).map((f, i) => (
                    <FindingItem key={i} f={f} tile={tile} onPick={p.onPick} />
                  ))}
                </ul>
              </details>
            ) : null}
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
      ) : (
        <div className="toolbar review-actions">
          <div className="spacer" />
          <Button size="small" onClick={p.onCompare}>
            Compare
          </Button>
        </div>
      )}
    </article>
  );
}
