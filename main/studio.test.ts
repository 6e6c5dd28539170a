import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudio, SAMPLE_DIR, type Studio } from './studio';
import { keyFileSecrets } from './services/secrets';
import { dispatch } from './ipc/dispatch';
import type { EventName } from '../shared/ipc/contract';

const csv = readFileSync(join(SAMPLE_DIR, 'data/customers.csv'));
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');

describe('studio services through the dispatcher', () => {
  let dir: string;
  let studio: Studio;
  const events: { event: EventName; payload: unknown }[] = [];
  const call = async (channel: string, args: unknown) => {
    const r = await dispatch(studio.handlers, channel, args);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${r.error.details?.join('; ') ?? ''}`);
    return r.value as never;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'studio-'));
    studio = createStudio({
      userData: dir,
      transport: 'web',
      secrets: keyFileSecrets(dir),
      emit: (event, payload) => events.push({ event, payload }),
      now: () => new Date('2026-11-22T10:00:00Z'),
    });
  });
  afterAll(async () => {
    await studio.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the sample, imports its data and proofs record 7 in print and email', async () => {
    const t: { id: string; pages: number } = await call('template:openSample', {});
    expect(t.pages).toBe(2);
    const ds: { id: string; rows: number } = await call('data:import', {
      templateId: t.id,
      file: { fileName: 'customers.csv', data: b64(csv) },
    });
    expect(ds.rows).toBeGreaterThan(7);
    const rec: { values: Record<string, string>; variant: { name: string } } = await call('data:record', {
      templateId: t.id,
      datasetId: ds.id,
      index: 6,
    });
    const first = rec.values.first_name!;
    expect(first.length).toBeGreaterThan(0);
    const pdf: { pdf: string; pages: unknown[] } = await call('preview:print', { templateId: t.id, datasetId: ds.id, index: 6 });
    expect(Buffer.from(pdf.pdf, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.pages).toHaveLength(2);
    const mail: { subject: string; html: string; text: string } = await call('preview:email', {
      templateId: t.id,
      datasetId: ds.id,
      index: 6,
    });
    expect(mail.html + mail.subject).toContain(first);
    expect(mail.text.length).toBeGreaterThan(20);
  });

  it('journals every change so a restart recovers it', async () => {
    const t: { id: string } = await call('template:openSample', {});
    await call('brand:addSwatch', { templateId: t.id, name: 'Test Orange', spotName: null, lab: null, cmyk: null, srgb: '#ff8800' });
    await studio.close();
    studio = createStudio({ userData: dir, transport: 'web', secrets: keyFileSecrets(dir), emit: () => undefined });
    const got: { summary: { recovered: boolean }; document: { brand: { swatches: { name: string }[] } } } = await call('template:get', {
      id: t.id,
    });
    expect(got.summary.recovered).toBe(true);
    expect(got.document.brand.swatches.map((s) => s.name)).toContain('Test Orange');
  });

  it('keeps the token only as ciphertext', async () => {
    await call('prefs:set', { serverUrl: 'http://127.0.0.1:9', token: 'secret-token-123' });
    const row = studio.db.prepare("SELECT value FROM prefs WHERE key = 'tokenCipher'").get() as { value: string };
    expect(row.value).not.toContain('secret-token-123');
    expect(studio.prefs.token()).toBe('secret-token-123');
  });

  it('keeps a separate approver token, as ciphertext, and forgets it on its own', async () => {
    const view: { hasToken: boolean; hasApproverToken: boolean } = await call('prefs:set', {
      serverUrl: 'http://127.0.0.1:9',
      token: 'publisher-secret',
      approverToken: 'approver-secret',
    });
    expect([view.hasToken, view.hasApproverToken]).toEqual([true, true]);
    const row = studio.db.prepare("SELECT value FROM prefs WHERE key = 'approverTokenCipher'").get() as { value: string };
    expect(row.value).not.toContain('approver-secret');
    expect([studio.prefs.token(), studio.prefs.approverToken()]).toEqual(['publisher-secret', 'approver-secret']);
    const after: { hasToken: boolean; hasApproverToken: boolean } = await call('prefs:set', { approverToken: null });
    expect([after.hasToken, after.hasApproverToken]).toEqual([true, false]);
    expect(studio.prefs.approverToken()).toBeUndefined();
  });
});
