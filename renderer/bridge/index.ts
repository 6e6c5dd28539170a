import { methodName, eventMethodName, eventNames } from '../../shared/ipc/contract';
import type { Envelope, IpcError } from '../../shared/ipc/errors';
import type {} from '../../preload/api';
import type { Bridge } from './types';

/** A failed bridge call: the code and the sentence from main, plus per-argument details. */
export class BridgeError extends Error {
  readonly code: string;
  readonly details: string[];
  constructor(e: IpcError) {
    super(e.message);
    this.code = e.code;
    this.details = e.details ?? [];
  }
}

export type { Bridge };

const unwrap = <T>(env: Envelope<T>): T => {
  if (env.ok) return env.value;
  throw new BridgeError(env.error);
};

/** Electron: the preload's `window.studio`, one method per channel. */
function electronBridge(api: NonNullable<Window['studio']>): Bridge {
  const table = api as unknown as Record<string, (a: unknown) => unknown>;
  return {
    transport: 'electron',
    call: async (channel, args) => unwrap((await table[methodName(channel)]!(args)) as Envelope<never>),
    on: (event, listener) => table[eventMethodName(event)]!(listener) as () => void,
  };
}

/** The web host: POST /ipc/<channel> with the session token, events over one EventSource. */
function httpBridge(token: string): Bridge {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let source: EventSource | undefined;
  const connect = () => {
    if (source) return;
    source = new EventSource(`/events?token=${encodeURIComponent(token)}`);
    for (const name of eventNames)
      source.addEventListener(name, (m) => {
        const payload: unknown = JSON.parse((m as MessageEvent<string>).data);
        for (const l of listeners.get(name) ?? []) l(payload);
      });
  };
  return {
    transport: 'web',
    call: async (channel, args) => {
      let res: Response;
      try {
        res = await fetch(`/ipc/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-studio-token': token },
          body: JSON.stringify(args ?? {}),
        });
      } catch {
        throw new BridgeError({
          code: 'host-gone',
          message: 'The studio host is not answering; it may have been stopped. Start it again and reload.',
        });
      }
      return unwrap((await res.json()) as Envelope<never>);
    },
    on: (event, listener) => {
      connect();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => void set.delete(l);
    },
  };
}

/** `window.studio` when the preload put it there (Electron); otherwise the web host's HTTP bridge. */
export function createBridge(): Bridge {
  if (window.studio) return electronBridge(window.studio);
  const token = document.querySelector<HTMLMetaElement>('meta[name="studio-token"]')?.content;
  if (!token)
    throw new BridgeError({
      code: 'no-host',
      message: 'This page was not opened through the studio (no preload, no web host token). Start it with npm run studio.',
    });
  return httpBridge(token);
}
