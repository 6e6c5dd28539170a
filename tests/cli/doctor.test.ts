import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startSmtpSink, startTestServer, tempDir, type SmtpSink } from '../server/harness';
import type { RunningServer } from '../../server/server';
import { runPresswork } from '../support/cli';

/** Issue 21 item 4: `presswork doctor` through the real CLI, with tools missing, a relay without TLS and a server running. */

const tmp = tempDir('doctor');
let server: RunningServer;
let sink: SmtpSink;
const emptyPath = join(tmp.dir, 'empty-bin');
const base = {
  HOME: join(tmp.dir, 'home'),
  XDG_DATA_HOME: '',
  PRESSWORK_DATA_DIR: '',
  PRESSWORK_CONFIG: '',
  PRESSWORK_SMTP_URL: '',
  PRESSWORK_PUBLIC_URL: '',
};
const doctor = (args: string[], env: Record<string, string> = {}) =>
  runPresswork(['doctor', ...args], { env: { ...base, ...env }, timeoutMs: 90_000 });

beforeAll(async () => {
  mkdirSync(emptyPath, { recursive: true });
  server = await startTestServer(join(tmp.dir, 'server'));
  sink = await startSmtpSink();
}, 120_000);
afterAll(async () => {
  await server?.close();
  await sink?.close();
  tmp.remove();
});

describe('presswork doctor', () => {
  it('names each missing tool with the command that installs it; exit 0 while everything essential is there', async () => {
    const r = await doctor(['--server', server.url], { PATH: emptyPath, PRESSWORK_CHROMIUM: join(tmp.dir, 'no-chromium') });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok +Node\.js +\d+\.\d+/m);
    expect(r.stdout).toMatch(/^warning +Ghostscript +not found on PATH/m);
    expect(r.stdout).toMatch(/^warning +qpdf +not found/m);
    expect(r.stdout).toMatch(/^warning +poppler \(pdftoppm, pdffonts\) +not found/m);
    expect(r.stdout).toMatch(/^warning +Chromium +not found/m);
    if (process.platform === 'linux') {
      expect(r.stdout).toContain('Ghostscript: sudo apt-get install -y ghostscript');
      expect(r.stdout).toContain('poppler (pdftoppm, pdffonts): sudo apt-get install -y poppler-utils');
      expect(r.stdout).toContain('qpdf: sudo apt-get install -y qpdf');
    }
    expect(r.stdout).toMatch(/^ok +data folder +.*\.local\/share\/presswork \(the per-user default/m);
    expect(r.stdout).toMatch(/^ok +free space +[\d.]+ GB free/m);
    expect(r.stdout).toMatch(/^ok +SMTP relay +none configured: mail goes to the development outbox/m);
    expect(r.stdout).toContain(`${server.url} is running Presswork 0.1.0, development outbox`);
    expect(r.stdout).toContain('Everything essential is in place; 4 recommended items above (exit code 0).');
  });

  it('fails (exit 1) when the configured relay cannot be reached, and says how to fix it; no server is a warning', async () => {
    const r = await doctor(['--server', 'http://127.0.0.1:9', '--json'], { PRESSWORK_SMTP_URL: 'smtp://127.0.0.1:9' });
    expect(r.code).toBe(1);
    const { checks } = JSON.parse(r.stdout) as {
      checks: { name: string; status: string; essential: boolean; detail: string; fix?: string }[];
    };
    const relay = checks.find((c) => c.name === 'SMTP relay')!;
    expect(relay).toMatchObject({ status: 'missing', essential: true });
    expect(relay.detail).toContain('127.0.0.1:9');
    expect(relay.fix).toContain('PRESSWORK_SMTP_URL');
    const srv = checks.find((c) => c.name === 'server')!;
    expect(srv).toMatchObject({ status: 'warn', essential: false });
    expect(srv.fix).toContain('presswork serve');
    // Real mail with a loopback public URL: recipients could not reach the links.
    expect(checks.find((c) => c.name === 'public URL')).toMatchObject({ status: 'warn' });
  });

  it('reports a reachable relay without TLS as a warning, not a failure', async () => {
    const r = await doctor(['--server', server.url], {
      PRESSWORK_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      PRESSWORK_PUBLIC_URL: 'https://mail.example.com',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^warning +SMTP relay +127\\.0\\.0\\.1:${sink.port} reachable but without TLS`, 'm'));
    expect(r.stdout).toMatch(/^ok +public URL +https:\/\/mail\.example\.com/m);
  });

  it('explains its exit codes in --help', async () => {
    const r = await doctor(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:\n {2}0 {2}everything essential is in place/);
    expect(r.stdout).toMatch(/ {2}1 {2}something essential is missing/);
  });
});
