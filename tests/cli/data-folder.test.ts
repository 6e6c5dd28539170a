import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../server/harness';
import { runPresswork } from '../support/cli';

/**
 * Issue 21 item 1: `serve` and `token …` find the same store by one order and say which store they use; a token
 * refused by a server names the server and suggests the matching command once.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempDir('data-folder');
const base = realpathSync(tmp.dir);
const home = join(base, 'home');
const project = join(base, 'project');
const deep = join(project, 'campaigns', 'spring');
const elsewhere = join(base, 'elsewhere');
// No store settings leak in from the machine running the tests.
const env = { HOME: home, XDG_DATA_HOME: '', PRESSWORK_DATA_DIR: '', PRESSWORK_CONFIG: '', PRESSWORK_TOKEN: '' };
const run = (args: string[], cwd: string, extra: Record<string, string> = {}) =>
  runPresswork(args, { cwd, env: { ...env, ...extra }, timeoutMs: 60_000 });

let serve: ChildProcess | undefined;

beforeAll(() => {
  mkdirSync(deep, { recursive: true });
  mkdirSync(elsewhere, { recursive: true });
});
afterAll(() => {
  if (serve?.pid && serve.exitCode === null) process.kill(serve.pid, 'SIGKILL');
  tmp.remove();
});

describe('one data folder, said out loud', () => {
  it('token create and token list from two unrelated folders use the one per-user store and name it', async () => {
    const created = await run(['token', 'create', '--role', 'viewer', '--name', 'from-deep', '--json'], deep);
    expect(created.code).toBe(0);
    const store = join(home, '.local', 'share', 'presswork');
    expect(created.stderr).toContain(`data folder ${store} (the per-user default`);
    expect(created.stderr).toContain('a new, empty one is created');
    const { id } = JSON.parse(created.stdout) as { id: string };
    const listed = await run(['token', 'list'], elsewhere);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain(`data folder ${store}`);
    expect(listed.stderr).not.toContain('new, empty');
    expect(listed.stdout).toContain(id);
  });

  it('the nearest .presswork folder upward wins over the default; PRESSWORK_DATA_DIR and --data-dir win over both', async () => {
    mkdirSync(join(project, '.presswork'), { recursive: true });
    const near = await run(['token', 'create', '--role', 'publisher', '--name', 'near', '--json'], deep);
    expect(near.stderr).toContain(`data folder ${join(project, '.presswork')} (the nearest .presswork folder above ${deep})`);
    const fromEnv = await run(['token', 'list'], deep, { PRESSWORK_DATA_DIR: join(base, 'env-store') });
    expect(fromEnv.stderr).toContain(`data folder ${join(base, 'env-store')} (PRESSWORK_DATA_DIR)`);
    const fromFlag = await run(['token', 'list', '--data-dir', join(base, 'flag-store')], deep, {
      PRESSWORK_DATA_DIR: join(base, 'env-store'),
    });
    expect(fromFlag.stderr).toContain(`data folder ${join(base, 'flag-store')} (--data-dir)`);
  });

  it('serve uses the same store as token from a sub-folder, and a refused token names the server and the fix once', async () => {
    mkdirSync(join(project, '.presswork'), { recursive: true });
    serve = spawn(process.execPath, [join(ROOT, 'bin/presswork.mjs'), 'serve', '--port', '0'], {
      cwd: project,
      env: { ...process.env, ...env, PRESSWORK_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let banner = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${banner}`)), 60_000);
      serve!.stdout!.on('data', (b: Buffer) => {
        banner += b.toString();
        const m = /listening on (http:\/\/\S+)/.exec(banner);
        if (m && banner.includes('API:')) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      serve!.on('exit', () => reject(new Error(`serve exited: ${banner}`)));
    });
    expect(banner).toContain(`data folder: ${join(project, '.presswork')} (the nearest .presswork folder above ${project})`);
    expect(banner).toContain('"presswork token …" run in this folder or below it uses it too');

    // A token from another store is refused: the advice names the server and is given once.
    const other = await run(['token', 'create', '--role', 'publisher', '--json'], elsewhere);
    const foreign = (JSON.parse(other.stdout) as { token: string }).token;
    const sample = join(ROOT, 'assets/sample-campaign');
    const refused = await run(['publish', sample, '--server', url, '--token', foreign], deep);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`the server at ${url} refused the token`);
    expect(refused.stderr.match(/presswork token create/g)).toHaveLength(1);

    // A token made from a sub-folder of the project is accepted by the server started at its root.
    const mine = JSON.parse((await run(['token', 'create', '--role', 'publisher', '--json'], deep)).stdout) as { token: string };
    const ok = await run(['publish', sample, '--server', url, '--token', mine.token], deep);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    process.kill(serve.pid!, 'SIGTERM');
  }, 180_000);
});
