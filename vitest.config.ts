import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { ISOLATED_FILES } from './test/support/isolated-files.js';
import LongFirstSequencer from './test/support/long-first-sequencer.js';

export default defineConfig({
  resolve: {
    // Main-process code is tested against a fake of the few Electron APIs it uses:
    // the real module would try to download the Electron binary.
    alias: { electron: fileURLToPath(new URL('./test/support/fake-electron.ts', import.meta.url)) },
  },
  test: {
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
    projects: [
      // One module graph per worker, shared by the files it runs: each file no longer pays for a
      // fresh process and for importing zod, got and the engine again (2 idle cores: the suite's
      // CPU 620 -> 523 s, its wall time 408 -> 368 s). A third worker did not help (373 s).
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: [...ISOLATED_FILES], isolate: false } },
      { extends: true, test: { name: 'isolated', include: [...ISOLATED_FILES] } },
    ],
  },
});
