import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { loadTemplate } from '../../server/templates/load';
import { writeTemplatePackage, type TemplatePackage } from '../../shared/model/package';
import { startServer, type RunningServer } from '../../server/server';
import type { ConfigInput } from '../../server/config';
import type { Role } from '../../shared/http/schemas';

/** Shared pieces for the server integration tests: a real SMTP sink, a server on loopback, the sample package. */

export const SAMPLE_DIR = fileURLToPath(new URL('../../assets/sample-campaign', import.meta.url));
export const SAMPLE_CSV = readFileSync(join(SAMPLE_DIR, 'data', 'customers.csv'), 'utf8');

export async function samplePackage(): Promise<{ pkg: TemplatePackage; zip: Uint8Array }> {
  const loaded = await loadTemplate(SAMPLE_DIR);
  if (!loaded.ok) throw new Error(`sample campaign is invalid: ${JSON.stringify(loaded.issues)}`);
  return { pkg: loaded.pkg, zip: writeTemplatePackage(loaded.pkg) };
}

export interface Received {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpSink {
  port: number;
  messages: Received[];
  /** Decide per RCPT TO: undefined accepts; a number answers that SMTP code. */
  rcptPolicy?: (address: string) => number | undefined;
  /** Server-side errors other than a client resetting its connection. */
  errors: Error[];
  close(): Promise<void>;
}

export async function startSmtpSink(extra: Partial<SMTPServerOptions> = {}): Promise<SmtpSink> {
  const sink: SmtpSink = { port: 0, messages: [], errors: [], close: async () => undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, cb) {
      const code = sink.rcptPolicy?.(address.address);
      if (code === undefined) return cb();
      const err = Object.assign(new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: code });
      return cb(err);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        sink.messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
    ...extra,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A client that vanishes mid-session (the crash test kills the server process) resets its connection;
  // smtp-server reports that as an 'error' event, which must not become an uncaught exception in the test run.
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') sink.errors.push(err);
  });
  sink.port = (server.server.address() as { port: number }).port;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `presswork-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startTestServer(dataDir: string, overrides: ConfigInput = {}, smtpPort?: number): Promise<RunningServer> {
  return startServer(
    {
      env: {},
      overrides: {
        port: 0,
        dataDir,
        logLevel: 'silent',
        workers: 1,
        ...(smtpPort ? { smtp: { host: '127.0.0.1', port: smtpPort, maxConnections: 3, rejectUnauthorized: false } } : {}),
        ...overrides,
      },
    },
    { logger: false },
  );
}

export function token(server: RunningServer, role: Role): string {
  return server.services.tokens.create(role, `test-${role}`).token;
}

/** A small HTTP client over real loopback sockets. */
export function client(base: string, bearer?: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const h: Record<string, string> = { ...headers };
    if (bearer) h.authorization = `Bearer ${bearer}`;
    let payload: NonNullable<Parameters<typeof fetch>[1]>['body'];
    if (body instanceof Uint8Array) payload = body;
    else if (typeof body === 'string') payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${base}${path}`, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return {
      status: res.status,
      headers: res.headers,
      text,
      json: json as Record<string, unknown> & { error?: { code: string; message: string } },
    };
  };
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A header's value from a raw message (unfolded). */
export function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const m = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'mi').exec(head);
  return m?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim();
}

/** The decoded text of every part of a multipart message (base64 or quoted-printable), joined. */
export function decodedBody(raw: string): string {
  const boundary = /boundary="([^"]+)"/.exec(raw)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`).slice(1) : [raw.slice(raw.indexOf('\r\n\r\n'))];
  return parts
    .map((p) => {
      const [head = '', ...rest] = p.split('\r\n\r\n');
      const body = rest.join('\r\n\r\n');
      if (/Content-Transfer-Encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
      if (/Content-Transfer-Encoding: quoted-printable/i.test(head))
        return Buffer.from(
          body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8');
      return body;
    })
    .join('\n');
}
