import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type z } from 'zod';
import { api, type RouteDef, type RouteName } from '../../shared/http/routes';
import type { ErrorBody, ErrorCode } from '../../shared/http/errors';
import type { Services } from '../services';
import { HttpError, type Handler } from './route-kit';
import { publishHandlers } from './handlers/publish';
import { jobHandlers } from './handlers/jobs';
import { deliveryHandlers } from './handlers/delivery';
import { approvalHandlers } from '../approvals/routes';
import { STREAMED_DATA_TYPES } from '../data/source';

/** Every route of the table has exactly one handler (a missing or extra one fails to compile). */
const handlers: { [K in RouteName]: Handler<(typeof api)[K]> } = {
  ...publishHandlers,
  ...jobHandlers,
  ...deliveryHandlers,
  ...approvalHandlers,
};

const errorBody = (code: ErrorCode, message: string, details?: { path: string; message: string }[]): ErrorBody => ({
  error: { code, message, ...(details?.length ? { details } : {}) },
});

const zodDetails = (e: z.ZodError, where: string) =>
  e.issues.slice(0, 50).map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));

const FASTIFY_CODES: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'too-large', 'the request body is larger than the upload limit (limits.maxUploadMb)'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type', 'unsupported Content-Type for this route; see GET /api/v1/openapi.json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'bad-request', 'the JSON body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'bad-request', 'the body is not valid JSON'],
  FST_ERR_CTP_EMPTY_TYPE: [400, 'bad-request', 'the Content-Type header is empty'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad-request', 'Content-Length does not match the body'],
};

export function buildApp(s: Services, opts: FastifyServerOptions = {}): FastifyInstance {
  const app = Fastify({
    bodyLimit: Math.round(s.config.limits.maxUploadMb * 1024 * 1024),
    genReqId: () => Math.random().toString(36).slice(2, 10),
    ...opts,
  });

  // Raw bodies: packages and assets arrive as bytes; forms (the unsubscribe button) as text.
  app.addContentTypeParser(
    ['application/zip', 'application/octet-stream', 'application/x-zip-compressed'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );
  // Data files reach their handler unread, to stream into the store (server/data/source.ts) within the upload limit.
  app.addContentTypeParser(STREAMED_DATA_TYPES, (_req, payload, done) => done(null, payload));
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // A one-click unsubscribe may come with any body type; accept text for it.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.status).send(errorBody(err.code, err.message, err.details));
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return reply.code(known[0]).send(errorBody(known[1], known[2]));
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500)
      return reply.code(err.statusCode).send(errorBody('bad-request', err.message));
    req.log.error({ err }, 'request failed');
    return reply.code(500).send(errorBody('internal', `internal error (request ${req.id}); the details are in the server log`));
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send(errorBody('not-found', `no route ${req.method} ${req.url.split('?')[0]}; the API is listed at GET /api/v1/openapi.json`)),
  );

  for (const name of Object.keys(api) as RouteName[]) {
    const def: RouteDef = api[name];
    const handler = handlers[name] as unknown as Handler<RouteDef>;
    app.route({
      method: def.method,
      url: def.path,
      handler: async (req, reply) => {
        let token;
        if (def.roles !== 'public') {
          const auth = req.headers.authorization;
          if (!auth?.startsWith('Bearer '))
            throw new HttpError(
              401,
              'unauthorized',
              'send an API token as "Authorization: Bearer <token>"; create one with `presswork token create --role <role>`',
            );
          token = s.tokens.verify(auth.slice(7).trim());
          if (!token)
            throw new HttpError(401, 'unauthorized', 'the API token is unknown or revoked; create a new one with `presswork token create`');
          if (!def.roles.includes(token.role))
            throw new HttpError(
              403,
              'forbidden',
              `this route needs a token with role ${def.roles.join(' or ')}; yours has role ${token.role}`,
            );
        }
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
          token,
          req,
          reply,
          s,
        });
        if (result === reply) return reply;
        return result;
      },
    });
  }
  return app;
}
