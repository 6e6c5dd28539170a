import type { Command } from 'commander';
import { readRecords, DataReadError } from '../../print/read-records';
import { composePrintJob, type PrintJobResult } from '../../print/compose-job';
import { loadTemplateOrReport, writeErr, writeOut } from '../output';
import { composeCommand } from './compose-group';

interface Opts {
  data: string;
  out: string;
  range?: string;
  variant?: string;
  split?: string;
  onError: string;
  today?: string;
  json?: boolean;
  progress?: boolean;
}

function parseRange(s: string): { from: number; to: number } | undefined {
  const m = /^(\d+)(?:-(\d+)?)?$/.exec(s.trim());
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] !== undefined ? Number(m[2]) : s.includes('-') ? Number.MAX_SAFE_INTEGER : from;
  return from >= 1 && to >= from ? { from, to } : undefined;
}

export function registerComposePrint(program: Command): void {
  composeCommand(program)
    .command('print')
    .description('compose print-ready PDF for every record of a data file (fonts subset, spot colours, bleed and trim boxes)')
    .argument('<template>', 'template.zip or a folder holding template.json')
    .requiredOption('--data <file>', 'records: .csv/.tsv, .xlsx, .json or .ndjson (typed by the template data schema)')
    .requiredOption('--out <path>', 'the PDF to write; with --split, the folder for one PDF per record')
    .option('--range <from-to>', 'only data rows from-to (1-based, inclusive), e.g. 1-100 or 250-')
    .option('--variant <key>', 'only the records of this variant (e.g. a dealer id)')
    .option('--split <pattern>', 'one PDF per record, named by this Liquid pattern, e.g. "{{ customer_id }}.pdf"')
    .option('--on-error <mode>', 'a bad record is "skip"ped (listed in the summary) or makes the job "fail"', 'skip')
    .option('--today <date>', 'the date rules treat as today (YYYY-MM-DD); default: the current date')
    .option('--json', 'print a JSON summary on stdout')
    .option('--no-progress', 'no progress line on a terminal')
    .action(async (template: string, opts: Opts) => {
      if (opts.onError !== 'skip' && opts.onError !== 'fail') {
        writeErr(`--on-error must be "skip" or "fail", not "${opts.onError}"`);
        process.exitCode = 2;
        return;
      }
      const range = opts.range !== undefined ? parseRange(opts.range) : undefined;
      if (opts.range !== undefined && !range) {
        writeErr(`--range "${opts.range}" is not a row range; write it like 1-100, 250- or 7`);
        process.exitCode = 2;
        return;
      }
      if (opts.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.today)) {
        writeErr(`--today "${opts.today}" must be a date like 2026-11-22`);
        process.exitCode = 2;
        return;
      }
      const pkg = await loadTemplateOrReport(template);
      if (!pkg) return;
      if (!pkg.document.print) {
        writeErr(`${template}: the template has no print channel; nothing to compose`);
        process.exitCode = 2;
        return;
      }
      let records;
      try {
        records = await readRecords(opts.data, pkg.document.data);
      } catch (e) {
        writeErr(e instanceof DataReadError ? e.message : String(e));
        process.exitCode = 2;
        return;
      }
      const tty = process.stderr.isTTY && opts.progress !== false && !opts.json;
      const total = records.length;
      let lastDraw = 0;
      let result: PrintJobResult;
      try {
        result = composePrintJob(pkg, records, {
          out: opts.out,
          onError: opts.onError,
          range,
          variant: opts.variant,
          splitPattern: opts.split,
          today: opts.today,
          onProgress: tty
            ? (done, row) => {
                const t = performance.now();
                if (t - lastDraw < 100 && row !== total) return;
                lastDraw = t;
                process.stderr.write(`\rcomposing: row ${row}/${total}, ${done} records done`);
              }
            : undefined,
        });
      } catch (e) {
        if (tty) process.stderr.write('\n');
        writeErr(`composition failed: ${e instanceof Error ? e.message : String(e)} (no output was left behind)`);
        process.exitCode = 1;
        return;
      }
      if (tty) process.stderr.write('\n');
      const summary = {
        ok: result.ok,
        out: result.out,
        files: result.written,
        pages: result.pages,
        bytes: result.bytes,
        recordsDone: result.recordsDone,
        recordsSkipped: result.recordsSkipped,
        recordsFiltered: result.recordsFiltered,
        failure: result.failure,
        overflow: result.overflow,
        ms: result.ms,
      };
      if (opts.json) writeOut(JSON.stringify(summary, null, 2));
      else {
        if (result.ok)
          writeOut(
            `${result.out}: ${result.pages} pages, ${result.recordsDone} records, ${result.recordsSkipped.length} skipped, ${(result.bytes / 1e6).toFixed(2)} MB in ${(result.ms / 1000).toFixed(1)} s`,
          );
        for (const s of result.recordsSkipped) writeErr(`  row ${s.row} (${s.key}) skipped: ${s.reason}`);
        for (const f of result.overflow.frames)
          if (f.overflowRows.length || f.minSizeRows.length)
            writeErr(
              `  frame "${f.elementId}": overflow in ${f.overflowRows.length} records, minimum size in ${f.minSizeRows.length}${f.overflowRows.length ? ` (rows ${f.overflowRows.slice(0, 10).join(', ')}${f.overflowRows.length > 10 ? ', …' : ''})` : ''}`,
            );
      }
      if (!result.ok) {
        const f = result.failure!;
        writeErr(
          `composition stopped at row ${f.row} (${f.key}): ${f.reason}; no PDF was written (use --on-error skip to skip bad records)`,
        );
        process.exitCode = 1;
      }
    });
}
