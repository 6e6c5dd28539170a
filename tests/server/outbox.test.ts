import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, header, samplePackage, startTestServer, tempDir, token, waitFor } from './harness';
import type { RunningServer } from '../../server/server';

/** Embedded defaults: no SMTP relay configured, so every message lands as .eml in the development outbox. */

let server: RunningServer;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  tmp = tempDir('outbox');
  server = await startTestServer(tmp.dir);
});

afterAll(async () => {
  await server?.close();
  tmp?.remove();
});

describe('development outbox', () => {
  it('writes each message as .eml and lists them on a small HTML page', async () => {
    expect(server.services.config.outbox).toBe(true);
    const publisher = client(server.url, token(server, 'publisher'));
    const operator = client(server.url, token(server, 'operator'));
    await publisher('POST', '/api/v1/templates', (await samplePackage()).zip, { 'content-type': 'application/zip' });
    const records = ['Zoë', 'Łukasz', 'Ana'].map((first_name, i) => ({
      customer_id: `C-${i}`,
      first_name,
      last_name: 'Outbox',
      email: `o${i}@example.org`,
      address1: '1 Main St',
      city: 'Columbus',
      state: 'OH',
      postal_code: '43215',
      vehicle_make: 'Subaru',
      last_service_date: '2026-05-14',
      dealer_id: 'MV03',
    }));
    const job = await operator('POST', '/api/v1/jobs', {
      templateId: 'service-reminder',
      version: 1,
      channels: ['email'],
      data: { records },
    });
    const id = job.json.id as string;
    await waitFor(
      'outbox job',
      async () => ((await operator('GET', `/api/v1/jobs/${id}`)).json.status === 'completed' ? true : undefined),
      60_000,
    );

    const files = readdirSync(join(tmp.dir, 'outbox')).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBe(3);
    const raw = readFileSync(
      join(
        tmp.dir,
        'outbox',
        files.find((f) => readFileSync(join(tmp.dir, 'outbox', f), 'utf8').includes('o0@example.org'))!,
      ),
      'utf8',
    );
    expect(header(raw, 'To')).toBe('o0@example.org');
    expect(header(raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    const page = await fetch(`${server.url}/outbox`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('3 messages');
    expect(html).toContain('Hi Zoë, your Subaru is due for service');
    const link = /href="(\/outbox\/[^"]+\.eml)"/.exec(html)![1]!;
    const eml = await fetch(`${server.url}${link}`);
    expect(eml.headers.get('content-type')).toContain('message/rfc822');
    expect((await fetch(`${server.url}/outbox/..%2Fpresswork.db`)).status).toBe(404);
  });
});
