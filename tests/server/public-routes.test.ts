import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDataFile } from '../../shared/data';
import { api } from '../../shared/http/routes';
import type { RunningServer } from '../../server/server';
import { PUBLIC_BODY_LIMIT } from '../../server/http/app';
import {
  client,
  decodedBody,
  header,
  SAMPLE_CSV,
  samplePackage,
  startSmtpSink,
  startTestServer,
  tempDir,
  token,
  waitFor,
  type SmtpSink,
} from './harness';

/**
 * The routes a mail client, a mailbox provider or a stranger reaches, over real loopback HTTP with real mail
 * received by an SMTP server: one-click unsubscribe in every encoding a provider sends (RFC 8058), tokens in
 * their one canonical spelling only, and an OpenAPI document whose every path the router answers.
 */

let sink: SmtpSink;
let server: RunningServer;
let tmp: ReturnType<typeof tempDir>;
let operator: ReturnType<typeof client>;
const records: Record<string, unknown>[] = [];

beforeAll(async () => {
  tmp = tempDir('public');
  sink = await startSmtpSink();
  server = await startTestServer(tmp.dir, {}, sink.port);
  operator = client(server.url, token(server, 'operator'));
  const publisher = client(server.url, token(server, 'publisher'));
  const { zip } = await samplePackage();
  expect((await publisher('POST', '/api/v1/templates', zip, { 'content-type': 'application/zip' })).status).toBe(201);
  const parsed = await parseDataFile(new TextEncoder().encode(SAMPLE_CSV), 'customers.csv', (await samplePackage()).pkg.document.data);
  records.push(...parsed.records.map((r) => r.values));
});

afterAll(async () => {
  await server?.close();
  await sink?.close();
  tmp?.remove();
});

/** Send one real-time message to `to` and return the List-Unsubscribe URL and the body of the mail as received. */
async function mailTo(to: string, n: number): Promise<{ unsubscribe: string; raw: string }> {
  const sent = await operator('POST', '/api/v1/messages', { templateId: 'service-reminder', version: 1, record: records[n], to });
  expect(sent.status, sent.text).toBe(200);
  const m = await waitFor('the message to arrive', () => sink.messages.find((x) => x.to.includes(to)), 20_000, 50);
  expect(header(m.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  return { unsubscribe: /<(http[^>]+)>/.exec(header(m.raw, 'List-Unsubscribe')!)![1]!, raw: m.raw };
}

/** A raw HTTP/1.1 request over loopback with exactly these headers and body bytes (no client adds anything). */
function raw(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The body Gmail and Yahoo send: multipart/form-data with one List-Unsubscribe=One-Click part. */
function providerMultipart(): { contentType: string; body: Buffer } {
  const boundary = '----WebKitFormBoundaryx8B2mCk0Uq7QvD3s';
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    'latin1',
  );
  return { contentType: `multipart/form-data; boundary=${boundary}`, body };
}

const ENCODINGS: { name: string; headers: Record<string, string>; body?: Buffer }[] = [
  {
    name: 'multipart/form-data (mailbox providers)',
    headers: { 'content-type': providerMultipart().contentType },
    body: providerMultipart().body,
  },
  {
    name: 'multipart/form-data with a quoted boundary and charset',
    headers: { 'content-type': 'multipart/form-data; charset=utf-8; boundary="b=1:x"' },
    body: Buffer.from('--b=1:x\r\ncontent-disposition: form-data; name=List-Unsubscribe\r\n\r\nOne-Click\r\n--b=1:x--\r\n'),
  },
  {
    name: 'application/x-www-form-urlencoded',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from('List-Unsubscribe=One-Click'),
  },
  { name: 'text/plain', headers: { 'content-type': 'text/plain' }, body: Buffer.from('List-Unsubscribe=One-Click') },
  { name: 'an empty body without Content-Type', headers: {}, body: Buffer.alloc(0) },
  { name: 'no body at all', headers: {} },
  { name: 'an empty form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.alloc(0) },
  { name: 'JSON', headers: { 'content-type': 'application/json' }, body: Buffer.from('{"List-Unsubscribe":"One-Click"}') },
];

describe('RFC 8058 one-click unsubscribe', () => {
  it('suppresses the address for a POST in every encoding; GET and HEAD only show the confirmation page', async () => {
    let n = 0;
    for (const enc of ENCODINGS) {
      const to = `one-click-${n}+<script>@example.org`.replace(/[<>]/g, '');
      const { unsubscribe } = await mailTo(to, n++);
      for (const method of ['GET', 'HEAD']) {
        const page = await raw(unsubscribe, method, {});
        expect(page.status, `${enc.name}: ${method}`).toBe(200);
        expect(String(page.headers['content-type'])).toMatch(/^text\/html/);
        if (method === 'GET') expect(page.text).toContain('name="List-Unsubscribe" value="One-Click"');
      }
      expect(server.services.suppressions.reason(to), `${enc.name}: a GET or HEAD unsubscribed`).toBeUndefined();

      const started = Date.now();
      const post = await raw(unsubscribe, 'POST', enc.headers, enc.body);
      expect(post.status, `${enc.name}: ${post.text}`).toBe(200);
      expect(post.text).toContain('You are unsubscribed');
      // Suppressed when the answer comes, well within RFC 8058's "promptly" and the one second asked of us.
      expect(server.services.suppressions.reason(to), enc.name).toBe('unsubscribed');
      expect(Date.now() - started).toBeLessThan(1000);
    }
    const list = await operator('GET', '/api/v1/suppressions?limit=100');
    for (let i = 0; i < ENCODINGS.length; i++) expect(list.text).toContain(`one-click-${i}+script@example.org`);
  });

  it('the confirmation form on the page posts and unsubscribes (a person without a one-click mail client)', async () => {
    const to = 'juergen.mueller@example.de';
    const { unsubscribe } = await mailTo(to, 20);
    const page = await fetch(unsubscribe);
    const action = /action="([^"]+)"/.exec(await page.text())![1]!;
    const res = await fetch(new URL(action, unsubscribe), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect(server.services.suppressions.reason(to)).toBe('unsubscribed');
  });

  it('a public route takes small bodies only: an upload-sized POST is refused with 413 before it is read', async () => {
    const to = 'big-body@example.org';
    const { unsubscribe } = await mailTo(to, 21);
    const res = await raw(unsubscribe, 'POST', { 'content-type': 'text/plain' }, Buffer.alloc(PUBLIC_BODY_LIMIT + 1, 0x41));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).error.message).toContain(`at most ${PUBLIC_BODY_LIMIT} bytes`);
    expect(server.services.suppressions.reason(to)).toBeUndefined();
  });
});

