import type { PrefsView } from '../../shared/ipc/contract';
import { StudioError } from '../../shared/ipc/errors';
import type { Db } from './library-db';
import type { SecretStore } from './secrets';

type Theme = PrefsView['theme'];

/** Preferences in the library's prefs table; the token only as ciphertext from the SecretStore. */
export class PrefsService {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretStore,
  ) {}

  private read(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM prefs WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }
  private write(key: string, value: string | null): void {
    if (value === null) this.db.prepare('DELETE FROM prefs WHERE key = ?').run(key);
    else
      this.db.prepare('INSERT INTO prefs (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  view(): PrefsView {
    return {
      serverUrl: this.read('serverUrl') ?? '',
      hasToken: this.read('tokenCipher') !== undefined,
      hasApproverToken: this.read('approverTokenCipher') !== undefined,
      theme: (this.read('theme') as Theme | undefined) ?? 'system',
      tokenStorage: this.secrets.description,
      encrypted: this.secrets.osProtected,
    };
  }

  set(p: {
    serverUrl?: string | undefined;
    token?: string | null | undefined;
    approverToken?: string | null | undefined;
    theme?: Theme | undefined;
  }): PrefsView {
    if (p.serverUrl !== undefined) this.write('serverUrl', p.serverUrl.replace(/\/+$/, ''));
    if (p.theme !== undefined) this.write('theme', p.theme);
    this.writeSecret('tokenCipher', p.token);
    this.writeSecret('approverTokenCipher', p.approverToken);
    return this.view();
  }

  private writeSecret(key: string, value: string | null | undefined): void {
    if (value === undefined) return;
    if (value === null || value === '') return this.write(key, null);
    try {
      this.write(key, this.secrets.encrypt(value));
    } catch (e) {
      throw new StudioError('no-secure-storage', `The token was not saved: ${(e as Error).message}.`);
    }
  }

  serverUrl(): string {
    return this.read('serverUrl') ?? '';
  }

  /** The approver token (approval decisions and lists), else undefined. */
  approverToken(): string | undefined {
    return this.secret('approverTokenCipher');
  }

  token(): string | undefined {
    return this.secret('tokenCipher');
  }

  private secret(key: string): string | undefined {
    const c = this.read(key);
    if (c === undefined) return undefined;
    try {
      return this.secrets.decrypt(c);
    } catch {
      throw new StudioError('token-unreadable', 'The saved token cannot be decrypted on this machine; enter it again in Preferences.');
    }
  }

  windowState(): { x?: number; y?: number; width: number; height: number; maximized: boolean } {
    const raw = this.read('windowState');
    const fallback = { width: 1360, height: 860, maximized: false };
    if (!raw) return fallback;
    try {
      const v = JSON.parse(raw) as { x?: number; y?: number; width: number; height: number; maximized: boolean };
      return v.width > 200 && v.height > 200 ? v : fallback;
    } catch {
      return fallback;
    }
  }
  saveWindowState(s: { x: number; y: number; width: number; height: number; maximized: boolean }): void {
    this.write('windowState', JSON.stringify(s));
  }
}
