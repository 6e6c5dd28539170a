import type { ArgsOf, ChannelName, EventName, EventOf, ResultOf } from '../../shared/ipc/contract';

/**
 * The renderer's one way to main: Electron's preload or the web host's HTTP bridge behind the same
 * contract. Kept free of DOM code so that modules which only need the type (and their node-side unit tests)
 * do not pull the browser transport in.
 */
export interface Bridge {
  readonly transport: 'electron' | 'web';
  call<C extends ChannelName>(channel: C, args: ArgsOf<C>): Promise<ResultOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}
