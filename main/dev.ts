import { build } from 'vite';
import { fileURLToPath } from 'node:url';

/** `npm run dev`: rebuild the renderer on every change and serve it through the web host (reload the page to see changes). */
const root = fileURLToPath(new URL('..', import.meta.url));
await build({ configFile: `${root}main/vite.renderer.config.ts`, build: { watch: {} }, mode: 'development' });
await import('./web-host-cli');
