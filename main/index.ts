import { app, type BrowserWindow, dialog, Menu, net, protocol, safeStorage, shell } from 'electron';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createStudio, type Studio } from './studio';
import { z } from 'zod';
import { registerIpc } from './ipc/electron-ipc';
import { safeStorageSecrets } from './services/secrets';
import { APP_ORIGIN, CSP, createStudioWindow, denyPermissions } from './window';
import { buildMenu, sendTo } from './menu';
import type { EventName, EventOf } from '../shared/ipc/contract';

/**
 * Electron entry (bundled to out/main/index.js by `npm run build`). One instance, one hardened window, the
 * renderer served from app://studio with a CSP header, every IPC call checked and parsed.
 */
const ConnectSchema = z.strictObject({ serverUrl: z.url(), token: z.string().max(4096), approverToken: z.string().max(4096) });
const here = fileURLToPath(new URL('.', import.meta.url));
const RENDERER_DIR = join(here, '../renderer');
const PRELOAD = join(here, '../preload/index.cjs');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) app.quit();
else void main();

async function main(): Promise<void> {
  // Assigned once the app is ready; the handlers registered before then read them later.
  // eslint-disable-next-line prefer-const
  let win: BrowserWindow | undefined;
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
  });
  await app.whenReady();
  denyPermissions();

  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'studio') return new Response('not found', { status: 404 });
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = normalize(join(RENDERER_DIR, rel));
    if (!file.startsWith(RENDERER_DIR + sep)) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });

  const emit = <E extends EventName>(event: E, payload: EventOf<E>) => win?.webContents.send(event, payload);
  const studio: Studio = createStudio({
    userData: app.getPath('userData'),
    transport: 'electron',
    version: app.getVersion(),
    secrets: safeStorageSecrets(safeStorage),
    emit,
    worker: { url: pathToFileURL(join(here, 'batch-worker.js')), execArgv: [] },
    openExternal: (url) =>
      shell.openExternal(url) /* eng-disable OPEN_EXTERNAL_JS_CHECK -- createStudio vets every URL (http/https only) before calling this */,
    dialogs: {
      openTemplate: async () => {
        const r = await dialog.showOpenDialog(win!, {
          title: 'Open template',
          properties: ['openFile'],
          filters: [{ name: 'Template package', extensions: ['zip'] }],
        });
        return r.canceled ? undefined : r.filePaths[0];
      },
      saveTemplate: async (defaultName) => {
        const r = await dialog.showSaveDialog(win!, {
          title: 'Save template as',
          defaultPath: defaultName,
          filters: [{ name: 'Template package', extensions: ['zip'] }],
        });
        return r.canceled ? undefined : r.filePath;
      },
    },
  });
  // `npm start` (main/start.ts) hands over the local server and its tokens once; they are stored like typed ones.
  const connect = process.env.PRESSWORK_STUDIO_CONNECT;
  delete process.env.PRESSWORK_STUDIO_CONNECT;
  if (connect) {
    let c: ReturnType<typeof ConnectSchema.safeParse> | undefined;
    try {
      c = ConnectSchema.safeParse(JSON.parse(connect));
    } catch {
      c = undefined;
    }
    if (c?.success) studio.prefs.set(c.data);
    else console.log('PRESSWORK_STUDIO_CONNECT was not understood; set the server and tokens in Preferences.');
  }

  const state = studio.prefs.windowState();
  win = createStudioWindow(PRELOAD, state);
  registerIpc(studio.handlers, { isStudio: (sender) => sender === win?.webContents, origin: APP_ORIGIN });

  const refreshMenu = () =>
    Menu.setApplicationMenu(
      buildMenu({
        send: sendTo(win),
        recent: () => studio!.templates.recent(),
        openRecent: (path) =>
          void studio!.templates
            .openPath(path)
            .then((t) => {
              emit('template:opened', { id: t.id });
              refreshMenu();
            })
            .catch((e: Error) => dialog.showErrorBox('Could not open the template', e.message)),
        isMac: process.platform === 'darwin',
        dev: !app.isPackaged,
      }),
    );
  refreshMenu();
  // Recent files change as templates are opened and saved: rebuild the menu whenever the window gains focus.
  win.on('focus', refreshMenu);

  const saveState = () => {
    if (!win || win.isDestroyed()) return;
    const b = win.getNormalBounds();
    studio?.prefs.saveWindowState({ ...b, maximized: win.isMaximized() });
  };
  win.on('close', saveState);
  await win.loadURL(`${APP_ORIGIN}/index.html`);

  app.on('window-all-closed', () => {
    void studio?.close().finally(() => app.quit());
  });
}
