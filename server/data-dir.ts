import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Where the server's store (SQLite database, assets, outputs, development outbox) lives when no setting names
 * it. Every command that touches the store (`serve`, `token …`, `doctor`) resolves it through loadConfig, in
 * this order:
 *
 *   1. `--data-dir <dir>` on the command line;
 *   2. `PRESSWORK_DATA_DIR`, or `dataDir` in the configuration file (`--config`, `PRESSWORK_CONFIG`, or
 *      `./presswork.config.json`);
 *   3. the nearest folder named `.presswork` in the current folder or one above it;
 *   4. the per-user default: `$XDG_DATA_HOME/presswork` (`~/.local/share/presswork`) on Linux,
 *      `~/Library/Application Support/Presswork` on macOS, `%LOCALAPPDATA%\Presswork` on Windows.
 *
 * Steps 3 and 4 mean that `presswork token create` run from any folder of a project finds the same store as
 * `presswork serve` run from that project's root, and that outside any project every command uses one
 * per-user store instead of silently creating a new empty one in the current folder.
 */

export const DATA_DIR_NAME = '.presswork';

export type DataDirOrigin = 'flag' | 'environment' | 'config-file' | 'nearest' | 'default';

export interface ResolvedDataDir {
  dir: string;
  origin: DataDirOrigin;
  /** For people: where the choice came from, e.g. "nearest .presswork above /home/a/project/sub". */
  reason: string;
}

const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** The nearest `.presswork` folder in `cwd` or above it, if any. */
export function nearestDataDir(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, DATA_DIR_NAME);
    if (isDir(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The per-user default store; it does not depend on the current folder. */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'Presswork');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Presswork');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'presswork');
}

/** Steps 3 and 4 of the order above (steps 1 and 2 are settings, handled by loadConfig). */
export function fallbackDataDir(cwd: string, env: Readonly<Record<string, string | undefined>>): ResolvedDataDir {
  const near = nearestDataDir(cwd);
  if (near) return { dir: near, origin: 'nearest', reason: `the nearest ${DATA_DIR_NAME} folder above ${resolve(cwd)}` };
  return { dir: defaultDataDir(env), origin: 'default', reason: 'the per-user default, as no .presswork folder is here or above' };
}
