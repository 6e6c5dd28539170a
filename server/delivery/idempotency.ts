import { createHash } from 'node:crypto';
import type { DataRecord } from '../../shared/http/schemas';

/**
 * An Idempotency-Key of POST /api/v1/messages is bound to the request it first came with: the template version,
 * the record and the recipient. The ledger keeps the record as canonical JSON (keys sorted) and the SHA-256 of
 * the three, so a repeat of the same request (in any key order) is recognised, and a different request with the
 * same key is refused, naming what differs.
 */

/** The record as the ledger keeps it: JSON with its keys sorted, so equal records are equal text. */
export function canonicalRecordJson(record: DataRecord): string {
  const sorted: DataRecord = {};
  for (const k of Object.keys(record).sort()) sorted[k] = record[k]!;
  return JSON.stringify(sorted);
}

export function messageRequestSha256(versionId: string, recordJson: string, to: string): string {
  return createHash('sha256')
    .update(JSON.stringify([versionId, recordJson, to.toLowerCase()]))
    .digest('hex');
}

export interface BoundRequest {
  versionId: string | null;
  /** "service-reminder version 1", for messages. */
  versionLabel: string;
  recordJson: string;
  to: string | null;
}

/** What differs between the request a key was first used for and this one: one detail per differing part. */
export function requestConflicts(first: BoundRequest, now: BoundRequest): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (first.versionId !== null && first.versionId !== now.versionId)
    out.push({ path: 'version', message: `the key was first used with ${first.versionLabel}; this request names ${now.versionLabel}` });
  if ((first.to ?? '').toLowerCase() !== (now.to ?? '').toLowerCase())
    out.push({
      path: 'to',
      message: `the key was first used for ${first.to ?? '(no recipient)'}; this request sends to ${now.to ?? '(none)'}`,
    });
  if (first.recordJson !== now.recordJson) {
    const a = parse(first.recordJson);
    const b = parse(now.recordJson);
    const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
    for (const f of fields.slice(0, 20))
      out.push({
        path: `record.${f}`,
        message:
          f in a ? (f in b ? 'differs from the first request' : 'missing here, present in the first request') : 'not in the first request',
      });
  }
  return out;
}

function parse(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
