import type { TemplateDocument } from '../../model/document';
import type { ColorRef } from '../../model/color';
import type { ElementModel } from '../../model/elements/registry';
import { elementModels } from '../../model/elements/registry';
import type { Element, ElementOfType, ElementType } from '../../model/elements/schema';
import { TextElementSchema } from '../../model/elements/text';
import type { FontLibrary } from '../../text/fonts';
import { layoutText, type FitStatus, type TextLayout, type TextResolver } from '../../text/layout';
import { BarcodeError, code128Geometry, ean13Geometry, qrGeometry, type BarcodeGeometry } from '../plan/barcodes';
import { ellipsePath, multiply, parseSvgPath, PathSyntaxError, rectPath, rotationAbout, transformPath } from '../plan/geometry';
import type { Matrix, PlanColor, PlanItem, PlanStroke, TextItem } from '../plan/types';
import { ComposeError } from './errors';
import { ImageError, prepareImage, type PdfImage } from './images';
import { importPdfPage, PdfImportError, type PdfArtwork } from './pdf-import';
import { parseSvg, type SvgArt } from './svg';
import { quoteValue } from '../../model/issues';

/**
 * The print painter registry: one painter per element type, typed exhaustively so that a new element
 * type does not compile until it can be printed. A painter turns an element (for one record) into plan items.
 */

/** Per-template state shared by all records: fonts, decoded images and SVG art (each once per asset). */
export interface PrintContext {
  doc: TemplateDocument;
  fonts: FontLibrary;
  assetBytes(sha256: string): Uint8Array | undefined;
  images: Map<string, PdfImage>;
  svgs: Map<string, SvgArt>;
  /** Imported PDF artwork (or why it cannot be placed) by asset sha256: each file is read once per job. */
  artwork: Map<string, PdfArtwork | PdfImportError>;
  /** Swatch ids some variant replaces: elements using them are not static. */
  overridden: ReadonlySet<string>;
  /** zlib compressor for decoded images (injected by hosts with a native one). */
  deflate?: ((data: Uint8Array, level: number) => Uint8Array) | undefined;
}

export interface FrameReport {
  elementId: string;
  pageId: string;
  status: FitStatus;
  designSize: number;
  size: number;
  hitMinimum: boolean;
  hiddenLines: number;
}

/** Per-record state. */
export interface RecordScope {
  resolver: TextResolver;
  swatches: Readonly<Record<string, string>>;
  pageId: string;
  frames: FrameReport[];
}

export interface ElementPainter<K extends ElementType> {
  /** Items in page coordinates (before the element's rotation/opacity, which the composer applies). */
  paint(el: ElementOfType<K>, ctx: PrintContext, scope: RecordScope): PlanItem[];
}

export function resolveColor(ref: ColorRef, ctx: PrintContext, swatches: Readonly<Record<string, string>>): PlanColor {
  if ('rgb' in ref) {
    const h = ref.rgb;
    return { kind: 'rgb', rgb: [parseInt(h.slice(1, 3), 16) / 255, parseInt(h.slice(3, 5), 16) / 255, parseInt(h.slice(5, 7), 16) / 255] };
  }
  const tint = (ref.tint ?? 100) / 100;
  if ('cmyk' in ref) {
    const [c, m, y, k] = ref.cmyk;
    return { kind: 'cmyk', cmyk: [(c / 100) * tint, (m / 100) * tint, (y / 100) * tint, (k / 100) * tint] };
  }
  const id = swatches[ref.swatch] ?? ref.swatch;
  const sw = ctx.doc.brand.swatches.find((s) => s.id === id);
  if (!sw) throw new ComposeError('swatch-missing', `swatch "${id}" is not in the brand kit; add it or pick another colour`);
  const [c, m, y, k] = sw.cmyk;
  if (sw.spot) return { kind: 'spot', name: sw.spot.name, cmyk: [c / 100, m / 100, y / 100, k / 100], tint };
  return { kind: 'cmyk', cmyk: [(c / 100) * tint, (m / 100) * tint, (y / 100) * tint, (k / 100) * tint] };
}

