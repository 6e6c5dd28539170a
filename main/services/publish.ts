import axios, { AxiosError } from 'axios';
import { randomUUID } from 'node:crypto';
import { PublishResultSchema } from '../../shared/http/schemas';
import type { Emit } from '../ipc/dispatch';
import type { PrefsService } from './prefs';

/** Turn any publish failure into words a designer can act on. */
export function explainPublishError(e: unknown, serverUrl: string): { code: string; message: string } {
  if (e instanceof AxiosError) {
    if (!e.response) {
      if (e.code === 'ECONNREFUSED')
        return {
          code: 'offline',
          message: `Nothing answers at ${serverUrl}: the server is not running or the address is wrong. Check the server URL in Preferences.`,
        };
      if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
        return {
          code: 'offline',
          message: `The server name in ${serverUrl} cannot be found; check your network connection and the server URL in Preferences.`,
        };
      if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT')
        return {
          code: 'timeout',
          message: `${serverUrl} did not answer in time; try again, or ask whoever runs the server whether it is overloaded.`,
        };
      return {
        code: 'offline',
        message: `Could not reach ${serverUrl} (${e.code ?? e.message}); check your network connection and the server URL.`,
      };
    }
    const body = e.response.data as { error?: { message?: string; code?: string }; message?: string } | undefined;
    const said = body?.error?.message ?? body?.message ?? '';
    const s = e.response.status;
    if (s === 401)
      return {
        code: 'bad-token',
        message: 'The server refused the token (it is wrong, expired or revoked). Paste a current publisher token in Preferences.',
      };
    if (s === 403)
      return {
        code: 'not-allowed',
        message: 'The token is valid but may not publish. Ask the server administrator for a token with the publisher role.',
      };
    if (s === 413)
      return {
        code: 'too-large',
        message: `The package is larger than the server accepts${said ? ` (${said})` : ''}; remove unused images or fonts, or ask for a higher limit.`,
      };
    if (s === 400 || s === 409 || s === 415 || s === 422)
      return { code: 'rejected', message: `The server rejected the package: ${said || `HTTP ${s}`}. Fix the template and publish again.` };
    if (s === 404)
      return {
        code: 'not-presswork',
        message: `${serverUrl} does not look like a Presswork Server (no publish endpoint); check the URL in Preferences.`,
      };
    return {
      code: 'server-error',
      message: `The server failed (HTTP ${s}${said ? `: ${said}` : ''}); try again later or tell its administrator.`,
    };
  }
  return { code: 'publish-failed', message: `Publishing failed: ${(e as Error).message}` };
}

/** Sends a template package to Presswork Server (POST /api/v1/templates) with upload progress. */
export class PublishService {
  constructor(
    private readonly prefs: PrefsService,
    private readonly emit: Emit,
  ) {}

  /** Returns at once with a job id; progress and the version number (or the failure in words) come as events. */
  start(pkg: Uint8Array): string {
    const jobId = randomUUID();
    const serverUrl = this.prefs.serverUrl();
    const finish = (ok: boolean, message: string, value: number | null, code: string | null) =>
      this.emit('job:finished', { jobId, kind: 'publish', ok, cancelled: false, message, value, code });
    if (!serverUrl) {
      queueMicrotask(() =>
        finish(
          false,
          'No server is set. Enter the Presswork Server URL and a token in Preferences, then publish again.',
          null,
          'no-server',
        ),
      );
      return jobId;
    }
    let token: string | undefined;
    try {
      token = this.prefs.token();
    } catch (e) {
      queueMicrotask(() => finish(false, (e as Error).message, null, 'token-unreadable'));
      return jobId;
    }
    if (!token) {
      queueMicrotask(() =>
        finish(false, 'No token is set. Paste a publisher token from the server in Preferences, then publish again.', null, 'no-token'),
      );
      return jobId;
    }
    this.emit('job:progress', { jobId, kind: 'publish', done: 0, total: pkg.length, message: 'Uploading the package…' });
    void axios
      .post(`${serverUrl}/api/v1/templates`, Buffer.from(pkg), {
        headers: { 'content-type': 'application/zip', authorization: `Bearer ${token}` },
        timeout: 60_000,
        maxBodyLength: Infinity,
        onUploadProgress: (p) =>
          this.emit('job:progress', {
            jobId,
            kind: 'publish',
            done: p.loaded,
            total: p.total ?? pkg.length,
            message: `Uploaded ${Math.round((p.loaded / (p.total ?? pkg.length)) * 100)}%`,
          }),
      })
      .then((res) => {
        const parsed = PublishResultSchema.safeParse(res.data);
        if (!parsed.success)
          return finish(
            false,
            `${serverUrl} answered, but not like a Presswork Server; check the URL in Preferences.`,
            null,
            'not-presswork',
          );
        const v = parsed.data.version;
        finish(
          true,
          parsed.data.created ? `Published as version ${v.version}.` : `Nothing changed since version ${v.version}; the server kept it.`,
          v.version,
          null,
        );
      })
      .catch((e: unknown) => {
        const x = explainPublishError(e, serverUrl);
        finish(false, x.message, null, x.code);
      });
    return jobId;
  }
}
