import type { ReviewApprovals } from '../../../shared/ipc/contract';
import { useStudio } from '../../state/store';
import { Badge, Button, Notice, Panel, saveDownload } from '../../ui';

/** The approval report of the version under review: who approved or rejected what, when, against which data. */
export function ApprovalReport({ approvals, templateId }: { approvals: ReviewApprovals | null; templateId: string }) {
  const { bridge, report } = useStudio();
  const a = approvals?.approvals;
  if (!approvals?.version || !a) return <Notice tone="info" title="No approval report: the template is not on the server." />;
  const labels = new Map(a.variants.map((v) => [v.variant, v.label]));
  const current = new Set(a.variants.map((v) => v.decision?.id));
  return (
    <Panel
      title={`Approval report — version ${approvals.version}`}
      testId="approval-report"
      flush
      actions={
        <Button
          size="small"
          onClick={() => void bridge.call('review:reportCsv', { templateId, version: approvals.version! }).then(saveDownload, report)}
        >
          Download CSV
        </Button>
      }
    >
      {a.history.length === 0 ? (
        <div className="empty">No decisions on version {approvals.version} yet.</div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>When (UTC)</th>
              <th>Dealer</th>
              <th>Decision</th>
              <th>By</th>
              <th>Comment</th>
              <th>Data</th>
              <th>Dataset sha256</th>
            </tr>
          </thead>
          <tbody>
            {[...a.history].reverse().map((d) => (
              <tr key={d.id}>
                <td className="mono">{d.at.slice(0, 19).replace('T', ' ')}</td>
                <td>
                  {labels.get(d.variant) ?? d.variant} <span className="muted mono">{d.variant}</span>
                </td>
                <td>
                  <Badge tone={d.decision === 'approved' ? 'ok' : 'danger'}>{d.decision}</Badge>
                  {current.has(d.id) ? null : <span className="muted"> (superseded)</span>}
                </td>
                <td>{d.by}</td>
                <td>{d.comment}</td>
                <td>{d.dataLabel}</td>
                <td className="mono" title={d.datasetSha256}>
                  {d.datasetSha256.slice(0, 12)}…
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
