import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server';
import { client, SAMPLE_CSV, samplePackage, startTestServer, tempDir, token, waitFor } from './harness';

/**
 * Print jobs over the API, against a real server on loopback: the sample is published, a print job composes
 * records 1–10 in a worker, the PDF is downloaded and checked with poppler and qpdf, and a record with a
 * required field emptied is listed in the job's errors.
 */

const records = Papa.parse<Record<string, string>>(SAMPLE_CSV, { header: true, skipEmptyLines: true }).data;

describe('print jobs over the API', () => {
  const tmp = tempDir('print-api');
  let server: RunningServer;
  let op: ReturnType<typeof client>;
  let viewer: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startTestServer(join(tmp.dir, 'data'));
    const pub = client(server.url, token(server, 'publisher'));
    op = client(server.url, token(server, 'operator'));
    viewer = client(server.url, token(server, 'viewer'));
    const { zip } = await samplePackage();
    const res = await pub('POST', '/api/v1/templates', zip, { 'content-type': 'application/zip' });
    expect(res.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    tmp.remove();
  });

  const finished = (id: string, timeoutMs = 90_000) =>
    waitFor(
      `job ${id} to finish`,
      async () => {
        const r = await op('GET', `/api/v1/jobs/${id}`);
        const status = r.json.status as string;
        return ['completed', 'failed', 'canceled'].includes(status) ? r.json : undefined;
      },
      timeoutMs,
      200,
    );

  it('composes records 1–10 into one PDF, lists the bad record, serves the PDF to a viewer', async () => {
    const data = records.slice(0, 12).map((r) => ({ ...r }));
    const bad = data[3]!; // row 4
    bad.last_name = '';
    const first = data[0]!;
    const created = await op('POST', '/api/v1/jobs', {
      templateId: 'service-reminder',
      version: 1,
      channels: ['print'],
      data: { records: data },
      options: { range: { from: 1, to: 10 } },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const job = await finished(id);
    expect(job.status, JSON.stringify(job)).toBe('completed');
    expect(job.progress).toBe(1);
    expect((job.counts as { pdfs: number }).pdfs).toBe(1);

    const errors = await op('GET', `/api/v1/jobs/${id}/errors`);
    expect(errors.json.total).toBe(1);
    const [err] = errors.json.errors as { row: number; channel: string; message: string; recordKey: string }[];
    expect(err).toMatchObject({ row: 4, channel: 'print', recordKey: bad.customer_id });
    expect(err!.message).toMatch(/last_name/);

    const files = await viewer('GET', `/api/v1/jobs/${id}/files`);
    expect(files.status).toBe(200);
    const list = files.json.files as { name: string; url: string; bytes: number; row: number | null }[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: `${id}.pdf`, row: null });

    const res = await fetch(`${server.url}${list[0]!.url}`, { headers: { authorization: `Bearer ${token(server, 'viewer')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.length).toBe(list[0]!.bytes);
    const file = join(tmp.dir, 'job.pdf');
    writeFileSync(file, pdf);
    execFileSync('qpdf', ['--check', file], { stdio: 'pipe' });
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    expect(pages % 9).toBe(0); // 9 good records × pages per record
    expect(pages).toBeGreaterThan(0);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain(first.first_name);

    // No temporary file is left next to the finished PDF.
    expect(readdirSync(server.services.runner.filesDir(id))).toEqual([`${id}.pdf`]);
  }, 120_000);

  it('split: one PDF per record named by the pattern; unknown names are 404; other roles than viewer+ refused', async () => {
    const created = await op('POST', '/api/v1/jobs', {
      templateId: 'service-reminder',
      version: 1,
      channels: ['print'],
      data: { file: { content: SAMPLE_CSV, format: 'csv' } },
      options: { range: { from: 1, to: 3 }, split: '{{ customer_id }}.pdf' },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    expect((await finished(id)).status).toBe('completed');
    const list = (await op('GET', `/api/v1/jobs/${id}/files`)).json.files as { name: string; row: number; recordKey: string }[];
    expect(list.map((f) => f.name)).toEqual(records.slice(0, 3).map((r) => `${r.customer_id}.pdf`));
    expect(list.map((f) => f.row)).toEqual([1, 2, 3]);
    expect(list[1]!.recordKey).toBe(records[1]!.customer_id);
    const one = await op('GET', `/api/v1/jobs/${id}/files/${list[0]!.name}`);
    expect(one.status).toBe(200);
    expect(one.text.startsWith('%PDF-')).toBe(true);
    const missing = await op('GET', `/api/v1/jobs/${id}/files/nope.pdf`);
    expect(missing.status).toBe(404);
    expect(missing.json.error?.code).toBe('not-found');
    const traversal = await op('GET', `/api/v1/jobs/${id}/files/..%2Fpresswork.db`);
    expect(traversal.status).toBe(400);
    const anonymous = await client(server.url)('GET', `/api/v1/jobs/${id}/files`);
    expect(anonymous.status).toBe(401);
  }, 120_000);

  it('onError "fail": the job fails naming the record; cancel stops a running print job and leaves no files', async () => {
    const data = records.slice(0, 5).map((r) => ({ ...r }));
    data[1]!.last_name = '';
    const failing = await op('POST', '/api/v1/jobs', {
      templateId: 'service-reminder',
      version: 1,
      channels: ['print'],
      data: { records: data },
      options: { onError: 'fail' },
    });
    const failed = await finished(failing.json.id as string);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/record 2/);
    expect((await op('GET', `/api/v1/jobs/${failing.json.id as string}/files`)).json.files).toEqual([]);

    const big = await op('POST', '/api/v1/jobs', {
      templateId: 'service-reminder',
      version: 1,
      channels: ['print'],
      data: { file: { content: SAMPLE_CSV, format: 'csv' } },
    });
    const id = big.json.id as string;
    await waitFor(
      'print progress',
      async () => ((await op('GET', `/api/v1/jobs/${id}`)).json.progress as number) > 0 || undefined,
      60_000,
      50,
    );
    const canceled = await op('POST', `/api/v1/jobs/${id}/cancel`);
    expect(canceled.json.status).toBe('canceled');
    await waitFor('the canceled print to stop', () => (server.services.runner.printProgress(id) ? undefined : true), 30_000);
    expect((await op('GET', `/api/v1/jobs/${id}/files`)).json.files).toEqual([]);
    expect(() => readdirSync(server.services.runner.filesDir(id))).toThrow();
  }, 180_000);

  it('a template without a print channel, or print options on an email job, are refused with what to do', async () => {
    const res = await op('POST', '/api/v1/jobs', {
      templateId: 'service-reminder',
      version: 1,
      channels: ['email'],
      data: { records: records.slice(0, 1) },
      options: { split: '{{ customer_id }}.pdf' },
    });
    expect(res.status).toBe(400);
    expect(res.json.error?.message).toMatch(/add "print" to channels/);
  });
});
