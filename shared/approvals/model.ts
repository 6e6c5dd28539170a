import { z } from 'zod';

/**
 * Variant approval records as the server returns them and the studio shows them (pure zod; no transport). The
 * routes that carry them are in shared/http/approvals.ts; the rules are in docs/review.md.
 */

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a lowercase hex sha256' });

/** The pseudo-variant key of records whose key matches no variant (the template's fallback values). */
export const FALLBACK_VARIANT_KEY = '(fallback)';
/** The pseudo-variant key of a template without variants: the template itself needs approval. */
export const TEMPLATE_VARIANT_KEY = '(template)';

export const DECISIONS = ['approved', 'rejected'] as const;
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'needs-reapproval'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const DecisionSchema = z.strictObject({
  id: z.number().int(),
  templateId: z.string(),
  version: z.number().int(),
  variant: z.string(),
  decision: z.enum(DECISIONS),
  comment: z.string(),
  valuesSha256: Sha256,
  datasetSha256: Sha256,
  dataLabel: z.string(),
  by: z.string(),
  at: z.string(),
});
export type DecisionDto = z.infer<typeof DecisionSchema>;

export const VariantApprovalSchema = z.strictObject({
  variant: z.string(),
  label: z.string(),
  valuesSha256: Sha256,
  status: z.enum(APPROVAL_STATUSES),
  /** Why it needs (re-)approval: what changed since the last decision. Null when approved or rejected. */
  reason: z.string().nullable(),
  /** The decision that sets the status (or the latest one for this variant when it needs re-approval). */
  decision: DecisionSchema.nullable(),
});
export type VariantApprovalDto = z.infer<typeof VariantApprovalSchema>;

export const VersionApprovalsSchema = z.strictObject({
  templateId: z.string(),
  version: z.number().int(),
  /** The dataset the statuses are computed against (null: the latest decision for this version, any data). */
  datasetSha256: Sha256.nullable(),
  variants: z.array(VariantApprovalSchema),
  /**
   * The variants the data sent actually uses (what a job with that data is gated on), when the statuses were
   * computed from records (POST …/approvals/status with a file, records or a dataset id); absent otherwise.
   */
  inData: z.array(z.string()).optional(),
  /** Every decision on this template's variants for this version, oldest first. */
  history: z.array(DecisionSchema),
});
export type VersionApprovalsDto = z.infer<typeof VersionApprovalsSchema>;
