import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StudioError } from '../shared/ipc/errors';
import { openLibrary, type Db } from './services/library-db';
import { TemplateService } from './services/templates';
import { PrefsService } from './services/prefs';
import { BrandService } from './services/brand';
import { DataService } from './services/data';
import { EngineService, pdfDateOf, todayOf } from './services/engine';
import { JobService, devWorkerSpec, type WorkerSpec } from './services/jobs';
import { PublishService } from './services/publish';
import { ReviewService } from './services/review';
import { VariantSetService } from './services/variants';
import type { SecretStore } from './services/secrets';
import type { Emit, Handlers } from './ipc/dispatch';

export const SAMPLE_DIR = fileURLToPath(new URL('../assets/sample-campaign', import.meta.url));

export interface StudioOptions {
  userData: string;
  transport: 'electron' | 'web';
  secrets: SecretStore;
  emit: Emit;
  now?: () => Date;
  sampleDir?: string;
  version?: string;
  worker?: WorkerSpec;
  /** Native dialogs (Electron only); the web host uses file inputs and downloads instead. */
  dialogs?: {
    openTemplate(): Promise<string | undefined>;
    saveTemplate(defaultName: string): Promise<string | undefined>;
  };
  /** Opens a vetted http(s) URL in the user's browser. */
  openExternal?: (url: string) => Promise<void>;
}

export interface Studio {
  handlers: Handlers;
  db: Db;
  templates: TemplateService;
  prefs: PrefsService;
  close(): Promise<void>;
}

const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
const download = (fileName: string, mediaType: string, bytes: Uint8Array | string) => ({
  fileName,
  mediaType,
  data: Buffer.from(bytes).toString('base64'),
});

/** Only http(s) URLs, parsed, leave the app. */
export function vetExternalUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
}

