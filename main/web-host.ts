import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CSP } from './csp';
import { createStudio, type Studio, type StudioOptions } from './studio';
import { dispatch } from './ipc/dispatch';
import { keyFileSecrets } from './services/secrets';
import type { EventName, EventOf } from '../shared/ipc/contract';

/**
 * The web host: the same main-process services as Electron, served to a browser over a loopback HTTP bridge
 * generated from the same contract (POST /ipc/<channel>, events over Server-Sent Events at /events).
 *
 * Only this machine can connect (bound to 127.0.0.1), and only the page this host served can call it:
 * a random per-session token is written into that page and required on every call, the Host header must
 * name the loopback address (no DNS rebinding), and no CORS headers are ever sent.
 */
export interface WebHost {
  url: string;
  token: string;
  studio: Studio;
  server: Server;
  /**
   * Push an event to the connected pages, as Electron's main pushes `webContents.send` (the application
   * menu's `menu:command` in tests). In-process only: no HTTP route reaches it.
   */
  emit<E extends EventName>(event: E, payload: EventOf<E>): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
};
const MAX_BODY = 256 * 1024 * 1024;

export interface WebHostOptions extends Omit<StudioOptions, 'transport' | 'secrets' | 'emit'> {
  rendererDir: string;
  port?: number;
}

export async function startWebHost(o: WebHostOptions): Promise<WebHost> {
  const token = randomBytes(24).toString('base64url');
  const streams = new Set<ServerResponse>();
  const emit = <E extends EventName>(event: E, payload: EventOf<E>) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const s of streams) s.write(frame);
  };
  const studio = createStudio({ ...o, transport: 'web', secrets: keyFileSecrets(o.userData), emit });
  let port = 0;

  const tokenOk = (given: string | undefined) => {
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const send = (res: ServerResponse, status: number, body: string | Buffer, type = 'application/json') => {
    res.writeHead(status, {
      'content-type': type,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, v: unknown) => send(res, status, JSON.stringify(v));

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let n = 0;
      req.on('data', (c: Buffer) => {
        n += c.length;
        if (n > MAX_BODY) {
          reject(Object.assign(new Error('too large'), { status: 413 }));
          req.destroy();
        } else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
      return json(res, 421, { ok: false, error: { code: 'wrong-host', message: 'The studio answers only on its loopback address.' } });
    const url = new URL(req.url ?? '/', `http://${host}`);

    if (url.pathname.startsWith('/ipc/')) {
      if (req.method !== 'POST') return json(res, 405, { ok: false, error: { code: 'method', message: 'Bridge calls are POST.' } });
      if (!tokenOk(req.headers['x-studio-token'] as string | undefined))
        return json(res, 403, {
          ok: false,
          error: { code: 'forbidden-sender', message: 'Refused: this page was not served by this studio session. Reload the studio.' },
        });
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return json(res, 415, { ok: false, error: { code: 'bad-request', message: 'Bridge calls send JSON.' } });
      let args: unknown;
      try {
        const text = await readBody(req);
        args = text ? JSON.parse(text) : {};
      } catch (e) {
        const status = (e as { status?: number }).status ?? 400;
        return json(res, status, {
          ok: false,
          error: {
            code: status === 413 ? 'too-large' : 'bad-json',
            message: status === 413 ? 'The upload is larger than 256 MB.' : 'The call body is not valid JSON.',
          },
        });
      }
      const channel = decodeURIComponent(url.pathname.slice('/ipc/'.length));
      return json(res, 200, await dispatch(studio.handlers, channel, args));
    }

    if (url.pathname === '/events') {
      if (!tokenOk(url.searchParams.get('token') ?? undefined))
        return json(res, 403, { ok: false, error: { code: 'forbidden-sender', message: 'Refused.' } });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }

    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return json(res, 405, { ok: false, error: { code: 'method', message: 'Only GET here.' } });
    const rel = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    const file = normalize(join(o.rendererDir, rel));
    if (!file.startsWith(normalize(o.rendererDir) + sep)) return send(res, 404, 'not found', 'text/plain');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      if (rel === '/index.html')
        return send(res, 500, `The renderer is not built (${file} is missing); run npm run build first.`, 'text/plain; charset=utf-8');
      return send(res, 404, 'not found', 'text/plain');
    }
    if (rel === '/index.html')
      body = Buffer.from(body.toString('utf8').replace('<head>', `<head>\n    <meta name="studio-token" content="${token}" />`));
    return send(res, 200, body, TYPES[extname(file)] ?? 'application/octet-stream');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error(e);
      if (!res.headersSent) json(res, 500, { ok: false, error: { code: 'internal', message: 'The web host failed; see its console.' } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    studio,
    server,
    emit,
    close: async () => {
      for (const s of streams) s.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await studio.close();
    },
  };
}
