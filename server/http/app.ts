import type { IncomingMessage } from 'node:http';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  type RouteOptions,
} from 'fastify';
import { type z } from 'zod';
import { api, type RouteDef, type RouteName } from '../../shared/http/routes';
import type { ErrorBody, ErrorCode } from '../../shared/http/errors';
import type { Role } from '../../shared/http/schemas';
import type { Services } from '../services';
import type { TokenRow } from '../store/tokens-repo';
import { closesAfterReply, HttpError, type Handler } from './route-kit';
import { publishHandlers } from './handlers/publish';
import { jobHandlers } from './handlers/jobs';
import { deliveryHandlers } from './handlers/delivery';
import { approvalHandlers } from '../approvals/routes';
import { reportPageHandlers } from './report/routes';
import { STREAMED_DATA_TYPES } from '../data/source';

/** Every route of the table has exactly one handler (a missing or extra one fails to compile). */
const handlers: { [K in RouteName]: Handler<(typeof api)[K]> } = {
  ...publishHandlers,
  ...jobHandlers,
  ...deliveryHandlers,
  ...approvalHandlers,
  ...reportPageHandlers,
};

const errorBody = (code: ErrorCode, message: string, details?: { path: string; message: string }[]): ErrorBody => ({
  error: { code, message, ...(details?.length ? { details } : {}) },
});

const noRoute = (req: FastifyRequest) => `no route ${req.method} ${req.url.split('?')[0]}; the API is listed at GET /api/v1/openapi.json`;

const zodDetails = (e: z.ZodError, where: string) =>
  e.issues.slice(0, 50).map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));

/** Public routes take no uploads: an unsubscribe form or a one-click POST is a few hundred bytes. */
export const PUBLIC_BODY_LIMIT = 16 * 1024;

/** How long a refused upload's connection stays open (unread) so that the client reads the answer. */
const LINGER_MS = 2000;

/**
 * A request refused before its body was read (no token, unknown route, too large): the body is never read.
 * Node would otherwise drain it after the answer (every byte through the parser: tens of MB of garbage for a
 * few big uploads), and closing the socket at once would answer the bytes in flight with a reset that can
 * destroy the 401 before the client reads it. So the request is marked consumed (read(0): Node leaves it
 * alone), TCP backpressure stops the sender, and the connection is cut after LINGER_MS unless the client
 * (having read the answer) closes it first.
 */
function leaveUnreadBody(raw: IncomingMessage, reply: FastifyReply): void {
  reply.removeHeader('connection');
  raw.read(0);
  const timer = setTimeout(() => {
    if (!raw.complete) raw.socket?.destroy();
  }, LINGER_MS);
  timer.unref();
  raw.socket?.once('close', () => clearTimeout(timer));
}

const FASTIFY_CODES: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'too-large', 'the request body is larger than the upload limit (limits.maxUploadMb)'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type', 'unsupported Content-Type for this route; see GET /api/v1/openapi.json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'bad-request', 'the JSON body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'bad-request', 'the body is not valid JSON'],
  FST_ERR_CTP_EMPTY_TYPE: [400, 'bad-request', 'the Content-Type header is empty'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad-request', 'Content-Length does not match the body'],
};

