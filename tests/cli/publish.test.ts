import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTemplatePackage } from '../../shared/model/package';
import { readFileSync } from 'node:fs';
import { startTestServer, tempDir, token } from '../server/harness';
import type { RunningServer } from '../../server/server';
import { runPresswork } from '../support/cli';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sample = join(root, 'assets/sample-campaign');

const presswork = (args: string[], env: Record<string, string> = {}) => runPresswork(args, { env, timeoutMs: 90_000 });

describe('presswork pack and publish', () => {
  const tmp = tempDir('cli-publish');
  let server: RunningServer;
  let publisher: string;

  beforeAll(async () => {
    server = await startTestServer(join(tmp.dir, 'data'));
    publisher = token(server, 'publisher');
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    tmp.remove();
  });

  it('packs the sample folder into a package that reads back', async () => {
    const out = join(tmp.dir, 'sample.zip');
    const r = await presswork(['pack', sample, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/9 assets \(9 distinct files\)/);
    const back = readTemplatePackage(new Uint8Array(readFileSync(out)));
    expect(back.ok && back.pkg.document.id).toBe('service-reminder');
  });

  it('publishes once, then re-publishing the unchanged template uploads nothing', async () => {
    const first = await presswork(['publish', sample, '--server', server.url, '--json'], { PRESSWORK_TOKEN: publisher });
    expect(first.stderr).toBe('');
    const a = JSON.parse(first.stdout);
    expect(a).toMatchObject({ templateId: 'service-reminder', version: 1, created: true, assetsUploaded: 9, assetsAlreadyThere: 0 });
    expect(a.bytesUploaded).toBeGreaterThan(500_000);
    const again = await presswork(['publish', sample, '--server', server.url, '--token', publisher]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/unchanged, already version 1 .*\(0 assets uploaded, 0 bytes; 9 already there\)/);
  }, 180_000);

  it('explains a bad token, a missing token and an unreachable server', async () => {
    const bad = await presswork(['publish', sample, '--server', server.url, '--token', 'pw_not-a-real-token']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/refused the token.*presswork token create --role publisher/);
    const none = await presswork(['publish', sample, '--server', server.url], { PRESSWORK_TOKEN: '' });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs a publisher token/);
    const offline = await presswork(['publish', sample, '--server', 'http://127.0.0.1:9', '--token', publisher]);
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/cannot reach the server at http:\/\/127.0.0.1:9/);
  }, 180_000);
});
