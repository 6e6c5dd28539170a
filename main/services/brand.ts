import { basename } from 'node:path';
import type { BrandView, FontInfo, SwatchRow } from '../../shared/ipc/contract';
import { StudioError } from '../../shared/ipc/errors';
import type { Asset, TemplateDocument } from '../../shared/model/document';
import type { Cmyk, Lab, Swatch } from '../../shared/model/color';
import { sha256Hex, sniffImage } from '../../shared/model/package';
import { readAse, bookSwatches, type AseSwatch } from '../../shared/color/ase';
import { swatchReport } from '../../shared/color/swatch-report';
import { approximateCmykTransform } from '../../shared/color/cmyk';
import { hexToLab, labToSrgbUnclipped, toHex, srgbToLab } from '../../shared/color/convert';
import { inspectFont } from './fonts';
import type { TemplateService } from './templates';
import type { Db } from './library-db';

const CONDITION = { absolute: approximateCmykTransform('absolute'), relative: approximateCmykTransform('relative') };

/** A slug id unique among `taken`: "PANTONE 185 C" → "pantone-185-c", then "-2", "-3"… */
export function uniqueId(name: string, taken: ReadonlySet<string>, prefix = ''): string {
  const base =
    `${prefix}${name}`
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 56) || 'item';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

const COMPARISON_WORDS = { 'spot-vs-cmyk': 'ink ↔ CMYK', 'spot-vs-srgb': 'ink ↔ screen', 'cmyk-vs-srgb': 'CMYK ↔ screen' } as const;
const round = (v: number) => Math.round(v * 100) / 100;

