import { useEffect, useRef, useState } from 'react';
import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { PrintProof } from '../../../shared/ipc/contract';
import { useStudio, asProblem, type Problem } from '../../state/store';
import { base64ToBytes, Button, Notice } from '../../ui';
import { whenSaved } from './drafts';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

type Doc = Awaited<ReturnType<typeof pdfjs.getDocument>['promise']>;

/** Renders one PDF page into a canvas at `scale` CSS px per point (crisp on HiDPI screens). */
function PageCanvas({ doc, page, scale, onSize }: { doc: Doc; page: number; scale: number; onSize?: (w: number, h: number) => void }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let task: ReturnType<Awaited<ReturnType<Doc['getPage']>>['render']> | undefined;
    let live = true;
    void doc.getPage(page + 1).then((p) => {
      if (!live || !ref.current) return;
      const dpr = window.devicePixelRatio || 1;
      const vp = p.getViewport({ scale: scale * dpr });
      const c = ref.current;
      c.width = Math.round(vp.width);
      c.height = Math.round(vp.height);
      c.style.width = `${vp.width / dpr}px`;
      c.style.height = `${vp.height / dpr}px`;
      onSize?.(vp.width / dpr / scale, vp.height / dpr / scale);
      task = p.render({ canvas: c, viewport: vp });
      task.promise.catch(() => undefined);
    });
    return () => {
      live = false;
      task?.cancel();
    };
  }, [doc, page, scale, onSize]);
  return <canvas ref={ref} />;
}

/**
 * The print proof of the current record, composed in main by shared/compose and drawn by pdf.js: pages,
 * thumbnails, zoom, trim (blue) and bleed (dashed magenta) boxes, and overflowing text frames in red.
 */
export function PrintPreview({ zoomCommand }: { zoomCommand: { kind: 'in' | 'out' | 'reset'; n: number } | null }) {
  const { bridge, template, dataset, index, revision } = useStudio();
  const [proof, setProof] = useState<PrintProof | null>(null);
  const [doc, setDoc] = useState<Doc | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [zoom, setZoom] = useState(1);
  const [media, setMedia] = useState<Record<number, { w: number; h: number }>>({});
  const sheets = useRef<(HTMLDivElement | null)[]>([]);
  const [current, setCurrent] = useState(0);

  useEffect(() => {
    if (!zoomCommand) return;
    setZoom((z) => (zoomCommand.kind === 'reset' ? 1 : Math.min(4, Math.max(0.25, zoomCommand.kind === 'in' ? z * 1.25 : z / 1.25))));
  }, [zoomCommand]);

  useEffect(() => {
    let live = true;
    setBusy(true);
    // The canvas editor's latest document reaches main first, so the proof is never older than the canvas.
    whenSaved()
      .then(() => bridge.call('preview:print', { templateId: template!.id, datasetId: dataset?.id ?? null, index }))
      .then(async (p) => {
        const d = await pdfjs.getDocument({ data: base64ToBytes(p.pdf), isEvalSupported: false }).promise;
        if (!live) return void d.destroy();
        setProof(p);
        setDoc((old) => {
          void old?.destroy();
          return d;
        });
        setProblem(null);
      })
      .catch((e: unknown) => live && setProblem(asProblem(e)))
      .finally(() => live && setBusy(false));
    return () => {
      live = false;
    };
  }, [bridge, template, dataset, index, revision]);

  if (problem && !doc) return <Notice tone="error" title={problem.message} testId="print-problem" />;
  if (!doc || !proof)
    return (
      <div className="empty">
        <span className="spinner" style={{ display: 'inline-block' }} /> Composing the proof…
      </div>
    );
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      <div className="toolbar">
        <Button size="small" aria-label="Zoom out" onClick={() => setZoom((z) => Math.max(0.25, z / 1.25))}>
          −
        </Button>
        <span className="mono" style={{ width: 48, textAlign: 'center' }} data-testid="zoom">
          {Math.round(zoom * 100)}%
        </span>
        <Button size="small" aria-label="Zoom in" onClick={() => setZoom((z) => Math.min(4, z * 1.25))}>
          +
        </Button>
        <Button size="small" onClick={() => setZoom(1)}>
          100%
        </Button>
        <div className="legend">
          <span>
            <i style={{ borderTop: '1px solid #00a2ff' }} />
            Trim
          </span>
          <span>
            <i style={{ borderTop: '1px dashed #ff2d95' }} />
            Bleed
          </span>
          <span>
            <i style={{ borderTop: '2px solid #ff3b30' }} />
            Overflowing text
          </span>
        </div>
        <div className="spacer" />
        {busy ? <span className="spinner" aria-label="Recomposing" /> : null}
        <span className="muted" data-testid="proof-time">
          Composed in {proof.millis} ms
        </span>
        {proof.overflow.length ? (
          <span className="badge badge-danger" data-testid="overflow-count">
            {proof.overflow.length} overflowing frame{proof.overflow.length === 1 ? '' : 's'}
          </span>
        ) : (
          <span className="badge badge-ok">All text fits</span>
        )}
      </div>
      {problem ? <Notice tone="error" title={problem.message} /> : null}
      <div className="preview">
        <div className="thumbs" aria-label="Pages">
          {proof.pages.map((p, i) => (
            <button
              key={i}
              type="button"
              className="thumb"
              aria-current={i === current}
              onClick={() => (setCurrent(i), sheets.current[i]?.scrollIntoView({ behavior: 'smooth', block: 'start' }))}
            >
              <PageCanvas doc={doc} page={i} scale={0.17} />
              {p.name}
            </button>
          ))}
        </div>
        <div className="stage" data-testid="print-stage">
          {proof.pages.map((p, i) => {
            const m = media[i];
            // The PDF page is the trim plus bleed plus the slug for marks, centred around the trim.
            const ox = m ? (m.w - p.trim.width) / 2 : p.bleed.left;
            const oy = m ? (m.h - p.trim.height) / 2 : p.bleed.top;
            const z = zoom;
            return (
              <div key={i} className="sheet" ref={(el) => void (sheets.current[i] = el)} data-testid={`sheet-${i}`}>
                <PageCanvas
                  doc={doc}
                  page={i}
                  scale={z}
                  onSize={(w, h) => setMedia((old) => (old[i]?.w === w && old[i]?.h === h ? old : { ...old, [i]: { w, h } }))}
                />
                <div
                  className="box box-bleed"
                  style={{
                    left: (ox - p.bleed.left) * z,
                    top: (oy - p.bleed.top) * z,
                    width: (p.trim.width + p.bleed.left + p.bleed.right) * z,
                    height: (p.trim.height + p.bleed.top + p.bleed.bottom) * z,
                  }}
                />
                <div className="box box-trim" style={{ left: ox * z, top: oy * z, width: p.trim.width * z, height: p.trim.height * z }} />
                {proof.overflow
                  .filter((o) => o.page === i)
                  .map((o) => (
                    <div
                      key={o.elementId}
                      className="box box-overflow"
                      style={{ left: (ox + o.x) * z, top: (oy + o.y) * z, width: o.width * z, height: o.height * z }}
                    >
                      <span>{o.elementId} overflows</span>
                    </div>
                  ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
