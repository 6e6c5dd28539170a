import type { DataRecord } from '../../shared/http/schemas';
import type { BatchRecord } from '../../shared/compose/print/batch';

/** Messages between the main thread and composition workers. */

export interface WorkerInit {
  secret: string;
  publicUrl: string;
  dkim?: { domainName: string; keySelector: string; privateKey: string };
  unsubscribeMailto?: string;
}

export interface EmailItem {
  deliveryId: number;
  row: number;
  /** The record, or its JSON as the ledger holds it (parsed in the worker, off the main thread). */
  record: DataRecord | string;
  /** Send here instead of the record's address (test sends, real-time overrides). */
  to?: string;
}

export type EmailOutcome =
  | {
      deliveryId: number;
      ok: true;
      from: string;
      to: string;
      messageId: string;
      raw: Uint8Array;
      /** Links or images the URL policy left out of the message (it is still sent); recorded as the record's errors. */
      warnings?: string[];
    }
  | { deliveryId: number; ok: false; error: string };

export interface PrintTask {
  kind: 'print';
  versionId: string;
  document?: string;
  today: string;
  /** The assets folder (content-addressed files). */
  assetsDir: string;
  /** The job's records, typed by the template's data schema (server/data/batch.ts), with their problems. */
  records: BatchRecord[];
  onError: 'skip' | 'fail';
  range?: { from: number; to: number } | undefined;
  variants?: string[] | undefined;
  splitPattern?: string | undefined;
  /** The job's folder, emptied first; the single PDF is `fileName` inside it. */
  outDir: string;
  fileName: string;
  /** Int32Array over it: [0] becomes 1 to cancel. */
  cancel: SharedArrayBuffer;
}

export interface PrintFile {
  name: string;
  /** 0 for a job's single PDF. */
  row: number;
  recordKey: string | null;
  bytes: number;
}

export interface PrintOutcome {
  kind: 'print';
  /** False: the print part failed (onError "fail" hit a bad record) or was canceled. */
  ok: boolean;
  canceled?: boolean;
  error?: string;
  files: PrintFile[];
  skipped: { row: number; key: string | null; message: string }[];
  done: number;
}

export type TaskRequest = { kind: 'email'; versionId: string; document?: string; today: string; items: EmailItem[] } | PrintTask;

export type TaskResponse = { kind: 'email'; outcomes: EmailOutcome[] } | PrintOutcome;

export type ToWorker = { id: number; task: TaskRequest };
export type FromWorker =
  | { id: number; ok: true; result: TaskResponse }
  | { id: number; ok: false; error: string; needsDocument?: boolean }
  | { id: number; progress: { done: number; row: number } };