const stroke = (
  s: { color: ColorRef; width: number; dash?: number[] | undefined } | undefined,
  ctx: PrintContext,
  sc: RecordScope,
): PlanStroke | undefined => (s ? { color: resolveColor(s.color, ctx, sc.swatches), width: s.width, dash: s.dash } : undefined);

function textItem(layout: TextLayout, ctx: PrintContext, sc: RecordScope): TextItem {
  return { kind: 'text', layout, colors: layout.lines.map((l) => l.runs.map((r) => resolveColor(r.color, ctx, sc.swatches))) };
}

/** Find the asset an image source names: asset id, logo id, or an asset's file name. */
function findAsset(ctx: PrintContext, source: string) {
  const doc = ctx.doc;
  const byId = doc.assets.find((a) => a.id === source);
  if (byId) return byId;
  const logo = doc.brand.logos.find((l) => l.id === source);
  if (logo) return doc.assets.find((a) => a.id === logo.asset);
  return doc.assets.find((a) => a.name === source || a.name.endsWith(`/${source}`));
}

/** An SVG colour: the brand swatch with exactly this screen colour (so art prints in the brand's inks), else sRGB. */
function svgColor(ctx: PrintContext, hex: string): PlanColor {
  const sw = ctx.doc.brand.swatches.find((s) => s.srgb === hex);
  if (sw) return resolveColor({ swatch: sw.id, tint: 100 }, ctx, {});
  return resolveColor({ rgb: hex }, ctx, {});
}

function svgArt(ctx: PrintContext, sha: string, bytes: Uint8Array, id: string, name: string): SvgArt {
  let art = ctx.svgs.get(sha);
  if (!art) {
    try {
      art = parseSvg(new TextDecoder().decode(bytes), (hex) => svgColor(ctx, hex));
    } catch (e) {
      throw new ComposeError(
        'image-unreadable',
        `image frame "${id}": the SVG "${name}" cannot be placed (${e instanceof Error ? e.message : String(e)})`,
        id,
      );
    }
    ctx.svgs.set(sha, art);
  }
  return art;
}

/** The first page of a PDF asset, imported once per job (a failure too: every record gets the same reason). */
function pdfArtwork(ctx: PrintContext, sha: string, bytes: Uint8Array, name: string): PdfArtwork | PdfImportError {
  let art = ctx.artwork.get(sha);
  if (!art) {
    try {
      art = importPdfPage(bytes, name);
    } catch (e) {
      art = e instanceof PdfImportError ? e : new PdfImportError('image-unreadable', `"${name}" cannot be read as PDF (${String(e)})`);
    }
    ctx.artwork.set(sha, art);
  }
  return art;
}

