import { describe, it, expect, vi, beforeEach } from 'vitest';
import { channelNames } from '../../shared/ipc/contract';
import type { Handlers } from './dispatch';

type Listener = (event: unknown, args: unknown) => Promise<unknown>;
const registered = new Map<string, Listener>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Listener) => registered.set(channel, fn),
    removeHandler: (channel: string) => registered.delete(channel),
  },
}));

const { registerIpc } = await import('./electron-ipc');

const studioContents = { id: 1 };
const otherContents = { id: 2 };
const frame = (url: string, parent: unknown = null) => ({ url, parent });
const call = (channel: string, args: unknown, sender: unknown = studioContents, senderFrame: unknown = frame('app://studio/index.html')) =>
  registered.get(channel)!({ sender, senderFrame }, args);

describe('Electron IPC registration', () => {
  const seen: unknown[] = [];
  beforeEach(() => {
    registered.clear();
    seen.length = 0;
    const handlers = Object.fromEntries(
      channelNames.map((c) => [
        c,
        (a: unknown) => {
          seen.push([c, a]);
          if (c === 'prefs:get')
            return { serverUrl: '', hasToken: false, hasApproverToken: false, theme: 'system', tokenStorage: 'test', encrypted: true };
          return {};
        },
      ]),
    ) as unknown as Handlers;
    registerIpc(handlers, { isStudio: (s) => s === (studioContents as never), origin: 'app://studio' });
  });

  it('registers exactly the channels of the contract', () => {
    expect([...registered.keys()].sort()).toEqual([...channelNames].sort());
  });

  it('answers the studio window', async () => {
    const r = (await call('prefs:get', {})) as { ok: boolean; value: { theme: string } };
    expect(r.ok).toBe(true);
    expect(r.value.theme).toBe('system');
  });

  it('refuses an unknown sender without running the handler', async () => {
    const r = (await call('prefs:get', {}, otherContents)) as { ok: false; error: { code: string; message: string } };
    expect(r.ok).toBe(false);
    expect(r.error.code).toBe('forbidden-sender');
    expect(seen).toHaveLength(0);
  });

  it('refuses a page from another origin inside the studio window', async () => {
    const r = (await call('prefs:get', {}, studioContents, frame('https://evil.example/'))) as {
      ok: false;
      error: { code: string; message: string };
    };
    expect(r.error.code).toBe('forbidden-sender');
    expect(r.error.message).toContain('https://evil.example');
    expect(seen).toHaveLength(0);
  });

  it('refuses an embedded frame of the studio', async () => {
    const r = (await call('prefs:get', {}, studioContents, frame('app://studio/x.html', {}))) as { ok: false; error: { code: string } };
    expect(r.error.code).toBe('forbidden-sender');
  });

  it('refuses malformed arguments with a clear error, before the handler', async () => {
    const r = (await call('data:record', { templateId: 'x', datasetId: null, index: -3, extra: 1 })) as {
      ok: false;
      error: { code: string; message: string; details: string[] };
    };
    expect(r.ok).toBe(false);
    expect(r.error.code).toBe('bad-arguments');
    expect(r.error.message).toContain('data:record');
    expect(r.error.details.join('\n')).toMatch(/index/);
    expect(r.error.details.join('\n')).toMatch(/extra/);
    expect(seen).toHaveLength(0);
  });

  it('refuses a URL that is not http(s) before opening it', async () => {
    const r = (await call('prefs:set', { serverUrl: 'file:///etc/passwd' })) as { ok: false; error: { code: string; details: string[] } };
    expect(r.error.code).toBe('bad-arguments');
    expect(r.error.details.join()).toContain('http');
  });
});
