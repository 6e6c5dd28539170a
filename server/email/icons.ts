import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SocialNetwork } from '../../shared/compose/email/build';

/**
 * Presswork's social icons for email (assets/email-icons, see its README): the bytes and content hash of
 * each, read once. The server stores them with its assets (so `<public URL>/a/<sha256>` serves them) and
 * the composer links them from there; `presswork compose email` links or inlines them like template assets.
 */

export const SOCIAL_NETWORKS: readonly SocialNetwork[] = ['facebook', 'instagram', 'x', 'youtube', 'linkedin', 'web'];
const DIR = fileURLToPath(new URL('../../assets/email-icons/', import.meta.url));

export interface SocialIcon {
  network: SocialNetwork;
  file: string;
  bytes: Uint8Array;
  sha256: string;
}

let loaded: readonly SocialIcon[] | undefined;

/** Every icon (read from disk on first use). */
export function socialIcons(): readonly SocialIcon[] {
  loaded ??= SOCIAL_NETWORKS.map((network) => {
    const bytes = new Uint8Array(readFileSync(`${DIR}${network}.png`));
    return { network, file: `${network}.png`, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
  return loaded;
}

/** Network → content hash, for composers that link icons as stored assets. */
export const socialIconHashes = (): Record<string, string> => Object.fromEntries(socialIcons().map((i) => [i.network, i.sha256]));
