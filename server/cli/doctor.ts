import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Config } from '../config';
import { describeStore } from './store';
import { DEFAULT_SERVER } from './server-client';

/**
 * `presswork doctor`: what Presswork needs on this machine, each check with its status and, when something is
 * missing, the command that fixes it. Essential checks decide the exit code; recommended ones only warn.
 */

export type CheckStatus = 'ok' | 'warn' | 'missing';

export interface Check {
  name: string;
  status: CheckStatus;
  /** Essential: Presswork cannot do its work without it (exit code 1 when missing). */
  essential: boolean;
  detail: string;
  /** The command (or step) that fixes it. */
  fix?: string;
}

export const CLI_VERSION = '0.1.0';
const MIN_NODE = [20, 10] as const;
const MIN_FREE_BYTES = 500 * 1024 * 1024;

/** The install command for a system package on this platform. */
export function installCommand(pkg: { apt: string; brew: string; winget?: string }, platform = process.platform): string {
  if (platform === 'darwin') return `brew install ${pkg.brew}`;
  if (platform === 'win32') return pkg.winget ? `winget install ${pkg.winget}` : `install ${pkg.brew} and put it on PATH`;
  return `sudo apt-get install -y ${pkg.apt}`;
}

/** Runs `cmd args` and resolves with its first output line, or undefined when it cannot run. */
function versionOf(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 10_000, env }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return resolve(undefined);
      const text = `${stdout}\n${stderr}`.trim();
      if (err && !text) return resolve(undefined);
      resolve(text.split(/\r?\n/)[0]?.trim() ?? '');
    });
  });
}

export function checkNode(version = process.versions.node): Check {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return {
    name: 'Node.js',
    status: ok ? 'ok' : 'missing',
    essential: true,
    detail: `${version}${ok ? '' : ` (Presswork needs ${MIN_NODE.join('.')} or later)`}`,
    ...(ok ? {} : { fix: 'install Node 20 LTS or later from https://nodejs.org/ (or: nvm install 20)' }),
  };
}

async function checkTools(env: NodeJS.ProcessEnv): Promise<Check[]> {
  const tools: { name: string; cmd: string; args: string[]; pkg: { apt: string; brew: string; winget?: string }; why: string }[] = [
    {
      name: 'poppler (pdftoppm, pdffonts)',
      cmd: 'pdftoppm',
      args: ['-v'],
      pkg: { apt: 'poppler-utils', brew: 'poppler' },
      why: 'checks and rasterises PDFs',
    },
    {
      name: 'Ghostscript',
      cmd: 'gs',
      args: ['--version'],
      pkg: { apt: 'ghostscript', brew: 'ghostscript', winget: 'ArtifexSoftware.GhostScript' },
      why: 'checks separations',
    },
    {
      name: 'qpdf',
      cmd: 'qpdf',
      args: ['--version'],
      pkg: { apt: 'qpdf', brew: 'qpdf', winget: 'QPDF.QPDF' },
      why: 'checks PDF structure',
    },
  ];
  const checks = await Promise.all(
    tools.map(async (t): Promise<Check> => {
      const v = await versionOf(t.cmd, t.args, env);
      return v === undefined
        ? {
            name: t.name,
            status: 'warn',
            essential: false,
            detail: `not found on PATH (${t.why}; the test suite needs it)`,
            fix: installCommand(t.pkg),
          }
        : { name: t.name, status: 'ok', essential: false, detail: v };
    }),
  );
  const chromiumPath = env.PRESSWORK_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : 'chromium');
  const chromium = await versionOf(chromiumPath, ['--version'], env);
  checks.push(
    chromium === undefined
      ? {
          name: 'Chromium',
          status: 'warn',
          essential: false,
          detail:
            'not found (the studio in a browser, its end-to-end tests and page screenshots use it; set PRESSWORK_CHROMIUM to its path if installed elsewhere)',
          fix: installCommand({ apt: 'chromium', brew: '--cask chromium', winget: 'Hibbiki.Chromium' }),
        }
      : { name: 'Chromium', status: 'ok', essential: false, detail: `${chromium} (${chromiumPath})` },
  );
  return checks;
}

