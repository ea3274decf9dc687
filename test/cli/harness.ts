/**
 * The CLI tests' side of the SyncRig (test/support/sync-rig.ts: an in-process emulator on loopback
 * and a temp folder): the built CLI (test/cli/build-once.ts) run as a child process exactly as
 * users run it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { EmulatorOptions } from '../../emulator/types.js';
import { RIG_KEY, RIG_WORKSPACE, SyncRig } from '../support/sync-rig.js';

export { md5, transferCounts } from '../support/sync-rig.js';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const WORKSPACE = RIG_WORKSPACE;
export const KEY = RIG_KEY;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI's problem lines on stderr (progress lines, one per finished operation, are not problems). */
export const problems = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('wsync:'));

/** The built program's entry file (dist/cli/wsync.mjs as `npm run build:cli` makes it). */
export const cliEntry = (): string => inject('wsyncCli');

export interface SpawnOptions {
  cwd?: string;
}

/** Spawns `node <built wsync> ...args` with the key in WSYNC_API_KEY. */
export function spawnCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  options: SpawnOptions = {},
): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [cliEntry(), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, WSYNC_API_KEY: KEY, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}, options: SpawnOptions = {}): Promise<CliRun> {
  return spawnCli(args, env, options).done;
}

/** The rig CLI tests run the built program on: `sync()` is `wsync sync --once` on the rig's folder, as a child process. */
export type CliRig = SyncRig & {
  sync(extra?: string[], env?: Record<string, string | undefined>): Promise<CliRun>;
  syncArgs(extra?: string[]): string[];
};

export async function openCliRig(emulator: Partial<EmulatorOptions> = {}): Promise<CliRig> {
  const rig = await SyncRig.open({ emulator });
  const syncArgs = (extra: string[] = []): string[] => [
    'sync',
    '--once',
    '--server',
    rig.server,
    '--workspace',
    rig.workspace,
    '--dir',
    rig.root,
    ...extra,
  ];
  return Object.assign(rig, { syncArgs, sync: (extra: string[] = [], env: Record<string, string | undefined> = {}) => runCli(syncArgs(extra), env) });
}
