/**
 * The watching engine as users run it: the built program (scripts/build-cli.ts, built once per
 * bench run) started as `wsync watch --json`, read through its JSON status lines. Nothing of the
 * engine runs in the bench's own process.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli } from '../../../scripts/build-cli.js';
import { nodeArgs } from './measured.js';
import { repoRoot } from './processes.js';

/** Inside node_modules so that better-sqlite3 resolves as for an installed package; one per bench process. */
const cliDir = join(repoRoot, 'node_modules', '.cache', 'wsync-cli', `bench-${process.pid}`);
let cliEntry: string | null = null;

export async function buildBenchCli(): Promise<void> {
  cliEntry = await buildCli(cliDir);
}

/** The entry file buildBenchCli() made (the start-up scenario's quick mode runs it too). */
export function benchCliEntry(): string {
  if (cliEntry === null) throw new Error('buildBenchCli() first');
  return cliEntry;
}

export function removeBenchCli(): void {
  rmSync(cliDir, { recursive: true, force: true });
  cliEntry = null;
}

export interface WatchProcess {
  pid: number;
  /** Finished syncs so far: each time the folder is idle with a new lastSyncAt (a quiet poll counts). */
  syncCount(): number;
  /** performance.now() at each finished sync, oldest first. */
  syncTimes(): readonly number[];
  /** Resolves once syncCount() reaches n. */
  waitSyncs(n: number, timeoutMs: number): Promise<void>;
  /** Sends a signal to the program (SIGCONT wakes it up, SIGHUP reloads). */
  signal(name: NodeJS.Signals): void;
  /** SIGTERM, as a service manager stops it; resolves once it has exited. */
  stop(): Promise<void>;
}

export interface WatchTarget {
  root: string;
  server: string;
  workspace: string;
  apiKey: string;
}

interface StatusLine {
  state?: unknown;
  lastSyncAt?: unknown;
}

export async function startWatch(target: WatchTarget, label: string): Promise<WatchProcess> {
  if (cliEntry === null) throw new Error('buildBenchCli() first');
  const args = ['watch', '--json', '--server', target.server, '--workspace', target.workspace, '--dir', target.root];
  const child = spawn(process.execPath, [...nodeArgs(true, label), cliEntry, ...args], {
    cwd: target.root,
    env: { ...process.env, NODE_OPTIONS: '', WSYNC_API_KEY: target.apiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
  let lastSyncAt: unknown = null;
  let lastState = '';
  const times: number[] = [];
  const waiters = new Set<() => void>();
  let partial = '';
  const onLine = (line: string): void => {
    let status: StatusLine;
    try {
      status = JSON.parse(line) as StatusLine;
    } catch {
      return;
    }
    if (typeof status.state === 'string') lastState = status.state;
    if (status.state === 'idle' && typeof status.lastSyncAt === 'string' && status.lastSyncAt !== lastSyncAt) {
      lastSyncAt = status.lastSyncAt;
      times.push(performance.now());
      for (const w of waiters) w();
    }
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line !== '') onLine(line);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid ?? 0,
    syncCount: () => times.length,
    syncTimes: () => times,
    waitSyncs(n, timeoutMs) {
      if (times.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (times.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`wsync watch: ${times.length} of ${n} syncs within ${timeoutMs} ms (state ${lastState}) ${stderr.trim()}`));
        }, timeoutMs);
        waiters.add(check);
        void exited.then(() => {
          if (!waiters.has(check)) return;
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`wsync watch exited (${child.exitCode ?? child.signalCode}) after ${times.length} syncs: ${stderr.trim()}`));
        });
      });
    },
    signal: (name) => void child.kill(name),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
