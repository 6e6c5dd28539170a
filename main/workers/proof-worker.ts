import { parentPort } from 'node:worker_threads';
import { runPrintBatch } from '../../shared/compose/print/batch';
import { memoryTarget } from '../services/memory-target';
import type { ProofReply, ProofRequest } from './proof-protocol';

/**
 * Composes single-record print proofs off main's event loop, so an autosave (the crash-recovery journal) or
 * any other call is answered while a proof is composed. Long-lived: fonts and code load once.
 */
parentPort?.on('message', (req: ProofRequest) => {
  let reply: ProofReply;
  try {
    const target = memoryTarget();
    const summary = runPrintBatch({ document: req.document, assets: req.assets }, [{ row: req.row, record: req.record }], target, {
      today: req.today,
      onError: 'fail',
      title: req.title,
      creationDate: req.creationDate,
    });
    reply = {
      id: req.id,
      ok: true,
      pdf: target.bytes(),
      summary: { ok: summary.ok, failure: summary.failure, overflow: summary.overflow },
    };
  } catch (e) {
    reply = { id: req.id, ok: false, code: (e as { code?: string }).code ?? 'compose-failed', message: (e as Error).message };
  }
  parentPort?.postMessage(reply);
});
