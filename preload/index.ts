import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channelNames, eventNames, eventMethodName, methodName } from '../shared/ipc/contract';

/**
 * The whole preload: one method per IPC channel of the contract, one subscription per event, nothing
 * else. `ipcRenderer` itself is never exposed. Bundled to CommonJS for the sandbox by `npm run build`.
 */
const api: Record<string, unknown> = {};
for (const channel of channelNames) api[methodName(channel)] = (args: unknown) => ipcRenderer.invoke(channel, args);
for (const event of eventNames) {
  api[eventMethodName(event)] = (listener: (payload: unknown) => void) => {
    if (typeof listener !== 'function') throw new TypeError(`${eventMethodName(event)} needs a function`);
    const handler = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, handler);
    return () => void ipcRenderer.removeListener(event, handler);
  };
}
contextBridge.exposeInMainWorld('studio', Object.freeze(api));
