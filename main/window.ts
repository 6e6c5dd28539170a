import { BrowserWindow, shell, session, type WebContents } from 'electron';
import { vetExternalUrl } from './studio';

/** The app's own origin: the renderer is served from a privileged custom scheme, never file://. */
export const APP_ORIGIN = 'app://studio';

export { CSP } from './csp';

/** Navigation is allowed only within the app origin; everything else is denied (http/https go to the browser). */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== APP_ORIGIN && !url.startsWith(`${APP_ORIGIN}/`)) {
      event.preventDefault();
      const safe = vetExternalUrl(url);
      if (safe) void shell.openExternal(safe); /* eng-disable OPEN_EXTERNAL_JS_CHECK -- vetExternalUrl allows only parsed http(s) URLs */
    }
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const safe = vetExternalUrl(url);
    if (safe) void shell.openExternal(safe); /* eng-disable OPEN_EXTERNAL_JS_CHECK -- vetExternalUrl allows only parsed http(s) URLs */
    return { action: 'deny' };
  });
}

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** The hardened studio window (Electron security checklist): isolation, sandbox, no Node, no webviews. */
export function createStudioWindow(preloadPath: string, state: WindowState): BrowserWindow {
  const win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Presswork Studio',
    backgroundColor: '#14161a',
    webPreferences: {
      // The preload exposes one method per contract channel and nothing else; main checks sender and arguments.
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      // Middle-click must not open new windows (Electron security checklist).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (state.maximized) win.maximize();
  hardenContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  return win;
}

/** Deny every permission request (camera, notifications, …): the studio needs none. */
export function denyPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
