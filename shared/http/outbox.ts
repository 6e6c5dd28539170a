import { z } from 'zod';

/** The development outbox page's query: filters (job id, recipient or subject text), the page, the message shown. */
export const OutboxQuerySchema = z.strictObject({
  job: z.string().max(200).optional(),
  to: z.string().max(320).optional(),
  subject: z.string().max(500).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  /** File name of the message to show (default: the newest on the page). */
  open: z.string().max(300).optional(),
});
export type OutboxQuery = z.infer<typeof OutboxQuerySchema>;
