import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from '../config';
import { databasePath } from '../services';
import { writeErr } from './output';

/**
 * The store every command that touches the server's data uses (`serve`, `token …`, `doctor`): one resolution
 * (loadConfig with server/data-dir.ts: --data-dir, PRESSWORK_DATA_DIR or the config file's dataDir, the nearest
 * .presswork folder upward, the per-user default), said out loud on stderr so that stdout stays parseable.
 */

export interface StoreOptions {
  config?: string;
  dataDir?: string;
}

/** The option help shared by every store command. */
export const DATA_DIR_HELP =
  "data folder (default: $PRESSWORK_DATA_DIR, the config file's dataDir, the nearest .presswork folder upward, else ~/.local/share/presswork)";

/** One line naming the store and why it was chosen; `opening`: the command is about to open (or create) it. */
export function describeStore(config: Pick<Config, 'dataDir' | 'dataDirReason'>, opening = true): string {
  const fresh = !existsSync(databasePath(config));
  const note = fresh ? (opening ? '; no database there yet: a new, empty one is created' : '; no database there yet') : '';
  return `data folder ${config.dataDir} (${config.dataDirReason})${note}`;
}

/** Load the configuration for `command`; a bad configuration is reported (exit 2) and undefined returned. */
export function loadStoreConfig(command: string, opts: StoreOptions, overrides: Parameters<typeof loadConfig>[0] = {}): Config | undefined {
  try {
    return loadConfig({
      ...overrides,
      ...(opts.config ? { file: opts.config } : {}),
      overrides: { ...overrides.overrides, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}) },
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      writeErr(`presswork ${command}: ${e.message}`);
      process.exitCode = 2;
      return undefined;
    }
    throw e;
  }
}

/** Load the configuration and say which store `command` uses (on stderr). */
export function announceStore(command: string, opts: StoreOptions): Config | undefined {
  const config = loadStoreConfig(command, opts);
  if (config) writeErr(`presswork ${command}: ${describeStore(config)}`);
  return config;
}

/** How to reach the same store from another command (for the serve banner and refused-token advice). */
export function sameStoreHint(config: Pick<Config, 'dataDir' | 'dataDirOrigin'>): string {
  switch (config.dataDirOrigin) {
    case 'flag':
      return `pass --data-dir ${JSON.stringify(config.dataDir)} to "presswork token …" too`;
    case 'environment':
      return '"presswork token …" with the same PRESSWORK_DATA_DIR uses it too';
    case 'config-file':
      return '"presswork token …" with the same configuration file uses it too';
    case 'nearest':
      return '"presswork token …" run in this folder or below it uses it too';
    case 'default':
      return '"presswork token …" run from any folder without its own .presswork uses it too';
  }
}
