/**
 * A world for sync integration tests: an in-process emulator on loopback, a temp folder, and the
 * built CLI (test/cli/build-once.ts) run as a child process exactly as users run it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { inject } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../emulator/types.js';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const WORKSPACE = 'ws_demo';
export const KEY = 'wsync-demo-key';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI's problem lines on stderr (progress lines, one per finished operation, are not problems). */
export const problems = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('wsync:'));

export const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

/** The built program's entry file (dist/cli/wsync.mjs as `npm run build:cli` makes it). */
export const cliEntry = (): string => inject('wsyncCli');

export interface SpawnOptions {
  cwd?: string;
}

/** Spawns `node <built wsync> ...args` with the key in WSYNC_API_KEY. */
export function spawnCli(args: string[], env: Record<string, string | undefined> = {}, options: SpawnOptions = {}): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [cliEntry(), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, WSYNC_API_KEY: KEY, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}, options: SpawnOptions = {}): Promise<CliRun> {
  return spawnCli(args, env, options).done;
}

export interface World {
  emu: Emulator;
  root: string;
  /** Runs `sync --once` on the world's folder with extra arguments. */
  sync(extra?: string[], env?: Record<string, string | undefined>): Promise<CliRun>;
  syncArgs(extra?: string[]): string[];
  /** Writes a local file (creating folders). */
  write(path: string, body: string | Buffer): void;
  read(path: string): string;
  exists(path: string): boolean;
  remove(path: string): void;
  /** Every local file outside `.wsync/`, relative and sorted. */
  localFiles(): string[];
  remotePut(path: string, body: string | Buffer): Promise<void>;
  remoteRead(path: string): Promise<string | null>;
  remoteFiles(): string[];
  close(): Promise<void>;
}

export async function createWorld(options: Partial<EmulatorOptions> = {}): Promise<World> {
  const base = mkdtempSync(join(tmpdir(), 'wsync-it-'));
  const root = join(base, 'folder');
  mkdirSync(root);
  const emu = await startEmulator({ dataDir: join(base, 'emu'), ...options });
  const syncArgs = (extra: string[] = []) => ['sync', '--once', '--server', emu.url, '--workspace', WORKSPACE, '--dir', root, ...extra];
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const abs = join(dir, e.name);
      const rel = relative(root, abs).split('\\').join('/');
      if (rel === '.wsync') return [];
      if (e.isDirectory()) return walk(abs);
      return [rel];
    });
  return {
    emu,
    root,
    syncArgs,
    sync: (extra = [], env = {}) => runCli(syncArgs(extra), env),
    write(path, body) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), body);
    },
    read: (path) => readFileSync(join(root, path), 'utf8'),
    exists: (path) => existsSync(join(root, path)) || isLink(join(root, path)),
    remove: (path) => rmSync(join(root, path), { recursive: true, force: true }),
    localFiles: () => walk(root).sort(),
    async remotePut(path, body) {
      await emu.admin.put(WORKSPACE, path, body);
    },
    async remoteRead(path) {
      const b = await emu.admin.read(WORKSPACE, path);
      return b === null ? null : b.toString('utf8');
    },
    remoteFiles: () => emu.admin.list(WORKSPACE).map((f) => f.path).sort(),
    async close() {
      await emu.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Transfers and deletions counted by the emulator since the last reset. */
export function transferCounts(emu: Emulator): { uploads: number; downloads: number; deletes: number } {
  const c = emu.counters();
  return { uploads: c.upload + c['upload-url'] + c['storage-put'], downloads: c['download-url'] + c['storage-get'], deletes: c.delete };
}
