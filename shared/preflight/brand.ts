import { colorUsages, offBrandColors } from '../color/brand-usage';
import { swatchReport, type PrintCondition, type SwatchComparison } from '../color/swatch-report';
import type { TemplateDocument } from '../model/document';
import { modelOf, walkElements } from '../model/elements/registry';
import { formatPath } from '../model/issues';
import type { FindingTarget, Occurrence } from './report';

/**
 * Template-level colour checks, all from shared/color: RGB-only colours in print, off-brand colours
 * (`offBrandColors`) and swatches whose spot, CMYK and sRGB versions drift apart (`swatchReport`).
 */

type Channel = 'print' | 'email';

const COMPARISON: Record<SwatchComparison, string> = {
  'spot-vs-cmyk': 'spot ↔ CMYK build',
  'spot-vs-srgb': 'spot ↔ sRGB',
  'cmyk-vs-srgb': 'CMYK build ↔ sRGB',
};

/** Element and block ids by document path, so a colour path can name the thing that uses it. */
function targetsByPath(doc: TemplateDocument): Map<string, FindingTarget> {
  const out = new Map<string, FindingTarget>();
  doc.print?.pages.forEach((page, pi) => {
    for (const { element, path } of walkElements(page.elements)) {
      const p = formatPath(['print', 'pages', pi, 'elements', ...path]);
      out.set(p, { kind: 'element', id: element.id, path: p, pageId: page.id });
    }
  });
  doc.email?.sections.forEach((section, si) => {
    const sp = formatPath(['email', 'sections', si]);
    out.set(sp, { kind: 'block', id: section.id, path: sp });
    section.columns.forEach((col, ci) =>
      col.blocks.forEach((block, bi) => {
        const p = formatPath(['email', 'sections', si, 'columns', ci, 'blocks', bi]);
        out.set(p, { kind: 'block', id: block.id, path: p });
      }),
    );
  });
  doc.variants?.items.forEach((v, vi) => {
    const p = formatPath(['variants', 'items', vi]);
    out.set(p, { kind: 'variant', id: v.key, path: p });
  });
  return out;
}

/** The target whose path is the longest prefix of `path` (the colour's owner); the bare path otherwise. */
function ownerOf(targets: Map<string, FindingTarget>, path: string): FindingTarget {
  let best: FindingTarget | undefined;
  for (const [p, t] of targets)
    if ((path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`)) && (!best || p.length > (best.path ?? '').length)) best = t;
  return best ? { ...best, path } : { kind: 'file', id: path, path };
}

const channelOf = (path: string): Channel | 'brand' => (path.startsWith('print') ? 'print' : path.startsWith('email') ? 'email' : 'brand');

export function brandOccurrences(
  doc: TemplateDocument,
  channels: readonly Channel[],
  condition: PrintCondition,
  deltaE: number,
): Occurrence[] {
  const out: Occurrence[] = [];
  const targets = targetsByPath(doc);
  const checked = (path: string) => {
    const c = channelOf(path);
    return c === 'brand' || channels.includes(c);
  };

  // RGB-only colours in print elements (through the element registry).
  const rgbPaths = new Set<string>();
  if (channels.includes('print'))
    doc.print?.pages.forEach((page, pi) => {
      for (const { element, path } of walkElements(page.elements))
        for (const ref of modelOf(element).colors(element)) {
          if (!('rgb' in ref.value)) continue;
          const p = formatPath(['print', 'pages', pi, 'elements', ...path, ...ref.path]);
          rgbPaths.add(p);
          out.push({
            code: 'print-rgb-colour',
            channel: 'print',
            target: { kind: 'element', id: element.id, path: p, pageId: page.id },
            message: `${element.type} "${element.id}" prints the RGB value ${ref.value.rgb}, which has no CMYK build`,
          });
        }
    });

  // Off-brand colours (literal CMYK, literal RGB outside print, unknown swatches).
  for (const o of offBrandColors(doc, condition.relative)) {
    if (rgbPaths.has(o.path) || !checked(o.path)) continue;
    const target = ownerOf(targets, o.path);
    const channel = channelOf(o.path);
    out.push({
      code: 'off-brand-colour',
      channel,
      target,
      message: target.kind === 'element' || target.kind === 'block' ? `${target.kind} "${target.id}" ${o.message}` : o.message,
      ...(o.nearest
        ? { fix: `Reference the brand swatch "${o.nearest.swatch}" (${o.nearest.name}) or add this colour to the brand kit.` }
        : {}),
    });
  }

  // ΔE between each used swatch's versions.
  const used = new Set<string>();
  for (const u of colorUsages(doc)) if ('swatch' in u.color && checked(u.path)) used.add(u.color.swatch);
  for (const v of doc.variants?.items ?? []) for (const [from, to] of Object.entries(v.swatches)) if (used.has(from)) used.add(to);
  const report = swatchReport({ ...doc.brand, deltaEThreshold: deltaE }, condition);
  report.swatches.forEach((s) => {
    const over = s.deltas.filter((d) => d.exceeds);
    if (!used.has(s.id) || over.length === 0) return;
    const path = formatPath(['brand', 'swatches', doc.brand.swatches.findIndex((x) => x.id === s.id)]);
    const deltas = over.map((d) => `${COMPARISON[d.comparison]} ΔE2000 ${d.deltaE.toFixed(2)}`).join(', ');
    const sug = s.suggestion;
    let fix: string;
    if (sug && sug.cmykDeltaE > deltaE)
      fix = `The spot ${s.spot?.name ?? ''} lies outside the press gamut: keep it as a spot ink wherever it matters (the CMYK build is only its process alternate); the closest process build is ${sug.cmyk.join('/')}, still ΔE ${sug.cmykDeltaE.toFixed(2)} away, so accept it for process-only jobs by raising brand.deltaEThreshold.`;
    else if (sug)
      fix = `Use the CMYK build ${sug.cmyk.join('/')} (ΔE ${sug.cmykDeltaE.toFixed(2)}) and the sRGB value ${sug.srgb} (ΔE ${sug.srgbDeltaE.toFixed(2)}) for this spot.`;
    else fix = `Adjust the CMYK build or the sRGB value of "${s.name}" until they match within ΔE ${deltaE}.`;
    out.push({
      code: 'swatch-delta-e',
      channel: 'brand',
      target: { kind: 'swatch', id: s.id, path },
      message: `swatch "${s.name}" (${s.id}): ${deltas}, above the brand threshold of ${deltaE}${report.approximate ? ' (approximate press model; give an ICC profile for exact figures)' : ''}`,
      fix,
    });
  });
  return out;
}
