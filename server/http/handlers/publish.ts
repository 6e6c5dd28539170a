import { type api } from '../../../shared/http/routes';
import { checkTemplateAssets } from '../../../shared/compose/asset-check';
import { importPdfPage } from '../../../shared/compose/print/pdf-import';
import { ACCEPTED_DESCRIPTION, describeBytes, sniffAsset, type SniffedAsset } from '../../../shared/model/asset-types';
import {
  DEFAULT_PACKAGE_LIMITS,
  readTemplatePackage,
  serializeDocument,
  sha256Hex,
  writeTemplatePackage,
} from '../../../shared/model/package';
import { parseTemplateDocument } from '../../../shared/model/validate';
import type { TemplateDocument } from '../../../shared/model/document';
import { PublishJsonBodySchema } from '../../../shared/http/schemas';
import { HashMismatchError } from '../../store/assets-repo';
import type { StoredVersion } from '../../store/templates-repo';
import type { Services } from '../../services';
import { HttpError, notFound, type Handler } from '../route-kit';

type A = typeof api;

function version(s: Services, templateId: string, v: number): StoredVersion {
  const found = s.templates.get(templateId, v);
  if (!found)
    throw notFound(
      `template "${templateId}" has no version ${v}; list them at GET /api/v1/templates/${encodeURIComponent(templateId)}/versions`,
    );
  return found;
}

function store(c: Parameters<Handler<A['publishVersion']>>[0], doc: TemplateDocument, stored: number, reused: number) {
  const by = c.token?.name ?? 'unknown';
  const { stored: v, created } = c.s.templates.publish(
    doc,
    sha256Hex(new TextEncoder().encode(serializeDocument(doc))),
    JSON.stringify(doc),
    by,
  );
  c.reply.code(created ? 201 : 200);
  return { version: v.dto, created, assetsStored: stored, assetsReused: reused };
}

/**
 * The same asset checks as `presswork validate` (shared/compose/asset-check.ts), run before a version is stored:
 * a damaged font or image, or a file that is not a font, image, PDF or ICC profile, is refused with 422 and one
 * detail per asset, so nothing broken or active is ever published (or served from the public origin).
 */
function refuseBrokenAssets(doc: TemplateDocument, assets: ReadonlyMap<string, Uint8Array>): void {
  const issues = checkTemplateAssets(doc, assets, { checkPdf: importPdfPage });
  if (issues.length)
    throw new HttpError(
      422,
      'invalid-package',
      `${issues.length} asset${issues.length === 1 ? ' is' : 's are'} not usable (each is named below); replace or remove ${issues.length === 1 ? 'it' : 'them'} and publish again (presswork validate <template> lists them too)`,
      issues.map((i) => ({ path: i.path, message: i.message })),
    );
}

/**
 * Response headers for a published asset on the public origin. Nothing served there is active: the type comes
 * from the bytes, browsers may not sniff another, a document opened directly runs no script (CSP sandbox), and
 * only images are shown inline. Fonts allow any origin, so email clients and previews that honour @font-face
 * (a CORS request) load the brand fonts.
 */
function assetHeaders(kind: SniffedAsset, sha: string): Record<string, string> {
  const file = `${sha.slice(0, 16)}.${kind.extension}`;
  const headers: Record<string, string> = {
    'content-type': kind.mediaType,
    'x-content-type-options': 'nosniff',
    'content-security-policy':
      kind.kind === 'svg' ? "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox" : "default-src 'none'; sandbox",
    'content-disposition': `${kind.kind === 'raster' || kind.kind === 'svg' ? 'inline' : 'attachment'}; filename="${file}"`,
    'cross-origin-resource-policy': 'cross-origin',
    'cache-control': 'public, max-age=31536000, immutable',
  };
  if (kind.kind === 'font') headers['access-control-allow-origin'] = '*';
  return headers;
}

/** Flat list of differences between two JSON values, by path. */
function diff(
  a: unknown,
  b: unknown,
  path: string,
  out: { path: string; kind: 'added' | 'removed' | 'changed'; from: unknown; to: unknown }[],
): void {
  if (out.length >= 500) return;
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const p = Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      if (!(k in a)) out.push({ path: p, kind: 'added', from: undefined, to: b[k] });
      else if (!(k in b)) out.push({ path: p, kind: 'removed', from: a[k], to: undefined });
      else diff(a[k], b[k], p, out);
    }
    return;
  }
  out.push({ path: path || '(document)', kind: 'changed', from: a, to: b });
}

