import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * `npm run studio`: build, then open Electron where its binary exists; otherwise say so and open the same
 * studio in the browser through the web host.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: root, stdio: 'inherit' });

let electronPath: string | undefined;
try {
  const p = createRequire(import.meta.url)('electron') as unknown;
  if (typeof p === 'string' && existsSync(p)) electronPath = p;
} catch (e) {
  console.log(`Electron cannot run here: ${(e as Error).message.split('\n')[0]}`);
}
if (process.env.ELECTRON_OVERRIDE_DIST_PATH && !electronPath) console.log('ELECTRON_OVERRIDE_DIST_PATH is set but holds no usable binary.');

if (run(['main/build.ts']).status !== 0) process.exit(1);
if (electronPath) {
  spawn(electronPath, ['out/main/index.js'], { cwd: root, stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('No Electron binary on this machine: opening the studio in your browser through the web host instead.');
  run(['main/web-host-cli.ts', ...process.argv.slice(2)]);
}
