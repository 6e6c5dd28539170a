import type { ColorRef } from '../../shared/model/color';
import type { TemplateDocument } from '../../shared/model/document';

/**
 * A ColorRef as a CSS colour for the screen: swatches by their sRGB value (never copied into elements),
 * tints mixed toward paper white, literal CMYK through a simple screen approximation (preflight reports
 * literal colours as off-brand anyway).
 */
export function cssColor(doc: TemplateDocument, ref: ColorRef | undefined): string | undefined {
  if (!ref) return undefined;
  if ('rgb' in ref) return ref.rgb;
  if ('swatch' in ref) {
    const s = doc.brand.swatches.find((w) => w.id === ref.swatch);
    if (!s) return '#ff00ff'; // a missing swatch shows loudly; preflight names it
    return tint(hexToRgb(s.srgb), ref.tint);
  }
  const [c, m, y, k] = ref.cmyk.map((v) => v / 100) as [number, number, number, number];
  return tint([255 * (1 - c) * (1 - k), 255 * (1 - m) * (1 - k), 255 * (1 - y) * (1 - k)], ref.tint);
}

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function tint(rgb: [number, number, number], percent: number): string {
  const t = percent / 100;
  const [r, g, b] = rgb.map((v) => Math.round(255 - (255 - v) * t));
  return `rgb(${r}, ${g}, ${b})`;
}