export function checkDataFolder(config: Config): Check[] {
  const dir = config.dataDir;
  const checks: Check[] = [];
  // The folder, or the nearest existing folder above it, must be writable.
  let probe = dir;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  let writable = true;
  try {
    accessSync(probe, constants.W_OK);
  } catch {
    writable = false;
  }
  checks.push(
    writable
      ? { name: 'data folder', status: 'ok', essential: true, detail: describeStore(config, false).replace(/^data folder /, '') }
      : {
          name: 'data folder',
          status: 'missing',
          essential: true,
          detail: `${dir} cannot be written (${probe} is not writable)`,
          fix: `choose a writable folder: presswork serve --data-dir <folder> (or PRESSWORK_DATA_DIR=<folder>), or: sudo chown -R "$USER" ${JSON.stringify(probe)}`,
        },
  );
  try {
    const fs = statfsSync(probe);
    const free = fs.bavail * fs.bsize;
    const gb = (free / 1024 ** 3).toFixed(1);
    checks.push(
      free >= MIN_FREE_BYTES
        ? { name: 'free space', status: 'ok', essential: true, detail: `${gb} GB free on the data folder's disk` }
        : {
            name: 'free space',
            status: 'missing',
            essential: true,
            detail: `only ${(free / 1024 ** 2).toFixed(0)} MB free on the data folder's disk; jobs need room for PDFs and the database`,
            fix: `free space on that disk, or move the store: presswork serve --data-dir <folder on a larger disk>`,
          },
    );
  } catch {
    // statfs is not available everywhere; the write check above still says whether the folder is usable.
  }
  return checks;
}

/** Connects to the configured relay as delivery does: reachable, TLS (implicit or STARTTLS), login when configured. */
export async function checkSmtp(config: Config): Promise<Check> {
  const smtp = config.smtp;
  if (!smtp)
    return {
      name: 'SMTP relay',
      status: 'ok',
      essential: false,
      detail: 'none configured: mail goes to the development outbox (nothing leaves this machine)',
    };
  const where = `${smtp.host}:${smtp.port}`;
  const fixRelay = 'check the relay settings (PRESSWORK_SMTP_URL or smtp in presswork.config.json; see docs/server.md)';
  return new Promise<Check>((resolve) => {
    const conn = new SMTPConnection({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      tls: { rejectUnauthorized: smtp.rejectUnauthorized },
      connectionTimeout: 8_000,
      greetingTimeout: 8_000,
      socketTimeout: 10_000,
      logger: false,
    });
    let done = false;
    const finish = (c: Check) => {
      if (done) return;
      done = true;
      try {
        conn.quit();
      } catch {
        conn.close();
      }
      resolve(c);
    };
    conn.on('error', (e: Error) =>
      finish({ name: 'SMTP relay', status: 'missing', essential: true, detail: `cannot talk to ${where}: ${e.message}`, fix: fixRelay }),
    );
    conn.connect((err) => {
      if (err)
        return finish({
          name: 'SMTP relay',
          status: 'missing',
          essential: true,
          detail: `cannot connect to ${where}: ${err.message}`,
          fix: fixRelay,
        });
      const tls = conn.secure ? (smtp.secure ? 'TLS' : 'STARTTLS') : 'no TLS';
      const result = (loginNote: string): Check =>
        conn.secure
          ? { name: 'SMTP relay', status: 'ok', essential: true, detail: `${where} reachable, ${tls}${loginNote}` }
          : {
              name: 'SMTP relay',
              status: 'warn',
              essential: true,
              detail: `${where} reachable but without TLS${loginNote}: messages and passwords cross the network in clear text`,
              fix: 'use a relay that offers STARTTLS on 587 or TLS on 465 (PRESSWORK_SMTP_URL=smtps://…)',
            };
      if (!smtp.user) return finish(result(''));
      conn.login({ user: smtp.user, pass: smtp.pass ?? '' }, (e) =>
        finish(
          e
            ? {
                name: 'SMTP relay',
                status: 'missing',
                essential: true,
                detail: `${where} refused the login for ${smtp.user}: ${e.message}`,
                fix: 'check PRESSWORK_SMTP_USER and PRESSWORK_SMTP_PASS',
              }
            : result(`, login as ${smtp.user} accepted`),
        ),
      );
    });
  });
}

