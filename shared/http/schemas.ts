import { z } from 'zod';

/**
 * The server's data transfer objects. Pure zod: used by the server to parse requests and by clients
 * (the studio's publish client, scripts) to type and check responses. Times are ISO 8601 strings.
 */

export const ROLES = ['publisher', 'approver', 'operator', 'viewer'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a lowercase hex sha256' });
const Iso = z.string();

// ── health ───────────────────────────────────────────────────────────────────────────────────────
export const HealthSchema = z.strictObject({
  status: z.literal('ok'),
  version: z.string(),
  outbox: z.boolean(),
  queue: z.strictObject({ jobsRunning: z.number().int(), messagesPending: z.number().int() }),
});

// ── assets and template versions ────────────────────────────────────────────────────────────────
export const Sha256ParamsSchema = z.strictObject({ sha256: Sha256 });
export const MissingAssetsBodySchema = z.strictObject({ sha256: z.array(Sha256).max(5000) });
export const MissingAssetsSchema = z.strictObject({ missing: z.array(Sha256) });
export const AssetStoredSchema = z.strictObject({ sha256: Sha256, bytes: z.number().int(), created: z.boolean() });

/** Publish by JSON: the document only; every asset it lists must already be on the server (PUT /assets/:sha256). */
export const PublishJsonBodySchema = z.strictObject({ document: z.unknown() });

export const TemplateVersionSchema = z.strictObject({
  id: z.string(),
  templateId: z.string(),
  version: z.number().int().positive(),
  name: z.string(),
  contentSha256: Sha256,
  channels: z.array(z.enum(['print', 'email'])),
  assets: z.array(z.strictObject({ id: z.string(), name: z.string(), sha256: Sha256, bytes: z.number().int() })),
  approved: z.boolean(),
  approvedBy: z.string().nullable(),
  createdAt: Iso,
  createdBy: z.string(),
});
export type TemplateVersionDto = z.infer<typeof TemplateVersionSchema>;

export const PublishResultSchema = z.strictObject({
  version: TemplateVersionSchema,
  /** False when the same content was already published: nothing new was stored. */
  created: z.boolean(),
  assetsStored: z.number().int(),
  assetsReused: z.number().int(),
});

export const TemplateSummarySchema = z.strictObject({
  templateId: z.string(),
  name: z.string(),
  latestVersion: z.number().int(),
  versions: z.number().int(),
  updatedAt: Iso,
});
export const TemplateListSchema = z.strictObject({ templates: z.array(TemplateSummarySchema) });
export const TemplateIdParamsSchema = z.strictObject({ templateId: z.string().min(1).max(200) });
export const VersionParamsSchema = z.strictObject({
  templateId: z.string().min(1).max(200),
  version: z.coerce.number().int().positive({ error: 'must be a version number (1, 2, …)' }),
});
export const VersionListSchema = z.strictObject({ versions: z.array(TemplateVersionSchema) });
export const VersionDocumentSchema = z.strictObject({ version: TemplateVersionSchema, document: z.unknown() });
export const CompareQuerySchema = z.strictObject({
  with: z.coerce.number().int().positive({ error: 'must be the other version number, e.g. ?with=1' }),
});
export const VersionCompareSchema = z.strictObject({
  from: z.number().int(),
  to: z.number().int(),
  identical: z.boolean(),
  changes: z.array(z.strictObject({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']), from: z.unknown(), to: z.unknown() })),
  assets: z.strictObject({ added: z.array(Sha256), removed: z.array(Sha256), unchanged: z.number().int() }),
});

// ── datasets ─────────────────────────────────────────────────────────────────────────────────────
export const DatasetQuerySchema = z.strictObject({ name: z.string().min(1).max(200).optional() });
export const DatasetSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  records: z.number().int(),
  fields: z.array(z.string()),
  createdAt: Iso,
});
export const DatasetListSchema = z.strictObject({ datasets: z.array(DatasetSchema) });
export const IdParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });

// ── jobs ─────────────────────────────────────────────────────────────────────────────────────────
export const RecordSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type DataRecord = z.infer<typeof RecordSchema>;

