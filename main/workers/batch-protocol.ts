/** Messages between main and the batch composition worker. */
export interface BatchRequest {
  /** The template package (.zip bytes). */
  pkg: Uint8Array;
  records: { row: number; record: Record<string, unknown> }[];
  outPath: string;
  today: string;
  creationDate: string;
}

export type BatchMessage =
  | { type: 'progress'; done: number; total: number; row: number }
  | { type: 'done'; records: number; pages: number; bytes: number; skipped: { row: number; reason: string }[] }
  | { type: 'failed'; code: string; message: string };
