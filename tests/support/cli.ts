import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/presswork.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI (`node bin/presswork.mjs …`) from the repository root (or `cwd`) and resolves with its exit code and
 * output, never rejecting: the tests assert on the code. `env` is added to this process's environment.
 */
export function runPresswork(
  args: readonly string[],
  opts: { env?: Record<string, string>; timeoutMs?: number; maxBuffer?: number; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: opts.cwd ?? ROOT,
        timeout: opts.timeoutMs ?? 60_000,
        env: { ...process.env, ...opts.env },
        ...(opts.maxBuffer ? { maxBuffer: opts.maxBuffer } : {}),
      },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}
