/**
 * `npm run build:cli`: the `wsync` program as bundled JavaScript in dist/cli/ (package.json `bin`).
 *
 * Every JavaScript dependency is bundled and each command's code is its own chunk, loaded only by
 * the command that runs (code splitting on the dynamic imports in electron/cli/main.ts): `wsync
 * --help` reads one small file instead of resolving and compiling the engine's packages.
 * better-sqlite3 stays external: its native module is compiled when the package is installed.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The entry file of a build in `outdir`: what `bin.wsync` names for dist/cli. */
export const CLI_ENTRY = 'wsync.mjs';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('package.json has no version');
  return pkg.version;
}

/**
 * Builds into `outdir` (which must lie inside the repository, so that better-sqlite3 resolves
 * from node_modules) and returns the entry file's path.
 */
export async function buildCli(outdir = join(root, 'dist', 'cli')): Promise<string> {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { wsync: 'electron/cli/wsync.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3'],
    // Bundled CommonJS packages call require(); ESM output has none of its own.
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __wsyncRequire } from 'node:module';\nconst require = __wsyncRequire(import.meta.url);",
    },
    define: { __WSYNC_VERSION__: JSON.stringify(packageVersion()) },
    minify: true,
    legalComments: 'linked',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return join(outdir, CLI_ENTRY);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Quiet on success: `npm run -s wsync` builds first, and its output must be wsync's alone.
  await buildCli();
}