export const JobDataSchema = z.union([
  z.strictObject({ records: z.array(RecordSchema).min(1).max(1_000_000) }),
  z.strictObject({ datasetId: z.string().min(1) }),
  z.strictObject({
    /**
     * A data file: its text (`content`, CSV or JSON), or its bytes as base64 (`base64`: any format, any encoding
     * Presswork reads; detected as the CLI detects it, or declared with `charset`).
     */
    file: z
      .strictObject({
        content: z.string().min(1).optional(),
        base64: z.string().min(1).optional(),
        format: z.enum(['csv', 'tsv', 'json', 'ndjson', 'xlsx']).default('csv'),
        charset: z.string().min(1).max(40).optional(),
      })
      .refine((f) => (f.content === undefined) !== (f.base64 === undefined), {
        error: 'give the file as content (its text) or as base64 (its bytes), one of the two',
      }),
  }),
]);
export type JobData = z.infer<typeof JobDataSchema>;

export const CHANNELS = ['email', 'print'] as const;
export const JobCreateBodySchema = z.strictObject({
  templateId: z.string().min(1),
  version: z.number().int().positive(),
  channels: z.array(z.enum(CHANNELS)).min(1).max(2),
  data: JobDataSchema,
  options: z
    .strictObject({
      /** 1-based, inclusive record range. */
      range: z.strictObject({ from: z.number().int().positive(), to: z.number().int().positive() }).optional(),
      /** Only records whose variant key is one of these. */
      variants: z.array(z.string()).optional(),
      /** Start no earlier than this time (ISO 8601). */
      scheduleAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time like 2026-12-01T09:00:00Z' }).optional(),
      /** Send to these addresses only (a test send); records keep their data. */
      testRecipients: z.array(z.email()).max(50).optional(),
      /** A proof run: skips the variant-approval gate; email goes only to testRecipients (or the dev outbox). */
      proof: z.boolean().optional(),
      /** Print: one PDF per record, named by this Liquid pattern (e.g. `{{ customer_id }}.pdf`); default one PDF. */
      split: z.string().min(1).max(200).optional(),
      /** Print: a bad record is skipped and listed (default), or stops the print part of the job. */
      onError: z.enum(['skip', 'fail']).optional(),
    })
    .default({}),
});
export type JobCreateBody = z.infer<typeof JobCreateBodySchema>;

export const JOB_STATUSES = ['scheduled', 'queued', 'running', 'completed', 'failed', 'canceled'] as const;
export const JobCountsSchema = z.strictObject({
  records: z.number().int(),
  pending: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  deferred: z.number().int(),
  bounced: z.number().int(),
  suppressed: z.number().int(),
  failed: z.number().int(),
  canceled: z.number().int(),
  uncertain: z.number().int(),
  pdfs: z.number().int(),
});
export const JobSchema = z.strictObject({
  id: z.string(),
  templateId: z.string(),
  version: z.number().int(),
  channels: z.array(z.enum(CHANNELS)),
  status: z.enum(JOB_STATUSES),
  error: z.string().nullable(),
  createdAt: Iso,
  scheduledAt: Iso.nullable(),
  startedAt: Iso.nullable(),
  finishedAt: Iso.nullable(),
  progress: z.number().min(0).max(1),
  counts: JobCountsSchema,
});
export type JobDto = z.infer<typeof JobSchema>;
export const JobListSchema = z.strictObject({ jobs: z.array(JobSchema) });
export const JobListQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export const RecordErrorSchema = z.strictObject({
  row: z.number().int(),
  recordKey: z.string().nullable(),
  channel: z.string(),
  message: z.string(),
});
export const RecordErrorsSchema = z.strictObject({ errors: z.array(RecordErrorSchema), total: z.number().int() });
export const JobFileSchema = z.strictObject({
  name: z.string(),
  bytes: z.number().int(),
  /** The data row for a per-record file; null for the job's single PDF. */
  row: z.number().int().nullable(),
  recordKey: z.string().nullable(),
  url: z.string(),
});
export const JobFilesSchema = z.strictObject({ files: z.array(JobFileSchema) });
export type JobFileDto = z.infer<typeof JobFileSchema>;
export const JobFileParamsSchema = z.strictObject({
  id: z.string().min(1).max(100),
  name: z
    .string()
    .min(5)
    .max(255)
    .regex(/^[^/\\]+\.pdf$/i, 'must be a file name from GET /api/v1/jobs/:id/files'),
});
export const PageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

