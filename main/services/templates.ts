import { readFile, readdir, stat, writeFile, rename } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { basename, join, relative, sep } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { StudioError } from '../../shared/ipc/errors';
import { addEmailChannel, pipe, removePrintChannel } from '../../shared/ops';
import type { TemplateSummary } from '../../shared/ipc/contract';
import { CURRENT_FORMAT_VERSION, FORMAT_ID, type TemplateDocument } from '../../shared/model/document';
import { PAGE_PRESETS, type PagePreset } from '../../shared/model/page-presets';
import { packageFromFolder, readTemplatePackage, writeTemplatePackage, type PackageResult } from '../../shared/model/package';
import { parseTemplateDocument } from '../../shared/model/validate';
import type { Db } from './library-db';

/** An open template: the working document and every asset's bytes (sha256 → bytes). */
export interface TemplateSession {
  id: string;
  document: TemplateDocument;
  assets: Map<string, Uint8Array>;
  path: string | null;
  recovered: boolean;
  updatedAt: string;
}

interface TemplateRow {
  id: string;
  name: string;
  package: Buffer;
  path: string | null;
  saved_at: string;
}
interface DraftRow {
  document: string;
  assets: Buffer | null;
  saved_at: string;
}

const issuesError = (code: string, what: string, r: Extract<PackageResult, { ok: false }>): StudioError =>
  new StudioError(
    code,
    `${what} is not a valid template (${r.issues.length} problem${r.issues.length === 1 ? '' : 's'}); fix the listed problems and open it again.`,
    r.issues.slice(0, 50).map((i) => `${i.path}: ${i.message}`),
  );

async function listFiles(root: string, dir: string, out: Map<string, Uint8Array>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await listFiles(root, full, out);
    else if (entry.isFile()) out.set(relative(root, full).split(sep).join('/'), new Uint8Array(await readFile(full)));
  }
}

/** Read a template package (.zip) or a template folder (template.json + assets/). */
export async function loadTemplateFrom(path: string): Promise<PackageResult> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new StudioError('not-found', `Nothing at ${path}; it may have been moved or deleted. Choose the file again with Open.`);
  }
  if (!info.isDirectory()) return readTemplatePackage(new Uint8Array(await readFile(path)));
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(path, 'template.json'), 'utf8'));
  } catch (e) {
    throw new StudioError(
      'not-a-template',
      `${path} has no readable template.json (${(e as Error).message}); open a .zip package or a template folder.`,
    );
  }
  const files = new Map<string, Uint8Array>();
  try {
    await listFiles(path, join(path, 'assets'), files);
  } catch {
    // No assets folder: missing files are reported per asset by packageFromFolder.
  }
  return packageFromFolder(raw, files);
}

/**
 * Templates in the library: open (from disk, bytes or the library), edit through `update` (every change is
 * journalled as a draft at once, so a crash loses nothing), save (package into the library and back to its
 * file), save as. The clock is injected.
 */
