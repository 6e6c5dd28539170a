import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { OutboxQuery } from '../../../shared/http/outbox';
import type { Services } from '../../services';
import { HttpError, notFound } from '../route-kit';
import { readEml, readEmlHeaders } from './eml-read';
import { outboxHtml, type OutboxRow, type OutboxOpened } from './outbox-page';

/**
 * The development outbox (no SMTP relay configured): the messages the server wrote to <dataDir>/outbox as
 * `.eml`, listed newest first with filters and pages, one of them shown rendered. It holds customer mail and
 * live unsubscribe links, so it answers only the person at this machine (docs/server.md).
 */

export const OUTBOX_PAGE_SIZE = 25;

const LOOPBACK_NAMES = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** A Host header naming this machine's loopback interface: localhost, 127.x.x.x or [::1], with any port. */
export function isLoopbackHost(host: string | undefined): boolean {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec((host ?? '').trim());
  return m !== null && LOOPBACK_NAMES.test(m[1]!.toLowerCase());
}

const isLoopbackIp = (ip: string) => /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/.test(ip);

/**
 * Loopback callers that also name a loopback Host, or callers with a valid token. The Host check keeps out a
 * DNS-rebinding page (its requests reach 127.0.0.1 but carry `Host: evil.example`) and a reverse proxy on this
 * machine (its requests come from 127.0.0.1 but carry the public name).
 */
export function outboxAllowed(s: Services, req: FastifyRequest): void {
  if (s.transport.kind !== 'outbox') throw notFound('the development outbox is off because an SMTP relay is configured');
  const auth = String(req.headers.authorization ?? '');
  if (auth.startsWith('Bearer ') && s.tokens.verify(auth.slice(7).trim())) return;
  if (isLoopbackIp(req.ip) && isLoopbackHost(req.headers.host)) return;
  throw new HttpError(
    401,
    'unauthorized',
    'the development outbox is shown only at http://127.0.0.1:<port>/outbox or http://localhost:<port>/outbox on the machine running the server, or with a token (Authorization: Bearer …)',
  );
}

/** Job id from the file name the delivery engine gives (`<jobId>-<deliveryId>.eml`; real-time: `msg-<id>.eml`). */
export const jobOfFile = (file: string): string => {
  const base = file.replace(/-\d+\.eml$/, '');
  return base === 'msg' ? '(real-time)' : base;
};

const headCache = new Map<string, { mtimeMs: number; to: string; subject: string }>();

/** The To and Subject of a message from its first 16 KB (cached by file and modification time). */
async function headOf(dir: string, file: string, mtimeMs: number): Promise<{ to: string; subject: string }> {
  const key = join(dir, file);
  const hit = headCache.get(key);
  if (hit && hit.mtimeMs === mtimeMs) return hit;
  const fh = await open(key, 'r');
  let raw: string;
  try {
    const buf = Buffer.alloc(16 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    raw = buf.subarray(0, bytesRead).toString('latin1');
  } finally {
    await fh.close();
  }
  const headers = readEmlHeaders(raw.split(/\r?\n\r?\n/, 1)[0] ?? '');
  const get = (n: string) => headers.find(([h]) => h === n)?.[1] ?? '';
  const entry = { mtimeMs, to: get('to'), subject: get('subject') };
  if (headCache.size > 50_000) headCache.clear();
  headCache.set(key, entry);
  return entry;
}

const FILE_RE = /^[\w.-]+\.eml$/;

export async function outboxPage(s: Services, q: OutboxQuery): Promise<string> {
  const dir = s.outboxDir;
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => FILE_RE.test(f));
  const jobFilter = q.job?.trim();
  const toFilter = q.to?.trim().toLowerCase();
  const subjectFilter = q.subject?.trim().toLowerCase();
  const candidates = jobFilter ? files.filter((f) => jobOfFile(f) === jobFilter || f.startsWith(`${jobFilter}-`)) : files;
  const timed = (
    await Promise.all(
      candidates.map(async (file) => {
        const st = await stat(join(dir, file)).catch(() => undefined);
        return st ? { file, mtimeMs: st.mtimeMs } : undefined;
      }),
    )
  ).filter((x): x is { file: string; mtimeMs: number } => x !== undefined);
  // Newest first; the same second: the later delivery (higher number) first.
  timed.sort((a, b) => b.mtimeMs - a.mtimeMs || b.file.localeCompare(a.file, 'en', { numeric: true }));
  let rows: OutboxRow[];
  if (toFilter || subjectFilter) {
    rows = [];
    for (const t of timed) {
      const h = await headOf(dir, t.file, t.mtimeMs);
      if (toFilter && !h.to.toLowerCase().includes(toFilter)) continue;
      if (subjectFilter && !h.subject.toLowerCase().includes(subjectFilter)) continue;
      rows.push({ file: t.file, at: new Date(t.mtimeMs).toISOString(), job: jobOfFile(t.file), ...h });
    }
  } else rows = timed.map((t) => ({ file: t.file, at: new Date(t.mtimeMs).toISOString(), job: jobOfFile(t.file), to: '', subject: '' }));
  const pages = Math.max(1, Math.ceil(rows.length / OUTBOX_PAGE_SIZE));
  const page = Math.min(q.page, pages);
  const shown = rows.slice((page - 1) * OUTBOX_PAGE_SIZE, page * OUTBOX_PAGE_SIZE);
  for (const r of shown) {
    if (r.to || r.subject) continue;
    const st = timed.find((t) => t.file === r.file)!;
    Object.assign(r, await headOf(dir, r.file, st.mtimeMs));
  }
  let opened: OutboxOpened | undefined;
  const openFile = q.open && FILE_RE.test(q.open) ? q.open : shown[0]?.file;
  if (openFile) {
    const bytes = await readFile(join(dir, openFile)).catch(() => undefined);
    if (bytes) {
      const m = readEml(bytes);
      opened = { file: openFile, headers: m.headers, html: m.html, text: m.text };
    }
  }
  return outboxHtml({
    dir,
    total: files.length,
    matching: rows.length,
    page,
    pages,
    pageSize: OUTBOX_PAGE_SIZE,
    rows: shown,
    query: q,
    opened,
    publicOrigin: new URL(s.config.publicUrl).origin,
  });
}

/** The Content-Security-Policy of the outbox page; the message frame (srcdoc) inherits it. */
export function outboxCsp(publicUrl: string): string {
  const origin = new URL(publicUrl).origin;
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `img-src 'self' data: ${origin}`,
    `font-src 'self' data: ${origin}`,
    "frame-src 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