export const publishHandlers = {
  findMissingAssets: async (c) => ({ missing: c.s.assets.missing(c.body.sha256) }),

  putAsset: async (c) => {
    if (!Buffer.isBuffer(c.body))
      throw new HttpError(415, 'unsupported-media-type', 'send the asset bytes with Content-Type: application/octet-stream');
    const bytes = new Uint8Array(c.body);
    if (!sniffAsset(bytes))
      throw new HttpError(
        415,
        'unsupported-media-type',
        `asset ${c.params.sha256} is not ${ACCEPTED_DESCRIPTION}: ${describeBytes(bytes)}. Remove it from the template (presswork validate names the file) and publish again`,
      );
    try {
      const r = c.s.assets.put(new Uint8Array(c.body), undefined, c.params.sha256);
      c.reply.code(r.created ? 201 : 200);
      return { sha256: r.sha256, bytes: c.body.length, created: r.created };
    } catch (e) {
      if (e instanceof HashMismatchError)
        throw new HttpError(400, 'bad-request', `${e.message}; the URL must name the sha256 of the bytes sent`);
      throw e;
    }
  },

  getAsset: async (c) => {
    const a = c.s.assets.get(c.params.sha256);
    if (!a) throw notFound('no asset with that hash');
    // The bytes decide the type, never the stored or declared one; anything else is not served at all.
    const kind = sniffAsset(a.bytes);
    if (!kind) throw notFound('no font, image or PDF with that hash');
    c.reply.headers(assetHeaders(kind, c.params.sha256));
    return Buffer.from(a.bytes);
  },

  publishVersion: async (c) => {
    const ctype = String(c.req.headers['content-type'] ?? '');
    if (Buffer.isBuffer(c.body)) {
      const result = readTemplatePackage(new Uint8Array(c.body), {
        ...DEFAULT_PACKAGE_LIMITS,
        maxPackageBytes: c.s.config.limits.maxUploadMb * 1024 * 1024,
      });
      if (!result.ok)
        throw new HttpError(
          422,
          'invalid-package',
          `the template package is not valid (${result.issues.length} problem${result.issues.length === 1 ? '' : 's'}); fix them and publish again (presswork validate <file> lists them too)`,
          result.issues.map((i) => ({ path: i.path, message: i.message })),
        );
      refuseBrokenAssets(result.pkg.document, result.pkg.assets);
      let stored = 0;
      let reused = 0;
      for (const a of result.pkg.document.assets) {
        const bytes = result.pkg.assets.get(a.sha256)!;
        if (c.s.assets.put(bytes, a.mediaType, a.sha256).created) stored++;
        else reused++;
      }
      return store(c, result.pkg.document, stored, reused);
    }
    if (!ctype.startsWith('application/json'))
      throw new HttpError(
        415,
        'unsupported-media-type',
        'publish a package with Content-Type: application/zip, or {"document": …} as application/json',
      );
    const body = PublishJsonBodySchema.safeParse(c.body);
    if (!body.success) throw new HttpError(400, 'bad-request', 'the JSON body must be {"document": <template.json content>}');
    const parsed = parseTemplateDocument(body.data.document);
    if (!parsed.ok)
      throw new HttpError(
        422,
        'invalid-package',
        'the template document is not valid; fix the problems listed and publish again',
        parsed.issues.map((i) => ({ path: i.path, message: i.message })),
      );
    const missing = c.s.assets.missing(parsed.document.assets.map((a) => a.sha256));
    if (missing.length)
      throw new HttpError(
        409,
        'missing-assets',
        `${missing.length} asset${missing.length === 1 ? ' is' : 's are'} not on the server; upload each with PUT /api/v1/assets/<sha256>, then publish again`,
        missing.map((m) => ({ path: `assets/${m}`, message: 'not stored on the server' })),
      );
    const stored = new Map<string, Uint8Array>();
    for (const a of parsed.document.assets) if (!stored.has(a.sha256)) stored.set(a.sha256, c.s.assets.get(a.sha256)!.bytes);
    refuseBrokenAssets(parsed.document, stored);
    return store(c, parsed.document, 0, parsed.document.assets.length);
  },

  listTemplates: async (c) => ({ templates: c.s.templates.templates() }),

  listVersions: async (c) => {
    const versions = c.s.templates.versions(c.params.templateId);
    if (!versions.length) throw notFound(`no template "${c.params.templateId}" has been published`);
    return { versions: versions.map((v) => v.dto) };
  },

  getVersion: async (c) => {
    const v = version(c.s, c.params.templateId, c.params.version);
    return { version: v.dto, document: v.document };
  },

  getVersionPackage: async (c) => {
    const v = version(c.s, c.params.templateId, c.params.version);
    const assets = new Map<string, Uint8Array>();
    for (const a of v.document.assets) {
      const got = c.s.assets.get(a.sha256);
      if (got) assets.set(a.sha256, got.bytes);
    }
    c.reply.type('application/zip').header('content-disposition', `attachment; filename="${v.dto.templateId}-v${v.dto.version}.zip"`);
    return Buffer.from(writeTemplatePackage({ document: v.document, assets }));
  },

  compareVersions: async (c) => {
    const to = version(c.s, c.params.templateId, c.params.version);
    const from = version(c.s, c.params.templateId, c.query.with);
    const changes: { path: string; kind: 'added' | 'removed' | 'changed'; from: unknown; to: unknown }[] = [];
    diff(from.document, to.document, '', changes);
    const a = new Set(from.document.assets.map((x) => x.sha256));
    const b = new Set(to.document.assets.map((x) => x.sha256));
    return {
      from: from.dto.version,
      to: to.dto.version,
      identical: changes.length === 0,
      changes,
      assets: {
        added: [...b].filter((x) => !a.has(x)),
        removed: [...a].filter((x) => !b.has(x)),
        unchanged: [...a].filter((x) => b.has(x)).length,
      },
    };
  },

  approveVersion: async (c) => {
    version(c.s, c.params.templateId, c.params.version);
    return c.s.templates.approve(c.params.templateId, c.params.version, c.token?.name ?? 'unknown')!.dto;
  },
} satisfies {
  [
    K in
      | 'findMissingAssets'
      | 'putAsset'
      | 'getAsset'
      | 'publishVersion'
      | 'listTemplates'
      | 'listVersions'
      | 'getVersion'
      | 'getVersionPackage'
      | 'compareVersions'
      | 'approveVersion'
  ]: Handler<A[K]>;
};