// ── reports ──────────────────────────────────────────────────────────────────────────────────────
export const JobReportSchema = z.strictObject({
  jobId: z.string(),
  status: z.enum(JOB_STATUSES),
  recipients: z.number().int(),
  queued: z.number().int(),
  sent: z.number().int(),
  deferred: z.number().int(),
  bounced: z.number().int(),
  suppressed: z.number().int(),
  failed: z.number().int(),
  uncertain: z.number().int(),
  opened: z.number().int(),
  clicked: z.number().int(),
  unsubscribed: z.number().int(),
  clicksByLink: z.array(z.strictObject({ url: z.string(), clicks: z.number().int(), recipients: z.number().int() })),
});
export type JobReport = z.infer<typeof JobReportSchema>;

// ── real-time messages ───────────────────────────────────────────────────────────────────────────
export const MessageBodySchema = z.strictObject({
  templateId: z.string().min(1),
  version: z.number().int().positive(),
  record: RecordSchema,
  /** Send to this address instead of the record's. */
  to: z.email().optional(),
});
/**
 * `deferred`: the relay answered 4xx (or the message is being sent again); the ledger retries it, and a repeat
 * with the same Idempotency-Key reports its state then (`sent`, or `failed` after `limits.maxAttempts`).
 */
export const MessageResultSchema = z.strictObject({
  id: z.string(),
  status: z.enum(['sent', 'deferred', 'bounced', 'suppressed', 'failed']),
  to: z.string(),
  messageId: z.string(),
  response: z.string().nullable(),
});

/** The ledger's states of a message, plus `deferred` (waiting for a retry after a 4xx) and `uncertain` (in flight at a crash). */
export const MESSAGE_STATES = [
  'pending',
  'sending',
  'sent',
  'bounced',
  'failed',
  'suppressed',
  'canceled',
  'deferred',
  'uncertain',
] as const;
export const MessageListQuerySchema = z.strictObject({
  state: z.enum(MESSAGE_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const MessageEntrySchema = z.strictObject({
  id: z.string(),
  idempotencyKey: z.string(),
  templateId: z.string().nullable(),
  version: z.number().int().nullable(),
  to: z.string().nullable(),
  status: z.enum(['pending', 'sending', 'sent', 'bounced', 'failed', 'suppressed', 'canceled']),
  attempts: z.number().int(),
  deferrals: z.number().int(),
  /** In flight when the server stopped abruptly: retried, and may have reached the recipient twice. */
  uncertain: z.boolean(),
  messageId: z.string().nullable(),
  response: z.string().nullable(),
  error: z.string().nullable(),
  sentAt: Iso.nullable(),
});
export const MessageListSchema = z.strictObject({ messages: z.array(MessageEntrySchema), total: z.number().int() });

// ── suppressions ─────────────────────────────────────────────────────────────────────────────────
export const SUPPRESSION_REASONS = ['bounced', 'complained', 'unsubscribed', 'manual'] as const;
export const SuppressionSchema = z.strictObject({
  email: z.string(),
  reason: z.enum(SUPPRESSION_REASONS),
  createdAt: Iso,
  detail: z.string().nullable(),
});
export const SuppressionBodySchema = z.strictObject({
  email: z.email(),
  reason: z.enum(SUPPRESSION_REASONS).default('manual'),
  detail: z.string().max(500).optional(),
});
export const SuppressionListSchema = z.strictObject({ suppressions: z.array(SuppressionSchema), total: z.number().int() });
export const EmailParamsSchema = z.strictObject({ email: z.string().min(3).max(320) });

// ── tokens (who am I) ────────────────────────────────────────────────────────────────────────────
export const WhoAmISchema = z.strictObject({ tokenId: z.string(), name: z.string(), role: RoleSchema });
