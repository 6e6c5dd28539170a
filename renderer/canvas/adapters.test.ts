import { describe, expect, it } from 'vitest';
import { opsTestDocument } from '../../shared/ops/testing';
import type { Element, ElementOfType } from '../../shared/model/elements/schema';
import { canvasAdapters, type DrawEnv } from './adapters';
import { cssColor } from './colors';

/** A 2D context that records calls and style assignments. */
function recordingContext() {
  const calls: string[] = [];
  const target: Record<string, unknown> = {};
  const ctx = new Proxy(target, {
    get: (_t, prop: string) =>
      prop in target ? target[prop] : (...args: unknown[]) => calls.push(`${prop}(${args.map((a) => JSON.stringify(a)).join(',')})`),
    set: (_t, prop: string, value) => {
      calls.push(`${prop}=${JSON.stringify(value)}`);
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
}

const doc = opsTestDocument();
const env: DrawEnv = { doc, layoutText: () => undefined, image: () => undefined };
const el = (id: string) => doc.print!.pages[0]!.elements.find((e) => e.id === id) as Element;

describe('cssColor', () => {
  it('uses the swatch sRGB, applies tints, flags missing swatches', () => {
    expect(cssColor(doc, { swatch: 'navy' as never, tint: 100 })).toBe('rgb(20, 53, 140)');
    expect(cssColor(doc, { swatch: 'navy' as never, tint: 50 })).toBe('rgb(138, 154, 198)');
    expect(cssColor(doc, { swatch: 'nope' as never, tint: 100 })).toBe('#ff00ff');
    expect(cssColor(doc, { rgb: '#123456' })).toBe('#123456');
    expect(cssColor(doc, { cmyk: [0, 0, 0, 100], tint: 100 })).toBe('rgb(0, 0, 0)');
    expect(cssColor(doc, undefined)).toBeUndefined();
  });
});

describe('canvas adapters', () => {
  it('draw a rectangle in its own frame with its swatch fill', () => {
    const { ctx, calls } = recordingContext();
    canvasAdapters.rect.draw(ctx, el('a') as ElementOfType<'rect'>, env);
    expect(calls).toEqual(['beginPath()', 'rect(0,0,100,50)', 'fillStyle="rgb(20, 53, 140)"', 'fill()']);
  });

  it('draw an ellipse about its box centre', () => {
    const { ctx, calls } = recordingContext();
    canvasAdapters.ellipse.draw(ctx, el('c') as ElementOfType<'ellipse'>, env);
    expect(calls[1]).toBe(`ellipse(50,25,50,25,0,0,${Math.PI * 2})`);
  });

  it('draw a QR code as module rectangles from the shared barcode geometry', () => {
    const { ctx, calls } = recordingContext();
    const qr = {
      ...el('a'),
      type: 'barcode',
      symbology: 'qr',
      data: 'https://example.com',
      color: { swatch: 'navy', tint: 100 },
      errorCorrection: 'M',
      quietZone: 2,
      showText: true,
    } as unknown as ElementOfType<'barcode'>;
    canvasAdapters.barcode.draw(ctx, qr, env);
    expect(calls.filter((c) => c.startsWith('fillRect(')).length).toBeGreaterThan(50);
  });

  it('show a placeholder for text until fonts are available, and for images not loaded yet', () => {
    const text = recordingContext();
    canvasAdapters.text.draw(text.ctx, { ...el('a'), type: 'text' } as unknown as ElementOfType<'text'>, env);
    expect(text.calls.some((c) => c.startsWith('fillText("text (fonts loading)"'))).toBe(true);
    const img = recordingContext();
    canvasAdapters.image.draw(
      img.ctx,
      { ...el('a'), type: 'image', source: 'logo', fit: 'contain', focal: { x: 0.5, y: 0.5 } } as unknown as ElementOfType<'image'>,
      env,
    );
    expect(img.calls.some((c) => c.startsWith('fillText("logo"'))).toBe(true);
  });
});
