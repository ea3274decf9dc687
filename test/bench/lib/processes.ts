/**
 * Helper processes of the bench (emulator, s3rver) and the measured ones (driver, curl, rclone).
 * Each lives in its own process so that what is measured is only the measured side.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorOptions } from '../../../emulator/types.js';
import type { LauncherReply, LauncherRequest } from '../child/emulator-launcher.js';
import type { TreeSpec } from './content.js';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
const benchDir = join(repoRoot, 'test', 'bench');

interface ServiceChild {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Starts a TypeScript launcher under tsx with an IPC channel; resolves once it says it is ready. */
async function startService(script: string, arg: unknown): Promise<ServiceChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, 'child', script), JSON.stringify(arg)], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { ready?: boolean; url?: string }) => (m.ready && m.url ? resolve(m.url) : reject(new Error('bad ready message'))));
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready: ${stderr}`)));
  });
  return {
    child,
    url,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface EmulatorProcess {
  url: string;
  pid: number;
  /** Writes the tree straight into the emulator's storage (no HTTP); resolves with the file count. */
  seed(workspace: string, tree: TreeSpec): Promise<number>;
  put(workspace: string, path: string, text: string): Promise<string>;
  count(workspace: string): Promise<number>;
  stop(): Promise<void>;
}

type Request = LauncherRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export async function startEmulatorProcess(options: EmulatorOptions): Promise<EmulatorProcess> {
  const service = await startService('emulator-launcher.ts', options);
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  service.child.on('message', (reply: LauncherReply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if (reply.ok) w.resolve(reply.value);
    else w.reject(new Error(`emulator: ${reply.error}`));
  });
  service.child.once('exit', () => {
    for (const w of waiting.values()) w.reject(new Error(`emulator exited: ${service.stderr()}`));
    waiting.clear();
  });
  const call = (request: Request): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      service.child.send({ ...request, id });
    });
  return {
    url: service.url,
    pid: service.child.pid ?? 0,
    seed: async (workspace, tree) => Number(await call({ op: 'seed', workspace, tree })),
    put: async (workspace, path, text) => String(await call({ op: 'put', workspace, path, text })),
    count: async (workspace) => Number(await call({ op: 'count', workspace })),
    stop: () => service.stop(),
  };
}

export interface S3Process {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startS3rverProcess(directory: string, bucket: string): Promise<S3Process> {
  const service = await startService('s3rver-launcher.ts', { directory, bucket });
  return { url: service.url, pid: service.child.pid ?? 0, stop: () => service.stop() };
}

/** CPU time (user + system, all threads) a live process has used so far, from /proc. */
export function procStat(pid: number): { cpuMs: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS };
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;
