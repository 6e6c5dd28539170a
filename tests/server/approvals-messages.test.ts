import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { RunningServer } from '../../server/server';
import { ErrorBodySchema } from '../../shared/http/errors';
import { MessageResultSchema, PublishResultSchema } from '../../shared/http/schemas';
import { SAMPLE_CSV, client, samplePackage, startTestServer, tempDir, token } from './harness';

/**
 * Real-time messages (POST /api/v1/messages) pass the same per-variant approval gate as jobs (docs/review.md),
 * over real loopback HTTP with requireApproval on: refused naming the dealer before approval, sent after, refused
 * again once the dealer's values change in a new version; a later rejection blocks too.
 */

const lines = SAMPLE_CSV.trim().split(/\r?\n/);
const header = lines[0]!.split(',');
const recordOf = (dealer: string): Record<string, string> => {
  const line = lines.find((l) => l.split(',')[14] === dealer)!;
  const cells = line.split(',');
  return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
};
// The approver decides against the campaign's data; the triggered record is not part of it.
const campaign = { file: { content: [lines[0], ...lines.slice(1, 7)].join('\n'), format: 'csv' } };

describe('real-time messages are gated per variant', () => {
  const tmp = tempDir('approvals-messages');
  let server: RunningServer;
  let as: Record<'publisher' | 'approver' | 'operator', ReturnType<typeof client>>;
  let doc: Record<string, unknown>;

  beforeAll(async () => {
    server = await startTestServer(join(tmp.dir, 'data'), { requireApproval: true });
    as = {
      publisher: client(server.url, token(server, 'publisher')),
      approver: client(server.url, token(server, 'approver')),
      operator: client(server.url, token(server, 'operator')),
    };
    const { zip, pkg } = await samplePackage();
    const pub = await as.publisher('POST', '/api/v1/templates', zip, { 'content-type': 'application/zip' });
    expect(pub.status, pub.text).toBe(201);
    doc = JSON.parse(JSON.stringify(pkg.document)) as Record<string, unknown>;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    tmp.remove();
  });

  const send = (version: number, dealer: string) =>
    as.operator('POST', '/api/v1/messages', { templateId: 'service-reminder', version, record: recordOf(dealer) });
  const decide = (version: number, variant: string, decision: 'approved' | 'rejected', comment: string) =>
    as.approver('POST', `/api/v1/templates/service-reminder/versions/${version}/approvals`, {
      variant,
      decision,
      comment,
      data: campaign,
    });
  function refused(res: { status: number; json: unknown; text: string }): { message: string; blocking: string[] } {
    expect(res.status, res.text).toBe(409);
    const e = ErrorBodySchema.parse(res.json).error;
    expect(e.code).toBe('not-approved');
    return { message: e.message, blocking: (e.details ?? []).map((d) => d.path.replace(/^variants\./, '')) };
  }

  it('refuses a message whose dealer is not approved, naming the dealer', async () => {
    const r = refused(await send(1, 'NS01'));
    expect(r.blocking).toEqual(['NS01']);
    expect(r.message).toContain('variant NS01 (pending)');
    expect(r.message).toContain('for any data');
  });

  it('sends once the dealer is approved (against other data), and still refuses another dealer', async () => {
    const d = await decide(1, 'NS01', 'approved', 'logo and phone checked');
    expect(d.status, d.text).toBe(201);
    const ok = await send(1, 'NS01');
    expect(ok.status, ok.text).toBe(200);
    expect(MessageResultSchema.parse(ok.json).status).toBe('sent');
    expect(refused(await send(1, 'LK02')).blocking).toEqual(['LK02']);
  }, 60_000);

  it('refuses again after the dealer’s phone changes in a new version', async () => {
    const variants = doc.variants as { items: { key: string; values: Record<string, string> }[] };
    variants.items.find((v) => v.key === 'NS01')!.values.phone = '(614) 555-0199';
    const pub = await as.publisher('POST', '/api/v1/templates', { document: doc });
    expect(pub.status, pub.text).toBe(201);
    expect(PublishResultSchema.parse(pub.json).version.version).toBe(2);
    const r = refused(await send(2, 'NS01'));
    expect(r.blocking).toEqual(['NS01']);
    expect(r.message).toContain('needs-reapproval');
    expect(r.message).toContain('its values changed since');
    expect((await decide(2, 'NS01', 'approved', 'new phone checked')).status).toBe(201);
    expect((await send(2, 'NS01')).status).toBe(200);
  }, 60_000);

  it('the OpenAPI document states the rule and the 409', async () => {
    const res = await as.operator('GET', '/api/v1/openapi.json');
    const op = (res.json as { paths: Record<string, Record<string, { description?: string; responses: Record<string, unknown> }>> }).paths[
      '/api/v1/messages'
    ]!.post!;
    expect(op.description).toMatch(/approval made against \*\*any\*\* dataset counts/);
    expect(Object.keys(op.responses)).toContain('409');
  });

  it('a later rejection blocks the dealer again', async () => {
    expect((await decide(2, 'NS01', 'rejected', 'wrong opening hours')).status).toBe(201);
    const r = refused(await send(2, 'NS01'));
    expect(r.message).toContain('variant NS01 (rejected)');
  });
});