export const printPainters = {
  text: {
    paint(el, ctx, sc) {
      const layout = layoutText(el, sc.resolver, ctx.fonts);
      if (layout.status !== 'fits')
        sc.frames.push({
          elementId: el.id,
          pageId: sc.pageId,
          status: layout.status,
          designSize: el.style.size,
          size: Math.round(layout.size * 100) / 100,
          hitMinimum: layout.hitMinimum,
          hiddenLines: layout.hiddenLines,
        });
      return [textItem(layout, ctx, sc)];
    },
  },
  image: {
    paint(el, ctx, sc) {
      const source = sc.resolver.text(el.source).trim();
      if (!source) throw new ComposeError('image-not-found', `image frame "${el.id}": the image source is empty for this record`, el.id);
      const asset = findAsset(ctx, source);
      if (!asset)
        throw new ComposeError(
          'image-not-found',
          `image frame "${el.id}": ${quoteValue(source)} is not an asset, logo or file of the template; add it or fix the data`,
          el.id,
        );
      const bytes = ctx.assetBytes(asset.sha256);
      if (!bytes)
        throw new ComposeError(
          'image-not-found',
          `image frame "${el.id}": the file of asset "${asset.id}" is missing from the package`,
          el.id,
        );
      const items: PlanItem[] = [];
      if (el.background)
        items.push({ kind: 'shape', path: rectPath(el.x, el.y, el.width, el.height), fill: resolveColor(el.background, ctx, sc.swatches) });
      let iw: number;
      let ih: number;
      let svg: SvgArt | undefined;
      if (asset.mediaType === 'image/svg+xml') {
        svg = svgArt(ctx, asset.sha256, bytes, el.id, asset.name);
        iw = svg.width;
        ih = svg.height;
      } else if (asset.mediaType === 'application/pdf') {
        const art = pdfArtwork(ctx, asset.sha256, bytes, asset.name);
        if (art instanceof PdfImportError) throw new ComposeError(art.code, `image frame "${el.id}": ${art.message}`, el.id);
        iw = art.width;
        ih = art.height;
      } else {
        let img = ctx.images.get(asset.sha256);
        if (!img) {
          try {
            img = prepareImage(bytes, asset.name, ctx.deflate);
          } catch (e) {
            throw new ComposeError('image-unreadable', `image frame "${el.id}": ${e instanceof ImageError ? e.message : String(e)}`, el.id);
          }
          ctx.images.set(asset.sha256, img);
        }
        iw = img.width;
        ih = img.height;
      }
      const sx = el.width / iw;
      const sy = el.height / ih;
      let w = el.width;
      let h = el.height;
      if (el.fit !== 'fill') {
        const s = el.fit === 'contain' ? Math.min(sx, sy) : Math.max(sx, sy);
        w = iw * s;
        h = ih * s;
      }
      const x = el.x + (el.width - w) * el.focal.x;
      const y = el.y + (el.height - h) * el.focal.y;
      const clip = el.fit === 'cover' ? { x: el.x, y: el.y, width: el.width, height: el.height } : undefined;
      if (svg) {
        const m: Matrix = [w / svg.width, 0, 0, h / svg.height, x, y];
        items.push({ kind: 'group', items: svg.items, transform: multiply(svg.viewBoxMatrix, m), clip });
      } else items.push({ kind: 'image', sha256: asset.sha256, x, y, width: w, height: h, clip });
      return items;
    },
  },
  rect: {
    paint: (el, ctx, sc) => [
      {
        kind: 'shape',
        path: rectPath(el.x, el.y, el.width, el.height, el.cornerRadius),
        fill: el.fill && resolveColor(el.fill, ctx, sc.swatches),
        stroke: stroke(el.stroke, ctx, sc),
      },
    ],
  },
  ellipse: {
    paint: (el, ctx, sc) => [
      {
        kind: 'shape',
        path: ellipsePath(el.x + el.width / 2, el.y + el.height / 2, el.width / 2, el.height / 2),
        fill: el.fill && resolveColor(el.fill, ctx, sc.swatches),
        stroke: stroke(el.stroke, ctx, sc),
      },
    ],
  },
  line: {
    paint: (el, ctx, sc) => [
      {
        kind: 'shape',
        path: [
          { op: 'M', x: el.x, y: el.y },
          { op: 'L', x: el.x + el.width, y: el.y + el.height },
        ],
        stroke: stroke(el.stroke, ctx, sc),
      },
    ],
  },
  path: {
    paint(el, ctx, sc) {
      let path;
      try {
        path = parseSvgPath(el.d);
      } catch (e) {
        throw new ComposeError(
          'path-invalid',
          `path "${el.id}": ${e instanceof PathSyntaxError ? e.message : String(e)}; fix its path data`,
          el.id,
        );
      }
      const [vx, vy, vw, vh] = el.viewBox ?? [0, 0, el.width || 1, el.height || 1];
      const m: Matrix = [el.width / vw, 0, 0, el.height / vh, el.x - (vx * el.width) / vw, el.y - (vy * el.height) / vh];
      return [
        {
          kind: 'shape',
          path: transformPath(path, m),
          fill: el.fill && resolveColor(el.fill, ctx, sc.swatches),
          stroke: stroke(el.stroke, ctx, sc),
        },
      ];
    },
  },
  barcode: {
    paint(el, ctx, sc) {
      const data = sc.resolver.text(el.data).trim();
      if (!data) throw new ComposeError('barcode-invalid', `barcode "${el.id}": its data is empty for this record`, el.id);
      let g: BarcodeGeometry;
      try {
        g =
          el.symbology === 'qr'
            ? qrGeometry(data, el.errorCorrection, el.quietZone, el.width, el.height)
            : el.symbology === 'code128'
              ? code128Geometry(data, el.quietZone, el.width, el.height, el.showText)
              : ean13Geometry(data, el.quietZone, el.width, el.height, el.showText);
      } catch (e) {
        throw new ComposeError('barcode-invalid', `barcode "${el.id}": ${e instanceof BarcodeError ? e.message : String(e)}`, el.id);
      }
      const color = resolveColor(el.color, ctx, sc.swatches);
      const items: PlanItem[] = [];
      if (el.background)
        items.push({ kind: 'shape', path: rectPath(el.x, el.y, el.width, el.height), fill: resolveColor(el.background, ctx, sc.swatches) });
      const [a, b, c, d, e, f] = g.transform;
      items.push({ kind: 'rects', fill: color, rects: g.rects, transform: [a, b, c, d, e + el.x, f + el.y] });
      if (g.text) {
        const font = ctx.doc.brand.fonts[0];
        if (!font)
          throw new ComposeError('font-missing', `barcode "${el.id}": showText needs a brand font; add one or turn showText off`, el.id);
        const t = TextElementSchema.parse({
          id: el.id,
          type: 'text',
          x: el.x + g.text.x,
          y: el.y + g.text.y,
          width: g.text.width,
          height: g.text.height,
          style: { font: font.id, size: g.text.height * 0.9, color: el.color },
          paragraphs: [{ runs: [{ text: g.text.value }] }],
          align: 'center',
          leading: 1,
          fit: { mode: 'shrink', minSize: 3 },
        });
        items.push(textItem(layoutText(t, { text: (s) => s, condition: () => true }, ctx.fonts), ctx, sc));
      }
      return items;
    },
  },
  group: {
    paint(el, ctx, sc) {
      const items = el.children.flatMap((child) => paintElement(child, ctx, sc));
      return [{ kind: 'group', items, transform: [1, 0, 0, 1, el.x, el.y] }];
    },
  },
} satisfies { [K in ElementType]: ElementPainter<K> };