/** Brand kit edits on an open template: fonts (checked), swatches (typed or from an .ase book), logos. */
export class BrandService {
  constructor(
    private readonly templates: TemplateService,
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  view(templateId: string): BrandView {
    const doc = this.templates.get(templateId).document;
    const report = swatchReport(doc.brand, CONDITION);
    const assets = new Map(doc.assets.map((a) => [a.id, a]));
    return {
      name: doc.brand.name,
      threshold: report.threshold,
      fonts: doc.brand.fonts.map((f) => ({ id: f.id, family: f.family, weight: f.weight, style: f.style, licence: f.licence })),
      swatches: report.swatches.map((s) => this.row(s.id, doc)),
      logos: doc.brand.logos.map((l) => ({ id: l.id, name: l.name, mediaType: assets.get(l.asset)?.mediaType ?? 'unknown' })),
    };
  }

  private row(id: string, doc: TemplateDocument): SwatchRow {
    const s = doc.brand.swatches.find((x) => x.id === id);
    if (!s) throw new StudioError('unknown-swatch', `No swatch "${id}".`);
    const entry = swatchReport({ ...doc.brand, swatches: [s] }, CONDITION).swatches[0]!;
    return {
      id: s.id,
      name: s.name,
      spotName: s.spot?.name ?? null,
      screen: s.srgb,
      cmyk: [...s.cmyk],
      lab: s.spot ? [...s.spot.lab] : null,
      deltas: entry.deltas.map((d) => ({ between: COMPARISON_WORDS[d.comparison], deltaE: round(d.deltaE), over: d.exceeds })),
    };
  }

  private addAsset(
    doc: TemplateDocument,
    assets: Map<string, Uint8Array>,
    name: string,
    mediaType: string,
    bytes: Uint8Array,
    idHint: string,
  ): Asset {
    const sha = sha256Hex(bytes);
    const same = doc.assets.find((a) => a.sha256 === sha);
    if (same) return same;
    const img = sniffImage(bytes);
    const asset: Asset = {
      id: uniqueId(idHint, new Set(doc.assets.map((a) => a.id))) as Asset['id'],
      name,
      mediaType,
      sha256: sha,
      bytes: bytes.length,
      ...(img ? { pixels: { width: img.width, height: img.height } } : {}),
    };
    assets.set(sha, bytes);
    doc.assets.push(asset);
    return asset;
  }

  private remember(kind: 'font' | 'image', name: string, detail: string, bytes: Uint8Array): void {
    const id = `${kind}:${sha256Hex(bytes)}`;
    this.db
      .prepare(
        `INSERT INTO items (id, kind, name, detail, data, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, detail = excluded.detail, updated_at = excluded.updated_at`,
      )
      .run(id, kind, name, detail, Buffer.from(bytes), this.now().toISOString());
  }

  importFont(templateId: string, fileName: string, bytes: Uint8Array): FontInfo {
    const name = basename(fileName);
    const font = inspectFont(name, bytes);
    let info: FontInfo | undefined;
    this.templates.update(templateId, (s) => {
      const doc = structuredClone(s.document);
      const asset = this.addAsset(
        doc,
        s.assets,
        name,
        font.mediaType,
        bytes,
        `font-${font.family}-${font.weight}${font.style === 'italic' ? 'i' : ''}`,
      );
      const existing = doc.brand.fonts.find((f) => f.family === font.family && f.weight === font.weight && f.style === font.style);
      const id =
        existing?.id ??
        uniqueId(
          `font-${font.family}-${font.weight}${font.style === 'italic' ? '-italic' : ''}`,
          new Set(doc.brand.fonts.map((f) => f.id)),
        );
      const entry = {
        id: id as (typeof doc.brand.fonts)[number]['id'],
        family: font.family,
        weight: font.weight,
        style: font.style,
        asset: asset.id,
        licence: existing?.licence ?? `Imported from ${name}; ${font.embedding}`,
        emailFallback: existing?.emailFallback ?? 'Helvetica, Arial, sans-serif',
      };
      if (existing) Object.assign(existing, entry);
      else doc.brand.fonts.push(entry);
      info = {
        id,
        family: font.family,
        weight: font.weight,
        style: font.style,
        format: font.format,
        glyphs: font.glyphs,
        embedding: font.embedding,
      };
      return doc;
    });
    this.remember(
      'font',
      `${font.family} ${font.weight}${font.style === 'italic' ? ' italic' : ''}`,
      `${font.format.toUpperCase()}, ${font.glyphs} glyphs`,
      bytes,
    );
    return info!;
  }

  addSwatch(
    templateId: string,
    input: { name: string; spotName: string | null; lab: Lab | null; cmyk: Cmyk | null; srgb: string | null },
  ): SwatchRow {
    if (input.spotName && !input.lab)
      throw new StudioError(
        'spot-needs-lab',
        `A spot colour needs its measured Lab value (from the ink maker's book) so the studio can compare it with the CMYK build and the screen colour.`,
      );
    const lab: Lab | undefined =
      input.lab ?? (input.srgb ? hexToLab(input.srgb) : input.cmyk ? CONDITION.absolute.cmykToLab(input.cmyk) : undefined);
    if (!lab) throw new StudioError('swatch-needs-value', 'Give the swatch at least one value: Lab, CMYK or sRGB.');
    const cmyk: Cmyk = input.cmyk ?? (CONDITION.absolute.labToCmyk(lab).map((v) => Math.round(v)) as unknown as Cmyk);
    const srgb = input.srgb ?? toHex(labToSrgbUnclipped(lab));
    let id = '';
    this.templates.update(templateId, (s) => {
      const doc = structuredClone(s.document);
      id = uniqueId(input.name, new Set(doc.brand.swatches.map((x) => x.id)));
      const swatch = {
        id,
        name: input.name,
        ...(input.spotName && input.lab ? { spot: { name: input.spotName, lab: input.lab } } : {}),
        cmyk,
        srgb,
      } as unknown as Swatch;
      doc.brand.swatches.push(swatch);
      return doc;
    });
    return this.row(id, this.templates.get(templateId).document);
  }

  importAse(templateId: string, fileName: string, bytes: Uint8Array): { added: number; skipped: string[] } {
    let book;
    try {
      book = readAse(bytes);
    } catch (e) {
      throw new StudioError(
        'ase-unreadable',
        `${basename(fileName)} is not a readable Adobe swatch exchange (.ase) file: ${(e as Error).message}`,
      );
    }
    const skipped: string[] = [];
    let added = 0;
    this.templates.update(templateId, (s) => {
      const doc = structuredClone(s.document);
      const taken = new Set<string>(doc.brand.swatches.map((x) => x.id));
      for (const { swatch } of bookSwatches(book)) {
        const made = this.fromAse(swatch);
        if (typeof made === 'string') {
          skipped.push(`${swatch.name || '(unnamed)'}: ${made}`);
          continue;
        }
        if (doc.brand.swatches.some((x) => x.name === swatch.name)) {
          skipped.push(`${swatch.name}: a swatch with this name is already in the brand kit`);
          continue;
        }
        const id = uniqueId(swatch.name, taken);
        taken.add(id);
        doc.brand.swatches.push({ id, name: swatch.name || id, ...made } as unknown as Swatch);
        added += 1;
      }
      return doc;
    });
    return { added, skipped };
  }

  private fromAse(sw: AseSwatch): { spot?: { name: string; lab: Lab }; cmyk: Cmyk; srgb: string } | string {
    const c = sw.color;
    let lab: Lab;
    let cmyk: Cmyk | undefined;
    let srgb: string | undefined;
    switch (c.model) {
      case 'LAB':
        lab = [c.lab[0], c.lab[1], c.lab[2]];
        break;
      case 'CMYK':
        cmyk = c.cmyk.map((v) => Math.min(100, Math.max(0, Math.round(v * 10) / 10))) as unknown as Cmyk;
        lab = CONDITION.absolute.cmykToLab(cmyk);
        break;
      case 'RGB':
        srgb = toHex([c.rgb[0], c.rgb[1], c.rgb[2]]);
        lab = srgbToLab([c.rgb[0], c.rgb[1], c.rgb[2]]);
        break;
      case 'Gray':
        cmyk = [0, 0, 0, Math.round((1 - c.gray) * 100)];
        lab = CONDITION.absolute.cmykToLab(cmyk);
        break;
      default:
        return 'unsupported colour model';
    }
    const builtCmyk = cmyk ?? (CONDITION.absolute.labToCmyk(lab).map((v) => Math.round(v)) as unknown as Cmyk);
    return {
      ...(sw.type === 'spot'
        ? { spot: { name: sw.name.slice(0, 127), lab: lab.map((v) => Math.round(v * 100) / 100) as unknown as Lab } }
        : {}),
      cmyk: builtCmyk,
      srgb: srgb ?? toHex(labToSrgbUnclipped(lab)),
    };
  }

  importLogo(templateId: string, fileName: string, bytes: Uint8Array): { id: string; name: string } {
    const name = basename(fileName);
    const text = new TextDecoder().decode(bytes.subarray(0, 512));
    const img = sniffImage(bytes);
    const mediaType = img?.mediaType ?? (/<svg[\s>]/i.test(text) || /^\s*<\?xml/.test(text) ? 'image/svg+xml' : undefined);
    if (!mediaType)
      throw new StudioError('logo-unknown-format', `${name} is not a PNG, JPEG or SVG image; export the logo in one of those formats.`);
    let id = '';
    const label = name.replace(/\.[^.]+$/, '');
    this.templates.update(templateId, (s) => {
      const doc = structuredClone(s.document);
      const asset = this.addAsset(doc, s.assets, name, mediaType, bytes, `logo-${label}`);
      id = uniqueId(`logo-${label}`, new Set(doc.brand.logos.map((l) => l.id)));
      doc.brand.logos.push({ id: id as (typeof doc.brand.logos)[number]['id'], name: label, asset: asset.id });
      return doc;
    });
    this.remember('image', label, mediaType, bytes);
    return { id, name: label };
  }
}
