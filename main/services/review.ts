import axios, { AxiosError } from 'axios';
import { deflateSync } from 'node:zlib';
import {
  DecisionSchema,
  FALLBACK_VARIANT_KEY,
  TEMPLATE_VARIANT_KEY,
  VersionApprovalsSchema,
  type DecisionDto,
} from '../../shared/http/approvals';
import { VersionListSchema, type TemplateVersionDto } from '../../shared/http/schemas';
import { serializeDocument, sha256Hex } from '../../shared/model/package';
import type { TemplateDocument } from '../../shared/model/document';
import type { FileDownload, ReviewApprovals, ReviewFinding, ReviewGrid, ReviewTile } from '../../shared/ipc/contract';
import { StudioError } from '../../shared/ipc/errors';
import { formatFromName, type DataRow } from '../../shared/data/records';
import { findingsByVariant, preflight, type Finding } from '../../shared/preflight';
import type { DataService } from './data';
import { todayOf, type EngineService } from './engine';
import type { PrefsService } from './prefs';
import type { TemplateService } from './templates';

/**
 * Brand review (docs/review.md): the grid of variants with a representative record each and the preflight
 * findings per variant, and the approvals kept on Presswork Server (read and decided over HTTP with the
 * token from Preferences).
 */

const display = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
/** How much text a record puts on the page: the representative record of a variant is the one with the most. */
const weight = (r: DataRow): number => Object.values(r.values).reduce<number>((n, v) => n + display(v).length, 0);

/** The content hash the server gives a published version: sha256 of the document as a package stores it. */
const contentSha256 = (doc: TemplateDocument): string => sha256Hex(new TextEncoder().encode(serializeDocument(doc)));

/**
 * The version to review: the published version with exactly the content open in the studio (so what the reviewer
 * sees is what that version produces), else the latest, read-only.
 */
function versionUnderReview(versions: readonly TemplateVersionDto[], doc: TemplateDocument) {
  const latest = versions[0];
  if (!latest) return undefined;
  const local = contentSha256(doc);
  const same = versions.find((v) => v.contentSha256 === local);
  if (!same)
    return {
      version: latest,
      decidable: false,
      message: `The template open in the studio has changes that are not published (the server’s latest is version ${latest.version}); the pages shown are your local design, so approving is off. Publish, then review.`,
    };
  return {
    version: same,
    decidable: true,
    message:
      same.version === latest.version
        ? null
        : `The template open in the studio is published version ${same.version}, not the latest (${latest.version}); you are reviewing version ${same.version}. Open the latest to review it.`,
  };
}

const toReviewFinding = (f: Finding): ReviewFinding => ({
  code: f.code,
  severity: f.severity,
  channel: f.channel,
  message: f.message,
  fix: f.fix,
  element: f.target ? `${f.target.kind} "${f.target.id}"${f.target.path && f.target.kind !== 'field' ? ` (${f.target.path})` : ''}` : null,
  count: f.rowCount,
  rows: f.rows.slice(0, 10),
});

/** A server failure in words a reviewer can act on. */
function explain(e: unknown, serverUrl: string): StudioError {
  if (e instanceof StudioError) return e;
  if (e instanceof AxiosError) {
    if (!e.response)
      return new StudioError('offline', `Nothing answers at ${serverUrl}; check the server URL in Preferences and that the server runs.`);
    const said = (e.response.data as { error?: { message?: string } } | undefined)?.error?.message ?? `HTTP ${e.response.status}`;
    if (e.response.status === 401)
      return new StudioError('bad-token', 'The server refused the token; paste a current token in Preferences.');
    if (e.response.status === 403)
      return new StudioError(
        'not-allowed',
        `The token in Preferences may not do this (${said}). Approving needs a token with the approver role; ask the server administrator.`,
      );
    return new StudioError('server-refused', `The server refused: ${said}`);
  }
  return new StudioError('review-failed', (e as Error).message);
}

