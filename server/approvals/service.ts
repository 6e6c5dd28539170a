import { createHash } from 'node:crypto';
import {
  FALLBACK_VARIANT_KEY,
  TEMPLATE_VARIANT_KEY,
  type ApprovalStatus,
  type DecisionDto,
  type VariantApprovalDto,
} from '../../shared/http/approvals';
import type { DataRecord, JobCreateBody, JobData } from '../../shared/http/schemas';
import type { TemplateDocument } from '../../shared/model/document';
import type { Services } from '../services';
import type { StoredVersion } from '../store/templates-repo';
import { dataSource, type DataSource } from '../data/source';
import { dataInputHttpError } from '../http/data-errors';
import { tableFromObjects, typeTable } from '../../shared/data';
import { HttpError, notFound } from '../http/route-kit';
import { approvalsRepo } from './repo';

/**
 * What approvals are about (docs/review.md): the variants of a version with their values hashes, the data's
 * hash, the status of each variant against a dataset, and the variant keys a job's data actually uses.
 */

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** JSON with object keys sorted at every level, so equal values always hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

export interface VariantIdentity {
  key: string;
  label: string;
  valuesSha256: string;
}

/** The approvable units of a version: each variant, the fallback when records may use it, or the template itself. */
export function approvableVariants(doc: TemplateDocument): VariantIdentity[] {
  const vs = doc.variants;
  if (!vs) return [{ key: TEMPLATE_VARIANT_KEY, label: doc.name, valuesSha256: sha256(canonicalJson({})) }];
  const out = vs.items.map((v) => ({
    key: v.key,
    label: v.label,
    valuesSha256: sha256(canonicalJson({ key: v.key, label: v.label, values: v.values, swatches: v.swatches })),
  }));
  if (vs.onUnknownKey === 'fallback')
    out.push({
      key: FALLBACK_VARIANT_KEY,
      label: vs.fallback.label,
      valuesSha256: sha256(canonicalJson({ key: FALLBACK_VARIANT_KEY, label: vs.fallback.label, values: vs.fallback.values })),
    });
  return out;
}

/**
 * The data of a job or an approval as one source (server/data/source.ts): inline records, a stored dataset or a
 * file, read through shared/data. 404 for an unknown dataset, 4xx for a file that cannot be read.
 */
export function resolveData(s: Services, data: JobData): DataSource {
  let src: DataSource | undefined;
  try {
    src = dataSource(s.datasets, data);
  } catch (e) {
    throw dataInputHttpError(e);
  }
  if (!src) throw notFound(`no dataset "${(data as { datasetId: string }).datasetId}"; upload one with POST /api/v1/datasets`);
  return src;
}

/** The dataset hash: sha256 of the records as JSON (a stored dataset, its file and its records agree). */
export async function datasetSha256(src: DataSource): Promise<string> {
  try {
    return await src.sha256();
  } catch (e) {
    throw dataInputHttpError(e);
  }
}

/** The approvable keys the records use (after the job's range and variant filters), typed as every job types them. */
export async function variantKeysInData(
  doc: TemplateDocument,
  src: DataSource | readonly Record<string, unknown>[],
  options: JobCreateBody['options'] = {},
): Promise<Set<string>> {
  const vs = doc.variants;
  if (!vs) return new Set([TEMPLATE_VARIANT_KEY]);
  const from = options.range?.from ?? 1;
  const to = options.range?.to ?? Infinity;
  const only = options.variants ? new Set(options.variants) : undefined;
  const known = new Set(vs.items.map((v) => v.key));
  const keys = new Set<string>();
  const table = Array.isArray(src) ? tableFromObjects(src) : (src as DataSource).table();
  for await (const row of typeTable(table, doc.data, { checkDuplicateKeys: false })) {
    if (row.row < from) continue;
    if (row.row > to) break;
    const key = String(row.values[vs.keyField] ?? '').trim();
    if (only && !only.has(key)) continue;
    if (known.has(key)) keys.add(key);
    else if (vs.onUnknownKey === 'fallback') keys.add(FALLBACK_VARIANT_KEY);
  }
  return keys;
}

/** Why the latest decision no longer holds, or null when it matches. */
function mismatch(d: DecisionDto, version: number, valuesSha: string, dataSha: string | undefined): string | null {
  const why: string[] = [];
  if (d.version !== version) why.push(`decided on version ${d.version}`);
  if (d.valuesSha256 !== valuesSha) why.push('its values changed since');
  if (dataSha !== undefined && d.datasetSha256 !== dataSha) why.push('decided against different data');
  return why.length ? why.join('; ') : null;
}

