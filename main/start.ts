import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebHost, type WebHost } from './web-host';

/**
 * `npm start`: the whole product on this machine.
 *
 *  1. The local companion server, exactly as `presswork serve` (a child process running that command: same
 *     settings, same store — the nearest .presswork folder upward, else the per-user default — and, with no
 *     SMTP relay configured, the development outbox).
 *  2. A publisher and an approver token for the local user (`presswork token create`), reused on the next
 *     start while the server still accepts them.
 *  3. The studio, connected to that server: Electron where its binary exists (the tokens reach Electron's
 *     main through PRESSWORK_STUDIO_CONNECT and are stored with safeStorage); otherwise the browser studio
 *     through the web host (http://127.0.0.1:5199/ unless PRESSWORK_STUDIO_PORT says otherwise), with the
 *     server URL and both tokens in its Preferences.
 *
 * Ctrl+C (or SIGTERM to this process) stops the studio and the server. `--no-open` leaves the browser
 * closed; `--no-build` uses the renderer already in out/ (tests).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const say = (line: string) => console.log(line);

const children = new Set<ChildProcess>();
let webHost: WebHost | undefined;
let stopping = false;

async function stop(code = 0): Promise<never> {
  if (!stopping) {
    stopping = true;
    await webHost?.close().catch(() => undefined);
    await Promise.all(
      [...children].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const force = setTimeout(() => c.kill('SIGKILL'), 10_000);
            c.once('exit', () => (clearTimeout(force), resolve()));
            c.kill('SIGTERM');
          }),
      ),
    );
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/** `presswork <args>` as a child of this process, sharing its terminal for messages. */
const presswork = (cliArgs: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin/presswork.mjs'), ...cliArgs], { cwd: process.cwd(), encoding: 'utf8' });

/** Start `presswork serve` and wait until it says where it listens. */
function startServer(): Promise<string> {
  // Its own process group: Ctrl+C reaches only this launcher, which stops the server once (SIGTERM), after the studio.
  const child = spawn(process.execPath, [join(root, 'bin/presswork.mjs'), 'serve'], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      // The tokens are created just below, so the banner's "no API tokens yet" advice does not apply here.
      process.stdout.write(b.toString().replace(/^.*no API tokens yet.*\n?/m, ''));
      out += b.toString();
      const m = /Presswork server listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (b: Buffer) => process.stderr.write(b));
    child.on('exit', (code) => {
      children.delete(child);
      if (!stopping) {
        reject(new Error(`the server stopped (exit code ${code}); see its messages above`));
        say('The Presswork server stopped; stopping the studio too.');
        void stop(code ?? 1);
      }
    });
  });
}

async function role(serverUrl: string, token: string | undefined): Promise<string | undefined> {
  if (!token) return undefined;
  try {
    const r = await fetch(`${serverUrl}/api/v1/whoami`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(5000),
    });
    return r.ok ? ((await r.json()) as { role?: string }).role : undefined;
  } catch {
    return undefined;
  }
}

/** A token of `wanted` role: the saved one while the server accepts it, else a new one from `presswork token create`. */
async function tokenFor(wanted: 'publisher' | 'approver', serverUrl: string, saved: string | undefined): Promise<string> {
  if ((await role(serverUrl, saved)) === wanted) return saved!;
  const r = presswork(['token', 'create', '--role', wanted, '--name', `studio ${wanted} (npm start)`, '--json']);
  if (r.status !== 0) throw new Error(`could not create a ${wanted} token: ${r.stderr.trim() || r.stdout.trim()}`);
  return (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { token: string }).token;
}

function electronBinary(): string | undefined {
  if (process.env.PRESSWORK_NO_ELECTRON) return undefined;
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : undefined;
  } catch {
    return undefined; // no binary for this machine (not downloaded, or no display libraries): the web host it is
  }
}

try {
  const serverUrl = await startServer();
  if (!args.includes('--no-build')) {
    say('Building the studio…');
    const b = spawnSync(process.execPath, ['--import', 'tsx', 'main/build.ts'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (b.status !== 0) throw new Error('the studio did not build; see the messages above');
  }
  const electron = electronBinary();
  if (electron) {
    const connect = {
      serverUrl,
      token: await tokenFor('publisher', serverUrl, undefined),
      approverToken: await tokenFor('approver', serverUrl, undefined),
    };
    say(`Opening Presswork Studio (Electron), connected to ${serverUrl}.`);
    const app = spawn(electron, ['out/main/index.js'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, PRESSWORK_STUDIO_CONNECT: JSON.stringify(connect) },
    });
    children.add(app);
    app.on('exit', () => (children.delete(app), void stop(0)));
  } else {
    const port = Number(process.env.PRESSWORK_STUDIO_PORT ?? 5199);
    say(`No Electron on this machine, so the studio opens in your browser through the web host at http://127.0.0.1:${port}/`);
    const userData = process.env.PRESSWORK_STUDIO_DATA ?? join(homedir(), '.presswork-studio-web');
    webHost = await startWebHost({ rendererDir: join(root, 'out/renderer'), userData, port });
    const prefs = webHost.studio.prefs;
    const saved = (read: () => string | undefined) => {
      try {
        return prefs.serverUrl() === serverUrl ? read() : undefined;
      } catch {
        return undefined; // saved with another machine's key: replaced below
      }
    };
    prefs.set({
      serverUrl,
      token: await tokenFor(
        'publisher',
        serverUrl,
        saved(() => prefs.token()),
      ),
      approverToken: await tokenFor(
        'approver',
        serverUrl,
        saved(() => prefs.approverToken()),
      ),
    });
    say(
      `Presswork Studio at ${webHost.url} — connected to ${serverUrl} (publisher and approver tokens in Preferences). Ctrl+C stops both.`,
    );
    if (!args.includes('--no-open')) {
      const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
      spawn(opener, [webHost.url], { stdio: 'ignore', detached: true })
        .on('error', () => say('(Could not open a browser: open the address above yourself.)'))
        .unref();
    }
  }
} catch (e) {
  say(`npm start: ${(e as Error).message}`);
  await stop(1);
}