export class ReviewService {
  constructor(
    private readonly templates: TemplateService,
    private readonly data: DataService,
    private readonly engine: EngineService,
    private readonly prefs: PrefsService,
    private readonly now: () => Date,
  ) {}

  /** One tile per variant (and the fallback when the data uses it), with its representative record and findings. */
  async grid(templateId: string, datasetId: string | null): Promise<ReviewGrid> {
    const started = performance.now();
    const s = this.templates.get(templateId);
    const doc = s.document;
    const vs = doc.variants;
    const parsed = datasetId ? (await this.data.source(datasetId)).parsed : undefined;
    const rows = parsed?.rows ?? [];
    const keyOf = (r: DataRow): string => {
      if (!vs) return TEMPLATE_VARIANT_KEY;
      const k = display(r.values[vs.keyField]).trim();
      return vs.items.some((v) => v.key === k) ? k : FALLBACK_VARIANT_KEY;
    };
    const byKey = new Map<string, number[]>();
    rows.forEach((r, i) => {
      const k = keyOf(r);
      const list = byKey.get(k) ?? [];
      list.push(i);
      byKey.set(k, list);
    });

    let templateFindings: ReviewFinding[] = [];
    const perVariant = new Map<string, ReviewFinding[]>();
    if (parsed) {
      const email = doc.email ? await this.engine.prepared(s) : undefined;
      const report = preflight(
        {
          document: doc,
          assets: s.assets,
          rows,
          fileIssues: parsed.issues.filter((i) => i.row === 0),
          deflate: (d, level) => deflateSync(d, { level }),
          ...(email ? { email } : {}),
        },
        { today: todayOf(this.now()) },
      );
      const grouped = findingsByVariant(report);
      templateFindings = grouped.template.map(toReviewFinding);
      const known = new Set(vs?.items.map((v) => v.key) ?? []);
      for (const [key, fs] of Object.entries(grouped.variants)) {
        const k = !vs ? TEMPLATE_VARIANT_KEY : known.has(key) ? key : FALLBACK_VARIANT_KEY;
        perVariant.set(k, [...(perVariant.get(k) ?? []), ...fs.map(toReviewFinding)]);
      }
    }

    const tile = (key: string, label: string, fallback: boolean): ReviewTile => {
      const indexes = byKey.get(key) ?? [];
      let representative: number | null = indexes[0] ?? null;
      for (const i of indexes) if (weight(rows[i]!) > weight(rows[representative!]!)) representative = i;
      if (!parsed) representative = 0; // the template's sample record
      return {
        key,
        label,
        fallback,
        records: indexes.length,
        representative,
        indexes, // every row of the variant: any record can be picked
        findings: perVariant.get(key) ?? [],
      };
    };
    const tiles: ReviewTile[] = vs ? vs.items.map((v) => tile(v.key, v.label, false)) : [tile(TEMPLATE_VARIANT_KEY, doc.name, false)];
    if (vs && vs.onUnknownKey === 'fallback' && byKey.has(FALLBACK_VARIANT_KEY))
      tiles.push(tile(FALLBACK_VARIANT_KEY, vs.fallback.label, true));
    return { tiles, templateFindings, records: rows.length, millis: Math.round(performance.now() - started) };
  }

  /** The server and the token to use: the approver token when one is saved, else the publisher token. */
  private server(): { url: string; token: string } {
    const url = this.prefs.serverUrl();
    if (!url) throw new StudioError('no-server', 'No server is set. Enter the Presswork Server URL and a token in Preferences.');
    const token = this.prefs.approverToken() ?? this.prefs.token();
    if (!token) throw new StudioError('no-token', 'No token is set. Paste a token from the server in Preferences.');
    return { url, token };
  }

