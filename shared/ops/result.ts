import type { TemplateDocument } from '../model/document';

/**
 * Why an operation could not apply. Operations never throw for expected conditions: they return one
 * of these, and the message says what to do next.
 */
export type OpErrorCode =
  | 'not-found'
  | 'locked'
  | 'invalid'
  | 'no-print-channel'
  | 'no-email-channel'
  | 'duplicate-id'
  | 'different-parents'
  | 'not-a-group'
  | 'group-has-condition'
  | 'too-few'
  | 'last-page'
  | 'last-section'
  | 'last-column'
  | 'too-many-columns'
  | 'out-of-range'
  | 'id-exhausted'
  | 'nothing-to-do'
  | 'in-use'
  | 'last-channel';

export interface OpError {
  code: OpErrorCode;
  message: string;
  /** The ids the error is about (e.g. the locked elements), when there are any. */
  ids?: string[];
}

export interface OpSuccess {
  ok: true;
  doc: TemplateDocument;
  /** Ids of things the operation created (duplicates, new pages, new blocks), in order. */
  created?: string[];
}
export interface OpFailure {
  ok: false;
  error: OpError;
}
export type OpResult = OpSuccess | OpFailure;

/** A pure document operation: `(doc, args) → result`. It never mutates `doc`. */
export type Op<A> = (doc: TemplateDocument, args: A) => OpResult;

export const ok = (doc: TemplateDocument, created?: string[]): OpSuccess => (created ? { ok: true, doc, created } : { ok: true, doc });
export const fail = (code: OpErrorCode, message: string, ids?: string[]): OpFailure => ({
  ok: false,
  error: ids ? { code, message, ids } : { code, message },
});

/** Chain operations: stop at the first failure. */
export function pipe(doc: TemplateDocument, ...steps: ((doc: TemplateDocument) => OpResult)[]): OpResult {
  let current: OpResult = ok(doc);
  const created: string[] = [];
  for (const step of steps) {
    if (!current.ok) return current;
    current = step(current.doc);
    if (current.ok && current.created) created.push(...current.created);
  }
  return current.ok ? ok(current.doc, created.length ? created : undefined) : current;
}
