import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { buildApp } from '../../server/http/app';
import { createServices, type Services } from '../../server/services';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { api } from '../../shared/http/routes';
import { JobSchema, TemplateVersionSchema, VersionCompareSchema } from '../../shared/http/schemas';
import { ErrorBodySchema } from '../../shared/http/errors';
import { samplePackage, tempDir } from './harness';
import type { FastifyInstance } from 'fastify';

/**
 * The HTTP contract through Fastify inject (no sockets): roles on every route, clear 4xx JSON errors for
 * bad input (oversized uploads, malformed packages, unknown versions, bad data files, bad tokens),
 * version listing and comparison, asset upload by hash, and the OpenAPI document.
 */

let tmp: ReturnType<typeof tempDir>;
let services: Services;
let app: FastifyInstance;
const tok: Record<string, string> = {};

beforeAll(async () => {
  tmp = tempDir('api');
  const config = loadConfig({ env: {}, overrides: { dataDir: tmp.dir, workers: 1, logLevel: 'silent', limits: { maxUploadMb: 3 } } });
  services = createServices(config, createLogger('silent'));
  app = buildApp(services, { loggerInstance: createLogger('silent') });
  for (const role of ['publisher', 'approver', 'operator', 'viewer'] as const) tok[role] = services.tokens.create(role, role).token;
});

afterAll(async () => {
  await app?.close();
  await services?.close();
  tmp?.remove();
});

const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, role?: string, payload?: unknown, contentType?: string) =>
  app.inject({
    method,
    url,
    headers: { ...(role ? { authorization: `Bearer ${tok[role] ?? role}` } : {}), ...(contentType ? { 'content-type': contentType } : {}) },
    ...(payload === undefined ? {} : { payload: payload instanceof Uint8Array ? Buffer.from(payload) : (payload as string | object) }),
  });

const expectError = (res: { statusCode: number; json: () => unknown }, status: number, code: string) => {
  expect(res.statusCode).toBe(status);
  const body = ErrorBodySchema.parse(res.json());
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  return body;
};

describe('auth', () => {
  it('refuses missing, unknown and wrong-role tokens on every protected route', async () => {
    expectError(await call('GET', '/api/v1/jobs'), 401, 'unauthorized');
    expectError(await call('GET', '/api/v1/jobs', 'pw_not-a-token'), 401, 'unauthorized');
    expectError(await call('POST', '/api/v1/jobs', 'viewer', {}), 403, 'forbidden');
    expectError(await call('POST', '/api/v1/templates', 'operator', new Uint8Array([1]), 'application/zip'), 403, 'forbidden');
    for (const [name, def] of Object.entries(api)) {
      if (def.roles === 'public') continue;
      const url = def.path.replace(/:sha256/, 'a'.repeat(64)).replace(/:[A-Za-z]+/g, 'x');
      const res = await call(def.method, url);
      expect(res.statusCode, name).toBe(401);
    }
  });

  it('stores tokens hashed', () => {
    const stored = services.db.prepare('SELECT hash FROM tokens').pluck().all() as string[];
    for (const t of Object.values(tok)) expect(stored).not.toContain(t);
  });
});

describe('bad input is a clear 4xx, never a crash', () => {
  it('oversized upload → 413', async () => {
    expectError(await call('POST', '/api/v1/templates', 'publisher', new Uint8Array(4 * 1024 * 1024), 'application/zip'), 413, 'too-large');
  });

  it('malformed packages → 422 with the problems listed', async () => {
    expectError(await call('POST', '/api/v1/templates', 'publisher', strToU8('not a zip'), 'application/zip'), 422, 'invalid-package');
    const body = expectError(
      await call(
        'POST',
        '/api/v1/templates',
        'publisher',
        zipSync({ 'template.json': strToU8('{"format":"presswork-template"}') }),
        'application/zip',
      ),
      422,
      'invalid-package',
    );
    expect(body.error.details!.length).toBeGreaterThan(0);
    expectError(
      await call('POST', '/api/v1/templates', 'publisher', zipSync({ '../evil': strToU8('x') }), 'application/zip'),
      422,
      'invalid-package',
    );
    expectError(await call('POST', '/api/v1/templates', 'publisher', 'plain', 'text/plain'), 415, 'unsupported-media-type');
  });

  it('bad JSON and schema violations → 400 with paths', async () => {
    expectError(await call('POST', '/api/v1/jobs', 'operator', '{"oops', 'application/json'), 400, 'bad-request');
    const body = expectError(
      await call('POST', '/api/v1/jobs', 'operator', { templateId: 'x', version: 0, channels: ['fax'], data: {} }),
      400,
      'bad-request',
    );
    expect(body.error.details!.map((d) => d.path)).toEqual(expect.arrayContaining(['body.version', 'body.channels.0']));
  });

  it('unknown template versions → 404', async () => {
    expectError(
      await call('POST', '/api/v1/jobs', 'operator', {
        templateId: 'nope',
        version: 3,
        channels: ['email'],
        data: { records: [{ a: 1 }] },
      }),
      404,
      'not-found',
    );
    expectError(await call('GET', '/api/v1/templates/nope/versions/1', 'viewer'), 404, 'not-found');
    expectError(await call('GET', '/api/v1/jobs/job_missing', 'viewer'), 404, 'not-found');
    expectError(await call('GET', '/no/such/route'), 404, 'not-found');
  });

  it('bad data files → 422 invalid-data', async () => {
    expectError(await call('POST', '/api/v1/datasets', 'operator', 'a,b\n"unterminated', 'text/csv'), 422, 'invalid-data');
    expectError(await call('POST', '/api/v1/datasets', 'operator', '{"not":"an array"}', 'application/json'), 422, 'invalid-data');
    const ok = await call('POST', '/api/v1/datasets?name=two', 'operator', 'email,first_name\na@b.example,A\nc@d.example,C\n', 'text/csv');
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ name: 'two', records: 2, fields: ['email', 'first_name'] });
  });

  it('bad tracking tokens → 400, and a tampered click never redirects', async () => {
    expectError(await call('GET', '/t/c/abc.def'), 400, 'bad-request');
    expectError(await call('GET', '/t/o/abc.def.gif'), 400, 'bad-request');
    expect(
      (await call('POST', '/u/abc.def', undefined, 'List-Unsubscribe=One-Click', 'application/x-www-form-urlencoded')).statusCode,
    ).toBe(400);
  });
});

