import type { TemplateDocument } from '../../shared/model/document';
import type { TemplateVersionDto } from '../../shared/http/schemas';
import type { Db } from './db';
import { newId, nowIso } from './ids';

interface VersionRow {
  id: string;
  template_id: string;
  version: number;
  name: string;
  content_sha256: string;
  document: string;
  approved_by: string | null;
  created_at: string;
  created_by: string;
}

export interface StoredVersion {
  dto: TemplateVersionDto;
  document: TemplateDocument;
}

const toStored = (r: VersionRow): StoredVersion => {
  const document = JSON.parse(r.document) as TemplateDocument;
  return {
    document,
    dto: {
      id: r.id,
      templateId: r.template_id,
      version: r.version,
      name: r.name,
      contentSha256: r.content_sha256,
      channels: [...(document.print ? (['print'] as const) : []), ...(document.email ? (['email'] as const) : [])],
      assets: document.assets.map((a) => ({ id: a.id, name: a.name, sha256: a.sha256, bytes: a.bytes })),
      approved: r.approved_by !== null,
      approvedBy: r.approved_by,
      createdAt: r.created_at,
      createdBy: r.created_by,
    },
  };
};

/** Template versions: immutable once written; numbered 1, 2, … per template id; one version per distinct content. */
export class TemplatesRepo {
  private readonly cache = new Map<string, StoredVersion>();
  constructor(private readonly db: Db) {}

  /** Insert unless the same content exists for this template; returns the version and whether it is new. */
  publish(doc: TemplateDocument, contentSha: string, json: string, by: string): { stored: StoredVersion; created: boolean } {
    return this.db.transaction(() => {
      const existing = this.db
        .prepare<[string, string], VersionRow>('SELECT * FROM template_versions WHERE template_id = ? AND content_sha256 = ?')
        .get(doc.id, contentSha);
      if (existing) return { stored: toStored(existing), created: false };
      const next =
        (this.db
          .prepare<[string], { v: number | null }>('SELECT MAX(version) AS v FROM template_versions WHERE template_id = ?')
          .get(doc.id)?.v ?? 0) + 1;
      const id = newId('ver');
      this.db
        .prepare(
          'INSERT INTO template_versions (id, template_id, version, name, content_sha256, document, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(id, doc.id, next, doc.name, contentSha, json, nowIso(), by);
      const link = this.db.prepare('INSERT OR IGNORE INTO version_assets (version_id, sha256) VALUES (?, ?)');
      for (const a of doc.assets) link.run(id, a.sha256);
      return { stored: this.byId(id)!, created: true };
    })();
  }

  byId(id: string): StoredVersion | undefined {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const row = this.db.prepare<[string], VersionRow>('SELECT * FROM template_versions WHERE id = ?').get(id);
    if (!row) return undefined;
    // Versions are immutable apart from approval, which approve() below updates in this cache too.
    const stored = toStored(row);
    this.cache.set(id, stored);
    return stored;
  }

  get(templateId: string, version: number): StoredVersion | undefined {
    const row = this.db
      .prepare<[string, number], VersionRow>('SELECT * FROM template_versions WHERE template_id = ? AND version = ?')
      .get(templateId, version);
    return row ? toStored(row) : undefined;
  }

  versions(templateId: string): StoredVersion[] {
    return this.db
      .prepare<[string], VersionRow>('SELECT * FROM template_versions WHERE template_id = ? ORDER BY version DESC')
      .all(templateId)
      .map(toStored);
  }

  templates(): { templateId: string; name: string; latestVersion: number; versions: number; updatedAt: string }[] {
    return this.db
      .prepare<[], { templateId: string; name: string; latestVersion: number; versions: number; updatedAt: string }>(
        `SELECT v.template_id AS templateId, v.name AS name, v.version AS latestVersion, c.n AS versions, v.created_at AS updatedAt
         FROM template_versions v JOIN (SELECT template_id, MAX(version) AS mv, COUNT(*) AS n FROM template_versions GROUP BY template_id) c
           ON c.template_id = v.template_id AND c.mv = v.version ORDER BY v.template_id`,
      )
      .all();
  }

  approve(templateId: string, version: number, by: string): StoredVersion | undefined {
    this.db
      .prepare(
        'UPDATE template_versions SET approved_by = ?, approved_at = ? WHERE template_id = ? AND version = ? AND approved_by IS NULL',
      )
      .run(by, nowIso(), templateId, version);
    const v = this.get(templateId, version);
    if (v) this.cache.set(v.dto.id, v);
    return v;
  }
}