/** Spellings of a token other than its own that a lenient base64url decoder reads as the same bytes. */
function otherSpellings(tok: string): string[] {
  const [payload = '', sig = ''] = tok.split('.');
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = ALPHABET.indexOf(sig.at(-1)!);
  const out = [1, 2, 3].map((t) => `${payload}.${sig.slice(0, -1)}${ALPHABET[last | t]}`); // 22 chars: 2 spare bits
  out.push(`${payload}.${sig}==`, `${payload}=.${sig}`, `${payload}.${sig.replace(/-/g, '+').replace(/_/g, '/')}`);
  return out.filter((v) => v !== tok && Buffer.from(v.split('.')[1]!, 'base64url').equals(Buffer.from(sig, 'base64url')));
}

describe('canonical tokens over HTTP', () => {
  it('refuses every other spelling of an unsubscribe, open and click token', async () => {
    const to = 'spelling@example.org';
    const { unsubscribe, raw: mail } = await mailTo(to, 22);
    const tok = unsubscribe.slice(unsubscribe.lastIndexOf('/') + 1);
    const others = otherSpellings(tok);
    expect(others.length).toBeGreaterThanOrEqual(4);
    for (const other of others) {
      const res = await raw(
        `${server.url}/u/${encodeURIComponent(other)}`,
        'POST',
        { 'content-type': 'application/x-www-form-urlencoded' },
        Buffer.from('List-Unsubscribe=One-Click'),
      );
      expect(res.status, other).toBe(400);
    }
    expect(server.services.suppressions.reason(to)).toBeUndefined();

    // The open pixel and a click link of the same message.
    const body = decodedBody(mail);
    const open = /\/t\/o\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(body)?.[1];
    const click = /\/t\/c\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(body)?.[1];
    expect(open && click, 'the message has an open pixel and a tracked link').toBeTruthy();
    expect((await raw(`${server.url}/t/o/${open}`, 'GET', {})).status).toBe(200);
    expect((await raw(`${server.url}/t/c/${click}`, 'GET', {})).status).toBe(302);
    for (const other of [...otherSpellings(open!), ...otherSpellings(click!)]) {
      const path = other.startsWith(open!.split('.')[0]!) ? 't/o' : 't/c';
      const res = await raw(`${server.url}/${path}/${encodeURIComponent(other)}`, 'GET', {});
      expect(res.status, `${path}/${other}`).toBe(400);
      expect(res.headers.location).toBeUndefined();
    }
  });
});

describe('the OpenAPI document is the router', () => {
  it('every documented path is a route, with the same parameter names, and answers without a router 404', async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string; parameters: { name: string; in: string }[] }>>;
    };
    const tokens = Object.fromEntries((['publisher', 'approver', 'operator', 'viewer'] as const).map((r) => [r, token(server, r)]));
    let requests = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      // A path template is `/segments` with whole `{name}` parameters: nothing glued to a closing brace.
      expect(path, 'a parameter runs into text').not.toMatch(/\}[A-Za-z0-9_]/);
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      for (const [method, op] of Object.entries(ops)) {
        const def = api[op.operationId as keyof typeof api];
        expect(method.toUpperCase(), op.operationId).toBe(def.method);
        expect(server.app.hasRoute({ method: def.method, url: path.replace(/\{([^}]+)\}/g, ':$1') }), `${method} ${path}`).toBe(true);
        expect(
          op.parameters.filter((p) => p.in === 'path').map((p) => p.name),
          `${method} ${path}`,
        ).toEqual(names);
        // Placeholder values; a handler may well answer 400 or 404 for them, the router must not.
        const url = path.replace(/\{([^}]+)\}/g, (_, n: string) => (n === 'sha256' ? 'ab'.repeat(32) : n === 'version' ? '1' : `x-${n}`));
        const role = def.roles === 'public' ? undefined : def.roles[0];
        const res = await raw(`${server.url}${url}`, def.method, role ? { authorization: `Bearer ${tokens[role]}` } : {});
        requests++;
        if (res.status === 404) expect(JSON.parse(res.text || '{}').error?.message ?? '', `${def.method} ${url}`).not.toMatch(/^no route/);
        if (role) expect(res.status, `${def.method} ${url} with a ${role} token`).not.toBe(401);
      }
    }
    expect(requests).toBe(Object.keys(api).length);
  });
});
