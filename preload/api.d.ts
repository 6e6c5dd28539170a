import type { StudioApi } from '../shared/ipc/contract';

/** What the preload puts on `window`: present in Electron, absent in the browser (the web host). */
declare global {
  interface Window {
    studio?: StudioApi;
  }
}
export {};
