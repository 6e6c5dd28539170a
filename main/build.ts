import { build } from 'vite';
import { fileURLToPath } from 'node:url';

/**
 * Bundles for Electron: the renderer (vite.config.ts), main and the batch and proof workers as ESM for Node, and the
 * preload as ONE CommonJS file (sandboxed preloads cannot load modules) that needs only `electron`.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const external = [/^node:/, 'electron', 'better-sqlite3', 'mjml', 'fontkit', 'tsx'];

await build({ configFile: `${root}main/vite.renderer.config.ts` });
await build({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: 'out/main',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: {
      input: { index: 'main/index.ts', 'batch-worker': 'main/workers/batch-worker.ts', 'proof-worker': 'main/workers/proof-worker.ts' },
      external,
      output: { format: 'es', entryFileNames: '[name].js' },
    },
  },
});
await build({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: 'out/preload',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: {
      input: { index: 'preload/index.ts' },
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: '[name].cjs' },
    },
  },
  ssr: { noExternal: true },
});
console.log('built out/renderer, out/main, out/preload');