describe('publish, versions, compare', () => {
  it('publishes by JSON after uploading assets by hash, lists, fetches, compares, approves; the job DTO matches the contract', async () => {
    const { pkg, zip } = await samplePackage();
    const missing = await call('POST', '/api/v1/assets/missing', 'publisher', { sha256: pkg.document.assets.map((a) => a.sha256) });
    expect((missing.json() as { missing: string[] }).missing.length).toBeGreaterThan(0);
    const body = expectError(await call('POST', '/api/v1/templates', 'publisher', { document: pkg.document }), 409, 'missing-assets');
    expect(body.error.details!.length).toBe((missing.json() as { missing: string[] }).missing.length);
    const [firstSha, bytes] = [...pkg.assets][0]!;
    expectError(await call('PUT', `/api/v1/assets/${'0'.repeat(64)}`, 'publisher', bytes, 'application/octet-stream'), 400, 'bad-request');
    for (const [sha, b] of pkg.assets) {
      const put = await call('PUT', `/api/v1/assets/${sha}`, 'publisher', b, 'application/octet-stream');
      expect(put.statusCode).toBe(201);
    }
    expect((await call('PUT', `/api/v1/assets/${firstSha}`, 'publisher', bytes, 'application/octet-stream')).json()).toMatchObject({
      created: false,
    });
    const v1 = await call('POST', '/api/v1/templates', 'publisher', { document: pkg.document });
    expect(v1.statusCode).toBe(201);
    expect(v1.json()).toMatchObject({ created: true, assetsStored: 0 });
    // The same content as a package: idempotent, nothing stored.
    const again = await call('POST', '/api/v1/templates', 'publisher', zip, 'application/zip');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, assetsStored: 0 });
    const changed = { ...pkg.document, name: 'Service reminder v2' };
    const v2 = await call('POST', '/api/v1/templates', 'publisher', { document: changed });
    expect(v2.statusCode).toBe(201);
    expect(TemplateVersionSchema.parse((v2.json() as { version: unknown }).version).version).toBe(2);
    const list = await call('GET', `/api/v1/templates/${pkg.document.id}/versions`, 'viewer');
    expect((list.json() as { versions: { version: number }[] }).versions.map((v) => v.version)).toEqual([2, 1]);
    const cmp = VersionCompareSchema.parse(
      (await call('GET', `/api/v1/templates/${pkg.document.id}/versions/2/compare?with=1`, 'viewer')).json(),
    );
    expect(cmp.changes).toEqual([{ path: 'name', kind: 'changed', from: pkg.document.name, to: 'Service reminder v2' }]);
    expect(cmp.assets.added).toEqual([]);
    expectError(await call('POST', `/api/v1/templates/${pkg.document.id}/versions/2/approval`, 'publisher'), 403, 'forbidden');
    const approved = await call('POST', `/api/v1/templates/${pkg.document.id}/versions/2/approval`, 'approver');
    expect(approved.json()).toMatchObject({ approved: true, approvedBy: 'approver' });
    const pkgZip = await call('GET', `/api/v1/templates/${pkg.document.id}/versions/1/package`, 'viewer');
    expect(pkgZip.headers['content-type']).toBe('application/zip');

    const job = await call('POST', '/api/v1/jobs', 'operator', {
      templateId: pkg.document.id,
      version: 2,
      channels: ['email'],
      data: { records: [{ email: 'x@y.example' }] },
      options: { scheduleAt: '2099-01-01T00:00:00Z' },
    });
    expect(job.statusCode).toBe(201);
    const dto = JobSchema.parse(job.json());
    expect(dto.status).toBe('scheduled');
    expect(JobSchema.parse((await call('POST', `/api/v1/jobs/${dto.id}/cancel`, 'operator')).json()).status).toBe('canceled');
    expectError(await call('POST', `/api/v1/jobs/${dto.id}/cancel`, 'operator'), 409, 'conflict');
  });
});

describe('OpenAPI', () => {
  it('documents every route of the table with its schemas', async () => {
    const res = await call('GET', '/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { operationId: string; requestBody?: unknown }>> };
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(ops.sort()).toEqual(Object.keys(api).sort());
    expect(doc.paths['/api/v1/jobs']!.post!.requestBody).toBeDefined();
  });
});
