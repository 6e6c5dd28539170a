import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type api } from '../../../shared/http/routes';
import { verifyClaim } from '../../tracking/sign';
import { conformRecord } from '../../jobs/data';
import { isEmailAddress } from '../../../shared/links/address';
import { quoteValue } from '../../../shared/model/issues';
import { messageGate } from '../../approvals/gate';
import { buildOpenApi } from '../openapi';
import { HttpError, notFound, type Ctx, type Handler } from '../route-kit';
import type { RouteDef } from '../../../shared/http/routes';
import { outboxPage, resultPage, unsubscribeForm } from '../pages';

type A = typeof api;

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const isLoopback = (ip: string) => ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';

/** The development outbox is for the person running the server: loopback callers, or any valid token. */
function outboxAllowed(c: Ctx<RouteDef>): void {
  if (c.s.transport.kind !== 'outbox') throw notFound('the development outbox is off because an SMTP relay is configured');
  const auth = String(c.req.headers.authorization ?? '');
  if (isLoopback(c.req.ip) || (auth.startsWith('Bearer ') && c.s.tokens.verify(auth.slice(7)))) return;
  throw new HttpError(401, 'unauthorized', 'the outbox is shown to loopback callers or with a token (Authorization: Bearer …)');
}

const tokenParam = (c: Ctx<RouteDef>) => String((c.req.params as Record<string, string>).token ?? '');

