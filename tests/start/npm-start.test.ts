import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { keyFileSecrets } from '../../main/services/secrets';

/**
 * `npm start` (package.json: `node --import tsx main/start.ts`, after the setup step) runs the whole product:
 * the `presswork serve` server and the studio (the web host here: no Electron), the studio connected to the
 * server with a publisher and an approver token. Stopped by its PID, both ports close.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });
const until = async (what: string, check: () => Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('npm start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the server and the studio, connected with working publisher and approver tokens; stops both by PID', async () => {
    // The command npm start runs (the prestart setup step aside).
    expect(pkg.scripts.start).toBe('node --import tsx main/start.ts');
    const [serverPort, studioPort] = [await freePort(), await freePort()];
    const studioData = join(dir, 'studio');
    // Reuse the renderer build when there is one (the e2e build); otherwise npm start builds it.
    const args = [
      '--import',
      'tsx',
      'main/start.ts',
      '--no-open',
      ...(existsSync(join(ROOT, 'out/renderer/index.html')) ? ['--no-build'] : []),
    ];
    let out = '';
    child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        // Only this test's settings: no PRESSWORK_* from the outer environment (an SMTP relay, another store).
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PRESSWORK_'))),
        PRESSWORK_DATA_DIR: join(dir, 'store'),
        PRESSWORK_PORT: String(serverPort),
        PRESSWORK_STUDIO_PORT: String(studioPort),
        PRESSWORK_STUDIO_DATA: studioData,
        PRESSWORK_NO_ELECTRON: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    await until('the studio to say it is connected', async () => out.includes('Presswork Studio at'), 150_000);

    const server = `http://127.0.0.1:${serverPort}`;
    const health = await fetch(`${server}/api/v1/health`);
    expect(health.status).toBe(200);
    const page = await fetch(`http://127.0.0.1:${studioPort}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(out).toContain(
      `No Electron on this machine, so the studio opens in your browser through the web host at http://127.0.0.1:${studioPort}/`,
    );
    expect(out).toContain('development outbox');
    expect(out).not.toMatch(/\n\s+at .*\(|ERR!|Error:/);

    // The studio's connection settings: the server URL and two tokens the server accepts, with their roles.
    const db = new Database(join(studioData, 'library.sqlite'), { readonly: true, fileMustExist: true });
    const pref = (k: string) => (db.prepare('SELECT value FROM prefs WHERE key = ?').get(k) as { value: string } | undefined)?.value;
    const secrets = keyFileSecrets(studioData);
    const saved = {
      url: pref('serverUrl'),
      publisher: secrets.decrypt(pref('tokenCipher')!),
      approver: secrets.decrypt(pref('approverTokenCipher')!),
    };
    db.close();
    expect(saved.url).toBe(server);
    for (const role of ['publisher', 'approver'] as const) {
      const who = await fetch(`${server}/api/v1/whoami`, { headers: { authorization: `Bearer ${saved[role]}` } });
      expect(who.status).toBe(200);
      expect(((await who.json()) as { role: string }).role).toBe(role);
    }

    // Stopped by its PID (as Ctrl+C would): both ports close, in bounded time.
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    process.kill(child.pid!, 'SIGTERM');
    expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 20_000))])).toBe(0);
    await until('both ports to close', async () => !(await portOpen(serverPort)) && !(await portOpen(studioPort)), 10_000);
  }, 180_000);
});
