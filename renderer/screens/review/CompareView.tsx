import { useEffect, useRef, useState } from 'react';
import type { ReviewTile } from '../../../shared/ipc/contract';
import type { VariantApprovalDto } from '../../../shared/approvals/model';
import { useStudio } from '../../state/store';
import { Badge, Button, Notice } from '../../ui';
import { drawProof, paintDifference } from './proof';
import { statusLabel, statusTone } from './ReviewScreen';
import { FindingItem } from './ReviewTile';

const WIDTH = 380;

/**
 * A dealer beside the base design: the base is the template's own sample record (the design as the designer made
 * it); the third pane paints in red every pixel where the dealer's page differs.
 */
export function CompareView(p: {
  tile: ReviewTile;
  index: number;
  datasetId: string | null;
  status: VariantApprovalDto | undefined;
  onClose(): void;
}) {
  const { bridge, template } = useStudio();
  const base = useRef<HTMLCanvasElement>(null);
  const variant = useRef<HTMLCanvasElement>(null);
  const diff = useRef<HTMLCanvasElement>(null);
  const [share, setShare] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!base.current || !variant.current || !diff.current) return;
    const [b, v, d] = [base.current, variant.current, diff.current];
    setShare(null);
    Promise.all([
      drawProof(bridge, { templateId: template!.id, datasetId: null, index: 0 }, b, WIDTH),
      drawProof(bridge, { templateId: template!.id, datasetId: p.datasetId, index: p.index }, v, WIDTH),
    ]).then(
      () => setShare(paintDifference(b, v, d)),
      (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)),
    );
  }, [bridge, template, p.datasetId, p.index]);

  return (
    <div className="screen review" data-testid="review-compare">
      <div className="toolbar">
        <Button size="small" onClick={p.onClose}>
          ← All dealers
        </Button>
        <h1>
          {p.tile.label} <span className="muted mono">{p.tile.key}</span>
        </h1>
        <Badge tone={statusTone(p.status?.status)}>{statusLabel(p.status?.status)}</Badge>
        <div className="spacer" />
        <span className="muted" data-testid="diff-share">
          {share === null ? 'Comparing…' : `${(share * 100).toFixed(1)}% of the page differs from the base design`}
        </span>
      </div>
      {problem ? <Notice tone="error" title={problem} /> : null}
      <div className="review-compare">
        <figure>
          <figcaption>Base design (the template’s sample record)</figcaption>
          <canvas ref={base} />
        </figure>
        <figure>
          <figcaption>
            {p.tile.label}, record {p.index + 1}
          </figcaption>
          <canvas ref={variant} />
        </figure>
        <figure>
          <figcaption>Differences (red)</figcaption>
          <canvas ref={diff} data-testid="diff-canvas" />
        </figure>
      </div>
      {p.tile.findings.length ? (
        <div className="review-findings">
          <ul>
            {p.tile.findings.map((f, i) => (
              <FindingItem key={i} f={f} />
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
