import type { Command } from 'commander';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { readRecords, DataReadError } from '../../print/read-records';
import { composePrintJobStream, type PrintJobResult } from '../../print/compose-job';
import { PrintAborted, type ReportLine } from '../../../shared/compose/print/batch';
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
  report?: string;
  maxFieldChars?: string;
}

function parseRange(s: string): { from: number; to: number } | undefined {
  const m = /^(\d+)(?:-(\d+)?)?$/.exec(s.trim());
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] !== undefined ? Number(m[2]) : s.includes('-') ? Number.MAX_SAFE_INTEGER : from;
  return from >= 1 && to >= from ? { from, to } : undefined;
}

/** The per-record report as NDJSON, written under a temporary name and renamed when the job ends. */
function reportFile(path: string) {
  const tmp = `${path}.partial-${process.pid}`;
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(tmp, 'w');
  let closed = false;
  const close = () => {
    if (!closed) closeSync(fd);
    closed = true;
  };
  return {
    write: (line: ReportLine) => void writeSync(fd, `${JSON.stringify(line)}\n`),
    commit() {
      close();
      renameSync(tmp, path);
    },
    remove() {
      close();
      rmSync(tmp, { force: true });
    },
  };
}

/** Exit codes for a job stopped by a signal: 128 + the signal's number, as shells report it. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

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
    .option(
      '--report <file.ndjson>',
      'write every skipped record and every frame that shrank to its minimum or overflowed, one JSON line each',
    )
    .option(
      '--max-field-chars <n>',
      'longest value accepted in a data field, in characters; a longer one fails its record (default 65536, or $PRESSWORK_MAX_FIELD_CHARS)',
    )
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
      const maxText = opts.maxFieldChars ?? process.env.PRESSWORK_MAX_FIELD_CHARS;
      const maxFieldChars = maxText !== undefined ? Number(maxText) : undefined;
      if (maxFieldChars !== undefined && !(Number.isInteger(maxFieldChars) && maxFieldChars > 0)) {
        writeErr(`--max-field-chars (or PRESSWORK_MAX_FIELD_CHARS) "${maxText}" must be a whole number of characters, like 65536`);
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
      const tty = process.stderr.isTTY && opts.progress !== false && !opts.json;
      let lastDraw = 0;
      let result: PrintJobResult;
      // SIGINT/SIGTERM stop the job between two records; the output written so far is removed.
      let signal: keyof typeof SIGNAL_EXIT | undefined;
      const onSignal = (s: keyof typeof SIGNAL_EXIT) => () => {
        if (signal) process.exit(SIGNAL_EXIT[s]); // a second signal: stop now (temp files carry the pid)
        signal = s;
      };
      const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
      for (const [s, h] of Object.entries(handlers)) process.on(s, h);
      const report = opts.report !== undefined ? reportFile(opts.report) : undefined;
      try {
        result = await composePrintJobStream(pkg, readRecords(opts.data, pkg.document.data, { maxFieldChars }), {
          out: opts.out,
          onError: opts.onError,
          range,
          variant: opts.variant,
          splitPattern: opts.split,
          today: opts.today,
          aborted: () => signal !== undefined,
          onReport: report?.write,
          onProgress: tty
            ? (done, row) => {
                const t = performance.now();
                if (t - lastDraw < 100) return;
                lastDraw = t;
                process.stderr.write(`\rcomposing: row ${row}, ${done} records done`);
              }
            : undefined,
        });
        report?.commit();
      } catch (e) {
        report?.remove();
        if (tty) process.stderr.write('\n');
        if (e instanceof PrintAborted && signal) {
          writeErr(`composition interrupted (${signal}); no output was left behind`);
          process.exitCode = SIGNAL_EXIT[signal];
        } else if (e instanceof DataReadError) {
          writeErr(`${e.message} (no output was left behind)`);
          process.exitCode = 2;
        } else {
          writeErr(`composition failed: ${e instanceof Error ? e.message : String(e)} (no output was left behind)`);
          process.exitCode = 1;
        }
        return;
      } finally {
        for (const [s, h] of Object.entries(handlers)) process.off(s, h);
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
        recordsSkippedTotal: result.recordsSkippedTotal,
        recordsFiltered: result.recordsFiltered,
        rowsRead: result.rowsRead,
        renamed: result.renamed,
        report: opts.report,
        failure: result.failure,
        overflow: result.overflow,
        ms: result.ms,
      };
      if (opts.json) writeOut(JSON.stringify(summary, null, 2));
      else {
        if (result.ok)
          writeOut(
            `${result.out}: ${result.pages} pages, ${result.recordsDone} records, ${result.recordsSkippedTotal} skipped, ${(result.bytes / 1e6).toFixed(2)} MB in ${(result.ms / 1000).toFixed(1)} s`,
          );
        for (const s of result.recordsSkipped) writeErr(`  row ${s.row} (${s.key}) skipped: ${s.reason}`);
        if (result.recordsSkippedTotal > result.recordsSkipped.length)
          writeErr(
            `  … and ${result.recordsSkippedTotal - result.recordsSkipped.length} more skipped${opts.report ? ` (all in ${opts.report})` : '; --report <file> lists them all'}`,
          );
        if (result.ok && range && range.to !== Number.MAX_SAFE_INTEGER && range.to > result.rowsRead)
          writeErr(
            `  --range ${range.from}-${range.to} reaches beyond the data (${result.rowsRead} rows): rows ${range.from}-${result.rowsRead} were composed`,
          );
        for (const r of result.renamed) writeErr(`  row ${r.row}: "${r.wanted}" was taken; written as "${r.written}"`);
        for (const f of result.overflow.frames)
          if (f.overflowRows.length || f.minSizeRows.length)
            writeErr(
              `  frame "${f.elementId}": overflow in ${f.overflowRows.length} records, minimum size in ${f.minSizeRows.length}${f.overflowRows.length ? ` (rows ${f.overflowRows.slice(0, 10).join(', ')}${f.overflowRows.length > 10 ? ', …' : ''})` : ''}`,
            );
      }
      if (!result.ok) {
        const f = result.failure!;
        writeErr(
          f.code === 'no-records'
            ? `nothing was composed: ${f.reason}; no PDF was written`
            : `composition stopped at row ${f.row} (${f.key}): ${f.reason}; no PDF was written (use --on-error skip to skip bad records)`,
        );
        process.exitCode = 1;
      }
    });
}
