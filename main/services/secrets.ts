import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync, chmodSync, mkdirSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * Where the publish token is kept. Both implementations store only ciphertext (base64) in the library;
 * plain text never touches disk.
 */
export interface SecretStore {
  /** In words, for the Preferences page. */
  readonly description: string;
  /** True when the key is protected by the operating system (keychain, DPAPI, libsecret). */
  readonly osProtected: boolean;
  encrypt(plain: string): string;
  decrypt(cipher: string): string;
}

/** Electron's safeStorage (Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux). */
export function safeStorageSecrets(safe: {
  isEncryptionAvailable(): boolean;
  encryptString(s: string): Buffer;
  decryptString(b: Buffer): string;
}): SecretStore {
  return {
    description: 'encrypted by the operating system (Electron safeStorage)',
    osProtected: true,
    encrypt: (plain) => {
      if (!safe.isEncryptionAvailable())
        throw new Error('the operating system offers no encrypted storage (on Linux, install and unlock a keyring such as gnome-keyring)');
      return safe.encryptString(plain).toString('base64');
    },
    decrypt: (cipher) => safe.decryptString(Buffer.from(cipher, 'base64')),
  };
}

/**
 * The web host's fallback (no Electron, so no safeStorage): AES-256-GCM with a key derived (scrypt) from a
 * random 32-byte key file in the user-data folder (mode 0600) plus this machine's host and user name.
 * A copied library file is unreadable elsewhere, but anyone who can read your user-data folder on this
 * machine can decrypt it: this is encryption at rest, not OS-protected storage, and the page says so.
 */
export function keyFileSecrets(userData: string): SecretStore {
  mkdirSync(userData, { recursive: true });
  const keyPath = join(userData, 'secret.key');
  if (!existsSync(keyPath)) {
    writeFileSync(keyPath, randomBytes(32), { mode: 0o600 });
    try {
      chmodSync(keyPath, 0o600);
    } catch {
      // Windows: modes are advisory.
    }
  }
  const key = scryptSync(readFileSync(keyPath), `presswork:${hostname()}:${userInfo().username}`, 32);
  return {
    description: `encrypted at rest with a per-machine key file (${keyPath}); not protected by the operating system — the web host has no access to the system keychain`,
    osProtected: false,
    encrypt: (plain) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    decrypt: (cipher) => {
      const all = Buffer.from(cipher, 'base64');
      const d = createDecipheriv('aes-256-gcm', key, all.subarray(0, 12));
      d.setAuthTag(all.subarray(12, 28));
      return Buffer.concat([d.update(all.subarray(28)), d.final()]).toString('utf8');
    },
  };
}
