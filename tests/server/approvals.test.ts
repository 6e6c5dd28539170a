import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/http/app';
import { createServices, type Services } from '../../server/services';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { DecisionSchema, VersionApprovalsSchema } from '../../shared/http/approvals';
import { ErrorBodySchema } from '../../shared/http/errors';
import { JobSchema, PublishResultSchema } from '../../shared/http/schemas';
import { SAMPLE_CSV, samplePackage, tempDir, waitFor } from './harness';

/**
 * Variant approvals and the production gate (docs/review.md), through Fastify inject with requireApproval on:
 * approve two of three dealers → the job is refused naming the third; approve it → the job runs; publish a
 * version whose only change is that dealer's phone → refused again. Proofs run regardless.
 */

let tmp: ReturnType<typeof tempDir>;
let services: Services;
let app: FastifyInstance;
const tok: Record<string, string> = {};

// Two records of each dealer from the sample data (no unknown dealer key, so no fallback).
const lines = SAMPLE_CSV.trim().split(/\r?\n/);
const header = lines[0]!;
const pick = (dealer: string, n: number) => lines.filter((l) => l.split(',')[14] === dealer).slice(0, n);
const CSV = [header, ...pick('NS01', 2), ...pick('LK02', 2), ...pick('MV03', 2)].join('\n');
const data = { file: { content: CSV, format: 'csv' } };

beforeAll(async () => {
  tmp = tempDir('approvals');
  const config = loadConfig({ env: {}, overrides: { dataDir: tmp.dir, workers: 1, logLevel: 'silent', requireApproval: true } });
  services = createServices(config, createLogger('silent'));
  app = buildApp(services, { loggerInstance: createLogger('silent') });
  for (const role of ['publisher', 'approver', 'operator', 'viewer'] as const) tok[role] = services.tokens.create(role, `${role}-1`).token;
});

afterAll(async () => {
  await app?.close();
  await services?.close();
  tmp?.remove();
});

