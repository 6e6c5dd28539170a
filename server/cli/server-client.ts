import { fillPath, type RouteDef } from '../../shared/http/routes';
import type { Role } from '../../shared/http/schemas';
import { writeErr } from './output';

/**
 * The CLI's client of a Presswork server (publish, approve, approvals): where the server is and which token to
 * use (`--server`/`$PRESSWORK_SERVER`, `--token`/`$PRESSWORK_TOKEN`), and calls that turn the server's answers
 * into errors that say what to do next.
 */

export const DEFAULT_SERVER = 'http://127.0.0.1:8787';

/** A call that failed: `offline` (no server there), `bad-token` (401), `forbidden` (403), else the server's code. */
export class ServerError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface ServerTarget {
  url: string;
  token: string;
}

/**
 * The server and token from options or the environment. Without a token, says how to get one (for `role`),
 * sets exit code 2 and returns undefined.
 */
export function serverTarget(opts: { server?: string; token?: string }, command: string, role: Role): ServerTarget | undefined {
  const url = (opts.server ?? process.env.PRESSWORK_SERVER ?? DEFAULT_SERVER).replace(/\/+$/, '');
  const token = opts.token ?? process.env.PRESSWORK_TOKEN;
  if (!token) {
    writeErr(
      `presswork ${command} needs a${role === 'approver' || role === 'operator' ? 'n' : ''} ${role} token: pass --token or set PRESSWORK_TOKEN (create one with "presswork token create --role ${role}")`,
    );
    process.exitCode = 2;
    return undefined;
  }
  return { url, token };
}

/** A route's path with its `:params` filled in (URL-encoded). */
export function routePath(route: Pick<RouteDef, 'path'>, params: Record<string, string | number> = {}): string {
  return fillPath(route.path, (name) => {
    const v = params[name];
    if (v === undefined) throw new Error(`routePath: no value for :${name} in ${route.path}`);
    return encodeURIComponent(String(v));
  });
}

export interface CallResult {
  status: number;
  text: string;
  json: unknown;
}

/**
 * A caller of one server with one token. `role` and `action` word the 401/403 errors ("this token may not
 * {action}; use a token with the {role} role").
 */
export function serverClient(target: ServerTarget, role: Role, action: string) {
  return async (method: string, path: string, body?: string | Uint8Array, contentType = 'application/json'): Promise<CallResult> => {
    let res: Response;
    try {
      res = await fetch(`${target.url}${path}`, {
        method,
        body,
        headers: { authorization: `Bearer ${target.token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
      });
    } catch (e) {
      const cause = (e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message;
      throw new ServerError(`cannot reach the server at ${target.url} (${cause}); is "presswork serve" running there?`, 'offline');
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.ok) return { status: res.status, text, json };
    const err = (json as { error?: { code?: string; message?: string; details?: { path: string; message: string }[] } } | undefined)?.error;
    const details = err?.details?.map((d) => `\n  ${d.path}: ${d.message}`).join('') ?? '';
    // The server's own advice (after "; ") is replaced by the one suggestion below, so it is given once.
    const reason = err?.message?.split('; ')[0];
    if (res.status === 401)
      throw new ServerError(
        `the server at ${target.url} refused the token (${reason ?? 'unauthorised'}). A token works only on the server whose data folder it was created in: create one there with "presswork token create --role ${role}"; "presswork serve" prints its data folder when it starts`,
        'bad-token',
        401,
      );
    if (res.status === 403)
      throw new ServerError(
        `the server at ${target.url} says this token may not ${action} (${err?.message ?? 'forbidden'}); use a token with the ${role} role ("presswork token create --role ${role}")`,
        'forbidden',
        403,
      );
    if (res.status === 404 || res.status === 409 || res.status === 422 || res.status === 400)
      throw new ServerError(`${err?.message ?? text.slice(0, 200)}${details}`, err?.code ?? `http-${res.status}`, res.status);
    throw new ServerError(
      `${method} ${path} failed with ${res.status}: ${err?.message ?? text.slice(0, 200)}${details}`,
      err?.code ?? `http-${res.status}`,
      res.status,
    );
  };
}

/** Report a ServerError from a command: the message on stderr, exit 1 when offline (try again), else 2. */
export function reportServerError(command: string, e: unknown): void {
  if (!(e instanceof ServerError)) throw e;
  writeErr(`presswork ${command}: ${e.message}`);
  process.exitCode = e.code === 'offline' ? 1 : 2;
}
