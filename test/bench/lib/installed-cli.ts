/**
 * The `wsync` program the start-up scenario runs. The full bench measures it as installed: the
 * tarball `npm pack` makes, installed with `npm install -g --omit=dev` into a temp prefix
 * (scripts/pack-install.ts) and run from PATH. The quick bench (CI's smoke run) cannot spend the
 * minutes that install takes compiling better-sqlite3: it runs the bench run's build of the same
 * bundle (watch-cli.ts), which loads the same modules, and its figures say so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packAndInstall, userEnv } from '../../../scripts/pack-install.js';
import { benchCliEntry } from './watch-cli.js';

export interface BenchCli {
  /** The command and the arguments before wsync's own. */
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  kind: 'installed' | 'built';
  remove(): void;
}

export async function benchCli(options: { installed: boolean; tmp: string }): Promise<BenchCli> {
  if (!options.installed) return { command: process.execPath, args: [benchCliEntry()], env: userEnv(), kind: 'built', remove: () => undefined };
  const dir = mkdtempSync(join(options.tmp, 'installed-'));
  const cli = await packAndInstall(dir);
  return { command: cli.bin, args: [], env: cli.env, kind: 'installed', remove: () => rmSync(dir, { recursive: true, force: true }) };
}
