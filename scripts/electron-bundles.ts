/**
 * esbuild settings for the Electron main process, the engine process and the preload.
 * - main: one CommonJS file (package.json "main"); only electron stays external: the main
 *   process imports nothing native.
 * - engine: the utility process (electron/engine-process), one CommonJS file; better-sqlite3
 *   (native) stays external and is the one package the app ships in node_modules.
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

const nodeCommon: BuildOptions = {
  ...common,
  platform: 'node',
  // Electron 45's main and utility processes run Node 24.
  target: 'node24',
  // ESM dependencies read import.meta.url; in the CommonJS bundle it is this file's URL.
  define: { 'import.meta.url': '__wsync_import_meta_url', 'import.meta.dirname': '__dirname' },
  banner: { js: "const __wsync_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
};

/** Packages the bundles load at run time: what electron-builder must pack (see electron-builder.yml). */
export const RUNTIME_PACKAGES = ['better-sqlite3'] as const;

export const mainBundle = (outfile = 'dist/electron/main/index.cjs'): BuildOptions => ({
  ...nodeCommon,
  entryPoints: ['electron/main/index.ts'],
  outfile,
  external: ['electron'],
});

export const engineBundle = (outfile = 'dist/electron/engine/index.cjs'): BuildOptions => ({
  ...nodeCommon,
  entryPoints: ['electron/engine-process/index.ts'],
  outfile,
  external: [...RUNTIME_PACKAGES],
});

export const preloadBundle = (outfile = 'dist/electron/preload/index.cjs'): BuildOptions => ({
  ...common,
  entryPoints: ['electron/preload/index.ts'],
  outfile,
  platform: 'browser',
  target: 'chrome140',
  external: ['electron'],
});
