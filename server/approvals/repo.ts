import type { DecisionDto } from '../../shared/http/approvals';
import type { Db } from '../store/db';
import { nowIso } from '../store/ids';

interface DecisionRow {
  id: number;
  template_id: string;
  version: number;
  variant_key: string;
  decision: 'approved' | 'rejected';
  comment: string;
  values_sha256: string;
  dataset_sha256: string;
  data_label: string;
  decided_by: string;
  decided_at: string;
}

const toDto = (r: DecisionRow): DecisionDto => ({
  id: r.id,
  templateId: r.template_id,
  version: r.version,
  variant: r.variant_key,
  decision: r.decision,
  comment: r.comment,
  valuesSha256: r.values_sha256,
  datasetSha256: r.dataset_sha256,
  dataLabel: r.data_label,
  by: r.decided_by,
  at: r.decided_at,
});

export type NewDecision = Omit<DecisionDto, 'id' | 'at'>;

/** Variant approval decisions: an append-only history per template (one aggregate). */
export class ApprovalsRepo {
  constructor(private readonly db: Db) {}

  add(d: NewDecision): DecisionDto {
    const at = nowIso();
    const r = this.db
      .prepare(
        `INSERT INTO variant_approvals (template_id, version, variant_key, decision, comment, values_sha256, dataset_sha256,
           data_label, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(d.templateId, d.version, d.variant, d.decision, d.comment, d.valuesSha256, d.datasetSha256, d.dataLabel, d.by, at);
    return { ...d, id: Number(r.lastInsertRowid), at };
  }

  /** Every decision on this template's variants, oldest first (optionally only those made for one version). */
  history(templateId: string, version?: number): DecisionDto[] {
    const rows =
      version === undefined
        ? this.db.prepare<[string], DecisionRow>('SELECT * FROM variant_approvals WHERE template_id = ? ORDER BY id').all(templateId)
        : this.db
            .prepare<[string, number], DecisionRow>('SELECT * FROM variant_approvals WHERE template_id = ? AND version = ? ORDER BY id')
            .all(templateId, version);
    return rows.map(toDto);
  }
}

const repos = new WeakMap<Db, ApprovalsRepo>();
/** One repository per open database. */
export function approvalsRepo(db: Db): ApprovalsRepo {
  let r = repos.get(db);
  if (!r) repos.set(db, (r = new ApprovalsRepo(db)));
  return r;
}
