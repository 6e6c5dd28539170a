import { join } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { startWebHost } from './web-host';

/**
 * `npm run studio` when Electron cannot run, and `npm run dev`: the studio in the browser through the web
 * host. Data lives in PRESSWORK_STUDIO_DATA or ~/.presswork-studio-web (separate from the desktop app's).
 */
const rendererDir = fileURLToPath(new URL('../out/renderer', import.meta.url));
const userData = process.env.PRESSWORK_STUDIO_DATA ?? join(homedir(), '.presswork-studio-web');
const port = Number(process.env.PRESSWORK_STUDIO_PORT ?? 5199);

const host = await startWebHost({ rendererDir, userData, port });
console.log(`Presswork Studio (web host) at ${host.url}`);
console.log(`  data: ${userData} — the server token is encrypted with a per-machine key file there, not by the OS keychain.`);
if (!process.argv.includes('--no-open')) {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  spawn(opener, [host.url], { stdio: 'ignore', detached: true })
    .on('error', () => console.log('  (could not open a browser; open the address above yourself)'))
    .unref();
}
const stop = () => void host.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
