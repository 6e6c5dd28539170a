import type { ColorRef, Lab } from '../model/color';
import type { TemplateDocument } from '../model/document';
import type { EmailBlock, EmailBlockType } from '../model/email';
import { modelOf, walkElements, type Ref } from '../model/elements/registry';
import type { Element } from '../model/elements/schema';
import { formatPath } from '../model/issues';
import { deltaE2000 } from './ciede2000';
import type { CmykTransform } from './cmyk';
import { hexToLab } from './convert';

type Path = (string | number)[];

/** Where a template uses a colour: the path (e.g. `print.pages[1].elements[3].stroke.color`) and the reference. */
export interface ColorUsage {
  path: string;
  color: ColorRef;
}

/** The colours an email block names, by block type: one entry per type, so a new block type fails to compile here. */
const emailBlockColors = {
  text: (b) => [
    ...(b.color ? [{ path: ['color'], value: b.color }] : []),
    ...b.paragraphs.flatMap((p, pi) =>
      p.runs.flatMap((r, ri) => (r.color ? [{ path: ['paragraphs', pi, 'runs', ri, 'color'], value: r.color }] : [])),
    ),
  ],
  button: (b) => [
    { path: ['background'], value: b.background },
    { path: ['color'], value: b.color },
  ],
  divider: (b) => [{ path: ['color'], value: b.color }],
  image: () => [],
  spacer: () => [],
  social: () => [],
  raw: () => [],
} satisfies { [K in EmailBlockType]: (b: Extract<EmailBlock, { type: K }>) => Ref<ColorRef>[] };

const blockColors = (b: EmailBlock): Ref<ColorRef>[] => (emailBlockColors[b.type] as (b: EmailBlock) => Ref<ColorRef>[])(b);

const elementColors = (el: Element): Ref<ColorRef>[] => modelOf(el).colors(el);

/** Every colour the template uses, in document order: print elements (through the element registry), then email. */
export function colorUsages(doc: TemplateDocument): ColorUsage[] {
  const out: ColorUsage[] = [];
  const add = (base: Path, refs: Ref<ColorRef>[]) => {
    for (const r of refs) out.push({ path: formatPath([...base, ...r.path]), color: r.value });
  };
  doc.print?.pages.forEach((page, pi) => {
    for (const { element, path } of walkElements(page.elements)) add(['print', 'pages', pi, 'elements', ...path], elementColors(element));
  });
  const email = doc.email;
  if (email) {
    if (email.background) add(['email'], [{ path: ['background'], value: email.background }]);
    email.sections.forEach((section, si) => {
      const sp: Path = ['email', 'sections', si];
      if (section.background) add(sp, [{ path: ['background'], value: section.background }]);
      section.columns.forEach((col, ci) =>
        col.blocks.forEach((block, bi) => add([...sp, 'columns', ci, 'blocks', bi], blockColors(block))),
      );
    });
  }
  return out;
}

export type OffBrandReason = 'literal-color' | 'unknown-swatch';

export interface OffBrandColor {
  path: string;
  reason: OffBrandReason;
  /** What the template says: the literal colour, or the swatch id that is not in the brand kit. */
  color: ColorRef | { swatch: string };
  message: string;
  /** For a literal colour: the brand swatch that comes closest, and how far it is (ΔE2000). */
  nearest?: { swatch: string; name: string; deltaE: number };
}

/**
 * Every colour used that is not a brand swatch: literal CMYK/RGB values in elements and email blocks, references
 * to swatch ids missing from the brand kit, and variant swatch overrides naming such ids. Literal CMYK is
 * compared with the swatches' CMYK builds through `cmyk` (media-relative), literal RGB with their sRGB values.
 */
export function offBrandColors(doc: TemplateDocument, cmyk: CmykTransform): OffBrandColor[] {
  const swatches = doc.brand.swatches;
  const ids = new Set<string>(swatches.map((s) => s.id));
  const known = [...ids].join(', ') || '(the brand kit has no swatches)';
  const nearest = (lab: Lab, labOf: (i: number) => Lab) => {
    let best: OffBrandColor['nearest'];
    swatches.forEach((s, i) => {
      const d = deltaE2000(lab, labOf(i));
      if (!best || d < best.deltaE) best = { swatch: s.id, name: s.name, deltaE: d };
    });
    return best;
  };
  const out: OffBrandColor[] = [];
  for (const u of colorUsages(doc)) {
    const c = u.color;
    if ('swatch' in c) {
      if (!ids.has(c.swatch)) {
        out.push({
          path: u.path,
          reason: 'unknown-swatch',
          color: c,
          message: `uses swatch "${c.swatch}", which is not in the brand kit; pick one of: ${known}`,
        });
      }
      continue;
    }
    const near =
      'cmyk' in c
        ? nearest(cmyk.cmykToLab(c.cmyk), (i) => cmyk.cmykToLab(swatches[i]!.cmyk))
        : nearest(hexToLab(c.rgb), (i) => hexToLab(swatches[i]!.srgb));
    const literal = 'cmyk' in c ? `CMYK ${c.cmyk.join('/')}` : `RGB ${c.rgb}`;
    out.push({
      path: u.path,
      reason: 'literal-color',
      color: c,
      message: near
        ? `uses the literal colour ${literal}; reference a brand swatch instead (nearest: "${near.swatch}", ΔE2000 ${near.deltaE.toFixed(2)})`
        : `uses the literal colour ${literal}; add it to the brand kit as a swatch and reference it`,
      ...(near ? { nearest: near } : {}),
    });
  }
  doc.variants?.items.forEach((v, vi) => {
    for (const [from, to] of Object.entries(v.swatches)) {
      const path = formatPath(['variants', 'items', vi, 'swatches', from]);
      for (const id of [from, to]) {
        if (!ids.has(id)) {
          out.push({
            path,
            reason: 'unknown-swatch',
            color: { swatch: id },
            message: `variant "${v.key}" ${id === from ? 'overrides' : 'substitutes'} swatch "${id}", which is not in the brand kit; pick one of: ${known}`,
          });
        }
      }
    }
  });
  return out;
}
