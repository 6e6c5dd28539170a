import type { z } from 'zod';
import { channels, type ChannelName, type ResultOf, type EventName, type EventOf } from '../../shared/ipc/contract';
import { StudioError, describeIssues, type Envelope } from '../../shared/ipc/errors';

/** One handler per channel, given its parsed arguments. Transports (Electron IPC, the web host) share these. */
export type Handlers = {
  [C in ChannelName]: (args: z.output<(typeof channels)[C]['args']>) => Promise<ResultOf<C>> | ResultOf<C>;
};

/** Pushes an event to the renderer(s); each transport supplies its own. */
export type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;

export const isChannel = (name: string): name is ChannelName => Object.prototype.hasOwnProperty.call(channels, name);

/**
 * Parse the arguments with the contract, run the handler, and wrap the outcome in an envelope. Thrown
 * StudioErrors keep their code and message; anything else is reported as `internal` without internals.
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  rawArgs: unknown,
  log: (e: unknown) => void = console.error,
): Promise<Envelope<unknown>> {
  if (!isChannel(channel))
    return {
      ok: false,
      error: {
        code: 'unknown-channel',
        message: `There is no channel "${channel}"; the renderer and main are from different builds — restart the studio.`,
      },
    };
  const parsed = channels[channel].args.safeParse(rawArgs ?? {});
  if (!parsed.success)
    return {
      ok: false,
      error: {
        code: 'bad-arguments',
        message: `"${channel}" was called with arguments that do not match the contract; nothing was done.`,
        details: describeIssues(parsed.error.issues),
      },
    };
  try {
    const handler = handlers[channel] as (a: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (e) {
    if (e instanceof StudioError) return { ok: false, error: e.toJSON() };
    log(e);
    return {
      ok: false,
      error: {
        code: 'internal',
        message: `"${channel}" failed unexpectedly (${e instanceof Error ? e.message : String(e)}). Try again; if it keeps failing, report it with the log.`,
      },
    };
  }
}
