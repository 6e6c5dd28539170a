import type { Command } from 'commander';
import { ColorError } from '../../../shared/color/errors';
import type { Channel } from '../../../shared/preflight/preflight';
import type { Finding, Report } from '../../../shared/preflight/report';
import { runPreflight, type PreflightRunOptions } from '../../preflight/run';
import { exitCodesHelp, writeErr, writeOut } from '../output';

/**
 * `presswork preflight <template> --data <file>`: every check over template × data × variants before
 * production. Exit codes: 0 clean or warnings only, 1 at least one error finding, 2 bad input.
 */

interface Opts {
  data: string;
  json?: boolean;
  channel: string;
  variant?: string;
  today?: string;
  sheet?: string;
  profile?: string;
  minPpi?: string;
  emailWeightLimit?: string;
  rows?: string;
}

const CHANNELS: Record<string, Channel[] | undefined> = { print: ['print'], email: ['email'], both: undefined };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function where(f: Finding): string {
  const t = f.target;
  if (!t) return f.channel;
  const kind = t.kind === 'element' ? `element "${t.id}"` : t.kind === 'block' ? `block "${t.id}"` : `${t.kind} "${t.id}"`;
  return `${f.channel} · ${kind}${t.path && t.kind !== 'field' ? ` (${t.path})` : ''}`;
}

function rowsLine(f: Finding): string {
  if (f.template) return f.channel === 'data' ? 'the data file as a whole' : 'every record (template)';
  const listed = f.rows.map((r, i) => (f.keys[i] ? `${r} (${f.keys[i]})` : String(r))).join(', ');
  const more = f.rowCount > f.rows.length ? `, … ${f.rowCount - f.rows.length} more` : '';
  return `${f.rowCount === 1 ? 'row' : `${f.rowCount} rows`}: ${listed}${more}`;
}

/** The report for people: grouped by severity, one block per finding. */
export function formatReport(report: Report, source: string): string {
  const s = report.summary;
  const lines = [
    `${source}: ${plural(s.records, 'record')} checked (${report.channels.join(' + ')}${report.variant !== undefined ? `, variant ${report.variant}` : ''})`,
    `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.info} info`,
  ];
  for (const severity of ['error', 'warning', 'info'] as const) {
    const group = report.findings.filter((f) => f.severity === severity);
    if (!group.length) continue;
    lines.push('', `${severity === 'error' ? 'ERRORS' : severity === 'warning' ? 'WARNINGS' : 'INFO'} (${group.length})`);
    for (const f of group) {
      lines.push(`  [${f.code}] ${where(f)}`, `    ${f.message}`, `    ${rowsLine(f)}`, `    fix: ${f.fix}`);
    }
  }
  lines.push(
    '',
    report.ok
      ? s.warnings
        ? 'Ready for production; review the warnings.'
        : 'Ready for production.'
      : `Not ready for production: ${plural(s.errors, 'error')} to fix (see ERRORS above; --json lists every row); exit code 1.`,
    `Colours judged with: ${report.colorCondition}.`,
  );
  return lines.join('\n');
}

const positive = (v: string | undefined): number | undefined | null => {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : null;
};

export function registerPreflight(program: Command): void {
  program
    .command('preflight')
    .description(
      'check a template against its data before production: overflow, missing data and images, resolution, colours, glyphs, addresses, unsubscribe link, email weight',
    )
    .argument('<template>', 'template.zip or a folder holding template.json')
    .requiredOption('--data <file>', 'records: .csv/.tsv, .xlsx, .json or .ndjson')
    .option('--json', 'print the report as JSON on stdout')
    .option('--channel <channel>', 'print, email or both (default: both, i.e. every channel the template has)', 'both')
    .option('--variant <key>', 'only the records of this variant (e.g. a dealer id)')
    .option('--today <date>', 'the date rules treat as today (YYYY-MM-DD); default: the current date')
    .option('--sheet <name>', 'XLSX: the sheet to read (default: the first)')
    .option('--profile <icc>', 'ICC output profile for colour checks (default: the template output intent, else an approximate model)')
    .option('--min-ppi <n>', 'minimum effective resolution of images in print', '300')
    .option('--email-weight-limit <kb>', 'largest email HTML in KB before a warning (Gmail clips above 102 KB)', '102')
    .option('--rows <n>', 'rows listed per finding (the count is always complete)', '10')
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'ready for production (warnings may be listed)',
        1: 'at least one error finding: fix what the ERRORS section lists (the sample campaign has planted ones on purpose)',
        2: 'bad input: template, data file or options',
      }),
    )
    .action(async (template: string, opts: Opts) => {
      const bad = (m: string) => {
        writeErr(m);
        process.exitCode = 2;
      };
      if (!(opts.channel in CHANNELS)) return bad(`--channel must be print, email or both, not "${opts.channel}"`);
      if (opts.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.today)) return bad(`--today must be a date like 2026-11-22`);
      const minPpi = positive(opts.minPpi);
      const weightKb = positive(opts.emailWeightLimit);
      const rows = positive(opts.rows);
      if (minPpi === null || weightKb === null || rows === null || (rows !== undefined && !Number.isInteger(rows)))
        return bad('--min-ppi, --email-weight-limit and --rows must be positive numbers (--rows a whole number)');
      const runOpts: PreflightRunOptions = {
        ...(opts.today !== undefined ? { today: opts.today } : {}),
        ...(CHANNELS[opts.channel] ? { channels: CHANNELS[opts.channel] } : {}),
        ...(opts.variant !== undefined ? { variant: opts.variant } : {}),
        ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}),
        ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
        ...(minPpi !== undefined ? { minPpi } : {}),
        ...(weightKb !== undefined ? { emailWeightLimit: Math.round(weightKb * 1024) } : {}),
        ...(rows !== undefined ? { maxRowsListed: rows } : {}),
      };
      let result;
      try {
        result = await runPreflight(template, opts.data, runOpts);
      } catch (e) {
        // A bad ICC profile and the like: input the user can fix.
        if (e instanceof ColorError) return bad(`presswork preflight: ${e.message} [${e.code}]`);
        throw e;
      }
      if (!result.ok) return bad(result.message);
      if (opts.json) writeOut(JSON.stringify(result.report, null, 2));
      else writeOut(formatReport(result.report, `${template} × ${opts.data}`));
      process.exitCode = result.report.ok ? 0 : 1;
    });
}
