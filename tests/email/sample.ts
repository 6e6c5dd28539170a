import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTemplateDocument } from '../../shared/model/validate';
import type { TemplateDocument } from '../../shared/model/document';

export const SAMPLE_DIR = fileURLToPath(new URL('../../assets/sample-campaign', import.meta.url));
export const SAMPLE_CSV = `${SAMPLE_DIR}/data/customers.csv`;

/**
 * The sample campaign's document, parsed without its asset files (unit tests of rules and email
 * composition need the document, not the bytes): each asset gets a stand-in hash and size.
 */
export function sampleDocument(mutate?: (raw: Record<string, unknown>) => void): TemplateDocument {
  const raw = JSON.parse(readFileSync(`${SAMPLE_DIR}/template.json`, 'utf8')) as Record<string, unknown>;
  for (const [i, a] of (raw.assets as Record<string, unknown>[]).entries()) {
    a.sha256 ??= i.toString(16).padStart(64, '0');
    a.bytes ??= 1;
  }
  mutate?.(raw);
  const r = parseTemplateDocument(raw);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return r.document;
}