/** The composition root: main's services wired to the contract's handlers. Both transports use this. */
export function createStudio(o: StudioOptions): Studio {
  const now = o.now ?? (() => new Date());
  const db = openLibrary(o.userData);
  const templates = new TemplateService(db, now, o.sampleDir ?? SAMPLE_DIR);
  const prefs = new PrefsService(db, o.secrets);
  const brand = new BrandService(templates, db, now);
  const data = new DataService(db, templates, now);
  const engine = new EngineService(now, o.worker ?? devWorkerSpec());
  const jobs = new JobService(join(o.userData, 'exports'), o.emit, o.worker);
  const publish = new PublishService(prefs, o.emit);
  const review = new ReviewService(templates, data, engine, prefs, now);
  const variants = new VariantSetService(db, templates, now);
  const sum = (s: ReturnType<TemplateService['get']>) => templates.summary(s);
  const fileBase = (id: string) =>
    templates
      .get(id)
      .document.name.replace(/[^\p{L}\p{N} ._-]+/gu, '')
      .trim() || id;

  const handlers: Handlers = {
    'app:info': () => ({ version: o.version ?? '0.1.0', transport: o.transport, userData: o.userData, platform: process.platform }),
    'library:list': () => ({
      templates: templates.list(),
      items: (
        db.prepare('SELECT id, kind, name, detail, meta, updated_at FROM items ORDER BY kind, updated_at DESC').all() as {
          id: string;
          kind: string;
          name: string;
          detail: string;
          meta: string;
          updated_at: string;
        }[]
      ).map((r) => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        detail: r.detail,
        updatedAt: r.updated_at,
        templateId: r.kind === 'dataset' ? ((JSON.parse(r.meta) as { templateId?: string }).templateId ?? null) : null,
      })),
    }),
    'recent:list': () => templates.recent(),
    'template:openSample': async () => sum(await templates.openSample()),
    'template:import': (a) => sum(templates.importBytes(a.fileName, b64(a.data))),
    'template:openPath': async (a) => sum(await templates.openPath(a.path)),
    'template:openDialog': async () => {
      if (!o.dialogs)
        throw new StudioError(
          'no-native-dialog',
          'The browser studio has no file dialog; use the Open button, which asks the browser for a file.',
        );
      const path = await o.dialogs.openTemplate();
      return path ? sum(await templates.openPath(path)) : null;
    },
    'template:get': (a) => {
      const s = templates.get(a.id);
      return { summary: sum(s), document: s.document };
    },
    'template:save': async (a) => sum(await templates.save(a.id, a.document ?? undefined)),
    'template:autosave': (a) => ({ savedAt: templates.autosave(a.id, a.document) }),
    'template:saveAs': async (a) => {
      let path = a.path;
      if (path === null) {
        if (!o.dialogs)
          throw new StudioError(
            'no-native-dialog',
            'The browser studio cannot pick a folder; use Download package, which saves the .zip through the browser.',
          );
        path = (await o.dialogs.saveTemplate(`${fileBase(a.id)}.zip`)) ?? null;
        if (path === null) return null;
      }
      return sum(await templates.saveAs(a.id, path));
    },
    'template:package': (a) => download(`${fileBase(a.id)}.zip`, 'application/zip', templates.packageBytes(a.id)),
    'template:asset': (a) => {
      const s = templates.get(a.templateId);
      const asset = s.document.assets.find((x) => x.id === a.assetId);
      const bytes = asset ? s.assets.get(asset.sha256) : undefined;
      if (!asset || !bytes)
        throw new StudioError('unknown-asset', `The template has no asset "${a.assetId}"; add it in the Brand kit or fix the reference.`);
      return { mediaType: asset.mediaType, data: Buffer.from(bytes).toString('base64') };
    },
    'template:delete': (a) => ({ deleted: templates.delete(a.id) }),
    'template:create': (a) => sum(templates.create(a)),
    'template:brandKits': () => templates.brandKits(),
    'variants:list': () => variants.list(),
    'variants:import': (a) => variants.import(a.templateId, a.file.fileName, b64(a.file.data)),
    'variants:get': (a) => variants.view(a.id, a.templateId),
    'variants:save': (a) => variants.save(a.id, a.templateId, a.table),
    'variants:attach': (a) => sum(variants.attach(a.id, a.templateId, a.keyField)),
    'brand:get': (a) => brand.view(a.templateId),
    'brand:importFont': (a) => brand.importFont(a.templateId, a.file.fileName, b64(a.file.data)),
    'brand:addSwatch': (a) => brand.addSwatch(a.templateId, a),
    'brand:importAse': (a) => brand.importAse(a.templateId, a.file.fileName, b64(a.file.data)),
    'brand:importLogo': (a) => brand.importLogo(a.templateId, a.file.fileName, b64(a.file.data)),
    'data:import': (a) => data.import(a.templateId, a.file.fileName, b64(a.file.data)),
    'data:get': (a) => data.get(a.datasetId),
    'data:list': (a) => ({ datasets: data.list(a.templateId) }),
    'data:select': (a) => data.select(a.datasetId),
    'data:map': (a) => data.map(a.datasetId, a.mapping),
    'data:record': async (a) => (await data.record(a.templateId, a.datasetId, a.index)).view,
    'data:values': async (a) => {
      const r = await data.record(a.templateId, a.datasetId, a.index);
      const values: Record<string, string | number | boolean> = {};
      for (const [k, v] of Object.entries(r.values))
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values[k] = v;
      return { row: r.row, total: r.view.total, values };
    },
    'data:find': async (a) => ({ index: await data.find(a.datasetId, a.query, a.from) }),
    'preview:print': async (a) => {
      const r = await data.record(a.templateId, a.datasetId, a.index);
      return await engine.printProof(templates.get(a.templateId), r.values, r.row);
    },
    'preview:email': async (a) => {
      const r = await data.record(a.templateId, a.datasetId, a.index);
      return engine.emailProof(templates.get(a.templateId), r.values, r.row);
    },
    'export:proof': async (a) => {
      const r = await data.record(a.templateId, a.datasetId, a.index);
      const proof = await engine.printProof(templates.get(a.templateId), r.values, r.row);
      return { fileName: `${fileBase(a.templateId)} — proof row ${r.row}.pdf`, mediaType: 'application/pdf', data: proof.pdf };
    },
    'export:eml': async (a) => {
      const r = await data.record(a.templateId, a.datasetId, a.index);
      return download(
        `${fileBase(a.templateId)} — row ${r.row}.eml`,
        'message/rfc822',
        await engine.eml(templates.get(a.templateId), r.values, r.row),
      );
    },
    'export:batch': async (a) => {
      const rows = await data.rows(a.datasetId);
      const t = now();
      return {
        jobId: jobs.startBatch(fileBase(a.templateId), {
          pkg: templates.packageBytes(a.templateId),
          records: rows.map((r) => ({ row: r.row, record: r.values })),
          today: todayOf(t),
          creationDate: pdfDateOf(t),
        }),
      };
    },
    'export:cancel': (a) => ({ cancelled: jobs.cancel(a.jobId) }),
    'export:download': (a) => jobs.download(a.jobId),
    'prefs:get': () => prefs.view(),
    'prefs:set': (a) => prefs.set(a),
    'publish:send': (a) => ({ jobId: publish.start(templates.packageBytes(a.templateId)) }),
    'review:grid': (a) => review.grid(a.templateId, a.datasetId),
    'review:approvals': (a) => review.approvals(a.templateId, a.datasetId),
    'review:decide': (a) => review.decide(a),
    'review:reportCsv': (a) => review.reportCsv(a.templateId, a.version),
    'shell:openExternal': async (a) => {
      const url = vetExternalUrl(a.url);
      if (!url) throw new StudioError('unsafe-url', 'Only http and https links open outside the studio.');
      if (!o.openExternal) return { opened: false };
      await o.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK -- url came from vetExternalUrl: parsed, http(s) only */
      return { opened: true };
    },
  };

  return {
    handlers,
    db,
    templates,
    prefs,
    close: async () => {
      await jobs.close();
      await engine.close();
      db.close();
    },
  };
}
