import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type api } from '../../../shared/http/routes';
import { verifyClaim } from '../../tracking/sign';
import { typeRecord } from '../../data/source';
import { formatDataIssue } from '../../../shared/data';
import { isEmailAddress } from '../../../shared/links/address';
import { quoteValue } from '../../../shared/model/issues';
import { canonicalRecordJson, messageRequestSha256, requestConflicts } from '../../delivery/idempotency';
import type { RealtimeResult } from '../../delivery/engine';
import { messageGate } from '../../approvals/gate';
import { buildOpenApi } from '../openapi';
import { HttpError, notFound, type Ctx, type Handler } from '../route-kit';
import type { RouteDef } from '../../../shared/http/routes';
import { resultPage, unsubscribeForm } from '../pages';
import { outboxAllowed, outboxCsp, outboxPage } from '../outbox/outbox';

type A = typeof api;

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

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
    await messageGate(c.s, v, b.record);
    // Typed as a one-record JSON file is typed by the CLI and the studio (server/data/source.ts).
    const typed = await typeRecord(b.record, v.document.data);
    const record = typed.values;
    const problems = typed.issues.filter((i) => i.severity === 'error').map(formatDataIssue);
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
    const recordJson = canonicalRecordJson(record);
    const requestSha256 = messageRequestSha256(v.dto.id, recordJson, to);
    const { id: deliveryId, inserted } = c.s.deliveries.insertOne(null, {
      row: 1,
      idemKey,
      recordKey: key === undefined || key === null ? null : String(key),
      record: recordJson,
      recipient: to,
      domain,
      status: 'pending',
      error: null,
      versionId: v.dto.id,
      requestSha256,
    });
    const answer = (r: RealtimeResult) => {
      if (r.notComposed) throw new HttpError(422, 'invalid-data', `the message could not be composed: ${r.error ?? 'no result'}`);
      const response = r.error ? (r.response ? `${r.error}: ${r.response}` : r.error) : r.response;
      return { id: String(deliveryId), status: r.status, to, messageId: r.messageId, response };
    };
    if (!inserted) {
      // A repeated Idempotency-Key: the same request reports the message's state in the ledger (a concurrent
      // repeat waits for the first request's outcome); nothing is sent twice. Another request is refused.
      const first = c.s.deliveries.message(deliveryId);
      const firstVersion = first?.version_id ? c.s.templates.byId(first.version_id)?.dto : undefined;
      const conflicts = first
        ? requestConflicts(
            {
              versionId: first.version_id,
              versionLabel: firstVersion ? `"${firstVersion.templateId}" version ${firstVersion.version}` : 'another template version',
              recordJson: first.record,
              to: first.recipient,
            },
            { versionId: v.dto.id, versionLabel: `"${b.templateId}" version ${b.version}`, recordJson, to },
          )
        : [{ path: 'Idempotency-Key', message: 'the key belongs to another message' }];
      if (first?.request_sha256 && first.request_sha256 !== requestSha256 && conflicts.length === 0)
        conflicts.push({ path: 'body', message: 'differs from the first request' });
      if (conflicts.length)
        throw new HttpError(
          409,
          'conflict',
          `Idempotency-Key "${idem}" was first used for another request (${conflicts.map((d) => d.path).join(', ')} differ); nothing was sent for this one. Repeat the first request exactly to read its state, or use a new key for a new message.`,
          conflicts,
        );
      return answer(await (c.s.engine.realtimeInProgress(deliveryId) ?? Promise.resolve(c.s.engine.ledgerState(deliveryId))));
    }
    const result = await c.s.engine.realtimeSend(deliveryId, domain, 0, async () => {
      const res = await c.s.pool.run(
        { kind: 'email', versionId: v.dto.id, today: new Date().toISOString().slice(0, 10), items: [{ deliveryId, row: 1, record, to }] },
        () => JSON.stringify(v.document),
        true,
      );
      return res.kind === 'email' ? res.outcomes[0] : undefined;
    });
    return answer(result);
  },

  listMessages: async (c) => {
    const { rows, total } = c.s.deliveries.messages(c.query.state, c.query.limit, c.query.offset);
    return {
      total,
      messages: rows.map((r) => ({
        id: String(r.id),
        idempotencyKey: r.idem_key.replace(/^msg:/, ''),
        templateId: r.template_id,
        version: r.version,
        to: r.recipient,
        status: r.status,
        attempts: r.attempts,
        deferrals: r.deferrals,
        uncertain: r.uncertain === 1,
        messageId: r.message_id,
        response: r.response,
        error: r.error,
        sentAt: r.sent_at,
      })),
    };
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
    outboxAllowed(c.s, c.req);
    const html = await outboxPage(c.s, c.query);
    c.reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', outboxCsp(c.s.config.publicUrl))
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store, private');
    return html;
  },

  outboxMessage: async (c) => {
    outboxAllowed(c.s, c.req);
    const file = String((c.req.params as Record<string, string>).file ?? '');
    if (!/^[\w.-]+\.eml$/.test(file)) throw notFound('no such outbox message');
    const bytes = await readFile(join(c.s.outboxDir, file)).catch(() => undefined);
    if (!bytes) throw notFound('no such outbox message');
    c.reply
      .type('message/rfc822')
      .header('content-disposition', `attachment; filename="${file}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store, private');
    return bytes;
  },

  openapi: async (c) => buildOpenApi(c.s.config.publicUrl),
} satisfies {
  [
    K in
      | 'health'
      | 'whoami'
      | 'sendMessage'
      | 'listMessages'
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
