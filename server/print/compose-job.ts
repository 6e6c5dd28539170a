import { deflateSync } from 'node:zlib';
import type { TemplatePackage } from '../../shared/model/package';
import {
  createPrintBatch,
  PrintAborted,
  runPrintBatch,
  type BatchRecord,
  type PrintBatchOptions,
  type PrintSummary,
} from '../../shared/compose/print/batch';
import { fileTarget } from './file-target';

export interface PrintJobOptions extends Omit<PrintBatchOptions, 'today' | 'creationDate'> {
  /** Output file (single) or folder (split). */
  out: string;
  /** Defaults to the current date. */
  today?: string;
  now?: Date;
}

export interface PrintJobResult extends PrintSummary {
  out: string;
  /** Paths of the files written (none when the job failed: what it had written is removed). */
  written: string[];
  ms: number;
}

/** Node's zlib: several times faster than the pure-JS default. */
const nativeDeflate = (data: Uint8Array, level: number): Uint8Array => deflateSync(data, { level });

const pdfDate = (d: Date) => `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

function setUp(pkg: TemplatePackage, opts: PrintJobOptions) {
  const now = opts.now ?? new Date();
  const target = fileTarget(opts.splitPattern !== undefined ? { dir: opts.out } : { single: opts.out });
  const batchOpts: PrintBatchOptions = { ...opts, today: opts.today ?? now.toISOString().slice(0, 10), creationDate: pdfDate(now) };
  return { target, input: { ...pkg, deflate: nativeDeflate }, batchOpts };
}

/**
 * Compose a print job to disk: temp names while writing, renamed when complete. When the job fails (a bad record
 * with onError "fail", nothing composed, an error, an interruption) nothing is left behind: the file being written
 * is deleted and, in split mode, so are the files this run had finished.
 */
export function composePrintJob(pkg: TemplatePackage, records: Iterable<BatchRecord>, opts: PrintJobOptions): PrintJobResult {
  const started = performance.now();
  const { target, input, batchOpts } = setUp(pkg, opts);
  let summary: PrintSummary;
  try {
    summary = runPrintBatch(input, records, target, batchOpts);
  } catch (e) {
    target.abortAll();
    target.removeCommitted();
    throw e;
  }
  if (!summary.ok) target.removeCommitted();
  return { ...summary, out: opts.out, written: [...target.paths.values()], ms: Math.round(performance.now() - started) };
}

/**
 * The same over a stream of records (a data file being read): one record in memory at a time. `aborted` is checked
 * between records; when it turns true the output is removed and PrintAborted is thrown.
 */
export async function composePrintJobStream(
  pkg: TemplatePackage,
  records: AsyncIterable<BatchRecord>,
  opts: PrintJobOptions,
): Promise<PrintJobResult> {
  const started = performance.now();
  const { target, input, batchOpts } = setUp(pkg, opts);
  const batch = createPrintBatch(input, target, batchOpts);
  let summary: PrintSummary;
  try {
    for await (const r of records) if (!batch.add(r)) break;
    if (opts.aborted?.()) throw new PrintAborted();
    summary = batch.finish();
  } catch (e) {
    batch.abort();
    target.abortAll();
    target.removeCommitted();
    throw e;
  }
  if (!summary.ok) target.removeCommitted();
  return { ...summary, out: opts.out, written: [...target.paths.values()], ms: Math.round(performance.now() - started) };
}
