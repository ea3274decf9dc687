import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import LongFirstSequencer from './test/support/long-first-sequencer.js';

export default defineConfig({
  resolve: {
    // Main-process code is tested against a fake of the few Electron APIs it uses:
    // the real module would try to download the Electron binary.
    alias: { electron: fileURLToPath(new URL('./test/support/fake-electron.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI tests and the quick bench run the built program, built once per run.
    globalSetup: ['./test/cli/build-once.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    pool: 'forks',
    // The files that take minutes start first (vitest alone would start them last on a fresh clone).
    sequence: { sequencer: LongFirstSequencer },
    // Most files wait on child processes, servers and disks rather than on a core: two files at a
    // time on a 2-core machine (vitest's default there is one).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
