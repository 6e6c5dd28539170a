import type { TemplateDocument } from '../../shared/model/document';
import type { ElementOfType, ElementType } from '../../shared/model/elements/schema';
import type { Stroke } from '../../shared/model/elements/shapes';
import type { TextLayout } from '../../shared/text/layout';
import { code128Geometry, ean13Geometry, qrGeometry, type BarcodeGeometry } from '../../shared/compose/plan/barcodes';
import { cssColor } from './colors';

/** What an adapter may use while drawing: the document (for swatches), text layouts and loaded images. */
export interface DrawEnv {
  doc: TemplateDocument;
  /** The engine's layout of a text element for the current record (shared/text), if fonts are available. */
  layoutText(el: ElementOfType<'text'>): TextLayout | undefined;
  /** Liquid resolved for the current record (field names in the field-names view); undefined if it cannot be. */
  resolve(source: string): string | undefined;
  /** A loaded image for an image element's source in the current record, if available yet. */
  image(el: ElementOfType<'image'>): (CanvasImageSource & { width: number; height: number }) | undefined;
}

/** The canvas layer of one element type: draws the element in its own frame (0,0)–(width,height). */
export interface CanvasAdapter<K extends ElementType> {
  draw(ctx: CanvasRenderingContext2D, el: ElementOfType<K>, env: DrawEnv): void;
}

function strokeAndFill(
  ctx: CanvasRenderingContext2D,
  env: DrawEnv,
  fill: Parameters<typeof cssColor>[1],
  stroke: Stroke | undefined,
): void {
  const f = cssColor(env.doc, fill);
  if (f) {
    ctx.fillStyle = f;
    ctx.fill();
  }
  if (stroke) {
    ctx.strokeStyle = cssColor(env.doc, stroke.color) ?? '#000';
    ctx.lineWidth = stroke.width;
    ctx.setLineDash(stroke.dash ?? []);
    ctx.stroke();
    ctx.setLineDash([]);
  }
}

function placeholder(ctx: CanvasRenderingContext2D, w: number, h: number, label: string): void {
  ctx.fillStyle = 'rgba(120, 130, 150, 0.15)';
  ctx.fillRect(0, 0, w, h);
  ctx.strokeStyle = 'rgba(90, 100, 120, 0.6)';
  ctx.lineWidth = 0.5;
  ctx.beginPath();
  ctx.moveTo(0, 0);
  ctx.lineTo(w, h);
  ctx.moveTo(w, 0);
  ctx.lineTo(0, h);
  ctx.rect(0, 0, w, h);
  ctx.stroke();
  ctx.fillStyle = 'rgba(60, 70, 90, 0.9)';
  ctx.font = `${Math.max(4, Math.min(10, h / 4))}px sans-serif`;
  ctx.fillText(label, 3, Math.min(h - 2, 12));
}

/** Glyph outlines from fontkit (its glyph objects carry a `path` with a canvas drawing function). */
interface PathGlyph {
  path: { toFunction(): (ctx: CanvasRenderingContext2D) => void };
}

function drawBarcode(ctx: CanvasRenderingContext2D, g: BarcodeGeometry, color: string): void {
  const [sx, , , sy, tx, ty] = g.transform;
  ctx.fillStyle = color;
  for (let i = 0; i + 3 < g.rects.length; i += 4) {
    const [x, y, w, h] = [g.rects[i], g.rects[i + 1], g.rects[i + 2], g.rects[i + 3]] as [number, number, number, number];
    ctx.fillRect(tx + x * sx, ty + y * sy, w * sx, h * sy);
  }
  if (g.text) {
    ctx.font = `${g.text.height}px monospace`;
    ctx.textAlign = 'center';
    ctx.fillText(g.text.value, g.text.x + g.text.width / 2, g.text.y + g.text.height);
    ctx.textAlign = 'start';
  }
}

