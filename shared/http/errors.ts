import { z } from 'zod';

/**
 * Every error the server returns has this shape: a stable machine code and a sentence saying what is
 * wrong and what to do next. `details` carries per-field or per-record problems when there are several.
 */
export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    details: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const ERROR_CODES = [
  'bad-request',
  'unauthorized',
  'forbidden',
  'not-found',
  'conflict',
  'too-large',
  'unsupported-media-type',
  'invalid-package',
  'invalid-data',
  'missing-assets',
  'not-approved',
  'rate-limited',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
