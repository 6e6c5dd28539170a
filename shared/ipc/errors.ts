import { z } from 'zod';

/**
 * Errors that cross the bridge. Electron's `invoke` keeps only an Error's message, so handlers return an
 * envelope instead of throwing: `{ ok: true, value }` or `{ ok: false, error: { code, message } }`.
 * Every message says what happened and what to do next.
 */
export const IpcErrorSchema = z.strictObject({
  code: z.string(),
  message: z.string(),
  /** For argument errors: one line per problem, with the path of the bad value. */
  details: z.array(z.string()).optional(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const EnvelopeSchema = z.union([
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: IpcErrorSchema }),
]);

/** Thrown by services; turned into the error half of the envelope at the edge. */
export class StudioError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
    this.name = 'StudioError';
  }
  toJSON(): IpcError {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/** Format zod issues as `path: message` lines. */
export const describeIssues = (issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] =>
  issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(arguments)'}: ${i.message}`);
