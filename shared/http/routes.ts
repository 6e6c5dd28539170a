import type { z } from 'zod';
import type { Role } from './schemas';
import * as S from './schemas';
import { ErrorBodySchema } from './errors';
import { approvalRoutes } from './approvals';
import { OutboxQuerySchema } from './outbox';

/**
 * THE route table of the HTTP API: one entry per route with its method, path, who may call it, and the
 * schemas of its parameters, body and responses. The server implements every entry (its handler map is
 * typed against this table, so a missing handler fails to compile), validates requests with these schemas
 * and builds its OpenAPI document from them; clients import the same entries.
 *
 * `roles: 'public'` routes are reached from mail clients and browsers (tracking, unsubscribe); they are
 * protected by HMAC-signed URLs instead of tokens.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A request body that is not JSON: raw bytes or text of the listed media types. */
export interface RawBody {
  raw: readonly string[];
  description: string;
}

export interface RouteDef {
  method: Method;
  path: string;
  summary: string;
  /** Longer text for the OpenAPI document: rules a caller must know (CommonMark). */
  description?: string;
  /** Kept for compatibility; callers should move to the route the description names. */
  deprecated?: boolean;
  tag: string;
  roles: readonly Role[] | 'public';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType | RawBody;
  /** Alternative bodies accepted on the same route, keyed by media type (JSON schema or raw). */
  altBody?: z.ZodType;
  responses: Readonly<Record<number, z.ZodType | string>>;
}

/**
 * A `:name` parameter in a route path, as the server's router (find-my-way) reads it: letters, digits and `_`,
 * ending at `/`, `.` or `-`. Every conversion of a route path (OpenAPI `{name}`, clients filling in values)
 * uses this one pattern, so `:sha256` is never read as `:sha` followed by `256`.
 */
export const PATH_PARAM = /:([A-Za-z0-9_]+)/g;

/** The parameter names of a route path, in order. */
export const pathParamNames = (path: string): string[] => [...path.matchAll(PATH_PARAM)].map((m) => m[1]!);

/** A route path with each `:name` replaced by `fill(name)`. */
export const fillPath = (path: string, fill: (name: string) => string): string => path.replace(PATH_PARAM, (_, name: string) => fill(name));

const ALL: readonly Role[] = ['publisher', 'approver', 'operator', 'viewer'];
const E = ErrorBodySchema;

