import { readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { TemplateDocument } from '../../shared/model/document';
import { runPrintBatch, type PrintTarget } from '../../shared/compose/print/batch';
import { fileTarget } from '../print/file-target';
import { assetPath } from '../store/assets-repo';
import type { PrintFile, PrintOutcome, PrintTask } from './protocol';

/**
 * The print part of a job, run in a composition worker: the job's records, typed by the template's data schema
 * on the main thread exactly as `presswork compose print` types a data file (server/data/batch.ts), are composed into one PDF (or one PDF per
 * record). Files are written under a temporary name and renamed only when complete; a failed or canceled
 * run removes what it had started. Progress is reported through `onProgress`; `canceled()` is polled
 * between records (the composition is synchronous, so cancel arrives through shared memory).
 */

export class PrintCanceled extends Error {
  constructor() {
    super('the job was canceled');
    this.name = 'PrintCanceled';
  }
}

const nativeDeflate = (data: Uint8Array, level: number): Uint8Array => deflateSync(data, { level });
const pdfDate = (d: Date) => `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

export async function runPrintTask(
  task: PrintTask,
  doc: TemplateDocument,
  onProgress: (done: number, row: number) => void,
  canceled: () => boolean,
): Promise<PrintOutcome> {
  if (!doc.print) return { kind: 'print', ok: false, error: 'the template has no print channel', files: [], skipped: [], done: 0 };
  const assets = new Map<string, Uint8Array>();
  for (const a of doc.assets)
    if (!assets.has(a.sha256)) assets.set(a.sha256, new Uint8Array(readFileSync(assetPath(task.assetsDir, a.sha256))));

  let records = task.records;
  const keyField = doc.variants?.keyField;
  if (task.variants?.length && keyField) {
    const wanted = new Set(task.variants);
    records = records.filter((r) => wanted.has(String(r.record[keyField] ?? '')));
  }

  // Start clean: a run interrupted by a crash may have left temporary files.
  rmSync(task.outDir, { recursive: true, force: true });
  const split = task.splitPattern !== undefined;
  const files = fileTarget(split ? { dir: task.outDir } : { single: join(task.outDir, task.fileName) });
  // Which record each committed file belongs to: the batch commits a record's file just before its progress call.
  const committed: PrintFile[] = [];
  let lastCommitted: string | undefined;
  const target: PrintTarget = {
    open: (name) => files.open(name),
    commit: (name) => {
      files.commit(name);
      lastCommitted = name;
    },
    abort: (name) => files.abort(name),
  };
  const byRow = new Map(records.map((r) => [r.row, r.record]));
  const keyOf = (row: number) => {
    const k = byRow.get(row)?.[doc.data.recordKey];
    return k === undefined || k === null ? null : String(k);
  };
  const now = new Date();
  // Every skipped record (the summary lists only the first MAX_ROWS_LISTED): each becomes a job error row.
  const skipped: { row: number; key: string | null; message: string }[] = [];
  let summary;
  try {
    summary = runPrintBatch({ document: doc, assets, deflate: nativeDeflate }, records, target, {
      onError: task.onError,
      range: task.range,
      splitPattern: task.splitPattern,
      today: task.today,
      creationDate: pdfDate(now),
      onReport: (line) => {
        if (line.kind === 'skipped') skipped.push({ row: line.row, key: line.key || null, message: `${line.code}: ${line.reason}` });
      },
      onProgress: (done, row) => {
        if (lastCommitted !== undefined) {
          committed.push({ name: lastCommitted, row, recordKey: keyOf(row), bytes: 0 });
          lastCommitted = undefined;
        }
        onProgress(done, row);
        if (canceled()) throw new PrintCanceled();
      },
    });
  } catch (e) {
    files.abortAll();
    rmSync(task.outDir, { recursive: true, force: true });
    if (e instanceof PrintCanceled) return { kind: 'print', ok: false, canceled: true, error: e.message, files: [], skipped: [], done: 0 };
    throw e;
  }
  if (!split && summary.ok) committed.push({ name: task.fileName, row: 0, recordKey: null, bytes: 0 });
  for (const f of committed) f.bytes = statSync(join(task.outDir, basename(f.name))).size;
  const failure = summary.failure;
  return {
    kind: 'print',
    ok: summary.ok,
    ...(failure
      ? {
          error: `record ${failure.row}${failure.key ? ` (${failure.key})` : ''} cannot be printed (${failure.code}: ${failure.reason}); onError is "fail"`,
        }
      : {}),
    files: committed,
    skipped: failure
      ? [...skipped, { row: failure.row, key: failure.key || null, message: `${failure.code}: ${failure.reason}` }]
      : skipped,
    done: summary.recordsDone,
  };
}