/** One canvas definition per element type (a new type fails to compile until it is drawn here). */
export const canvasAdapters = {
  rect: {
    draw(ctx, el, env) {
      ctx.beginPath();
      if (el.cornerRadius > 0) ctx.roundRect(0, 0, el.width, el.height, el.cornerRadius);
      else ctx.rect(0, 0, el.width, el.height);
      strokeAndFill(ctx, env, el.fill, el.stroke);
    },
  },
  ellipse: {
    draw(ctx, el, env) {
      ctx.beginPath();
      ctx.ellipse(el.width / 2, el.height / 2, el.width / 2, el.height / 2, 0, 0, Math.PI * 2);
      strokeAndFill(ctx, env, el.fill, el.stroke);
    },
  },
  line: {
    draw(ctx, el, env) {
      ctx.beginPath();
      ctx.moveTo(0, 0);
      ctx.lineTo(el.width, el.height);
      strokeAndFill(ctx, env, undefined, el.stroke);
    },
  },
  path: {
    draw(ctx, el, env) {
      const [vx, vy, vw, vh] = el.viewBox ?? [0, 0, el.width || 1, el.height || 1];
      ctx.save();
      ctx.scale(el.width / vw, el.height / vh);
      ctx.translate(-vx, -vy);
      const p = new Path2D(el.d);
      const fill = cssColor(env.doc, el.fill);
      if (fill) {
        ctx.fillStyle = fill;
        ctx.fill(p);
      }
      ctx.restore();
      if (el.stroke) {
        ctx.save();
        ctx.scale(el.width / vw, el.height / vh);
        ctx.translate(-vx, -vy);
        ctx.strokeStyle = cssColor(env.doc, el.stroke.color) ?? '#000';
        ctx.lineWidth = el.stroke.width / Math.max(1e-6, Math.min(el.width / vw, el.height / vh));
        ctx.stroke(p);
        ctx.restore();
      }
    },
  },
  image: {
    draw(ctx, el, env) {
      const bg = cssColor(env.doc, el.background);
      if (bg) {
        ctx.fillStyle = bg;
        ctx.fillRect(0, 0, el.width, el.height);
      }
      const img = env.image(el);
      if (!img || !img.width || !img.height) return placeholder(ctx, el.width, el.height, el.source);
      const s = el.fit === 'fill' ? undefined : (el.fit === 'cover' ? Math.max : Math.min)(el.width / img.width, el.height / img.height);
      const w = s === undefined ? el.width : img.width * s;
      const h = s === undefined ? el.height : img.height * s;
      ctx.save();
      ctx.beginPath();
      ctx.rect(0, 0, el.width, el.height);
      ctx.clip();
      ctx.drawImage(img, (el.width - w) * el.focal.x, (el.height - h) * el.focal.y, w, h);
      ctx.restore();
    },
  },
  text: {
    draw(ctx, el, env) {
      const layout = env.layoutText(el);
      if (!layout) return placeholder(ctx, el.width, el.height, 'text (fonts loading)');
      // Exactly the engine's lines: each glyph outline at run.x + glyph.x on the line's baseline.
      for (const line of layout.lines)
        for (const run of line.runs) {
          ctx.fillStyle = cssColor(env.doc, run.color) ?? '#000';
          const scale = run.size / run.face.unitsPerEm;
          for (const g of run.glyphs) {
            const glyph = run.face.font.getGlyph(g.id) as unknown as PathGlyph;
            ctx.save();
            ctx.translate(run.x + g.x, line.baseline - g.dy);
            ctx.scale(scale, -scale);
            ctx.beginPath();
            glyph.path.toFunction()(ctx);
            ctx.fill();
            ctx.restore();
          }
          if (run.underline) ctx.fillRect(run.x, line.baseline + run.size * 0.1, run.width, Math.max(0.5, run.size / 18));
        }
      if (layout.overflow) {
        ctx.fillStyle = '#d0021b';
        ctx.fillRect(el.width - 8, el.height - 8, 8, 8);
      }
    },
  },
  barcode: {
    draw(ctx, el, env) {
      const bg = cssColor(env.doc, el.background);
      if (bg) {
        ctx.fillStyle = bg;
        ctx.fillRect(0, 0, el.width, el.height);
      }
      // The symbol for the current record's data, as print encodes it (a placeholder until the record is in).
      const data = env.resolve(el.data)?.trim();
      if (data === undefined || !data.trim()) return placeholder(ctx, el.width, el.height, `${el.symbology}: ${el.data}`);
      try {
        const g =
          el.symbology === 'qr'
            ? qrGeometry(data, el.errorCorrection, el.quietZone, el.width, el.height)
            : el.symbology === 'code128'
              ? code128Geometry(data, el.quietZone, el.width, el.height, el.showText)
              : ean13Geometry(data, el.quietZone, el.width, el.height, el.showText);
        drawBarcode(ctx, g, cssColor(env.doc, el.color) ?? '#000');
      } catch {
        placeholder(ctx, el.width, el.height, `${el.symbology}: data does not encode`);
      }
    },
  },
  group: {
    // Groups draw nothing themselves; the view flattens their children with their page transforms.
    draw() {},
  },
} satisfies { [K in ElementType]: CanvasAdapter<K> };
