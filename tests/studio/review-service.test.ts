import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLibrary, type Db } from '../../main/services/library-db';
import { TemplateService } from '../../main/services/templates';
import { DataService } from '../../main/services/data';
import { EngineService } from '../../main/services/engine';
import { devWorkerSpec } from '../../main/services/jobs';
import { PrefsService } from '../../main/services/prefs';
import { ReviewService } from '../../main/services/review';
import { keyFileSecrets } from '../../main/services/secrets';
import { SAMPLE_DIR } from '../../main/studio';
import { writeTemplatePackage } from '../../shared/model/package';
import { startTestServer, token } from '../server/harness';
import type { RunningServer } from '../../server/server';

/**
 * The studio's review service against a real server: a decision is possible only when the template open in the
 * studio is exactly a published version (same content hash), because the pages the reviewer sees are composed
 * from the open template. An unpublished change makes the review read-only, and main refuses a decision.
 */
describe('review: approve only what is shown', () => {
  let dir: string;
  let db: Db;
  let server: RunningServer;
  let templates: TemplateService;
  let review: ReviewService;
  let engine: EngineService;
  let templateId: string;
  let datasetId: string;
  let publisher: string;

  const publish = async () => {
    const s = templates.get(templateId);
    const res = await fetch(`${server.url}/api/v1/templates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${publisher}`, 'content-type': 'application/zip' },
      body: writeTemplatePackage({ document: s.document, assets: s.assets }),
    });
    expect(res.status).toBe(201);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'review-service-'));
    server = await startTestServer(join(dir, 'server'), { requireApproval: true });
    publisher = token(server, 'publisher');
    db = openLibrary(join(dir, 'studio'));
    const now = () => new Date('2026-11-22T10:00:00Z');
    templates = new TemplateService(db, now, SAMPLE_DIR);
    const prefs = new PrefsService(db, keyFileSecrets(join(dir, 'studio')));
    prefs.set({ serverUrl: server.url, token: token(server, 'approver') });
    const data = new DataService(db, templates, now);
    review = new ReviewService(templates, data, (engine = new EngineService(now, devWorkerSpec())), prefs, now);
    templateId = (await templates.openSample()).id;
    datasetId = (await data.import(templateId, 'customers.csv', new Uint8Array(readFileSync(join(SAMPLE_DIR, 'data/customers.csv'))))).id;
    await publish();
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    db?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const decide = (version: number) =>
    review.decide({ templateId, datasetId, version, variant: 'NS01', decision: 'approved', comment: 'checked' });

  it('the open template is the published version: decisions are recorded', async () => {
    const a = await review.approvals(templateId, datasetId);
    expect(a).toMatchObject({ version: 1, decidable: true, message: null });
    expect((await decide(1)).variant).toBe('NS01');
  }, 60_000);

  it('an unpublished change makes the review read-only, and main refuses a decision', async () => {
    templates.update(templateId, (s) => ({
      ...s.document,
      variants: {
        ...s.document.variants!,
        items: s.document.variants!.items.map((v) => (v.key === 'NS01' ? { ...v, values: { ...v.values, phone: '(614) 555-0199' } } : v)),
      },
    }));
    const a = await review.approvals(templateId, datasetId);
    expect(a.version).toBe(1);
    expect(a.decidable).toBe(false);
    expect(a.message).toMatch(/changes that are not published .* approving is off/);
    await expect(decide(1)).rejects.toMatchObject({ code: 'not-what-you-see' });
  }, 60_000);

  it('once published, the new version is reviewed, and NS01 needs re-approval because its values changed', async () => {
    await publish();
    const a = await review.approvals(templateId, datasetId);
    expect(a).toMatchObject({ version: 2, decidable: true, message: null });
    const ns = a.approvals!.variants.find((v) => v.variant === 'NS01')!;
    expect(ns.status).toBe('needs-reapproval');
    expect(ns.reason).toContain('its values changed since');
    await expect(decide(1)).rejects.toMatchObject({ code: 'not-what-you-see' });
    expect((await decide(2)).version).toBe(2);
  }, 60_000);
});