export function buildApp(s: Services, opts: FastifyServerOptions = {}): FastifyInstance {
  const uploadLimit = opts.bodyLimit ?? Math.round(s.config.limits.maxUploadMb * 1024 * 1024);
  const app = Fastify({ genReqId: () => Math.random().toString(36).slice(2, 10), ...opts, bodyLimit: uploadLimit });

  // Raw bodies: packages and assets arrive as bytes.
  app.addContentTypeParser(
    ['application/zip', 'application/octet-stream', 'application/x-zip-compressed'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );
  // Data files reach their handler unread, to stream into the store (server/data/source.ts) within the upload limit.
  app.addContentTypeParser(STREAMED_DATA_TYPES, (_req, payload, done) => done(null, payload));

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, req, reply) => {
    // A body nobody read is left unread; a handler that refused a streamed upload part-way has already asked for
    // Connection: close (the socket must not be reused), and that stays.
    if (req.raw.complete === false && !closesAfterReply(reply)) leaveUnreadBody(req.raw, reply);
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && req.routeOptions.bodyLimit < uploadLimit)
      return reply
        .code(413)
        .send(errorBody('too-large', `this route accepts bodies of at most ${req.routeOptions.bodyLimit} bytes; it takes no uploads`));
    if (err instanceof HttpError) return reply.code(err.status).send(errorBody(err.code, err.message, err.details));
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return reply.code(known[0]).send(errorBody(known[1], known[2]));
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500)
      return reply.code(err.statusCode).send(errorBody('bad-request', err.message));
    req.log.error({ err }, 'request failed');
    return reply.code(500).send(errorBody('internal', `internal error (request ${req.id}); the details are in the server log`));
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(errorBody('not-found', noRoute(req))));

  // An unknown route is answered before its body is read, like an unauthenticated one.
  app.addHook('onRequest', async (req) => {
    if (req.is404) throw new HttpError(404, 'not-found', noRoute(req));
  });

  /** Token check, as an onRequest hook: it runs before the body is read, so an unauthenticated upload costs nothing. */
  const tokens = new WeakMap<FastifyRequest, TokenRow>();
  const authenticate =
    (roles: readonly Role[]) =>
    async (req: FastifyRequest): Promise<void> => {
      const auth = req.headers.authorization;
      if (!auth?.startsWith('Bearer '))
        throw new HttpError(
          401,
          'unauthorized',
          'send an API token as "Authorization: Bearer <token>"; create one with `presswork token create --role <role>`',
        );
      const token = s.tokens.verify(auth.slice(7).trim());
      if (!token)
        throw new HttpError(401, 'unauthorized', 'the API token is unknown or revoked; create a new one with `presswork token create`');
      if (!roles.includes(token.role))
        throw new HttpError(403, 'forbidden', `this route needs a token with role ${roles.join(' or ')}; yours has role ${token.role}`);
      tokens.set(req, token);
    };

  const route = (scope: FastifyInstance, name: RouteName, extra: Partial<RouteOptions>) => {
    const def: RouteDef = api[name];
    const handler = handlers[name] as unknown as Handler<RouteDef>;
    scope.route({
      method: def.method,
      url: def.path,
      ...(def.roles === 'public' ? {} : { onRequest: authenticate(def.roles) }),
      ...extra,
      handler: async (req, reply) => {
        const parse = (schema: z.ZodType | undefined, value: unknown, where: string) => {
          if (!schema) return value;
          const r = schema.safeParse(value);
          if (!r.success)
            throw new HttpError(400, 'bad-request', `the request ${where} is not valid; see details`, zodDetails(r.error, where));
          return r.data;
        };
        let body: unknown = req.body;
        if (def.body && !('raw' in def.body)) body = parse(def.body, req.body, 'body');
        else if (def.body && 'raw' in def.body && req.body === undefined)
          throw new HttpError(415, 'unsupported-media-type', `send a body of type ${def.body.raw.join(' or ')}`);
        const result = await handler({
          params: parse(def.params, req.params, 'params') as never,
          query: parse(def.query, req.query, 'query') as never,
          body: body as never,
          token: tokens.get(req),
          req,
          reply,
          s,
        });
        if (result === reply) return reply;
        return result;
      },
    });
  };

  const names = Object.keys(api) as RouteName[];
  for (const name of names) if (api[name].roles !== 'public') route(app, name, {});
  // Public routes (tracking, unsubscribe, assets, health, outbox, this document) are reached by mail clients,
  // mailbox providers and browsers without a token: they take small bodies only, of any media type. A one-click
  // unsubscribe (RFC 8058) arrives as multipart/form-data, application/x-www-form-urlencoded, text/plain or empty;
  // the signed URL is what unsubscribes, so the body is read (bounded) and not interpreted.
  app.register(async (pub) => {
    pub.removeAllContentTypeParsers();
    pub.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    for (const name of names) if (api[name].roles === 'public') route(pub, name, { bodyLimit: PUBLIC_BODY_LIMIT });
  });
  return app;
}