export function checkPublicUrl(config: Config): Check {
  const u = new URL(config.publicUrl);
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(u.hostname);
  const fix = 'set the address recipients reach: PRESSWORK_PUBLIC_URL=https://mail.example.com (see docs/server.md)';
  if (loopback)
    return {
      name: 'public URL',
      status: config.smtp ? 'warn' : 'ok',
      essential: false,
      detail: `${config.publicUrl}: only this machine reaches it${config.smtp ? '; recipients of real mail cannot open images, links or unsubscribe' : ' (fine for the development outbox)'}`,
      ...(config.smtp ? { fix } : {}),
    };
  if (u.protocol !== 'https:')
    return {
      name: 'public URL',
      status: 'warn',
      essential: false,
      detail: `${config.publicUrl}: not https; one-click unsubscribe (RFC 8058) needs https`,
      fix,
    };
  return { name: 'public URL', status: 'ok', essential: false, detail: config.publicUrl };
}

export async function checkServer(url: string): Promise<Check> {
  try {
    const res = await fetch(`${url.replace(/\/+$/, '')}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
    const body = (await res.json().catch(() => undefined)) as { version?: string; status?: string; outbox?: boolean } | undefined;
    if (!res.ok || body?.status !== 'ok')
      return {
        name: 'server',
        status: 'warn',
        essential: false,
        detail: `${url} answered ${res.status}, not as a Presswork server`,
        fix: 'check --server / PRESSWORK_SERVER',
      };
    const same = body.version === CLI_VERSION;
    return {
      name: 'server',
      status: same ? 'ok' : 'warn',
      essential: false,
      detail: `${url} is running Presswork ${body.version}${same ? '' : ` (this CLI is ${CLI_VERSION})`}${body.outbox ? ', development outbox' : ''}`,
      ...(same ? {} : { fix: 'run the same Presswork version for the server and the CLI' }),
    };
  } catch (e) {
    const cause = (e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message;
    return {
      name: 'server',
      status: 'warn',
      essential: false,
      detail: `no server at ${url} (${cause}); needed for publish, approvals and jobs`,
      fix: 'presswork serve   (in another terminal; or pass --server <url>)',
    };
  }
}

export async function runDoctor(config: Config, opts: { server?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Check[]> {
  const env = opts.env ?? process.env;
  const serverUrl = opts.server ?? env.PRESSWORK_SERVER ?? DEFAULT_SERVER;
  const [tools, smtp, server] = await Promise.all([checkTools(env), checkSmtp(config), checkServer(serverUrl)]);
  return [checkNode(), ...checkDataFolder(config), ...tools, smtp, checkPublicUrl(config), server];
}

/** Lines for people: one per check, then what to run. */
export function formatChecks(checks: readonly Check[]): string {
  const mark: Record<CheckStatus, string> = { ok: 'ok     ', warn: 'warning', missing: 'MISSING' };
  const lines = checks.map((c) => `${mark[c.status]}  ${c.name.padEnd(28)} ${c.detail}`);
  const fixes = checks.filter((c) => c.status !== 'ok' && c.fix);
  if (fixes.length) {
    lines.push('', 'To fix:');
    for (const c of fixes) lines.push(`  ${c.name}: ${c.fix}`);
  }
  const essential = checks.filter((c) => c.essential && c.status === 'missing').length;
  lines.push(
    '',
    essential
      ? `${essential} essential check${essential === 1 ? '' : 's'} failed (exit code 1).`
      : `Everything essential is in place${fixes.length ? `; ${fixes.length} recommended item${fixes.length === 1 ? '' : 's'} above` : ''} (exit code 0).`,
  );
  return lines.join('\n');
}
