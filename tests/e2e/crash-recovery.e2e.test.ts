import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Crash recovery end to end: the web host runs as its own process on a user-data folder, the studio edits
 * the sample campaign in Chromium, then the host and the browser are killed with SIGKILL (no shutdown code
 * runs). A new host on the same folder offers the recovered draft: the Library and the template say so,
 * and the edit is there. A second round kills the host in the middle of a stream of edits and checks the
 * promise "nothing lost beyond the last second".
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = join(ROOT, 'tests/artifacts/studio');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const TEMPLATE_ID = 'service-reminder';

const shot = async (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });

interface Running {
  host: ChildProcess;
  url: string;
  server: BrowserServer;
  browser: Browser;
  page: Page;
  errors: string[];
}

/** `npm run studio`'s web host as a child process (port chosen by the OS), and a Chromium we can kill. */
async function start(userData: string): Promise<Running> {
  const host = spawn(process.execPath, ['--import', 'tsx', 'main/web-host-cli.ts', '--no-open'], {
    cwd: ROOT,
    env: { ...process.env, PRESSWORK_STUDIO_DATA: userData, PRESSWORK_STUDIO_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${log}`)), 60_000);
    const read = (b: Buffer) => {
      log += b.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    host.stdout!.on('data', read);
    host.stderr!.on('data', read);
    host.once('exit', (code) => reject(new Error(`web host exited (${code}):\n${log}`)));
  });
  const server = await chromium.launchServer({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
  const browser = await chromium.connect(server.wsEndpoint());
  const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.getByRole('heading', { name: 'Library' }).waitFor();
  return { host, url, server, browser, page, errors };
}

/** SIGKILL both processes: no unload handlers, no flushes, no graceful close. */
async function crash(r: Running): Promise<void> {
  const exited = new Promise((resolve) => r.host.once('exit', resolve));
  r.host.kill('SIGKILL');
  r.server.process().kill('SIGKILL');
  await exited;
  await r.browser.close().catch(() => undefined);
}

/**
 * The Template screen opens on the print proof, whose first composition takes seconds on a busy machine; it
 * runs in main's proof worker, so the edits below (made while it composes) still reach the journal at once.
 */
const openEmailDesign = async (page: Page) => {
  await page.getByRole('button', { name: 'Template & preview' }).click();
  await page.getByRole('tab', { name: 'Email design' }).click();
  await page.getByTestId('email-subject').waitFor();
};

const setSubject = async (page: Page, subject: string) => {
  const input = page.getByTestId('email-subject');
  await input.fill(subject);
  await input.press('Enter'); // commits the edit into the editor (one undo step) → the draft journal
};

describe('crash recovery (web host killed mid-edit)', () => {
  let dir: string;
  let running: Running | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crash-recovery-e2e-'));
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    if (running) await crash(running).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('recovers an edit made just over the autosave interval before a SIGKILL, and says so', async () => {
    const userData = join(dir, 'studio');
    running = await start(userData);
    let { page } = running;
    await page.getByTestId('open-sample').click();
    await expect.poll(() => page.getByTestId('current-template').textContent(), { timeout: 30_000 }).toContain('Service reminder');
    await openEmailDesign(page);
    const original = await page.getByTestId('email-subject').inputValue();
    const edited = `{{ first_name }}, recovered after a crash ${Date.now()}`;
    expect(original).not.toBe(edited);
    await setSubject(page, edited);
    await shot(page, 'crash-01-edited');
    // Just over the autosave bound (1 s), then the hard kill.
    await page.waitForTimeout(1100);
    await crash(running);
    running = undefined;

    running = await start(userData);
    page = running.page;
    // The Library says that unsaved work was recovered, and which template.
    const notice = page.getByTestId('recovered-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Service reminder');
    expect(await page.getByTestId(`template-card-${TEMPLATE_ID}`).textContent()).toContain('Unsaved changes recovered');
    await shot(page, 'crash-02-library-recovered');

    // Open it: the template says so too, and the edit is there (editor and compiled preview).
    await page.getByTestId(`template-card-${TEMPLATE_ID}`).click();
    await page.getByText('Unsaved changes were recovered').waitFor();
    await openEmailDesign(page);
    expect(await page.getByTestId('email-subject').inputValue()).toBe(edited);
    await expect
      .poll(() => page.getByTestId('email-live-subject').textContent(), { timeout: 30_000 })
      .toMatch(/recovered after a crash \d+$/);
    await shot(page, 'crash-03-template-recovered');

    // Saving clears the flag: the next start has nothing to recover.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved in the library').waitFor();
    expect(running.errors).toEqual([]);
    await crash(running);
    running = undefined;
    running = await start(userData);
    await running.page.getByTestId(`template-card-${TEMPLATE_ID}`).waitFor();
    expect(await running.page.getByTestId('recovered-notice').count()).toBe(0);
    expect(await running.page.getByTestId(`template-card-${TEMPLATE_ID}`).textContent()).not.toContain('Unsaved changes recovered');
    await crash(running);
    running = undefined;
  });

  it('loses nothing older than about a second when killed in the middle of a stream of edits', async () => {
    const userData = join(dir, 'stream');
    running = await start(userData);
    let { page } = running;
    await page.getByTestId('open-sample').click();
    await openEmailDesign(page);
    // Edits every ~200 ms (under the 300 ms pause) for 3 s: a pure debounce would journal none of them until the stream stops.
    const made: { n: number; at: number }[] = [];
    const t0 = Date.now();
    for (let n = 1; Date.now() - t0 < 3000; n += 1) {
      await setSubject(page, `Stream edit ${n}`);
      made.push({ n, at: Date.now() });
      await page.waitForTimeout(50);
    }
    const killedAt = Date.now();
    await crash(running);
    running = undefined;

    running = await start(userData);
    page = running.page;
    await page.getByTestId('recovered-notice').waitFor();
    await page.getByTestId(`template-card-${TEMPLATE_ID}`).click();
    await openEmailDesign(page);
    const subject = await page.getByTestId('email-subject').inputValue();
    const recovered = Number(/^Stream edit (\d+)$/.exec(subject)?.[1]);
    // The newest edit made at least 1 s (plus 300 ms for the call and the disk on a busy machine) before the kill.
    const mustHave = made.filter((m) => m.at <= killedAt - 1300).at(-1)!;
    expect(mustHave).toBeDefined();
    expect(recovered).toBeGreaterThanOrEqual(mustHave.n);
    console.log(
      `stream: ${made.length} edits, killed ${killedAt - made.at(-1)!.at} ms after the last; recovered edit ${recovered} (made ${killedAt - made[recovered - 1]!.at} ms before the kill)`,
    );
    await shot(page, 'crash-04-stream-recovered');
    await crash(running);
    running = undefined;
  });
});