const painterOf = <K extends ElementType>(el: ElementOfType<K>) => printPainters[el.type as K] as unknown as ElementPainter<K>;
const modelOf = <K extends ElementType>(el: ElementOfType<K>) => elementModels[el.type as K] as unknown as ElementModel<K>;

/** Paint one element with its visibility, rotation and opacity. Hidden or invisible elements yield nothing. */
export function paintElement(el: Element, ctx: PrintContext, sc: RecordScope): PlanItem[] {
  if (el.hidden) return [];
  if (el.visibleIf !== undefined && !sc.resolver.condition(el.visibleIf)) return [];
  let items = painterOf(el).paint(el, ctx, sc);
  const rotated = el.rotation % 360 !== 0;
  if (rotated || el.opacity < 1) {
    const transform = rotated ? rotationAbout(el.rotation, el.x + el.width / 2, el.y + el.height / 2) : undefined;
    items = [{ kind: 'group', items, transform, opacity: el.opacity < 1 ? el.opacity : undefined }];
  }
  return items;
}

/** True when the element prints the same for every record: no conditions, no Liquid, no variant-overridden swatch. */
export function isStatic(el: Element, ctx: PrintContext): boolean {
  if (el.hidden) return true;
  const model = modelOf(el);
  for (const src of model.liquid(el)) if (src.kind === 'condition' || src.source.includes('{')) return false;
  for (const c of model.colors(el)) if ('swatch' in c.value && ctx.overridden.has(c.value.swatch)) return false;
  return model.children(el).every((child) => isStatic(child, ctx));
}
