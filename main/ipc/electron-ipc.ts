import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { channelNames } from '../../shared/ipc/contract';
import type { Envelope } from '../../shared/ipc/errors';
import { dispatch, type Handlers } from './dispatch';

/**
 * Register every channel of the contract on ipcMain. Each call is checked: it must come from the main
 * frame of the studio window, loaded from the app's own origin; then the arguments are parsed.
 */
export interface SenderPolicy {
  /** The studio's WebContents (the one window). */
  isStudio(sender: WebContents): boolean;
  /** The app origin, e.g. `app://studio`. */
  origin: string;
}

export function senderRefusal(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, policy: SenderPolicy): string | undefined {
  if (!policy.isStudio(event.sender)) return 'the call did not come from the studio window';
  const frame = event.senderFrame;
  if (!frame) return 'the calling frame is gone';
  if (frame.parent) return 'the call came from an embedded frame';
  let origin: string;
  try {
    origin = new URL(frame.url).origin;
  } catch {
    return 'the calling page has no valid URL';
  }
  // URL gives "null" as the origin of non-special schemes; compare protocol+host instead.
  const u = new URL(frame.url);
  const expected = new URL(policy.origin);
  if (origin !== expected.origin && !(u.protocol === expected.protocol && u.host === expected.host))
    return `the calling page (${u.protocol}//${u.host}) is not the studio`;
  return undefined;
}

export function registerIpc(handlers: Handlers, policy: SenderPolicy): () => void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event, args: unknown): Promise<Envelope<unknown>> => {
      const refusal = senderRefusal(event, policy);
      if (refusal) return { ok: false, error: { code: 'forbidden-sender', message: `Refused "${channel}": ${refusal}.` } };
      return dispatch(handlers, channel, args);
    });
  }
  return () => {
    for (const channel of channelNames) ipcMain.removeHandler(channel);
  };
}
