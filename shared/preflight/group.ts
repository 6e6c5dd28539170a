import type { Finding, Report } from './report';

/** Findings for the review grid: those of the template as a whole, and per variant key those of its records. */
export interface FindingsByVariant {
  /** Problems of the template itself (colours, swatches, static elements): every variant has them. */
  template: Finding[];
  /** Variant key ('' for records without a variant) → the findings on its records, rows limited to that variant. */
  variants: Record<string, Finding[]>;
}

/**
 * Regroup a report by variant (dealer). A finding on records of several variants appears under each, with
 * that variant's rows and count; a template-level finding about one variant (its own values or swatches)
 * appears under that variant.
 */
export function findingsByVariant(report: Pick<Report, 'findings'>): FindingsByVariant {
  const out: FindingsByVariant = { template: [], variants: {} };
  const push = (key: string, f: Finding) => (out.variants[key] ??= []).push(f);
  for (const f of report.findings) {
    if (f.template) {
      if (f.target?.kind === 'variant') push(f.target.id, f);
      else out.template.push(f);
      continue;
    }
    for (const [key, v] of Object.entries(f.variants)) {
      push(key, { ...f, rows: v.rows, keys: v.keys, rowCount: v.count, variants: { [key]: v } });
    }
  }
  return out;
}
