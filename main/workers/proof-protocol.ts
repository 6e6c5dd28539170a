import type { PrintSummary } from '../../shared/compose/print/batch';
import type { TemplateDocument } from '../../shared/model/document';

/** Messages between main and the print-proof worker (one long-lived thread; one request at a time per id). */
export interface ProofRequest {
  id: number;
  document: TemplateDocument;
  /** sha256 → bytes (structured-cloned). */
  assets: Map<string, Uint8Array>;
  row: number;
  record: Record<string, unknown>;
  today: string;
  creationDate: string;
  title: string;
}

export type ProofReply =
  | { id: number; ok: true; pdf: Uint8Array; summary: Pick<PrintSummary, 'ok' | 'failure' | 'overflow'> }
  | { id: number; ok: false; code: string; message: string };
