import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DecisionSchema, VersionApprovalsSchema } from '../../shared/http/approvals';
import { ErrorBodySchema } from '../../shared/http/errors';
import { SAMPLE_CSV, client, startTestServer, tempDir, token } from '../server/harness';
import type { RunningServer } from '../../server/server';
import { runPresswork } from '../support/cli';

/**
 * `presswork approve` and `presswork approvals` through the real CLI (bin/presswork.mjs) against a server started
 * here with requireApproval on: decisions made from the CLI gate a job exactly as decisions made over HTTP.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const sample = join(root, 'assets/sample-campaign');

const presswork = (args: string[], env: Record<string, string> = {}) => runPresswork(args, { env, timeoutMs: 90_000 });

describe('presswork approve / approvals', () => {
  const tmp = tempDir('cli-approvals');
  const lines = SAMPLE_CSV.trim().split(/\r?\n/);
  const pick = (dealer: string) => lines.filter((l) => l.split(',')[14] === dealer).slice(0, 2);
  const csvPath = join(tmp.dir, 'november.csv');
  writeFileSync(csvPath, [lines[0], ...pick('NS01'), ...pick('LK02'), ...pick('MV03')].join('\n'));
  let server: RunningServer;
  const tok: Record<string, string> = {};
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer(join(tmp.dir, 'data'), { requireApproval: true });
    for (const role of ['publisher', 'approver', 'operator', 'viewer'] as const) tok[role] = token(server, role);
    env = { PRESSWORK_SERVER: server.url };
    const pub = await presswork(['publish', sample, '--token', tok.publisher!], env);
    expect(pub.code, pub.stderr).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    tmp.remove();
  });

  const approve = (args: string[], role = 'approver') => presswork(['approve', ...args], { ...env, PRESSWORK_TOKEN: tok[role]! });
  const job = () =>
    client(server.url, tok.operator)('POST', '/api/v1/jobs', {
      templateId: 'service-reminder',
      version: 1,
      channels: ['print'],
      data: { file: { content: [lines[0], ...pick('NS01'), ...pick('LK02'), ...pick('MV03')].join('\n'), format: 'csv' } },
    });

  it('approves dealers by template id or name; the job is refused naming the last one until it is approved', async () => {
    const a = await approve(['service-reminder', '--version', '1', '--variant', 'NS01', '--comment', 'logo checked', '--data', csvPath]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^service-reminder version 1: NS01 approved by test-approver at .* against november\.csv/);
    // The template's name works as well as its id.
    const b = await approve(['service reminder — POSTCARD and email', '--version', '1', '--variant', 'LK02', '--data', csvPath, '--json']);
    expect(b.code, b.stderr).toBe(0);
    expect(DecisionSchema.parse(JSON.parse(b.stdout))).toMatchObject({ variant: 'LK02', decision: 'approved', dataLabel: 'november.csv' });

    const refused = await job();
    expect(refused.status).toBe(409);
    expect(ErrorBodySchema.parse(refused.json).error.details?.map((d) => d.path)).toEqual(['variants.MV03']);

    const list = await presswork(['approvals', 'service-reminder', '--version', '1', '--data', csvPath], {
      ...env,
      PRESSWORK_TOKEN: tok.viewer!,
    });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('2 of 4 variants approved for dataset');
    expect(list.stdout).toContain('the data uses NS01, LK02, MV03: a production job would be refused for MV03');
    expect(list.stdout).toMatch(/MV03\s+.*pending/);

    expect((await approve(['service-reminder', '--version', '1', '--variant', 'MV03', '--data', csvPath])).code).toBe(0);
    expect((await job()).status).toBe(201);
  }, 120_000);

  it('a rejection needs a comment, and shows in the statuses and the CSV report', async () => {
    const none = await approve(['service-reminder', '--version', '1', '--variant', 'MV03', '--reject', '--data', csvPath]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/a rejection needs --comment/);
    const r = await approve([
      'service-reminder',
      '--version',
      '1',
      '--variant',
      'MV03',
      '--reject',
      '--comment',
      'wrong phone',
      '--data',
      csvPath,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('MV03 rejected by test-approver');

    const json = await presswork(['approvals', 'service-reminder', '--json'], { ...env, PRESSWORK_TOKEN: tok.viewer! });
    expect(json.code, json.stderr).toBe(0);
    const st = VersionApprovalsSchema.parse(JSON.parse(json.stdout));
    expect(st.version).toBe(1);
    expect(st.variants.map((v) => [v.variant, v.status])).toEqual([
      ['NS01', 'approved'],
      ['LK02', 'approved'],
      ['MV03', 'rejected'],
      ['(fallback)', 'pending'],
    ]);
    expect((await job()).status).toBe(409);

    const csv = await presswork(['approvals', 'service-reminder', '--version', '1', '--csv'], { ...env, PRESSWORK_TOKEN: tok.viewer! });
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.trim().split('\r\n');
    expect(rows[0]).toMatch(/^decided_at,template,version,variant,/);
    expect(rows).toHaveLength(5);
    expect(rows[4]).toMatch(/,MV03,.*,rejected,test-approver,wrong phone,november\.csv,.*,rejected$/);
    expect(rows[3]).toMatch(/,MV03,.*,superseded$/);
  }, 120_000);

  it('explains an unknown variant, an unknown template, a wrong role, missing data and an offline server', async () => {
    const unknown = await approve(['service-reminder', '--version', '1', '--variant', 'XX99', '--data', csvPath]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/has no variant "XX99"; its variants are NS01, LK02, MV03, \(fallback\)/);

    const noTemplate = await approve(['no-such', '--version', '1', '--variant', 'NS01', '--data', csvPath]);
    expect(noTemplate.code).toBe(2);
    expect(noTemplate.stderr).toMatch(/no template with the id or name "no-such"; published: service-reminder/);

    const noVersion = await approve(['service-reminder', '--version', '9', '--variant', 'NS01', '--data', csvPath]);
    expect(noVersion.code).toBe(2);
    expect(noVersion.stderr).toMatch(/has no version 9/);

    const wrongRole = await approve(['service-reminder', '--version', '1', '--variant', 'NS01', '--data', csvPath], 'operator');
    expect(wrongRole.code).toBe(2);
    expect(wrongRole.stderr).toMatch(/this token may not approve or reject variants .*use a token with the approver role/);

    const noData = await approve(['service-reminder', '--version', '1', '--variant', 'NS01']);
    expect(noData.code).toBe(2);
    expect(noData.stderr).toMatch(/pass --data <file.csv\|file.json> or --dataset <id>/);

    const noToken = await presswork(['approve', 'service-reminder', '--version', '1', '--variant', 'NS01', '--data', csvPath], {
      ...env,
      PRESSWORK_TOKEN: '',
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/needs an approver token/);

    const offline = await presswork(
      ['approve', 'service-reminder', '--version', '1', '--variant', 'NS01', '--data', csvPath, '--server', 'http://127.0.0.1:9'],
      { PRESSWORK_TOKEN: tok.approver! },
    );
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/cannot reach the server at http:\/\/127.0.0.1:9/);
  }, 180_000);
});
