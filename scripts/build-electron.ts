/**
 * Bundles the Electron main process and the preload with esbuild.
 * - main: one CommonJS file (package.json "main"); electron and better-sqlite3 (native) stay external.
 * - preload: one CommonJS file with nothing external but electron, because a sandboxed preload
 *   can neither load ES modules nor require other files.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const production = process.env.NODE_ENV !== 'development';

const common = {
  bundle: true,
  platform: 'node' as const,
  format: 'cjs' as const,
  target: 'node22',
  sourcemap: true,
  minify: production,
  absWorkingDir: root,
  logLevel: 'info' as const,
};

await build({
  ...common,
  entryPoints: ['electron/main/index.ts'],
  outfile: 'dist/electron/main/index.cjs',
  external: ['electron', 'better-sqlite3'],
  // ESM dependencies read import.meta.url; in the CommonJS bundle it is this file's URL.
  define: { 'import.meta.url': '__wsync_import_meta_url', 'import.meta.dirname': '__dirname' },
  banner: { js: "const __wsync_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});

await build({
  ...common,
  entryPoints: ['electron/preload/index.ts'],
  outfile: 'dist/electron/preload/index.cjs',
  external: ['electron'],
  platform: 'browser',
});