export const api = {
  health: {
    method: 'GET',
    path: '/api/v1/health',
    summary: 'Liveness and queue depth',
    tag: 'system',
    roles: 'public',
    responses: { 200: S.HealthSchema },
  },
  whoami: {
    method: 'GET',
    path: '/api/v1/whoami',
    summary: 'The calling token and its role',
    tag: 'system',
    roles: ALL,
    responses: { 200: S.WhoAmISchema, 401: E },
  },

  findMissingAssets: {
    method: 'POST',
    path: '/api/v1/assets/missing',
    summary: 'Which of these asset hashes the server does not have yet (upload only those)',
    tag: 'publish',
    roles: ['publisher'],
    body: S.MissingAssetsBodySchema,
    responses: { 200: S.MissingAssetsSchema, 400: E, 401: E, 403: E },
  },
  putAsset: {
    method: 'PUT',
    path: '/api/v1/assets/:sha256',
    summary: 'Store one asset by its sha256; the bytes must hash to it. Storing an existing asset is a no-op.',
    tag: 'publish',
    roles: ['publisher'],
    params: S.Sha256ParamsSchema,
    body: { raw: ['application/octet-stream'], description: 'the asset bytes' },
    responses: { 200: S.AssetStoredSchema, 201: S.AssetStoredSchema, 400: E, 413: E, 415: E },
  },
  getAsset: {
    method: 'GET',
    path: '/a/:sha256',
    summary:
      'An asset by content hash (images and fonts in sent mail link here): served only as a font, PNG/JPEG/SVG image or PDF, typed by its bytes, with nosniff, a sandboxing CSP and (fonts) Access-Control-Allow-Origin: *',
    tag: 'publish',
    roles: 'public',
    params: S.Sha256ParamsSchema,
    responses: { 200: 'the asset bytes', 404: E },
  },
  publishVersion: {
    method: 'POST',
    path: '/api/v1/templates',
    summary:
      'Publish a template version: a package (.zip) or {document} JSON whose assets are already stored. Idempotent: the same content returns the existing version with 200.',
    tag: 'publish',
    roles: ['publisher'],
    body: { raw: ['application/zip'], description: 'a template package (.zip holding template.json and assets/<sha256>)' },
    altBody: S.PublishJsonBodySchema,
    responses: { 200: S.PublishResultSchema, 201: S.PublishResultSchema, 400: E, 409: E, 413: E, 415: E, 422: E },
  },
  listTemplates: {
    method: 'GET',
    path: '/api/v1/templates',
    summary: 'Published templates with their latest version',
    tag: 'publish',
    roles: ALL,
    responses: { 200: S.TemplateListSchema },
  },
  listVersions: {
    method: 'GET',
    path: '/api/v1/templates/:templateId/versions',
    summary: 'Every version of a template, newest first',
    tag: 'publish',
    roles: ALL,
    params: S.TemplateIdParamsSchema,
    responses: { 200: S.VersionListSchema, 404: E },
  },
  getVersion: {
    method: 'GET',
    path: '/api/v1/templates/:templateId/versions/:version',
    summary: 'One version with its template document',
    tag: 'publish',
    roles: ALL,
    params: S.VersionParamsSchema,
    responses: { 200: S.VersionDocumentSchema, 404: E },
  },
  getVersionPackage: {
    method: 'GET',
    path: '/api/v1/templates/:templateId/versions/:version/package',
    summary: 'One version as a template package (.zip), byte-identical for the same content',
    tag: 'publish',
    roles: ALL,
    params: S.VersionParamsSchema,
    responses: { 200: 'application/zip', 404: E },
  },
  compareVersions: {
    method: 'GET',
    path: '/api/v1/templates/:templateId/versions/:version/compare',
    summary: 'What changed from version ?with=N to this version: document paths and assets',
    tag: 'publish',
    roles: ALL,
    params: S.VersionParamsSchema,
    query: S.CompareQuerySchema,
    responses: { 200: S.VersionCompareSchema, 400: E, 404: E },
  },
  approveVersion: {
    method: 'POST',
    path: '/api/v1/templates/:templateId/versions/:version/approval',
    summary: 'Mark a whole version approved (a label only: the approval gate is per variant, see …/approvals)',
    description:
      'Superseded by variant approvals (`POST /api/v1/templates/:templateId/versions/:version/approvals`): with `requireApproval`, jobs and real-time messages are gated per variant (dealer), and this flag gates nothing. It is kept so older clients keep working.',
    deprecated: true,
    tag: 'publish',
    roles: ['approver'],
    params: S.VersionParamsSchema,
    responses: { 200: S.TemplateVersionSchema, 404: E },
  },
  ...approvalRoutes,

  createDataset: {
    method: 'POST',
    path: '/api/v1/datasets',
    summary: 'Store a data file (CSV/TSV, XLSX, NDJSON or a JSON array of records) for later jobs',
    tag: 'jobs',
    roles: ['operator'],
    query: S.DatasetQuerySchema,
    body: {
      raw: [
        'text/csv',
        'text/tab-separated-values',
        'application/x-ndjson',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'application/octet-stream',
        'application/json',
      ],
      description:
        'A data file read as `presswork compose` reads it: CSV/TSV with a header row (UTF-8, UTF-16 or Windows-1252, detected, or declared with a charset parameter such as `text/csv; charset=windows-1252`), XLSX, NDJSON, or a JSON array of objects. A file that cannot be decoded is a 422 saying why.',
    },
    responses: { 201: S.DatasetSchema, 400: E, 413: E, 415: E, 422: E },
  },
  listDatasets: {
    method: 'GET',
    path: '/api/v1/datasets',
    summary: 'Stored datasets',
    tag: 'jobs',
    roles: ALL,
    responses: { 200: S.DatasetListSchema },
  },

  createJob: {
    method: 'POST',
    path: '/api/v1/jobs',
    summary: 'Queue a job: a template version, channels, data (inline records, a file or a dataset) and options',
    description:
      '`options.scheduleAt` (ISO 8601 with an offset) starts the job no earlier than that time: the answer has `status: "scheduled"`. A time in the past is refused with `422` naming the server\'s clock; a time less than a minute ago (clock skew) starts the job now (`status: "queued"`). Without `scheduleAt` the job starts now.',
    tag: 'jobs',
    roles: ['operator'],
    body: S.JobCreateBodySchema,
    responses: { 201: S.JobSchema, 400: E, 404: E, 409: E, 422: E },
  },
  listJobs: {
    method: 'GET',
    path: '/api/v1/jobs',
    summary: 'Recent jobs, newest first',
    tag: 'jobs',
    roles: ALL,
    query: S.JobListQuerySchema,
    responses: { 200: S.JobListSchema },
  },
  getJob: {
    method: 'GET',
    path: '/api/v1/jobs/:id',
    summary: 'A job with its progress and counts',
    tag: 'jobs',
    roles: ALL,
    params: S.IdParamsSchema,
    responses: { 200: S.JobSchema, 404: E },
  },
  cancelJob: {
    method: 'POST',
    path: '/api/v1/jobs/:id/cancel',
    summary: 'Cancel a job: nothing more is composed or sent; messages already handed off stay sent',
    tag: 'jobs',
    roles: ['operator'],
    params: S.IdParamsSchema,
    responses: { 200: S.JobSchema, 404: E, 409: E },
  },
  jobErrors: {
    method: 'GET',
    path: '/api/v1/jobs/:id/errors',
    summary: 'Per-record errors (bad data, composition failures, bounces)',
    tag: 'jobs',
    roles: ALL,
    params: S.IdParamsSchema,
    query: S.PageQuerySchema,
    responses: { 200: S.RecordErrorsSchema, 404: E },
  },
  jobFiles: {
    method: 'GET',
    path: '/api/v1/jobs/:id/files',
    summary: 'The PDFs a print job has finished (a file is listed only once it is complete)',
    tag: 'jobs',
    roles: ALL,
    params: S.IdParamsSchema,
    responses: { 200: S.JobFilesSchema, 404: E },
  },
  jobFile: {
    method: 'GET',
    path: '/api/v1/jobs/:id/files/:name',
    summary: 'Download one PDF of a print job',
    tag: 'jobs',
    roles: ALL,
    params: S.JobFileParamsSchema,
    responses: { 200: 'application/pdf', 404: E },
  },
  jobReport: {
    method: 'GET',
    path: '/api/v1/jobs/:id/report',
    summary: 'Delivery and engagement report: queued, sent, deferred, bounced, opened, clicked per link, unsubscribed',
    tag: 'reports',
    roles: ALL,
    params: S.IdParamsSchema,
    responses: { 200: S.JobReportSchema, 404: E },
  },
  jobReportPage: {
    method: 'GET',
    path: '/api/v1/jobs/:id/report.html',
    summary:
      'The report as a page: counts, deliveries and opens/clicks over time (inline SVG), top links, bounces by reason, record errors',
    tag: 'reports',
    roles: ALL,
    params: S.IdParamsSchema,
    responses: { 200: 'text/html', 404: E },
  },
  jobReportCsv: {
    method: 'GET',
    path: '/api/v1/jobs/:id/report.csv',
    summary: 'The report as CSV: one row per recipient with status, attempts, opens, clicks, unsubscribe',
    tag: 'reports',
    roles: ALL,
    params: S.IdParamsSchema,
    responses: { 200: 'text/csv', 404: E },
  },

  sendMessage: {
    method: 'POST',
    path: '/api/v1/messages',
    summary: 'Compose and send one transactional message now from a published template and one record',
    description:
      "With `requireApproval` on, the record's variant (the dealer its key field names; `(fallback)` for an unknown key when the template falls back; `(template)` without variants) must be approved for this template version and the variant's current values hash. A single triggered record belongs to no reviewed dataset, so an approval made against **any** dataset counts; the latest such decision wins (a later rejection blocks). Otherwise the answer is `409 not-approved`, as for jobs, with one `details` entry per blocking variant (`variants.<key>`). A new version, or a change to the dealer's values, needs a new approval. See docs/review.md.\n\nAn `Idempotency-Key` is bound to the request it first came with (template version, record, recipient): repeating that request reports the message's current state in the ledger (`deferred`, then `sent`; concurrent repeats wait for the first), and another request with the same key is refused with `409 conflict` naming what differs.",
    tag: 'messages',
    roles: ['operator'],
    body: S.MessageBodySchema,
    responses: { 200: S.MessageResultSchema, 400: E, 404: E, 409: E, 422: E },
  },
  listMessages: {
    method: 'GET',
    path: '/api/v1/messages',
    summary: 'Real-time messages in the ledger, newest first, optionally in one state (e.g. deferred, uncertain, failed)',
    description:
      '`state` is a ledger status (`pending`, `sending`, `sent`, `bounced`, `failed`, `suppressed`), or `deferred` (waiting for a retry after a 4xx) or `uncertain` (in flight when the server stopped abruptly: retried, and possibly received twice). See docs/server.md.',
    tag: 'messages',
    roles: ALL,
    query: S.MessageListQuerySchema,
    responses: { 200: S.MessageListSchema, 400: E },
  },

  listSuppressions: {
    method: 'GET',
    path: '/api/v1/suppressions',
    summary: 'The suppression list (bounced, complained, unsubscribed, manual)',
    tag: 'suppressions',
    roles: ALL,
    query: S.PageQuerySchema,
    responses: { 200: S.SuppressionListSchema },
  },
  addSuppression: {
    method: 'POST',
    path: '/api/v1/suppressions',
    summary: 'Suppress an address (never mailed again until removed)',
    tag: 'suppressions',
    roles: ['operator'],
    body: S.SuppressionBodySchema,
    responses: { 201: S.SuppressionSchema, 400: E },
  },
  removeSuppression: {
    method: 'DELETE',
    path: '/api/v1/suppressions/:email',
    summary: 'Remove an address from the suppression list',
    tag: 'suppressions',
    roles: ['operator'],
    params: S.EmailParamsSchema,
    responses: { 204: 'no content', 404: E },
  },

  trackOpen: {
    method: 'GET',
    path: '/t/o/:token',
    summary: 'Open pixel (signed); records an open and returns a 1×1 GIF',
    tag: 'tracking',
    roles: 'public',
    responses: { 200: 'image/gif' },
  },
  trackClick: {
    method: 'GET',
    path: '/t/c/:token',
    summary: 'Click redirect (signed: only the URL signed into the token is ever a target)',
    tag: 'tracking',
    roles: 'public',
    responses: { 302: 'redirect', 400: E },
  },
  unsubscribePage: {
    method: 'GET',
    path: '/u/:token',
    summary: 'Unsubscribe confirmation page (a GET never unsubscribes: link scanners fetch URLs)',
    tag: 'tracking',
    roles: 'public',
    responses: { 200: 'text/html', 400: 'text/html' },
  },
  unsubscribe: {
    method: 'POST',
    path: '/u/:token',
    summary: 'One-click unsubscribe (RFC 8058: body List-Unsubscribe=One-Click) and the confirmation form',
    tag: 'tracking',
    roles: 'public',
    responses: { 200: 'text/html', 400: 'text/html' },
  },

  outboxPage: {
    method: 'GET',
    path: '/outbox',
    summary: 'Development outbox: the messages written to disk instead of sent (only when no SMTP relay is configured)',
    description:
      'Newest first, 25 a page, filtered by job id, recipient or subject text; one message shown rendered (HTML in a sandboxed frame without scripts, the text part, the headers). Answers only requests to a loopback Host (127.0.0.1, localhost, [::1]) from this machine, or with any valid token.',
    tag: 'system',
    roles: 'public',
    query: OutboxQuerySchema,
    responses: { 200: 'text/html', 404: E },
  },
  outboxMessage: {
    method: 'GET',
    path: '/outbox/:file',
    summary: 'One development outbox message (.eml)',
    tag: 'system',
    roles: 'public',
    responses: { 200: 'message/rfc822', 404: E },
  },
  openapi: {
    method: 'GET',
    path: '/api/v1/openapi.json',
    summary: 'This API as OpenAPI 3.1',
    tag: 'system',
    roles: 'public',
    responses: { 200: 'application/json' },
  },
} as const satisfies Record<string, RouteDef>;

export type Api = typeof api;
export type RouteName = keyof Api;
