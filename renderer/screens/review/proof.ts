import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { Bridge } from '../../bridge';
import { base64ToBytes } from '../../ui';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

/** The first page of a record's print proof (composed in main by the engine), drawn into a canvas `width` CSS px wide. */
export async function drawProof(
  bridge: Bridge,
  ref: { templateId: string; datasetId: string | null; index: number },
  canvas: HTMLCanvasElement,
  width: number,
): Promise<void> {
  const proof = await bridge.call('preview:print', ref);
  const doc = await pdfjs.getDocument({ data: base64ToBytes(proof.pdf), isEvalSupported: false }).promise;
  try {
    const page = await doc.getPage(1);
    const dpr = window.devicePixelRatio || 1;
    const scale = width / page.getViewport({ scale: 1 }).width;
    const vp = page.getViewport({ scale: scale * dpr });
    canvas.width = Math.round(vp.width);
    canvas.height = Math.round(vp.height);
    canvas.style.width = `${vp.width / dpr}px`;
    canvas.style.height = `${vp.height / dpr}px`;
    await page.render({ canvas, viewport: vp }).promise;
  } finally {
    void doc.destroy();
  }
}

/**
 * A visual difference of two same-size renderings: the variant faded, with every pixel that differs from the
 * base by more than `threshold` (0–255, summed over RGB) painted red. Returns the share of pixels that differ.
 */
export function paintDifference(base: HTMLCanvasElement, variant: HTMLCanvasElement, out: HTMLCanvasElement, threshold = 48): number {
  const w = Math.min(base.width, variant.width);
  const h = Math.min(base.height, variant.height);
  out.width = w;
  out.height = h;
  out.style.width = variant.style.width;
  out.style.height = variant.style.height;
  const a = base.getContext('2d')!.getImageData(0, 0, w, h).data;
  const b = variant.getContext('2d')!.getImageData(0, 0, w, h).data;
  const ctx = out.getContext('2d')!;
  const img = ctx.createImageData(w, h);
  const o = img.data;
  let differing = 0;
  for (let i = 0; i < o.length; i += 4) {
    const d = Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
    if (d > threshold) {
      differing++;
      o[i] = 230;
      o[i + 1] = 30;
      o[i + 2] = 60;
      o[i + 3] = 255;
    } else {
      // The unchanged design, faded so the differences stand out.
      o[i] = 255 - (255 - b[i]!) * 0.25;
      o[i + 1] = 255 - (255 - b[i + 1]!) * 0.25;
      o[i + 2] = 255 - (255 - b[i + 2]!) * 0.25;
      o[i + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return differing / (w * h || 1);
}
