import { CODE_INFO, type FindingCode, type Severity } from './codes';

/** What a finding is about: a print element, an email block, a data field, a swatch or a variant. */
export interface FindingTarget {
  kind: 'element' | 'block' | 'field' | 'swatch' | 'variant' | 'file';
  /** Element id, block id, field name, swatch id or variant key. */
  id: string;
  /** Document path, e.g. `print.pages[0].elements[3]` (absent for data fields). */
  path?: string;
  /** The print page id of an element. */
  pageId?: string;
}

export type FindingChannel = 'print' | 'email' | 'data' | 'brand';

/** One problem, possibly on many records. */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  channel: FindingChannel;
  target?: FindingTarget;
  /** What is wrong (the same for every record listed). */
  message: string;
  /** How to fix it, one sentence. */
  fix: string;
  /** True for problems of the template itself (every record has them); `rows` is then empty. */
  template: boolean;
  /** The first rows (1-based data rows) with the problem, ascending. */
  rows: number[];
  /** Their record keys (same order as rows). */
  keys: string[];
  /** How many records have the problem (rows lists at most `maxRowsListed`). */
  rowCount: number;
  /** Per variant key ('' for records without a variant): how many records, and the first rows. */
  variants: Record<string, { count: number; rows: number[]; keys: string[] }>;
}

export interface ReportSummary {
  errors: number;
  warnings: number;
  info: number;
  /** Data rows read. */
  records: number;
}

export interface Report {
  /** True when no finding is an error: the job may go to production. */
  ok: boolean;
  channels: ('print' | 'email')[];
  /** Only records of this variant key were checked. */
  variant?: string;
  thresholds: { minPpi: number; emailWeightLimit: number; deltaE: number };
  /** How colours were judged, e.g. "approximate (no profile)". */
  colorCondition: string;
  summary: ReportSummary;
  /** Errors first, then warnings, then info; within a severity by code and first row. */
  findings: Finding[];
}

/** One occurrence, before aggregation. */
export interface Occurrence {
  code: FindingCode;
  severity?: Severity;
  channel: FindingChannel;
  target?: FindingTarget;
  message: string;
  fix?: string;
  /** Absent for template-level problems. */
  record?: { row: number; key: string; variant: string };
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Aggregates occurrences: the same problem (code, target, message) on many records becomes one finding
 * listing the first rows and a count, so a 200-record run stays readable.
 */
export class FindingCollector {
  private readonly byKey = new Map<string, { finding: Finding; seen: Set<number> }>();

  constructor(private readonly maxRowsListed: number) {}

  add(o: Occurrence): void {
    const key = [o.code, o.channel, o.target?.kind ?? '', o.target?.id ?? '', o.target?.path ?? '', o.message].join('\u0001');
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = {
        finding: {
          code: o.code,
          severity: o.severity ?? CODE_INFO[o.code].severity,
          channel: o.channel,
          ...(o.target ? { target: o.target } : {}),
          message: o.message,
          fix: o.fix ?? CODE_INFO[o.code].fix,
          template: o.record === undefined,
          rows: [],
          keys: [],
          rowCount: 0,
          variants: {},
        },
        seen: new Set(),
      };
      this.byKey.set(key, entry);
    }
    const r = o.record;
    if (!r || entry.seen.has(r.row)) return;
    entry.seen.add(r.row);
    const f = entry.finding;
    f.template = false;
    f.rowCount++;
    const v = (f.variants[r.variant] ??= { count: 0, rows: [], keys: [] });
    v.count++;
    if (v.rows.length < this.maxRowsListed) {
      v.rows.push(r.row);
      v.keys.push(r.key);
    }
    if (f.rows.length < this.maxRowsListed) {
      f.rows.push(r.row);
      f.keys.push(r.key);
    }
  }

  findings(): Finding[] {
    return [...this.byKey.values()]
      .map((e) => e.finding)
      .sort(
        (a, b) =>
          SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
          a.code.localeCompare(b.code) ||
          (a.rows[0] ?? 0) - (b.rows[0] ?? 0) ||
          a.message.localeCompare(b.message),
      );
  }
}

export function summarise(findings: readonly Finding[], records: number): ReportSummary {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return { errors: count('error'), warnings: count('warning'), info: count('info'), records };
}
