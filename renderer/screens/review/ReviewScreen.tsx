import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReviewApprovals, ReviewGrid, ReviewTile as Tile } from '../../../shared/ipc/contract';
import type { ApprovalStatus, VariantApprovalDto } from '../../../shared/approvals/model';
import { useStudio } from '../../state/store';
import { Badge, Button, Notice, Tabs } from '../../ui';
import { FindingItem, ReviewTile } from './ReviewTile';
import { CompareView } from './CompareView';
import { ApprovalReport } from './ApprovalReport';
import './review.css';

export type StatusFilter = 'all' | ApprovalStatus;
const STATUS_LABEL: Record<ApprovalStatus, string> = {
  pending: 'Not reviewed',
  approved: 'Approved',
  rejected: 'Rejected',
  'needs-reapproval': 'Needs re-approval',
};
export const statusTone = (s: ApprovalStatus | undefined) =>
  s === 'approved' ? 'ok' : s === 'rejected' ? 'danger' : s === 'needs-reapproval' ? 'warn' : 'neutral';
export const statusLabel = (s: ApprovalStatus | undefined) => (s ? STATUS_LABEL[s] : 'No server');

/**
 * Brand review: one tile per dealer with the representative record's front page, its preflight findings and its
 * approval (kept on Presswork Server); filters; a side-by-side comparison; the approval report of the version.
 */