const call = (method: 'GET' | 'POST', url: string, role: string, payload?: unknown, contentType?: string) =>
  app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${tok[role]}`, ...(contentType ? { 'content-type': contentType } : {}) },
    ...(payload === undefined ? {} : { payload: payload instanceof Uint8Array ? Buffer.from(payload) : (payload as object) }),
  });

const base = (v: number) => `/api/v1/templates/service-reminder/versions/${v}/approvals`;
const decide = (v: number, variant: string, decision: 'approved' | 'rejected', comment = '', d: unknown = data) =>
  call('POST', base(v), 'approver', { variant, decision, comment, data: d });
const job = (v: number, options: Record<string, unknown> = {}, d: unknown = data) =>
  call('POST', '/api/v1/jobs', 'operator', { templateId: 'service-reminder', version: v, channels: ['email'], data: d, options });

function refusal(res: { statusCode: number; json: () => unknown }) {
  expect(res.statusCode).toBe(409);
  const body = ErrorBodySchema.parse(res.json());
  expect(body.error.code).toBe('not-approved');
  return { message: body.error.message, blocking: (body.error.details ?? []).map((d) => d.path.replace('variants.', '')) };
}

describe('variant approvals gate production jobs', () => {
  let doc: Record<string, unknown>;

  it('publishes the sample campaign', async () => {
    const { zip, pkg } = await samplePackage();
    expect(pkg.document.id).toBe('service-reminder');
    const res = await call('POST', '/api/v1/templates', 'publisher', zip, 'application/zip');
    expect(res.statusCode).toBe(201);
    expect(PublishResultSchema.parse(res.json()).version.version).toBe(1);
    doc = JSON.parse(JSON.stringify(pkg.document)) as Record<string, unknown>;
  });

  it('refuses the job naming the one dealer not approved, then runs it once approved', async () => {
    refusal(await job(1)); // nothing approved yet
    expect((await decide(1, 'NS01', 'approved', 'logo and phone checked')).statusCode).toBe(201);
    expect((await decide(1, 'LK02', 'approved')).statusCode).toBe(201);

    const r = refusal(await job(1));
    expect(r.blocking).toEqual(['MV03']);
    expect(r.message).toContain('MV03');
    expect(r.message).not.toContain('NS01');

    const approved = await decide(1, 'MV03', 'approved', 'ok');
    expect(approved.statusCode).toBe(201);
    const d = DecisionSchema.parse(approved.json());
    expect(d).toMatchObject({ variant: 'MV03', version: 1, by: 'approver-1', decision: 'approved' });

    const ok = await job(1);
    expect(ok.statusCode).toBe(201);
    const id = JobSchema.parse(ok.json()).id;
    const done = await waitFor(
      'the approved job to finish',
      async () => {
        const j = JobSchema.parse((await call('GET', `/api/v1/jobs/${id}`, 'viewer')).json());
        return j.status === 'completed' || j.status === 'failed' ? j : undefined;
      },
      60_000,
    );
    expect(done.status).toBe('completed');
    expect(done.counts.sent).toBe(6);
  }, 90_000);

  it('an approval is for that data: other data (and a fallback dealer in it) is refused', async () => {
    const other = { file: { content: `${CSV}\n${lines.find((l) => l.split(',')[14] === 'ZZ99')}`, format: 'csv' } };
    const r = refusal(await job(1, {}, other));
    expect(r.blocking).toEqual(['NS01', 'LK02', 'MV03', '(fallback)']);
    expect(r.message).toContain('decided against different data');
  });

  it('a new version changing only one dealer’s phone is refused again, naming that change', async () => {
    const variants = doc.variants as { items: { key: string; values: Record<string, string> }[] };
    const mv = variants.items.find((v) => v.key === 'MV03')!;
    mv.values.phone = '(303) 555-0100';
    const pub = await call('POST', '/api/v1/templates', 'publisher', { document: doc });
    expect(pub.statusCode).toBe(201);
    expect(PublishResultSchema.parse(pub.json()).version.version).toBe(2);

    const r = refusal(await job(2));
    expect(r.blocking).toContain('MV03');
    // The gate is the same for print.
    const print = await call('POST', '/api/v1/jobs', 'operator', { templateId: 'service-reminder', version: 2, channels: ['print'], data });
    expect(refusal(print).blocking).toEqual(['NS01', 'LK02', 'MV03']);
    const list = VersionApprovalsSchema.parse((await call('GET', base(2), 'viewer')).json());
    const mvStatus = list.variants.find((v) => v.variant === 'MV03')!;
    expect(mvStatus.status).toBe('needs-reapproval');
    expect(mvStatus.reason).toContain('values changed');
    // The unchanged dealers keep their values hash: only the version differs.
    const ns = list.variants.find((v) => v.variant === 'NS01')!;
    expect(ns.reason).toContain('decided on version 1');
    expect(ns.reason).not.toContain('values changed');
  });

  it('an operator can run a proof regardless', async () => {
    const res = await job(2, { proof: true });
    expect(res.statusCode).toBe(201);
  });

  it('a rejection needs a comment and shows as rejected; the CSV report lists every decision', async () => {
    expect((await decide(2, 'MV03', 'rejected')).statusCode).toBe(400);
    expect((await decide(2, 'MV03', 'rejected', 'phone number is wrong')).statusCode).toBe(201);
    expect((await decide(2, 'XX', 'approved')).statusCode).toBe(422);
    expect((await call('POST', base(2), 'operator', { variant: 'MV03', decision: 'approved', data })).statusCode).toBe(403);
    const list = VersionApprovalsSchema.parse((await call('GET', base(2), 'viewer')).json());
    expect(list.variants.find((v) => v.variant === 'MV03')).toMatchObject({ status: 'rejected', reason: null });
    expect(list.variants.map((v) => v.variant)).toEqual(['NS01', 'LK02', 'MV03', '(fallback)']);

    const csv = await call('GET', `${base(1)}.csv`, 'viewer');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.body.trim().split('\r\n');
    expect(rows).toHaveLength(4);
    expect(rows[1]).toContain('NS01');
    expect(rows[1]).toContain('approver-1');
    expect(rows[1]).toContain('logo and phone checked');
    expect(rows[1]).toContain('CSV file, 6 records');
    expect(rows[1]?.endsWith(',approved')).toBe(true);
  });
});

describe('status against data sent', () => {
  it('POST …/approvals/status hashes the data as a job would', async () => {
    const res = await call('POST', `${base(1)}/status`, 'viewer', { data });
    expect(res.statusCode).toBe(200);
    const st = VersionApprovalsSchema.parse(res.json());
    expect(st.variants.filter((v) => v.status === 'approved').map((v) => v.variant)).toEqual(['NS01', 'LK02', 'MV03']);
    // The variants the data uses: what a job with it is gated on (no fallback record in it).
    expect(st.inData).toEqual(['NS01', 'LK02', 'MV03']);
    expect(VersionApprovalsSchema.parse((await call('GET', base(1), 'viewer')).json()).inData).toBeUndefined();
    const other = await call('POST', `${base(1)}/status`, 'viewer', { data: { records: [{ dealer_id: 'NS01' }] } });
    expect(VersionApprovalsSchema.parse(other.json()).variants.every((v) => v.status !== 'approved')).toBe(true);
  });
});
