import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebHost, type WebHost } from '../../main/web-host';

/** The repository root, and the renderer build the e2e tests serve unless they name another. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RENDERER_DIR = join(ROOT, 'out/renderer');

/** Debian's Chromium, with the flags a headless run on a build machine needs. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export interface StudioSession {
  /** The temporary folder; the studio's user data is its `studio/` subfolder. */
  dir: string;
  host: WebHost;
  browser: Browser;
  page: Page;
  /** Closes the browser and the host and removes the folder. */
  close(): Promise<void>;
}

/**
 * What most studio e2e tests start with: a fresh user-data folder, the web host serving the renderer on it,
 * Chromium, and one page whose uncaught errors (and, when asked, console errors) are collected into `errors`.
 */
export async function openStudio(o: {
  prefix: string;
  artifacts: string;
  viewport: { width: number; height: number };
  errors: string[];
  rendererDir?: string;
  acceptDownloads?: boolean;
  /** How a console error is recorded; console errors are ignored when absent. */
  consoleError?: (m: ConsoleMessage) => string;
}): Promise<StudioSession> {
  const dir = mkdtempSync(join(tmpdir(), o.prefix));
  mkdirSync(o.artifacts, { recursive: true });
  const host = await startWebHost({ rendererDir: o.rendererDir ?? RENDERER_DIR, userData: join(dir, 'studio') });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  const page = await browser.newPage({ viewport: o.viewport, ...(o.acceptDownloads ? { acceptDownloads: true } : {}) });
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => o.errors.push(e.message));
  const consoleError = o.consoleError;
  if (consoleError) page.on('console', (m) => m.type() === 'error' && o.errors.push(consoleError(m)));
  return {
    dir,
    host,
    browser,
    page,
    close: async () => {
      await browser.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
