/**
 * esbuild settings for the Electron main process and the preload.
 * - main: one CommonJS file (package.json "main"); electron and better-sqlite3 (native) stay external.
 * - preload: one CommonJS file with nothing external but electron, because a sandboxed preload
 *   can neither load ES modules nor require other files.
 */
import type { BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const common: BuildOptions = {
  bundle: true,
  format: 'cjs',
  sourcemap: true,
  minify: process.env.NODE_ENV !== 'development',
  absWorkingDir: root,
  logLevel: 'info',
};

export const mainBundle = (outfile = 'dist/electron/main/index.cjs'): BuildOptions => ({
  ...common,
  entryPoints: ['electron/main/index.ts'],
  outfile,
  platform: 'node',
  target: 'node22',
  external: ['electron', 'better-sqlite3'],
  // ESM dependencies read import.meta.url; in the CommonJS bundle it is this file's URL.
  define: { 'import.meta.url': '__wsync_import_meta_url', 'import.meta.dirname': '__dirname' },
  banner: { js: "const __wsync_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});

export const preloadBundle = (outfile = 'dist/electron/preload/index.cjs'): BuildOptions => ({
  ...common,
  entryPoints: ['electron/preload/index.ts'],
  outfile,
  platform: 'browser',
  target: 'chrome140',
  external: ['electron'],
});
