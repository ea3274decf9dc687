import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the app is served from wsync://app/ in Electron and from a loopback
  // server in the e2e tests.
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/app', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome140',
    // The CSP allows no inline script: Vite's module-preload polyfill would be one.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
