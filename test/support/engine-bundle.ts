/**
 * The engine process as the app ships it: electron/engine-process bundled by the app's own esbuild
 * settings, into node_modules/.cache (so that better-sqlite3, which stays external, resolves as it
 * does from the packaged app's node_modules). One bundle per test process.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { engineBundle } from '../../scripts/electron-bundles.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let built: Promise<string> | undefined;

export function buildEngineBundle(): Promise<string> {
  built ??= (async () => {
    const dir = join(root, 'node_modules', '.cache', 'wsync-test', `engine-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'index.cjs');
    await build({ ...engineBundle(outfile), logLevel: 'silent', minify: false, sourcemap: 'inline' });
    return outfile;
  })();
  return built;
}