/**
 * The status of every approvable variant of a version. A decision holds when its version, values hash and (when
 * given) dataset hash match; the latest holding decision sets approved/rejected. Otherwise a variant with an
 * earlier decision needs re-approval (the reason says what changed), and one without any is pending.
 */
export function variantStatuses(
  doc: TemplateDocument,
  version: number,
  history: readonly DecisionDto[],
  dataSha?: string,
): VariantApprovalDto[] {
  return approvableVariants(doc).map((v) => {
    const mine = history.filter((d) => d.variant === v.key);
    const holding = mine.filter((d) => mismatch(d, version, v.valuesSha256, dataSha) === null).at(-1);
    const latest = mine.at(-1);
    let status: ApprovalStatus = 'pending';
    let reason: string | null = 'never reviewed';
    let decision: DecisionDto | null = null;
    if (holding) {
      status = holding.decision;
      reason = null;
      decision = holding;
    } else if (latest) {
      status = 'needs-reapproval';
      reason = `last ${latest.decision} by ${latest.by}: ${mismatch(latest, version, v.valuesSha256, dataSha)}`;
      decision = latest;
    }
    return { variant: v.key, label: v.label, valuesSha256: v.valuesSha256, status, reason, decision };
  });
}

/**
 * The one approval check (docs/review.md, "The production gate"): every variant in `used` must be approved for
 * this version and its current values, against the dataset `dataSha` (undefined: a decision against any data
 * counts). Otherwise a 409 `not-approved` names the blocking variants, one `details` entry each. Jobs and
 * real-time messages both call this; only what they pass for the data differs.
 */
export function requireApproved(s: Services, v: StoredVersion, used: ReadonlySet<string>, dataSha: string | undefined, next: string): void {
  if (!used.size) return;
  const history = approvalsRepo(s.db).history(v.dto.templateId);
  const blocking = variantStatuses(v.document, v.dto.version, history, dataSha).filter(
    (x) => used.has(x.variant) && x.status !== 'approved',
  );
  if (!blocking.length) return;
  const names = blocking.map((b) => `${b.variant} (${b.status}${b.reason && b.status !== 'pending' ? `: ${b.reason}` : ''})`);
  const one = blocking.length === 1;
  const against = dataSha === undefined ? 'for any data' : `for this data (dataset sha256 ${dataSha.slice(0, 12)}…)`;
  throw new HttpError(
    409,
    'not-approved',
    `${one ? 'variant' : 'variants'} ${names.join(', ')} of "${v.dto.templateId}" version ${v.dto.version} ${one ? 'is' : 'are'} not approved ${against}; an approver must approve ${one ? 'it' : 'them'} (POST /api/v1/templates/${encodeURIComponent(v.dto.templateId)}/versions/${v.dto.version}/approvals, or "presswork approve")${next}`,
    blocking.map((b) => ({ path: `variants.${b.variant}`, message: `${b.status}${b.reason ? `: ${b.reason}` : ''}` })),
  );
}

/**
 * The production gate: with `requireApproval` configured, a job (print or email) runs only when every variant its
 * data uses is approved for this version and this data. Proofs (`options.proof`) run regardless; an email proof
 * goes only to `testRecipients`, or to the development outbox when no SMTP relay is configured.
 */
export async function approvalGate(s: Services, v: StoredVersion, body: JobCreateBody): Promise<void> {
  if (body.options.proof) {
    if (body.channels.includes('email') && s.config.smtp && !body.options.testRecipients?.length)
      throw new HttpError(
        422,
        'bad-request',
        'an email proof goes only to proof addresses: add options.testRecipients (up to 50), or run without options.proof once approved',
      );
    return;
  }
  if (!s.config.requireApproval) return;
  const src = resolveData(s, body.data);
  requireApproved(
    s,
    v,
    await variantKeysInData(v.document, src, body.options),
    await datasetSha256(src),
    ', or run a proof with options.proof',
  );
}

/**
 * The gate of a real-time message (`POST /api/v1/messages`): with `requireApproval`, the record's variant (dealer,
 * fallback, or the template itself) must be approved for this version and the variant's current values hash.
 * One triggered record belongs to no reviewed dataset, so a decision made against any data counts: the approver
 * approved the dealer's piece (design version + dealer values), which is what the message is made of; the latest
 * such decision wins, so a later rejection blocks again.
 */
export async function messageGate(s: Services, v: StoredVersion, record: DataRecord): Promise<void> {
  if (!s.config.requireApproval) return;
  requireApproved(s, v, await variantKeysInData(v.document, [record]), undefined, '');
}
