import type { DataRecord } from '../../shared/http/schemas';

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
  record: DataRecord;
  /** Send here instead of the record's address (test sends, real-time overrides). */
  to?: string;
}

export type EmailOutcome =
  | { deliveryId: number; ok: true; from: string; to: string; messageId: string; raw: Uint8Array }
  | { deliveryId: number; ok: false; error: string };

export type TaskRequest = { kind: 'email'; versionId: string; document?: string; today: string; items: EmailItem[] };

export type TaskResponse = { kind: 'email'; outcomes: EmailOutcome[] };

export type ToWorker = { id: number; task: TaskRequest };
export type FromWorker = { id: number; ok: true; result: TaskResponse } | { id: number; ok: false; error: string; needsDocument?: boolean };
