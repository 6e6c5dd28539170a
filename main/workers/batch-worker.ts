import { parentPort, workerData } from 'node:worker_threads';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readTemplatePackage } from '../../shared/model/package';
import { runPrintBatch } from '../../shared/compose/print/batch';
import type { BatchMessage, BatchRequest } from './batch-protocol';

/** Composes a whole batch PDF off the main thread, streaming pages to a temporary file. */
const req = workerData as BatchRequest;
const post = (m: BatchMessage) => parentPort?.postMessage(m);

try {
  const r = readTemplatePackage(req.pkg);
  if (!r.ok) throw Object.assign(new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')), { code: 'invalid-template' });
  const tmp = `${req.outPath}.part`;
  let fd: number | undefined;
  const total = req.records.length;
  const summary = runPrintBatch(
    { document: r.pkg.document, assets: r.pkg.assets },
    req.records,
    {
      open: () => {
        fd = openSync(tmp, 'w');
        return { write: (c) => void writeSync(fd!, c) };
      },
      commit: () => {
        if (fd !== undefined) closeSync(fd);
        renameSync(tmp, req.outPath);
      },
      abort: () => {
        if (fd !== undefined) closeSync(fd);
        rmSync(tmp, { force: true });
      },
    },
    {
      today: req.today,
      creationDate: req.creationDate,
      onError: 'skip',
      onProgress: (done, row) => {
        if (done % 5 === 0 || done === total) post({ type: 'progress', done, total, row });
      },
    },
  );
  if (!summary.ok)
    post({
      type: 'failed',
      code: summary.failure?.code ?? 'compose-failed',
      message: `row ${summary.failure?.row}: ${summary.failure?.reason}`,
    });
  else
    post({
      type: 'done',
      records: summary.recordsDone,
      pages: summary.pages,
      bytes: summary.bytes,
      skipped: summary.recordsSkipped.map((s) => ({ row: s.row, reason: s.reason })),
    });
} catch (e) {
  post({ type: 'failed', code: (e as { code?: string }).code ?? 'compose-failed', message: (e as Error).message });
}
