/**
 * The order test files start in: the few that take minutes first, then vitest's own order.
 *
 * Without a results cache (a fresh clone, CI) vitest starts the largest files first, and several
 * of the longest files here are short ones that wait on other programs (npm compiling
 * better-sqlite3, the quick bench's scenarios, the model checker's runs): started among the last,
 * they ran on one worker while the other had nothing left to do. Started first, they overlap with
 * the many short files. Among the files not listed, vitest's order still decides (with a cache:
 * longest measured first).
 */
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const root = join(import.meta.dirname, '..', '..');

/**
 * Longest first: files of a minute or more on the 2-core machine that vitest's size order would
 * start late. The pack-and-install test leads: npm compiles better-sqlite3 on every core for
 * about two minutes, best spent while the other worker runs short files.
 */
export const LONG_FILES: readonly string[] = [
  'test/cli/installed.test.ts',
  'test/bench/quick.test.ts',
  'test/model/model.test.ts',
  'test/main/packaging.test.ts',
  'test/cli/terminal-ui.test.ts',
  'test/model/crash-points.test.ts',
  'test/app/desktop-e2e.test.ts',
];

for (const file of LONG_FILES) {
  // A renamed or removed file would silently fall back to vitest's order.
  if (!existsSync(join(root, file))) throw new Error(`long-first-sequencer: ${file} does not exist (renamed? update LONG_FILES)`);
}

export default class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const at = LONG_FILES.indexOf(relative(root, spec.moduleId).split(sep).join('/'));
      return at === -1 ? LONG_FILES.length : at;
    };
    // Array.prototype.sort is stable: the files not listed keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