export const deliveryHandlers = {
  health: async (c) => ({
    status: 'ok' as const,
    version: '0.1.0',
    outbox: c.s.transport.kind === 'outbox',
    queue: { jobsRunning: c.s.engine.activeJobs, messagesPending: c.s.deliveries.pendingTotal() },
  }),

  whoami: async (c) => ({ tokenId: c.token!.id, name: c.token!.name, role: c.token!.role }),

  sendMessage: async (c) => {
    const b = c.body;
    const v = c.s.templates.get(b.templateId, b.version);
    if (!v) throw notFound(`template "${b.templateId}" has no version ${b.version}`);
    const email = v.document.email;
    if (!email) throw new HttpError(422, 'bad-request', `template "${b.templateId}" has no email channel`);
    // The same per-variant gate as jobs (docs/review.md): the record's dealer must be approved for this version and
    // the dealer's current values, against any data.
    messageGate(c.s, v, b.record);
    const { record, problems } = conformRecord(b.record, v.document.data);
    const to = (b.to ?? String(record[email.recipientField] ?? '')).trim();
    if (!isEmailAddress(to)) problems.push(`${email.recipientField}: ${quoteValue(to)} is not an email address (or pass "to")`);
    if (problems.length)
      throw new HttpError(
        422,
        'invalid-data',
        'the record cannot be sent; fix the fields listed',
        problems.map((p) => ({ path: 'record', message: p })),
      );
    const idem = String(c.req.headers['idempotency-key'] ?? '');
    if (idem.length > 200) throw new HttpError(400, 'bad-request', 'Idempotency-Key must be at most 200 characters');
    const idemKey = `msg:${idem || randomUUID()}`;
    const domain = to.slice(to.lastIndexOf('@') + 1).toLowerCase();
    const key = record[v.document.data.recordKey];
    const deliveryId = c.s.deliveries.insertOne(null, {
      row: 1,
      idemKey,
      recordKey: key === undefined || key === null ? null : String(key),
      record: JSON.stringify(record),
      recipient: to,
      domain,
      status: 'pending',
      error: null,
    });
    const existing = c.s.deliveries.get(deliveryId)!;
    if (existing.status !== 'pending') {
      // A repeated Idempotency-Key: report the first outcome; never send twice.
      const status =
        existing.status === 'sent' || existing.status === 'bounced' || existing.status === 'suppressed' ? existing.status : 'deferred';
      return { id: String(deliveryId), status, to, messageId: '', response: 'repeated Idempotency-Key: nothing sent again' };
    }
    const res = await c.s.pool.run(
      { kind: 'email', versionId: v.dto.id, today: new Date().toISOString().slice(0, 10), items: [{ deliveryId, row: 1, record, to }] },
      () => JSON.stringify(v.document),
      true,
    );
    const o = res.kind === 'email' ? res.outcomes[0] : undefined;
    if (!o || !o.ok) {
      const reason = o && !o.ok ? o.error : 'no result';
      c.s.deliveries.markFinal(deliveryId, 'failed', null, reason, null);
      throw new HttpError(422, 'invalid-data', `the message could not be composed: ${reason}`);
    }
    const sent = await c.s.engine.sendNow(deliveryId, o, domain);
    return { id: String(deliveryId), status: sent.status, to, messageId: o.messageId, response: sent.response };
  },

  listSuppressions: async (c) => c.s.suppressions.list(c.query.limit, c.query.offset),

  addSuppression: async (c) => {
    c.reply.code(201);
    return c.s.suppressions.add(c.body.email, c.body.reason, c.body.detail);
  },

  removeSuppression: async (c) => {
    if (!c.s.suppressions.remove(c.params.email)) throw notFound(`${c.params.email} is not suppressed`);
    c.reply.code(204);
    return undefined;
  },

  trackOpen: async (c) => {
    const claim = verifyClaim(c.s.secret, tokenParam(c).replace(/\.gif$/, ''));
    if (claim?.kind !== 'open') throw new HttpError(400, 'bad-request', 'this tracking URL is damaged or was not issued by this server');
    const d = c.s.deliveries.get(claim.deliveryId);
    if (d) c.s.deliveries.addEvent(d.id, d.job_id, 'open', null, String(c.req.headers['user-agent'] ?? '').slice(0, 200));
    c.reply.type('image/gif').header('cache-control', 'no-store, private');
    return GIF;
  },

  trackClick: async (c) => {
    const claim = verifyClaim(c.s.secret, tokenParam(c));
    if (claim?.kind !== 'click')
      throw new HttpError(400, 'bad-request', 'this link is damaged or was not issued by this server, so it is not followed');
    const d = c.s.deliveries.get(claim.deliveryId);
    if (d) c.s.deliveries.addEvent(d.id, d.job_id, 'click', claim.url);
    c.reply.header('cache-control', 'no-store, private').redirect(claim.url, 302);
    return c.reply;
  },

  unsubscribePage: async (c) => {
    const claim = verifyClaim(c.s.secret, tokenParam(c));
    c.reply.type('text/html; charset=utf-8');
    if (claim?.kind !== 'unsubscribe') {
      c.reply.code(400);
      return resultPage('Link not recognised', 'This unsubscribe link is damaged. Please use the link from the most recent message.');
    }
    return unsubscribeForm(`/u/${tokenParam(c)}`);
  },

  unsubscribe: async (c) => {
    const claim = verifyClaim(c.s.secret, tokenParam(c));
    c.reply.type('text/html; charset=utf-8');
    const d = claim?.kind === 'unsubscribe' ? c.s.deliveries.get(claim.deliveryId) : undefined;
    if (!d?.recipient) {
      c.reply.code(400);
      return resultPage('Link not recognised', 'This unsubscribe link is damaged. Please use the link from the most recent message.');
    }
    c.s.suppressions.add(d.recipient, 'unsubscribed', d.job_id ? `job ${d.job_id}` : 'transactional message');
    if (!c.s.deliveries.hasEvent(d.id, 'unsubscribe')) c.s.deliveries.addEvent(d.id, d.job_id, 'unsubscribe');
    return resultPage('You are unsubscribed', `${d.recipient} will receive no more of these messages.`);
  },

  outboxPage: async (c) => {
    outboxAllowed(c);
    const files = (await readdir(c.s.outboxDir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));
    const withTimes = await Promise.all(files.map(async (f) => ({ f, t: (await stat(join(c.s.outboxDir, f))).mtimeMs })));
    withTimes.sort((a, b) => b.t - a.t);
    const shown = await Promise.all(
      withTimes.slice(0, 200).map(async ({ f, t }) => {
        const head = (await readFile(join(c.s.outboxDir, f), 'utf8')).split(/\r?\n\r?\n/, 1)[0] ?? '';
        // Subjects with non-ASCII text arrive as RFC 2047 base64 words; show them as text.
        const decode = (v: string) =>
          v.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/gi, (_, b: string) => Buffer.from(b, 'base64').toString('utf8'));
        const header = (name: string) =>
          decode(new RegExp(`^${name}: (.*(?:\\r?\\n[ \\t].*)*)`, 'mi').exec(head)?.[1]?.replace(/\r?\n[ \t]+/g, ' ') ?? '');
        return { file: f, at: new Date(t).toISOString(), to: header('To'), subject: header('Subject') };
      }),
    );
    c.reply.type('text/html; charset=utf-8');
    return outboxPage(shown, files.length);
  },

  outboxMessage: async (c) => {
    outboxAllowed(c);
    const file = String((c.req.params as Record<string, string>).file ?? '');
    if (!/^[\w.-]+\.eml$/.test(file)) throw notFound('no such outbox message');
    const bytes = await readFile(join(c.s.outboxDir, file)).catch(() => undefined);
    if (!bytes) throw notFound('no such outbox message');
    c.reply.type('message/rfc822').header('content-disposition', `inline; filename="${file}"`);
    return bytes;
  },

  openapi: async (c) => buildOpenApi(c.s.config.publicUrl),
} satisfies {
  [
    K in
      | 'health'
      | 'whoami'
      | 'sendMessage'
      | 'listSuppressions'
      | 'addSuppression'
      | 'removeSuppression'
      | 'trackOpen'
      | 'trackClick'
      | 'unsubscribePage'
      | 'unsubscribe'
      | 'outboxPage'
      | 'outboxMessage'
      | 'openapi'
  ]: Handler<A[K]>;
};
