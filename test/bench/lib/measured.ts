/**
 * Runs the measured side: the driver (bundled once per bench run, started with plain `node`, so
 * it carries no TypeScript loader), or an external program (curl, rclone) under /usr/bin/time.
 * The watching engine is the built program itself (watch-cli.ts).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { DriverJob, DriverResult } from '../child/driver.js';
import { repoRoot } from './processes.js';

/**
 * node_modules/.cache keeps the bundle beside the packages it imports. Each bench process writes
 * its own, so two benches at once never run each other's (or a half-written) bundle.
 */
const bundlePath = join(repoRoot, 'node_modules', '.cache', 'wsync-bench', `driver-${process.pid}.mjs`);

export function removeDriverBundle(): void {
  rmSync(bundlePath, { force: true });
}

export async function bundleDriver(): Promise<void> {
  mkdirSync(join(bundlePath, '..'), { recursive: true });
  await build({
    entryPoints: [join(repoRoot, 'test', 'bench', 'child', 'driver.ts')],
    outfile: bundlePath,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'error',
  });
}

export interface Profiling {
  /** Folder for `--cpu-prof` / `--heap-prof` output of wsync's runs; null = no profiling. */
  dir: string | null;
  heap: boolean;
}

let profiling: Profiling = { dir: null, heap: false };

export function setProfiling(p: Profiling): void {
  profiling = p;
}

/**
 * Node's flags for a measured process; `label` names its profile when profiling is on. None
 * otherwise, as the installed program runs: `--enable-source-maps` alone parses the bundle's
 * source maps into the heap (13 MB more resident for a watcher of 100,000 files: 182 vs 169 MB).
 */
export function nodeArgs(profile: boolean, label: string): string[] {
  const args: string[] = [];
  if (profile && profiling.dir !== null) {
    mkdirSync(profiling.dir, { recursive: true });
    // Failures of a profiled run name the sources they came from.
    args.push('--enable-source-maps', '--cpu-prof', `--cpu-prof-dir=${profiling.dir}`, `--cpu-prof-name=${label}-${Date.now()}.cpuprofile`);
    if (profiling.heap) args.push('--heap-prof', `--heap-prof-dir=${profiling.dir}`, `--heap-prof-name=${label}-${Date.now()}.heapprofile`);
  }
  return args;
}

/** Runs a one-shot driver job; `label` names its profile when profiling is on (wsync runs only). */
export function runDriver(job: DriverJob, label: string): Promise<DriverResult> {
  const profile = job.mode === 'sync-once';
  const child = spawn(process.execPath, [...nodeArgs(profile, label), bundlePath, JSON.stringify(job)], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || line === '') {
        reject(new Error(`driver ${job.mode} exited ${code}: ${stderr.trim()}`));
        return;
      }
      resolve(JSON.parse(line) as DriverResult);
    });
  });
}

export interface ExternalResult {
  wallMs: number;
  peakRssMb: number;
  /** User plus system CPU time of the program (and its children). */
  cpuMs: number;
  stdout: string;
}

/** Runs a program under /usr/bin/time for its peak RSS and CPU time; fails on a non-zero exit. */
export function runExternal(command: string, args: string[], env: Record<string, string | undefined> = {}): Promise<ExternalResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wsync-bench-time-'));
  const timeFile = join(dir, 'time');
  const started = performance.now();
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== undefined));
  const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, command, ...args], {
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      try {
        if (code !== 0) throw new Error(`${command} exited ${code}: ${stderr.trim()}`);
        const [kb, user, system] = (readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
        resolve({ wallMs, peakRssMb: (kb ?? Number.NaN) / 1024, cpuMs: ((user ?? Number.NaN) + (system ?? Number.NaN)) * 1000, stdout });
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
