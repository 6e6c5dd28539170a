import { readIccInfo } from '../color/icc-info';
import { ACCEPTED_DESCRIPTION, declaredKind, describeBytes, sniffAsset, type AssetKind } from '../model/asset-types';
import type { TemplateDocument } from '../model/document';
import type { ValidationIssue } from '../model/issues';
import { checkFont, FontCheckError, type FontCheckDepth } from '../text/font-check';
import { checkRasterImage } from './print/images';
import { parseSvg } from './print/svg';

/**
 * Every asset of a template read the way composing will read it, so a broken file is reported when the
 * template is checked (`presswork validate`, publishing to the server) and never surfaces in the middle of a
 * job as a parser's error. One issue per asset, at `assets[i]`, naming the file and what to do.
 *
 * - the bytes must be a kind Presswork accepts (fonts, PNG/JPEG, SVG, PDF, ICC profiles), judged by content,
 *   never by name or declared type: a page, a script or an unknown file is refused;
 * - the declared media type must agree with the content (composition picks SVG and PDF by it);
 * - fonts are checked fully (checkFont), PNG/JPEG to their end, SVG art and PDF artwork parsed as placed,
 *   ICC profiles read; an SVG carrying script or event handlers is refused (it would be active content);
 * - brand fonts must point at fonts and the print output intent at an ICC profile.
 */

const KIND_WORDS: Record<AssetKind, string> = {
  font: 'a font',
  raster: 'a raster image',
  svg: 'SVG art',
  pdf: 'a PDF',
  icc: 'an ICC profile',
};

/** Active content in SVG: scripts, event handlers, javascript: links, embedded HTML. */
const SVG_ACTIVE =
  /<script[\s>]|<foreignObject[\s>]|\son[a-z]+\s*=|(?:href|src)\s*=\s*["']\s*javascript:|<iframe[\s>]|<embed[\s>]|<object[\s>]/i;

export interface AssetCheckOptions {
  /** `full` (default) for validate and publish; `structure` is enough before a job (see checkFont). */
  fontDepth?: FontCheckDepth;
  /**
   * Reads PDF artwork as composing does (`importPdfPage` of ./print/pdf-import). Passed in rather than imported, so
   * that a command that checks a template without PDF artwork never loads the PDF reader: use
   * `checkTemplateAssetsLoading`, which loads it only when a PDF is there.
   */
  checkPdf?: (bytes: Uint8Array, name: string) => unknown;
}

/** Check one asset's bytes as `kind` wants them; returns the problem in words, or undefined when usable. */
export function assetProblem(bytes: Uint8Array, name: string, declared: string, opts: AssetCheckOptions = {}): string | undefined {
  const sniffed = sniffAsset(bytes);
  if (!sniffed)
    return `"${name}" is not ${ACCEPTED_DESCRIPTION}: ${describeBytes(bytes)}. Remove it from the template or replace it with the real file`;
  const want = declaredKind(declared);
  if (want !== sniffed.kind)
    return `"${name}" is declared as ${JSON.stringify(declared)} but its bytes are ${KIND_WORDS[sniffed.kind]} (${sniffed.mediaType}); set its mediaType to "${sniffed.mediaType}" or replace the file`;
  try {
    switch (sniffed.kind) {
      case 'font':
        checkFont(bytes, opts.fontDepth ?? 'full');
        return undefined;
      case 'raster':
        checkRasterImage(bytes, name);
        return undefined;
      case 'svg': {
        const text = new TextDecoder().decode(bytes);
        const active = SVG_ACTIVE.exec(text);
        if (active)
          return `"${name}" is SVG with active content (${JSON.stringify(active[0].trim())}); Presswork places SVG as a picture — remove scripts, event handlers and embedded HTML, or export it again as plain SVG`;
        parseSvg(text, () => ({ kind: 'rgb', rgb: [0, 0, 0] }));
        return undefined;
      }
      case 'pdf':
        if (!opts.checkPdf) throw new Error(`"${name}" is PDF artwork and no PDF reader was given to the asset check`);
        opts.checkPdf(bytes, name);
        return undefined;
      case 'icc':
        readIccInfo(bytes);
        return undefined;
    }
  } catch (e) {
    const why = e instanceof FontCheckError ? e.problem : e instanceof Error ? e.message : String(e);
    // Image and PDF errors already name the file; fonts and profiles do not.
    if (why.includes(`"${name}"`)) return `${why}`;
    return `"${name}" (${KIND_WORDS[sniffed.kind]}) cannot be used: ${why}; replace the file with an intact copy`;
  }
}

export function checkTemplateAssets(
  doc: TemplateDocument,
  assets: ReadonlyMap<string, Uint8Array>,
  opts: AssetCheckOptions = {},
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const kinds = new Map<string, AssetKind | undefined>();
  doc.assets.forEach((a, i) => {
    const bytes = assets.get(a.sha256);
    if (!bytes) return; // a missing file is the package reader's issue
    const problem = assetProblem(bytes, a.name, a.mediaType, opts);
    kinds.set(a.id, problem ? undefined : sniffAsset(bytes)?.kind);
    if (problem) issues.push({ path: `assets[${i}]`, code: 'asset-unusable', message: problem });
  });
  doc.brand.fonts.forEach((f, i) => {
    if (!kinds.has(f.asset)) return;
    const kind = kinds.get(f.asset);
    if (kind !== undefined && kind !== 'font')
      issues.push({
        path: `brand.fonts[${i}].asset`,
        code: 'asset-wrong-kind',
        message: `font "${f.id}" points at asset "${f.asset}", which is ${KIND_WORDS[kind]}, not a font; point it at the font file`,
      });
  });
  const intent = doc.print?.outputIntent;
  if (intent !== undefined && kinds.has(intent)) {
    const kind = kinds.get(intent);
    if (kind !== undefined && kind !== 'icc')
      issues.push({
        path: 'print.outputIntent',
        code: 'asset-wrong-kind',
        message: `the output intent points at asset "${intent}", which is ${KIND_WORDS[kind]}, not an ICC profile`,
      });
  }
  return issues;
}

/** `checkTemplateAssets`, loading the PDF reader (the heaviest check) only when the template holds PDF artwork. */
export async function checkTemplateAssetsLoading(
  doc: TemplateDocument,
  assets: ReadonlyMap<string, Uint8Array>,
  opts: AssetCheckOptions = {},
): Promise<ValidationIssue[]> {
  const hasPdf = [...assets.values()].some((b) => sniffAsset(b)?.kind === 'pdf');
  const checkPdf = opts.checkPdf ?? (hasPdf ? (await import('./print/pdf-import')).importPdfPage : undefined);
  return checkTemplateAssets(doc, assets, { ...opts, ...(checkPdf ? { checkPdf } : {}) });
}
