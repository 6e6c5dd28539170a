/**
 * Numbered, named schema migrations. Never edit one that has shipped: add the next number.
 * Times are ISO 8601 text (UTC) except `*_ms` columns, which are epoch milliseconds used for scheduling.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('publisher','approver','operator','viewer')),
  hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);

CREATE TABLE assets (
  sha256 TEXT PRIMARY KEY,
  bytes INTEGER NOT NULL,
  media_type TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE template_versions (
  id TEXT PRIMARY KEY,
  template_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  document TEXT NOT NULL,
  approved_by TEXT,
  approved_at TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (template_id, version),
  UNIQUE (template_id, content_sha256)
);

CREATE TABLE version_assets (
  version_id TEXT NOT NULL REFERENCES template_versions(id),
  sha256 TEXT NOT NULL REFERENCES assets(sha256),
  PRIMARY KEY (version_id, sha256)
);

CREATE TABLE datasets (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  fields TEXT NOT NULL,
  records TEXT NOT NULL,
  record_count INTEGER NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  version_id TEXT NOT NULL REFERENCES template_versions(id),
  channels TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('scheduled','queued','running','completed','failed','canceled')),
  options TEXT NOT NULL,
  data TEXT,
  error TEXT,
  record_count INTEGER NOT NULL DEFAULT 0,
  pdfs INTEGER NOT NULL DEFAULT 0,
  expanded INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  scheduled_at_ms INTEGER,
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX jobs_status ON jobs (status, scheduled_at_ms);

-- The per-recipient ledger. One row per (job, record); idem_key is unique across all jobs and real-time
-- sends. status: pending → sending → sent | bounced | failed, or suppressed/canceled; 'sending' rows
-- found at start-up were in flight at a crash: they become pending again with uncertain = 1.
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  job_id TEXT REFERENCES jobs(id),
  row INTEGER NOT NULL,
  idem_key TEXT NOT NULL UNIQUE,
  record_key TEXT,
  record TEXT NOT NULL,
  recipient TEXT,
  domain TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending','sending','sent','bounced','failed','suppressed','canceled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  deferrals INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL DEFAULT 0,
  uncertain INTEGER NOT NULL DEFAULT 0,
  message_id TEXT,
  response TEXT,
  error TEXT,
  sent_at TEXT
);
CREATE INDEX deliveries_job_status ON deliveries (job_id, status, next_attempt_ms);

CREATE TABLE suppressions (
  email TEXT PRIMARY KEY,
  reason TEXT NOT NULL CHECK (reason IN ('bounced','complained','unsubscribed','manual')),
  detail TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
  job_id TEXT,
  type TEXT NOT NULL CHECK (type IN ('open','click','unsubscribe','deferral','bounce')),
  url TEXT,
  detail TEXT,
  at TEXT NOT NULL
);
CREATE INDEX events_job_type ON events (job_id, type);

CREATE TABLE outputs (
  job_id TEXT NOT NULL REFERENCES jobs(id),
  row INTEGER NOT NULL,
  record_key TEXT,
  file TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  PRIMARY KEY (job_id, row)
);

CREATE TABLE record_errors (
  id INTEGER PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES jobs(id),
  row INTEGER NOT NULL,
  record_key TEXT,
  channel TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX record_errors_job ON record_errors (job_id, row);
`,
  },
  {
    version: 2,
    name: 'deliveries-count-index',
    // Job progress and reports count a job's ledger by status with deferrals and uncertain flags: a covering
    // index keeps that an index-only scan while a large job is being sent.
    sql: 'CREATE INDEX deliveries_job_counts ON deliveries (job_id, status, deferrals, uncertain);',
  },
  {
    version: 3,
    name: 'print-jobs',
    // A print job's PDFs are listed in `outputs` once complete (row 0: the job's single PDF); `printed_at`
    // says the print part is finished, so a restart composes again only unfinished print jobs.
    sql: 'ALTER TABLE jobs ADD COLUMN printed_at TEXT;',
  },
  {
    version: 4,
    name: 'variant-approvals',
    // Approval decisions per variant (dealer) of a template version, kept as history (never updated). A decision
    // holds for its (template, version, variant, values hash, dataset hash); see docs/review.md.
    sql: `
CREATE TABLE variant_approvals (
  id INTEGER PRIMARY KEY,
  template_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  variant_key TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('approved','rejected')),
  comment TEXT NOT NULL,
  values_sha256 TEXT NOT NULL,
  dataset_sha256 TEXT NOT NULL,
  data_label TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL
);
CREATE INDEX variant_approvals_version ON variant_approvals (template_id, version, variant_key, id);
`,
  },
  {
    version: 5,
    name: 'realtime-message-binding',
    // A real-time message (job_id NULL) keeps the template version it was composed from, so the ledger can retry
    // it after a deferral or a crash, and the SHA-256 of its request (version, record, recipient), so a repeated
    // Idempotency-Key is answered only for the same request (another request with that key is refused).
    sql: `
ALTER TABLE deliveries ADD COLUMN version_id TEXT;
ALTER TABLE deliveries ADD COLUMN request_sha256 TEXT;
`,
  },
  {
    version: 6,
    name: 'dataset-rows',
    // A dataset is stored row by row as it streams in (shared/data's table: raw cells, not yet typed, since a
    // dataset belongs to no template), so no step holds a whole dataset in memory. `sha256` is the data hash
    // approvals use, computed while storing; `source` is what reading found (format, encoding, delimiter,
    // warnings). Datasets stored before keep their records in `datasets.records` and are read from there.
    sql: `
CREATE TABLE dataset_rows (
  dataset_id TEXT NOT NULL,
  row INTEGER NOT NULL,
  line INTEGER,
  cells TEXT,
  issues TEXT,
  PRIMARY KEY (dataset_id, row)
) WITHOUT ROWID;
ALTER TABLE datasets ADD COLUMN sha256 TEXT;
ALTER TABLE datasets ADD COLUMN source TEXT;
`,
  },
];
