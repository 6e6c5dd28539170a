import type { Command } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import { bookSwatches, readAse, writeAse, type AseColorValue, type SwatchBook } from '../../../shared/color/ase';
import { brandToSwatchBook } from '../../../shared/color/brand-book';
import { offBrandColors } from '../../../shared/color/brand-usage';
import { deltaE2000 } from '../../../shared/color/ciede2000';
import { ColorError } from '../../../shared/color/errors';
import { inputToLab, parseColorInput } from '../../../shared/color/input';
import { nearestInBook } from '../../../shared/color/nearest';
import { swatchReport, type SwatchComparison } from '../../../shared/color/swatch-report';
import type { Lab } from '../../../shared/model/color';
import { approximateCondition, conditionFor, profileCondition, readProfileFile } from '../../color/condition';
import { exitCodesHelp, loadTemplateOrReport, writeErr, writeOut } from '../output';

/**
 * `presswork color …`: ΔE2000, swatch books (.ase), nearest matches and the brand colour check.
 * Exit codes: 0 clean, 1 findings (a ΔE above the brand threshold or an off-brand colour; `check` only),
 * 2 bad input (unreadable template, profile or swatch book, malformed colour).
 */

const fmtLab = (l: Lab) => `L ${l[0].toFixed(2)} a ${l[1].toFixed(2)} b ${l[2].toFixed(2)}`;
const fmtCmyk = (c: readonly number[]) => c.map((v) => +v.toFixed(1)).join('/');
const fmtValue = (c: AseColorValue): string => {
  switch (c.model) {
    case 'CMYK':
      return `CMYK ${fmtCmyk(c.cmyk)}`;
    case 'RGB':
      return `RGB ${c.rgb.map((v) => Math.round(v * 255)).join(',')}`;
    case 'LAB':
      return `Lab ${c.lab.map((v) => +v.toFixed(2)).join(',')}`;
    case 'Gray':
      return `Gray ${+(c.gray * 100).toFixed(1)}%`;
  }
};
const COMPARISON: Record<SwatchComparison, string> = {
  'spot-vs-cmyk': 'spot Lab ↔ CMYK build',
  'spot-vs-srgb': 'spot Lab ↔ sRGB',
  'cmyk-vs-srgb': 'CMYK build ↔ sRGB',
};

/** Run a command body; a ColorError (bad input) prints its message and exits 2. */
async function guarded(body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (e) {
    if (!(e instanceof ColorError)) throw e;
    writeErr(`presswork color: ${e.message} [${e.code}]`);
    process.exitCode = 2;
  }
}

async function readBook(path: string): Promise<SwatchBook> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new ColorError('ase-not-found', `cannot read the swatch book ${path}: ${(e as Error).message}`);
  }
  try {
    return readAse(bytes);
  } catch (e) {
    if (e instanceof ColorError) throw new ColorError(e.code, `${path}: ${e.message}`, e.offset);
    throw e;
  }
}

const conditionFromOption = async (profile?: string) =>
  profile ? profileCondition(await readProfileFile(profile)) : approximateCondition();

