import type { Command } from 'commander';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { exitCodesHelp, loadTemplateOrReport, writeErr, writeOut } from '../output';
import { composeCommand } from './compose-group';
import { DEFAULT_BASE_URL, placeholderUrls, prepareJob, runEmailJob } from '../../email/job';
import { readDataFile } from '../../data/read';
import { formatDataIssue } from '../../../shared/data/records';
import { RulesError } from '../../../shared/rules/engine';

const todayIso = () => new Date().toISOString().slice(0, 10);
const checkToday = (s: string | undefined): string | undefined =>
  s === undefined ? todayIso() : /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : undefined;

interface ComposeOpts {
  data: string;
  out: string;
  sheet?: string;
  today?: string;
  baseUrl: string;
  assetBaseUrl?: string;
  json?: boolean;
}

/** `presswork compose email` — one .eml per record plus index.json; `presswork preview email` — one record's HTML. */
export function registerComposeEmail(program: Command): void {
  composeCommand(program)
    .command('email')
    .description(
      'compose one RFC 5322 .eml per record (multipart text + HTML, UTF-8) and an index.json summary; records that cannot be sent are reported, not skipped silently',
    )
    .argument('<template>', 'template.zip or a folder holding template.json')
    .requiredOption('--data <file>', 'records: .csv/.tsv (header row; UTF-8, UTF-16 or Windows-1252), .xlsx, .json or .ndjson')
    .requiredOption('--out <dir>', 'folder for the .eml files and index.json')
    .option('--sheet <name>', 'XLSX: the sheet to read (default: the first)')
    .option('--today <date>', 'the date rules treat as today (YYYY-MM-DD); default: the current date')
    .option(
      '--base-url <url>',
      'base of the placeholder unsubscribe and view-online URLs (<base>/unsubscribe/<record key>)',
      DEFAULT_BASE_URL,
    )
    .option('--asset-base-url <url>', 'where images and fonts are served from (<base>/<sha256>/<file name>); default: <base-url>/assets')
    .option('--json', 'print the summary as JSON on stdout')
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'every record was written as .eml',
        1: 'an unexpected failure while working (the message says what)',
        2: 'some records were reported instead of written (listed in <out>/index.json: bad address, missing field…), or bad input (template, data file, options); the other records are written',
      }),
    )
    .action(async (template: string, opts: ComposeOpts) => {
      const today = checkToday(opts.today);
      if (!today) {
        writeErr(`--today must be a date like 2026-11-22, not "${opts.today}"`);
        process.exitCode = 2;
        return;
      }
      const pkg = await loadTemplateOrReport(template);
      if (!pkg) return;
      if (!pkg.document.email) {
        writeErr(`${template}: the template has no email channel; use "presswork compose print" or add an email channel`);
        process.exitCode = 2;
        return;
      }
      let summary;
      try {
        summary = await runEmailJob(
          pkg,
          { template, data: opts.data, out: opts.out, sheet: opts.sheet },
          { today, baseUrl: opts.baseUrl, assets: { kind: 'url', base: opts.assetBaseUrl ?? `${opts.baseUrl.replace(/\/$/, '')}/assets` } },
          (line) => writeErr(`${opts.data}: ${line}`),
        );
      } catch (e) {
        if (e instanceof RulesError) {
          writeErr(`${template}: ${e.message}`);
          process.exitCode = 2;
          return;
        }
        throw e;
      }
      // Messages written without a link or image the URL policy refused (each listed on stderr and in index.json).
      const incomplete = summary.written.filter((w) => w.problems?.length).length;
      if (opts.json)
        writeOut(
          JSON.stringify({ written: summary.written.length, reported: summary.reported, incomplete, records: summary.records }, null, 2),
        );
      else
        writeOut(
          `${opts.out}: ${summary.written.length} of ${summary.records} record${summary.records === 1 ? '' : 's'} written as .eml; ${summary.reported.length} record${summary.reported.length === 1 ? '' : 's'} reported${incomplete ? `; ${incomplete} written without a refused link or image` : ''} (see ${join(opts.out, 'index.json')})${summary.reported.length || incomplete ? '; exit code 2' : ''}`,
        );
      const fatal = summary.fileIssues.some((i) => i.severity === 'error');
      process.exitCode = fatal || summary.reported.length > 0 || incomplete > 0 ? 2 : 0;
    });
}

interface PreviewOpts {
  data: string;
  record: string;
  out: string;
  sheet?: string;
  today?: string;
  baseUrl: string;
  text?: boolean;
}

export function registerPreviewEmail(program: Command): void {
  const preview =
    program.commands.find((c) => c.name() === 'preview') ?? program.command('preview').description('preview one record of a template');
  preview
    .command('email')
    .description('write the HTML email for one record (images and fonts inlined as data: URIs), exactly as it would be sent')
    .argument('<template>', 'template.zip or a folder holding template.json')
    .requiredOption('--data <file>', 'records: .csv/.tsv, .xlsx, .json or .ndjson')
    .requiredOption('--record <n>', 'the 1-based data row to preview')
    .requiredOption('--out <file>', 'the .html file to write')
    .option('--sheet <name>', 'XLSX: the sheet to read (default: the first)')
    .option('--today <date>', 'the date rules treat as today (YYYY-MM-DD); default: the current date')
    .option('--base-url <url>', 'base of the placeholder unsubscribe and view-online URLs', DEFAULT_BASE_URL)
    .option('--text', 'also write the plain-text part next to the HTML (<out>.txt)')
    .action(async (template: string, opts: PreviewOpts) => {
      const today = checkToday(opts.today);
      const n = Number(opts.record);
      if (!today || !Number.isInteger(n) || n < 1) {
        writeErr(!today ? `--today must be a date like 2026-11-22` : `--record must be a row number from 1, not "${opts.record}"`);
        process.exitCode = 2;
        return;
      }
      const pkg = await loadTemplateOrReport(template);
      if (!pkg) return;
      const doc = pkg.document;
      if (!doc.email) {
        writeErr(`${template}: the template has no email channel`);
        process.exitCode = 2;
        return;
      }
      const prepared = await prepareJob(pkg, { today, baseUrl: opts.baseUrl, assets: { kind: 'inline' } });
      const stream = readDataFile(opts.data, doc.data, { sheet: opts.sheet, checkDuplicateKeys: false });
      for await (const row of stream) {
        if (row.row !== n) continue;
        for (const i of row.issues) writeErr(`${opts.data}: ${formatDataIssue(i)}`);
        const key = String(row.values[doc.data.recordKey] ?? `row-${row.row}`);
        const r = prepared.compose(row.values, row.row, { builtins: placeholderUrls(opts.baseUrl, key) });
        if (!r.ok) {
          writeErr(`${opts.data}: row ${n}: ${r.reason}`);
          process.exitCode = 2;
          return;
        }
        for (const p of r.email.problems) writeErr(`${opts.data}: row ${n} [${key}]: ${p.message}`);
        await writeFile(opts.out, r.email.html);
        if (opts.text) await writeFile(`${opts.out}.txt`, r.email.text);
        writeOut(`${opts.out}: record ${n} [${key}] — "${r.email.subject}" to ${r.email.to ?? '(no address)'}`);
        process.exitCode = row.ok ? 0 : 2;
        return;
      }
      for (const i of stream.fileIssues) writeErr(`${opts.data}: ${formatDataIssue(i)}`);
      writeErr(`${opts.data}: there is no data row ${n}`);
      process.exitCode = 2;
    });
}