export function ReviewScreen() {
  const { bridge, template, dataset, report } = useStudio();
  const [tab, setTab] = useState<'grid' | 'report'>('grid');
  const [grid, setGrid] = useState<ReviewGrid | null>(null);
  const [approvals, setApprovals] = useState<ReviewApprovals | null>(null);
  const [status, setStatus] = useState<StatusFilter>('all');
  const [finding, setFinding] = useState<string>('any');
  const [picked, setPicked] = useState<Record<string, number>>({});
  const [comparing, setComparing] = useState<{ tile: Tile; index: number } | null>(null);

  const ref = useMemo(() => ({ templateId: template!.id, datasetId: dataset?.id ?? null }), [template, dataset]);

  useEffect(() => {
    let live = true;
    setGrid(null);
    bridge.call('review:grid', ref).then((g) => live && setGrid(g), report);
    return () => {
      live = false;
    };
  }, [bridge, ref, report]);

  const loadApprovals = useCallback(() => {
    bridge.call('review:approvals', ref).then(setApprovals, (e: unknown) => {
      setApprovals(null);
      report(e);
    });
  }, [bridge, ref, report]);
  useEffect(loadApprovals, [loadApprovals]);

  const byVariant = useMemo(() => {
    const m = new Map<string, VariantApprovalDto>();
    for (const v of approvals?.approvals?.variants ?? []) m.set(v.variant, v);
    return m;
  }, [approvals]);

  const codes = useMemo(() => {
    const set = new Set<string>();
    for (const t of grid?.tiles ?? []) for (const f of t.findings) set.add(f.code);
    return [...set].sort();
  }, [grid]);

  const visible = (grid?.tiles ?? []).filter((t) => {
    if (status !== 'all' && byVariant.get(t.key)?.status !== status) return false;
    if (finding === 'errors') return t.findings.some((f) => f.severity === 'error');
    if (finding === 'warnings') return t.findings.some((f) => f.severity === 'warning');
    if (finding === 'clean') return t.findings.length === 0;
    if (finding !== 'any') return t.findings.some((f) => f.code === finding);
    return true;
  });

  const decide = async (variant: string, decision: 'approved' | 'rejected', comment: string) => {
    if (!dataset || !approvals?.version) return;
    try {
      await bridge.call('review:decide', { ...ref, datasetId: dataset.id, version: approvals.version, variant, decision, comment });
      loadApprovals();
    } catch (e) {
      report(e);
    }
  };

  if (comparing)
    return (
      <CompareView
        tile={comparing.tile}
        index={comparing.index}
        datasetId={ref.datasetId}
        status={byVariant.get(comparing.tile.key)}
        onClose={() => setComparing(null)}
      />
    );

  const counts = (s: ApprovalStatus) => (grid?.tiles ?? []).filter((t) => byVariant.get(t.key)?.status === s).length;
  return (
    <div className="screen review">
      <div className="toolbar">
        <h1>Review</h1>
        <span className="muted" data-testid="review-version">
          {approvals?.version ? `Published version ${approvals.version}` : 'Not on the server'}
          {dataset ? ` · ${dataset.name}, ${grid?.records ?? '…'} records` : ' · the template’s sample record'}
        </span>
        <div className="spacer" />
        <Tabs
          label="Review views"
          value={tab}
          onChange={setTab}
          tabs={[
            { id: 'grid', label: 'Dealers' },
            { id: 'report', label: 'Approval report' },
          ]}
        />
      </div>
      {approvals?.message ? <Notice tone="warn" title={approvals.message} testId="review-message" /> : null}
      {!dataset ? (
        <Notice tone="info" testId="review-no-data">
          Import the campaign’s data (Data screen) to review each dealer on its own records; approvals are recorded against that data.
        </Notice>
      ) : null}
      {tab === 'report' ? (
        <ApprovalReport approvals={approvals} templateId={ref.templateId} />
      ) : (
        <>
          <div className="toolbar review-filters" role="toolbar" aria-label="Filter dealers">
            <label>
              Status{' '}
              <select
                className="input"
                value={status}
                onChange={(e) => setStatus(e.target.value as StatusFilter)}
                data-testid="filter-status"
              >
                <option value="all">All ({grid?.tiles.length ?? 0})</option>
                {(Object.keys(STATUS_LABEL) as ApprovalStatus[]).map((s) => (
                  <option key={s} value={s}>
                    {STATUS_LABEL[s]} ({counts(s)})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Findings{' '}
              <select className="input" value={finding} onChange={(e) => setFinding(e.target.value)} data-testid="filter-finding">
                <option value="any">Any</option>
                <option value="errors">With errors</option>
                <option value="warnings">With warnings</option>
                <option value="clean">No findings</option>
                {codes.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <div className="spacer" />
            {grid ? <span className="muted">Preflight {grid.millis} ms</span> : null}
            <Button size="small" onClick={loadApprovals}>
              Refresh approvals
            </Button>
          </div>
          {grid?.templateFindings.length ? (
            <details className="review-template-findings" data-testid="template-findings">
              <summary>
                <Badge tone={grid.templateFindings.some((f) => f.severity === 'error') ? 'danger' : 'warn'}>
                  {grid.templateFindings.length} template finding{grid.templateFindings.length === 1 ? '' : 's'}
                </Badge>{' '}
                <span className="muted">the design itself: they apply to every dealer</span>
              </summary>
              <ul>
                {grid.templateFindings.map((f, i) => (
                  <FindingItem key={i} f={f} />
                ))}
              </ul>
            </details>
          ) : null}
          {!grid ? (
            <div className="empty">
              <span className="spinner" style={{ display: 'inline-block' }} /> Checking every record and picking a representative one per
              dealer…
            </div>
          ) : (
            <div className="review-grid" data-testid="review-grid">
              {visible.map((t) => (
                <ReviewTile
                  key={t.key}
                  tile={t}
                  templateId={ref.templateId}
                  datasetId={ref.datasetId}
                  index={picked[t.key] ?? t.representative ?? 0}
                  onPick={(i) => setPicked((p) => ({ ...p, [t.key]: i }))}
                  approval={byVariant.get(t.key)}
                  canDecide={Boolean(dataset && approvals?.version && approvals.decidable)}
                  onDecide={(d, c) => decide(t.key, d, c)}
                  onCompare={() => setComparing({ tile: t, index: picked[t.key] ?? t.representative ?? 0 })}
                />
              ))}
              {visible.length === 0 ? <div className="empty">No dealer matches these filters.</div> : null}
            </div>
          )}
        </>
      )}
    </div>
  );
}
