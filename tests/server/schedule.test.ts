import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server';
import { client, samplePackage, startTestServer, tempDir, token } from './harness';

/**
 * Scheduled jobs are honest, over loopback HTTP: a `scheduleAt` in the past is refused with a message naming
 * the field and the server's clock (no job is created), a future one is `scheduled` for exactly that time, and
 * a time within the clock-skew minute starts now and says so (`queued`).
 */

let server: RunningServer;
let tmp: ReturnType<typeof tempDir>;
let operator: ReturnType<typeof client>;

const job = (scheduleAt: string) => ({
  templateId: 'service-reminder',
  version: 1,
  channels: ['email'],
  data: { records: [{ email: 'anna.schröder@example.de', first_name: '<script>{{ 7*7 }}', dealer_id: 'NS01' }] },
  options: { scheduleAt, testRecipients: ['proof@example.org'] },
});

beforeAll(async () => {
  tmp = tempDir('schedule');
  server = await startTestServer(tmp.dir);
  operator = client(server.url, token(server, 'operator'));
  const { zip } = await samplePackage();
  const published = await client(server.url, token(server, 'publisher'))('POST', '/api/v1/templates', zip, {
    'content-type': 'application/zip',
  });
  expect(published.status).toBe(201);
});

afterAll(async () => {
  await server?.close();
  tmp?.remove();
});

/** An ISO time `offsetMs` from now, written in a Central European offset as a German client would send it. */
function cet(offsetMs: number): string {
  const t = new Date(Date.now() + offsetMs + 3_600_000);
  return `${t.toISOString().slice(0, 19)}+01:00`;
}

describe('scheduleAt', () => {
  it('refuses a time in the past with 422 naming the field and the server clock, and creates no job', async () => {
    const before = ((await operator('GET', '/api/v1/jobs')).json.jobs as unknown[]).length;
    for (const past of ['2026-01-01T09:00:00Z', new Date(Date.now() - 5 * 60_000).toISOString(), cet(-3 * 3_600_000)]) {
      const res = await operator('POST', '/api/v1/jobs', job(past));
      expect(res.status, past).toBe(422);
      expect(res.json.error?.message).toContain(`options.scheduleAt ${past} is in the past`);
      expect(res.json.error?.message).toMatch(/the server's time is \d{4}-\d\d-\d\dT/);
      expect(res.json.error?.message).toContain('leave scheduleAt out to start the job now');
      expect(JSON.stringify(res.json.error)).toContain('body.options.scheduleAt');
    }
    expect(((await operator('GET', '/api/v1/jobs')).json.jobs as unknown[]).length).toBe(before);
  });

  it('schedules a future time (any offset) for exactly that instant', async () => {
    for (const future of [new Date(Date.now() + 3_600_000).toISOString(), cet(2 * 86_400_000)]) {
      const res = await operator('POST', '/api/v1/jobs', job(future));
      expect(res.status, res.text).toBe(201);
      expect(res.json.status).toBe('scheduled');
      expect(Date.parse(res.json.scheduledAt as string)).toBe(Date.parse(future));
      expect((await operator('POST', `/api/v1/jobs/${String(res.json.id)}/cancel`)).status).toBe(200);
    }
  });

  it('takes a time within the last minute (clock skew) as now, and the answer says queued, not scheduled', async () => {
    const res = await operator('POST', '/api/v1/jobs', job(new Date(Date.now() - 20_000).toISOString()));
    expect(res.status, res.text).toBe(201);
    expect(['queued', 'running', 'completed']).toContain(res.json.status);
    await operator('POST', `/api/v1/jobs/${String(res.json.id)}/cancel`);
  });
});
