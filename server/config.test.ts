import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('uses embedded defaults: loopback 8787, the per-user data folder, development outbox', () => {
    const c = loadConfig({ env: { HOME: '/home/ada' }, cwd: '/srv/app-without-a-store' });
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      dataDir: process.platform === 'linux' ? '/home/ada/.local/share/presswork' : c.dataDir,
      dataDirOrigin: 'default',
      outbox: true,
      publicUrl: 'http://127.0.0.1:8787',
    });
  });

  it('layers file < environment < overrides, and reads an SMTP URL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwcfg-'));
    try {
      writeFileSync(
        join(dir, 'presswork.config.json'),
        JSON.stringify({ port: 9000, limits: { perDomainPerSecond: 5 }, publicUrl: 'https://mail.example.com/' }),
      );
      const c = loadConfig({
        cwd: dir,
        env: { PRESSWORK_PORT: '9100', PRESSWORK_SMTP_URL: 'smtps://u%40x:p%3Aw@relay.example.com' },
        overrides: { limits: { globalPerSecond: 50 } },
      });
      expect(c.port).toBe(9100);
      expect(c.limits).toMatchObject({ perDomainPerSecond: 5, globalPerSecond: 50, maxAttempts: 8 });
      expect(c.smtp).toMatchObject({ host: 'relay.example.com', port: 465, secure: true, user: 'u@x', pass: 'p:w' });
      expect(c.outbox).toBe(false);
      expect(c.publicUrl).toBe('https://mail.example.com');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports every problem with where it came from', () => {
    let err: unknown;
    try {
      loadConfig({
        env: { PRESSWORK_PORT: 'eighty', PRESSWORK_RATE_GLOBAL: '-1', PRESSWORK_PUBLIC_URL: 'ftp://x', PRESSWORK_SMTP_URL: 'http://nope' },
        cwd: '/',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const text = (err as ConfigError).problems.join('\n');
    expect(text).toContain('PRESSWORK_PORT="eighty": must be a whole number');
    expect(text).toContain('PRESSWORK_SMTP_URL');
    expect(() => loadConfig({ env: { PRESSWORK_RATE_GLOBAL: '-1' }, cwd: '/' })).toThrow(
      /limits\.globalPerSecond \(file key or PRESSWORK_RATE_GLOBAL\)/,
    );
    expect(() => loadConfig({ env: { PRESSWORK_PUBLIC_URL: 'ftp://x' }, cwd: '/' })).toThrow(/publicUrl .*must be an http\(s\) URL/);
    expect(() => loadConfig({ file: '/nonexistent/presswork.json', env: {} })).toThrow(/config file not found/);
    expect(() => loadConfig({ env: {}, overrides: { dkim: { domainName: 'x.example', keySelector: 's', privateKey: 'nope' } } })).toThrow(
      /PEM/,
    );
  });

  it('finds the data folder by one order: flag, PRESSWORK_DATA_DIR, config file, nearest .presswork upward, per-user default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwcfg-'));
    try {
      const deep = join(dir, 'project', 'campaigns', 'spring');
      mkdirSync(deep, { recursive: true });
      const env = { HOME: join(dir, 'home') };
      const byDefault = loadConfig({ env, cwd: deep });
      expect(byDefault.dataDirOrigin).toBe('default');
      expect(byDefault.dataDir).toBe(loadConfig({ env, cwd: dir }).dataDir);
      mkdirSync(join(dir, 'project', '.presswork'));
      expect(loadConfig({ env, cwd: deep })).toMatchObject({ dataDir: join(dir, 'project', '.presswork'), dataDirOrigin: 'nearest' });
      writeFileSync(join(deep, 'presswork.config.json'), JSON.stringify({ dataDir: 'store-from-file' }));
      expect(loadConfig({ env, cwd: deep })).toMatchObject({ dataDir: join(deep, 'store-from-file'), dataDirOrigin: 'config-file' });
      const withEnv = loadConfig({ env: { ...env, PRESSWORK_DATA_DIR: '/var/lib/pw' }, cwd: deep });
      expect(withEnv).toMatchObject({ dataDir: '/var/lib/pw', dataDirOrigin: 'environment', dataDirReason: 'PRESSWORK_DATA_DIR' });
      const withFlag = loadConfig({ env: { ...env, PRESSWORK_DATA_DIR: '/var/lib/pw' }, cwd: deep, overrides: { dataDir: '/x' } });
      expect(withFlag).toMatchObject({ dataDir: '/x', dataDirOrigin: 'flag' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
