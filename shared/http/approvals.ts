import { z } from 'zod';
import type { RouteDef } from './routes';
import type { Role } from './schemas';
import { JobDataSchema, VersionParamsSchema } from './schemas';
import { ErrorBodySchema } from './errors';
import { DECISIONS, VersionApprovalsSchema, DecisionSchema } from '../approvals/model';

export * from '../approvals/model';

/**
 * Variant (dealer) approvals: an approver approves or rejects each variant of a template version with a
 * comment. A decision records the version, the variant's values hash and the dataset hash; it holds for
 * exactly that (template, version, variant key, values hash, dataset hash). See docs/review.md.
 */

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a lowercase hex sha256' });

/** The data a decision is made against: a stored dataset, the records, a data file, or the dataset hash itself. */
export const ApprovalDataSchema = z.union([JobDataSchema, z.strictObject({ datasetSha256: Sha256 })]);

export const ApprovalBodySchema = z.strictObject({
  variant: z.string().min(1).max(200),
  decision: z.enum(DECISIONS),
  comment: z.string().max(2000).default(''),
  data: ApprovalDataSchema,
  /** A readable name of the data for the report (a file name); default: the dataset's name or "inline records". */
  dataLabel: z.string().max(200).optional(),
});
export type ApprovalBody = z.input<typeof ApprovalBodySchema>;

/** The data to compute statuses against, sent whole (the server hashes it as it hashes a job's data). */
export const ApprovalStatusBodySchema = z.strictObject({ data: ApprovalDataSchema });

export const ApprovalsQuerySchema = z.strictObject({ datasetSha256: Sha256.optional() });

const ALL: readonly Role[] = ['publisher', 'approver', 'operator', 'viewer'];
const E = ErrorBodySchema;

/** The approval routes; spread into the route table (shared/http/routes.ts). */
export const approvalRoutes = {
  listApprovals: {
    method: 'GET',
    path: '/api/v1/templates/:templateId/versions/:version/approvals',
    summary: 'Per-variant approval status of a version (against ?datasetSha256=) and the decision history',
    tag: 'approvals',
    roles: ALL,
    params: VersionParamsSchema,
    query: ApprovalsQuerySchema,
    responses: { 200: VersionApprovalsSchema, 400: E, 404: E },
  },
  approvalStatus: {
    method: 'POST',
    path: '/api/v1/templates/:templateId/versions/:version/approvals/status',
    summary: 'Per-variant approval status of a version against the data sent (a file, records or a dataset id)',
    tag: 'approvals',
    roles: ALL,
    params: VersionParamsSchema,
    body: ApprovalStatusBodySchema,
    responses: { 200: VersionApprovalsSchema, 400: E, 404: E, 422: E },
  },
  decideApproval: {
    method: 'POST',
    path: '/api/v1/templates/:templateId/versions/:version/approvals',
    summary: 'Approve or reject one variant of a version against a dataset, with a comment',
    tag: 'approvals',
    roles: ['approver'],
    params: VersionParamsSchema,
    body: ApprovalBodySchema,
    responses: { 201: DecisionSchema, 400: E, 404: E, 422: E },
  },
  approvalReportCsv: {
    method: 'GET',
    path: '/api/v1/templates/:templateId/versions/:version/approvals.csv',
    summary: 'The approval report of a version as CSV: who approved or rejected which variant, when, against which data',
    tag: 'approvals',
    roles: ALL,
    params: VersionParamsSchema,
    responses: { 200: 'text/csv', 404: E },
  },
} as const satisfies Record<string, RouteDef>;