export class TemplateService {
  private readonly sessions = new Map<string, TemplateSession>();

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly sampleDir: string,
  ) {}

  list(): TemplateSummary[] {
    const rows = this.db.prepare('SELECT id FROM templates ORDER BY saved_at DESC').all() as { id: string }[];
    return rows.map((r) => this.summary(this.get(r.id)));
  }

  summary(s: TemplateSession): TemplateSummary {
    return {
      id: s.id,
      name: s.document.name,
      updatedAt: s.updatedAt,
      path: s.path,
      pages: s.document.print?.pages.length ?? 0,
      hasEmail: s.document.email !== undefined,
      recovered: s.recovered,
    };
  }

  async openPath(path: string): Promise<TemplateSession> {
    const r = await loadTemplateFrom(path);
    if (!r.ok) throw issuesError('invalid-template', basename(path), r);
    const isZip = !(await stat(path)).isDirectory();
    const s = this.adopt(r.pkg.document, r.pkg.assets, isZip ? path : null);
    this.addRecent(path, s.document.name);
    return s;
  }

  openSample(): Promise<TemplateSession> {
    return this.openPath(this.sampleDir);
  }

  importBytes(fileName: string, bytes: Uint8Array): TemplateSession {
    const r = readTemplatePackage(bytes);
    if (!r.ok) throw issuesError('invalid-template', fileName, r);
    return this.adopt(r.pkg.document, r.pkg.assets, null);
  }

  /** Take a freshly read template into the library. An unsaved draft of the same template wins (crash recovery). */
  private adopt(document: TemplateDocument, assets: Map<string, Uint8Array>, path: string | null): TemplateSession {
    const existing = this.db.prepare('SELECT id FROM templates WHERE id = ?').get(document.id) as { id: string } | undefined;
    const draft = this.db.prepare('SELECT saved_at FROM drafts WHERE template_id = ?').get(document.id) as DraftRow | undefined;
    if (existing && draft) {
      this.sessions.delete(document.id);
      const s = this.get(document.id);
      if (path) {
        s.path = path;
        this.db.prepare('UPDATE templates SET path = ? WHERE id = ?').run(path, s.id);
      }
      return s;
    }
    const at = this.now().toISOString();
    const pkg = writeTemplatePackage({ document, assets });
    this.db
      .prepare(
        `INSERT INTO templates (id, name, package, path, saved_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, package = excluded.package, path = excluded.path, saved_at = excluded.saved_at`,
      )
      .run(document.id, document.name, Buffer.from(pkg), path, at);
    this.savedHashes.set(document.id, new Set(assets.keys()));
    const s: TemplateSession = { id: document.id, document, assets, path, recovered: false, updatedAt: at };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The brand kit of every template in the library: what File ▸ New can start from. */
  brandKits(): { templateId: string; name: string; templateName: string; fonts: number; swatches: number; logos: number }[] {
    return this.list().map((t) => {
      const b = this.get(t.id).document.brand;
      return {
        templateId: t.id,
        name: b.name,
        templateName: t.name,
        fonts: b.fonts.length,
        swatches: b.swatches.length,
        logos: b.logos.length,
      };
    });
  }

  /**
   * File ▸ New: a template in the library with the chosen page size (postcards get a front and a back),
   * a starter data schema, and the brand kit (fonts, swatches, logos with their files) of a library
   * template, or an empty kit. Saved at once, so it is in the library even before the first edit.
   */
  create(o: {
    name: string;
    preset: PagePreset;
    custom: { width: number; height: number; bleed: number } | null;
    brandFrom: string | null;
    /** Which channels the template starts with (default print); email starts from the brand-kit starter layout. */
    channels?: 'print' | 'email' | 'both';
  }): TemplateSession {
    let size: { width: number; height: number; bleed: number; pages: readonly string[] };
    if (o.preset === 'custom') {
      if (!o.custom)
        throw new StudioError(
          'custom-size-missing',
          'A custom page size needs a width, a height and a bleed; enter them or pick a preset.',
        );
      size = { ...o.custom, pages: ['Page 1'] };
    } else size = PAGE_PRESETS[o.preset];
    const name = o.name.trim();
    const slug =
      name
        .normalize('NFKD')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40) || 'template';
    const id = `${slug}-${randomUUID().slice(0, 8)}`;
    let brand: TemplateDocument['brand'] = {
      name: `${name} brand`,
      fonts: [],
      fontFallbacks: [],
      swatches: [],
      logos: [],
      deltaEThreshold: 2,
    };
    const assets = new Map<string, Uint8Array>();
    const assetList: TemplateDocument['assets'] = [];
    if (o.brandFrom !== null) {
      const from = this.get(o.brandFrom);
      brand = structuredClone(from.document.brand);
      const used = new Set<string>([...brand.fonts.map((f) => f.asset), ...brand.logos.map((l) => l.asset)]);
      for (const a of from.document.assets) {
        const bytes = from.assets.get(a.sha256);
        if (!used.has(a.id) || !bytes) continue;
        assetList.push(a);
        assets.set(a.sha256, bytes);
      }
    }
    const bleed = Math.round(size.bleed * 1000) / 1000;
    const doc = {
      format: FORMAT_ID,
      formatVersion: CURRENT_FORMAT_VERSION,
      id,
      name,
      description: '',
      brand,
      assets: assetList,
      data: {
        recordKey: 'customer_id',
        fields: [
          { name: 'customer_id', type: 'text', required: true, label: 'Customer ID', sample: 'C-000001' },
          { name: 'first_name', type: 'text', label: 'First name', sample: 'Alex' },
        ],
      },
      print: {
        pages: size.pages.map((pageName, i) => ({
          id: `page-${i + 1}`,
          name: pageName,
          width: Math.round(size.width * 1000) / 1000,
          height: Math.round(size.height * 1000) / 1000,
          bleed: { top: bleed, right: bleed, bottom: bleed, left: bleed },
          safeArea: 9,
          elements: [],
        })),
      },
    };
    const channels = o.channels ?? 'print';
    let withChannels: unknown = doc;
    if (channels !== 'print') {
      const first = parseTemplateDocument(doc);
      if (first.ok) {
        const idGen = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
        const r = pipe(
          first.document,
          (d) => addEmailChannel(d, { idGen }),
          (d) => (channels === 'email' ? removePrintChannel(d) : { ok: true, doc: d }),
        );
        if (r.ok) withChannels = r.doc;
      }
    }
    const parsed = parseTemplateDocument(withChannels);
    if (!parsed.ok)
      throw new StudioError(
        'invalid-new-template',
        'The new template could not be made from these settings; correct the listed values.',
        parsed.issues.slice(0, 50).map((i) => `${i.path}: ${i.message}`),
      );
    return this.adopt(parsed.document, assets, null);
  }

  get(id: string): TemplateSession {
    const open = this.sessions.get(id);
    if (open) return open;
    const row = this.db.prepare('SELECT * FROM templates WHERE id = ?').get(id) as TemplateRow | undefined;
    if (!row)
      throw new StudioError('unknown-template', `No template "${id}" in the library; open it from the Library screen or from a file.`);
    const r = readTemplatePackage(new Uint8Array(row.package));
    if (!r.ok) throw issuesError('damaged-library', `The library copy of "${row.name}"`, r);
    this.savedHashes.set(id, new Set(r.pkg.assets.keys()));
    const s: TemplateSession = {
      id,
      document: r.pkg.document,
      assets: r.pkg.assets,
      path: row.path,
      recovered: false,
      updatedAt: row.saved_at,
    };
    const draft = this.db.prepare('SELECT * FROM drafts WHERE template_id = ?').get(id) as DraftRow | undefined;
    if (draft) {
      const parsed = parseTemplateDocument(JSON.parse(draft.document));
      if (parsed.ok) {
        s.document = parsed.document;
        if (draft.assets) for (const [sha, bytes] of Object.entries(unzipSync(new Uint8Array(draft.assets)))) s.assets.set(sha, bytes);
        s.recovered = true;
        s.updatedAt = draft.saved_at;
      }
    }
    this.sessions.set(id, s);
    return s;
  }

  /** Apply a change and journal it before returning. */
  update(id: string, change: (s: TemplateSession) => TemplateDocument): TemplateSession {
    const s = this.get(id);
    const next = change(s);
    const parsed = parseTemplateDocument(next);
    if (!parsed.ok)
      throw new StudioError(
        'invalid-document',
        'The change would make the template invalid, so it was not applied; correct the listed values.',
        parsed.issues.slice(0, 50).map((i) => `${i.path}: ${i.message}`),
      );
    s.document = parsed.document;
    this.journal(s);
    return s;
  }

  /** Autosave from the editor: replace the working document (validated) and journal it. */
  autosave(id: string, document: unknown): string {
    const s = this.update(id, () => document as TemplateDocument);
    return s.updatedAt;
  }

  private journal(s: TemplateSession): void {
    const at = this.now().toISOString();
    const known = this.savedAssetHashes(s.id);
    const extra: Record<string, Uint8Array> = {};
    for (const a of s.document.assets) {
      const bytes = s.assets.get(a.sha256);
      if (bytes && !known.has(a.sha256)) extra[a.sha256] = bytes;
    }
    this.db
      .prepare(
        `INSERT INTO drafts (template_id, document, assets, saved_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(template_id) DO UPDATE SET document = excluded.document, assets = excluded.assets, saved_at = excluded.saved_at`,
      )
      .run(s.id, JSON.stringify(s.document), Object.keys(extra).length ? Buffer.from(zipSync(extra, { level: 0 })) : null, at);
    s.updatedAt = at;
  }

  /**
   * The asset hashes in the saved package, read once per saved version (unzipping the package on every
   * autosave cost hundreds of milliseconds, a large part of the crash-recovery budget).
   */
  private readonly savedHashes = new Map<string, Set<string>>();
  private savedAssetHashes(id: string): Set<string> {
    let known = this.savedHashes.get(id);
    if (!known) {
      const saved = this.db.prepare('SELECT package FROM templates WHERE id = ?').get(id) as { package: Buffer };
      const r = readTemplatePackage(new Uint8Array(saved.package));
      known = new Set(r.ok ? r.pkg.assets.keys() : []);
      this.savedHashes.set(id, known);
    }
    return known;
  }

  packageBytes(id: string): Uint8Array {
    const s = this.get(id);
    return writeTemplatePackage({ document: s.document, assets: s.assets });
  }

  /** Save into the library and, when the template has a file, back to that file. */
  async save(id: string, document?: unknown): Promise<TemplateSession> {
    if (document !== undefined) this.update(id, () => document as TemplateDocument);
    const s = this.get(id);
    const bytes = this.packageBytes(id);
    if (s.path) await this.writeFileAtomic(s.path, bytes);
    const at = this.now().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE templates SET name = ?, package = ?, saved_at = ? WHERE id = ?')
        .run(s.document.name, Buffer.from(bytes), at, id);
      this.db.prepare('DELETE FROM drafts WHERE template_id = ?').run(id);
    })();
    this.savedHashes.set(id, new Set(s.assets.keys()));
    s.recovered = false;
    s.updatedAt = at;
    return s;
  }

  async saveAs(id: string, path: string): Promise<TemplateSession> {
    const target = path.toLowerCase().endsWith('.zip') ? path : `${path}.zip`;
    const s = this.get(id);
    s.path = target;
    this.db.prepare('UPDATE templates SET path = ? WHERE id = ?').run(target, id);
    await this.save(id);
    this.addRecent(target, s.document.name);
    return s;
  }

  delete(id: string): boolean {
    this.sessions.delete(id);
    this.savedHashes.delete(id);
    return this.db.prepare('DELETE FROM templates WHERE id = ?').run(id).changes > 0;
  }

  private async writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
    const tmp = `${path}.saving`;
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    } catch (e) {
      throw new StudioError(
        'write-failed',
        `Could not write ${path} (${(e as Error).message}); check the folder exists and is writable, or use Save As.`,
      );
    }
  }

  addRecent(path: string, name: string): void {
    this.db
      .prepare(
        'INSERT INTO recent (path, name, opened_at) VALUES (?, ?, ?) ON CONFLICT(path) DO UPDATE SET name = excluded.name, opened_at = excluded.opened_at',
      )
      .run(path, name, this.now().toISOString());
    this.db.prepare('DELETE FROM recent WHERE path NOT IN (SELECT path FROM recent ORDER BY opened_at DESC LIMIT 10)').run();
  }

  recent(): { path: string; name: string; openedAt: string }[] {
    return (
      this.db.prepare('SELECT path, name, opened_at FROM recent ORDER BY opened_at DESC').all() as {
        path: string;
        name: string;
        opened_at: string;
      }[]
    ).map((r) => ({ path: r.path, name: r.name, openedAt: r.opened_at }));
  }
}