  /**
   * The data as the server hashes it: the imported file's bytes (base64), which the server reads as the studio
   * does (format, encoding: a Windows-1252 export arrives as itself, not re-decoded as UTF-8).
   */
  private async payload(datasetId: string) {
    const src = await this.data.source(datasetId);
    return {
      data: { file: { base64: Buffer.from(src.bytes).toString('base64'), format: formatFromName(src.fileName, src.bytes) } },
      dataLabel: src.fileName,
    };
  }

  async approvals(templateId: string, datasetId: string | null): Promise<ReviewApprovals> {
    const serverUrl = this.prefs.serverUrl();
    const none = (message: string): ReviewApprovals => ({ serverUrl, version: null, approvals: null, message, decidable: false });
    if (!serverUrl) return none('No server is set: enter the Presswork Server URL and a token in Preferences to see and record approvals.');
    const { url, token } = this.server();
    const doc = this.templates.get(templateId).document;
    const id = encodeURIComponent(doc.id);
    const headers = { authorization: `Bearer ${token}` };
    try {
      const list = await axios.get(`${url}/api/v1/templates/${id}/versions`, { headers, timeout: 15_000, validateStatus: () => true });
      if (list.status === 404) return none('This template is not published yet: publish it, then review the published version.');
      if (list.status !== 200) throw explain(new AxiosError('', '', undefined, undefined, list), url);
      const under = versionUnderReview(VersionListSchema.parse(list.data).versions, doc);
      if (!under) return none('This template is not published yet.');
      const base = `${url}/api/v1/templates/${id}/versions/${under.version.version}/approvals`;
      const res = datasetId
        ? await axios.post(`${base}/status`, { data: (await this.payload(datasetId)).data }, { headers, timeout: 60_000 })
        : await axios.get(base, { headers, timeout: 15_000 });
      return {
        serverUrl,
        version: under.version.version,
        approvals: VersionApprovalsSchema.parse(res.data),
        message: under.message,
        decidable: under.decidable,
      };
    } catch (e) {
      throw explain(e, url);
    }
  }

  async decide(a: {
    templateId: string;
    datasetId: string;
    version: number;
    variant: string;
    decision: 'approved' | 'rejected';
    comment: string;
  }): Promise<DecisionDto> {
    const { url, token } = this.server();
    const doc = this.templates.get(a.templateId).document;
    const id = encodeURIComponent(doc.id);
    try {
      // Approve only what the reviewer saw: the version must have exactly the content open in the studio.
      const v = await axios.get(`${url}/api/v1/templates/${id}/versions`, {
        headers: { authorization: `Bearer ${token}` },
        timeout: 15_000,
      });
      const published = VersionListSchema.parse(v.data).versions.find((x) => x.version === a.version);
      if (!published || published.contentSha256 !== contentSha256(doc))
        throw new StudioError(
          'not-what-you-see',
          `Version ${a.version} on the server is not the template open in the studio, so the pages shown are not what it produces; publish the template (or open that version), then review again.`,
        );
      const p = await this.payload(a.datasetId);
      const res = await axios.post(
        `${url}/api/v1/templates/${id}/versions/${a.version}/approvals`,
        { variant: a.variant, decision: a.decision, comment: a.comment, data: p.data, dataLabel: p.dataLabel },
        { headers: { authorization: `Bearer ${token}` }, timeout: 60_000 },
      );
      return DecisionSchema.parse(res.data);
    } catch (e) {
      throw explain(e, url);
    }
  }

  async reportCsv(templateId: string, version: number): Promise<FileDownload> {
    const { url, token } = this.server();
    const id = this.templates.get(templateId).document.id;
    try {
      const res = await axios.get<string>(`${url}/api/v1/templates/${encodeURIComponent(id)}/versions/${version}/approvals.csv`, {
        headers: { authorization: `Bearer ${token}` },
        responseType: 'text',
        timeout: 15_000,
      });
      return { fileName: `${id}-v${version}-approvals.csv`, mediaType: 'text/csv', data: Buffer.from(res.data, 'utf8').toString('base64') };
    } catch (e) {
      throw explain(e, url);
    }
  }
}