export function registerColor(program: Command): void {
  const color = program.command('color').description('colour management: ΔE2000, swatch books (.ase), nearest match, brand colour check');

  color
    .command('delta-e')
    .description(
      'print the CIEDE2000 difference between two colours (L,a,b; #rrggbb; or c,m,y,k through --profile or the approximate model)',
    )
    .argument('<first>', 'e.g. 50,2.6772,-79.7751 or #14358c')
    .argument('<second>', 'e.g. 50,0,-82.7485')
    .option('--profile <icc>', 'CMYK output profile for c,m,y,k inputs')
    .option('--json', 'print the result as JSON')
    .action((first: string, second: string, opts: { profile?: string; json?: boolean }) =>
      guarded(async () => {
        const a = parseColorInput(first);
        const b = parseColorInput(second);
        const needsCmyk = a.kind === 'cmyk' || b.kind === 'cmyk';
        const cond = needsCmyk ? await conditionFromOption(opts.profile) : undefined;
        const transform = cond?.absolute ?? approximateCondition().absolute;
        const labA = inputToLab(a, transform);
        const labB = inputToLab(b, transform);
        const d = deltaE2000(labA, labB);
        const approximate = needsCmyk && transform.approximate;
        if (opts.json) writeOut(JSON.stringify({ deltaE2000: d, lab: [labA, labB], approximate }, null, 2));
        else
          writeOut(
            `${d.toFixed(4)}${approximate ? '  (approximate: CMYK through the built-in model; pass --profile for a press profile)' : ''}`,
          );
        return 0;
      }),
    );

  color
    .command('import')
    .description('read an Adobe Swatch Exchange (.ase) book and list its groups and colours')
    .argument('<book>', 'the .ase file')
    .option('--json', 'print the book as JSON')
    .action((path: string, opts: { json?: boolean }) =>
      guarded(async () => {
        const book = await readBook(path);
        if (opts.json) {
          writeOut(JSON.stringify(book, null, 2));
          return 0;
        }
        const lines = [`${path}: ${bookSwatches(book).length} colours`];
        for (const e of book.entries) {
          if (e.kind === 'group') {
            lines.push(`  group "${e.name}"`);
            for (const s of e.swatches) lines.push(`    ${s.name}  ${fmtValue(s.color)}  (${s.type})`);
          } else lines.push(`  ${e.name}  ${fmtValue(e.color)}  (${e.type})`);
        }
        writeOut(lines.join('\n'));
        return 0;
      }),
    );

  color
    .command('export')
    .description("write a template's brand swatches as an .ase book (spot inks as Lab spot colours, process as CMYK, plus an sRGB group)")
    .argument('<template>', 'template.zip or a folder holding template.json')
    .requiredOption('--out <file>', 'the .ase file to write')
    .action((path: string, opts: { out: string }) =>
      guarded(async () => {
        const pkg = await loadTemplateOrReport(path);
        if (!pkg) return 2;
        const book = brandToSwatchBook(pkg.document.brand);
        await writeFile(opts.out, writeAse(book));
        writeOut(`${opts.out}: ${bookSwatches(book).length} colours in ${book.entries.length} groups`);
        return 0;
      }),
    );

  color
    .command('nearest')
    .description('the k colours of a swatch book nearest to a colour, by ΔE2000')
    .argument('<color>', '#rrggbb, L,a,b or c,m,y,k')
    .requiredOption('--book <ase>', 'the .ase swatch book to search')
    .option('-k <count>', 'how many matches', '5')
    .option('--profile <icc>', 'CMYK output profile for CMYK and Gray entries (default: the approximate model)')
    .option('--json', 'print the matches as JSON')
    .action((text: string, opts: { book: string; k: string; profile?: string; json?: boolean }) =>
      guarded(async () => {
        const k = Number(opts.k);
        if (!Number.isInteger(k) || k < 1) throw new ColorError('color-input', `-k must be a whole number of at least 1, not "${opts.k}"`);
        const input = parseColorInput(text);
        const book = await readBook(opts.book);
        const transform = (await conditionFromOption(opts.profile)).absolute;
        const lab = inputToLab(input, transform);
        const matches = nearestInBook(book, lab, k, transform);
        const usesCmyk = input.kind === 'cmyk' || matches.some((m) => m.swatch.color.model === 'CMYK' || m.swatch.color.model === 'Gray');
        const approximate = usesCmyk && transform.approximate;
        if (opts.json) {
          writeOut(JSON.stringify({ query: { input: text, lab }, approximate, matches }, null, 2));
          return 0;
        }
        const lines = [
          `nearest to ${text} (${fmtLab(lab)}) in ${opts.book}${approximate ? ' — approximate: CMYK through the built-in model' : ''}`,
        ];
        for (const m of matches) {
          lines.push(
            `  ΔE ${m.deltaE.toFixed(2).padStart(6)}  ${m.swatch.name}${m.group ? `  [${m.group}]` : ''}  ${fmtValue(m.swatch.color)}`,
          );
        }
        writeOut(lines.join('\n'));
        return 0;
      }),
    );

  color
    .command('check')
    .description(
      'ΔE2000 report of the brand swatches (spot ↔ CMYK ↔ sRGB) and every off-brand colour; exit 0 clean, 1 findings, 2 bad input',
    )
    .argument('<template>', 'template.zip or a folder holding template.json')
    .option('--profile <icc>', "CMYK output profile of the press (default: the template's output intent, else the approximate model)")
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'clean: every swatch within the threshold, no off-brand colour',
        1: 'findings: swatches whose ink, CMYK build and screen colour differ by more than the threshold (lines marked ABOVE), or off-brand colours',
        2: 'bad input: template or ICC profile',
      }),
    )
    .action((path: string, opts: { profile?: string; json?: boolean }) =>
      guarded(async () => {
        const pkg = await loadTemplateOrReport(path);
        if (!pkg) return 2;
        const doc = pkg.document;
        const { condition, source } = await conditionFor(pkg, opts.profile);
        const report = swatchReport(doc.brand, condition);
        const offBrand = offBrandColors(doc, condition.relative);
        const findings = report.exceeded + offBrand.length;
        if (opts.json) {
          writeOut(JSON.stringify({ template: path, profile: source, ...report, offBrand, findings }, null, 2));
          return findings ? 1 : 0;
        }
        const lines = [
          `${path}: brand colours of "${doc.brand.name}"`,
          `  printing condition: ${report.approximate ? 'APPROXIMATE — ' : ''}${report.condition}${report.approximate ? '' : ` (${source})`}`,
          `  threshold: ΔE2000 ${report.threshold} (brand.deltaEThreshold)`,
        ];
        for (const s of report.swatches) {
          lines.push(
            `  ${s.name} [${s.id}]${s.spot ? ` — spot ${s.spot.name} ${fmtLab(s.spot.lab)}` : ''}; CMYK ${fmtCmyk(s.cmyk)}; sRGB ${s.srgb}`,
          );
          for (const d of s.deltas) {
            lines.push(`    ${d.exceeds ? 'ABOVE' : 'ok   '} ${COMPARISON[d.comparison].padEnd(24)} ΔE ${d.deltaE.toFixed(2)}`);
          }
          if (s.suggestion && s.deltas.some((d) => d.exceeds)) {
            const g = s.suggestion;
            lines.push(
              `    profile separation of the spot: CMYK ${fmtCmyk(g.cmyk)} (ΔE ${g.cmykDeltaE.toFixed(2)}); closest 8-bit sRGB: ${g.srgb} (ΔE ${g.srgbDeltaE.toFixed(2)}${g.srgbInGamut ? '' : ', spot is outside sRGB'})`,
            );
          }
        }
        lines.push(`  off-brand colours: ${offBrand.length}`);
        for (const o of offBrand) lines.push(`    ${o.path}: ${o.message}`);
        lines.push(
          findings
            ? `  ${findings} finding${findings === 1 ? '' : 's'} (the lines marked ABOVE and the off-brand colours); exit code 1`
            : '  clean',
        );
        writeOut(lines.join('\n'));
        return findings ? 1 : 0;
      }),
    );
}
