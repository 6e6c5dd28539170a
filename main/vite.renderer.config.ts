import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/**
 * The renderer bundle (served by Electron's app:// handler and by the web host). No dev server: the strict
 * CSP forbids inline scripts, so `npm run dev` rebuilds on change (vite build --watch) and the page reloads.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 3000,
    sourcemap: true,
  },
});
