import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { RouteDef } from '../../shared/http/routes';
import type { ErrorCode } from '../../shared/http/errors';
import type { TokenRow } from '../store/tokens-repo';
import type { Services } from '../services';

/** A 4xx the client can act on: a code and a sentence saying what is wrong and what to do. */
/** Replies whose handler refused a streamed upload part-way: answered with Connection: close, never left to linger. */
const closing = new WeakSet<FastifyReply>();

/** The rest of this request's body is not read and its connection closes after the answer (a refused streamed upload). */
export function closeAfterReply(reply: FastifyReply): void {
  reply.header('connection', 'close');
  closing.add(reply);
}

export const closesAfterReply = (reply: FastifyReply): boolean => closing.has(reply);

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, 'not-found', what);

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;
type BodyOf<D> = D extends { altBody: z.ZodType }
  ? unknown
  : D extends { body: infer B }
    ? B extends z.ZodType
      ? z.output<B>
      : unknown
    : undefined;

/** What a handler receives: parsed params, query and body (raw bodies arrive as a Buffer or parsed JSON). */
export interface Ctx<D extends RouteDef> {
  params: D extends { params: infer P } ? Infer<P> : Record<string, string>;
  query: D extends { query: infer Q } ? Infer<Q> : Record<string, string>;
  body: BodyOf<D>;
  token: TokenRow | undefined;
  req: FastifyRequest;
  reply: FastifyReply;
  s: Services;
}

export type Handler<D extends RouteDef> = (c: Ctx<D>) => Promise<unknown>;
