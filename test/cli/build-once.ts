/**
 * Vitest global setup: builds the `wsync` program once per test run, as `npm run build:cli` does,
 * so that the CLI tests and the quick bench run what users run. Each run builds into its own
 * folder (two runs at once never share a half-written build), inside node_modules so that
 * better-sqlite3 resolves as it does for an installed package.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildCli } from '../../scripts/build-cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built CLI's entry file. */
    wsyncCli: string;
  }
}

const outdir = join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'wsync-cli', `run-${process.pid}`);

/** Vitest calls a global setup for the root and again for each project, in this one process: one build serves them all. */
const BUILD = Symbol.for('wsync.test.build-once');
interface Holder {
  [BUILD]?: Promise<string>;
}

export async function setup(project: TestProject): Promise<void> {
  const holder = globalThis as Holder;
  holder[BUILD] ??= buildCli(outdir);
  project.provide('wsyncCli', await holder[BUILD]);
}

export function teardown(): void {
  rmSync(outdir, { recursive: true, force: true });
}
