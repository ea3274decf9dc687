/**
 * `wsync watch` as users run it: a child process against an in-process emulator, stopped with
 * SIGTERM / SIGINT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderStatusSchema, type FolderStatus } from '../../electron/shared/status.js';
import type { Emulator } from '../../emulator/types.js';
import { SyncRig } from '../support/sync-rig.js';
import { cliEntry } from './harness.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const WS = 'ws_demo';
const KEY = 'wsync-demo-key';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(50);
  }
}

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnWsync(args: string[]): Running {
  const child = spawn(process.execPath, [cliEntry(), ...args], {
    cwd: repoRoot,
    env: { ...process.env, WSYNC_API_KEY: KEY, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** Every temporary file the engine or the client could leave: staged downloads and *.wsync-tmp. */
function temporaryFiles(root: string): string[] {
  const staged = existsSync(join(root, '.wsync', 'tmp')) ? readdirSync(join(root, '.wsync', 'tmp')).map((n) => `.wsync/tmp/${n}`) : [];
  const beside = readdirSync(root, { recursive: true })
    .map(String)
    .filter((p) => p.includes('.wsync-tmp'));
  return [...staged, ...beside];
}

let rig: SyncRig;
let root: string;
let emu: Emulator;
let running: Running | null;

beforeEach(async () => {
  rig = await SyncRig.open();
  ({ root, emu } = rig);
  running = null;
});

afterEach(async () => {
  if (running?.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGKILL');
    await running.exit;
  }
  await rig.close();
});

const watchArgs = (...extra: string[]): string[] => [
  'watch',
  '--server',
  emu.url,
  '--workspace',
  WS,
  '--dir',
  root,
  '--poll-interval',
  '5',
  ...extra,
];

describe('wsync watch', () => {
  it('piped, prints one line per completed operation, and SIGTERM stops it cleanly with exit 0', async () => {
    await emu.admin.put(WS, 'from-remote.txt', 'remote');
    running = spawnWsync(watchArgs());
    await until('initial download', () => existsSync(join(root, 'from-remote.txt')));
    writeFileSync(join(root, 'from-local.txt'), 'local');
    await until('upload line', () => /upload\s+from-local\.txt/.test(running?.stdout() ?? ''));
    running.child.kill('SIGTERM');
    const { code } = await running.exit;
    expect(code).toBe(0);
    const lines = running.stdout().trim().split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}First sync: started$/);
    expect(lines.filter((l) => /^\S+ \S+ {2}download\s+from-remote\.txt$/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^\S+ \S+ {2}upload\s+from-local\.txt$/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /First sync: finished in \d+s, 1 operation; Up to date$/.test(l))).toHaveLength(1);
    // Nothing was up to date before the first sync had finished.
    expect(lines.findIndex((l) => l.includes('Up to date'))).toBeGreaterThan(lines.findIndex((l) => l.includes('from-remote.txt')));
    expect(lines.some((l) => l.includes('[row'))).toBe(false);
    expect(lines.at(-1)).toMatch(/stopped \(SIGTERM\)/);
    expect(running.stderr()).toBe('');
    expect((await emu.admin.read(WS, 'from-local.txt'))?.toString()).toBe('local');
  });

  it('--json prints status events as JSON lines the status schema accepts', async () => {
    await emu.admin.put(WS, 'a.txt', 'a');
    running = spawnWsync(watchArgs('--json'));
    await until('a synced status line', () => running?.stdout().includes('"action":"download"') ?? false);
    running.child.kill('SIGINT');
    expect((await running.exit).code).toBe(0);
    const statuses: FolderStatus[] = running
      .stdout()
      .trim()
      .split('\n')
      .map((l) => FolderStatusSchema.parse(JSON.parse(l)));
    expect(statuses.some((s) => s.recent.some((a) => a.path === 'a.txt' && a.action === 'download'))).toBe(true);
    expect(statuses.at(-1)?.state).not.toBe('syncing');
  });

  it('SIGTERM in the middle of a download leaves no temporary or half-written file and exits 0', async () => {
    await emu.admin.put(WS, 'big.bin', randomBytes(4_000_000));
    running = spawnWsync(watchArgs('--json', '--download-limit', '400000'));
    await until('download in flight', () => /"bytesDone":[1-9]/.test(running?.stdout() ?? ''));
    running.child.kill('SIGTERM');
    expect((await running.exit).code).toBe(0);
    expect(temporaryFiles(root)).toEqual([]);
    expect(existsSync(join(root, 'big.bin'))).toBe(false);
  });

  it('writes its log under .wsync/logs without the API key, and status reads what it left', async () => {
    await emu.admin.put(WS, 'r.txt', 'r');
    running = spawnWsync(watchArgs('--log-level', 'debug'));
    await until('download', () => existsSync(join(root, 'r.txt')));
    running.child.kill('SIGTERM');
    expect((await running.exit).code).toBe(0);
    const log = readFileSync(join(root, '.wsync', 'logs', 'wsync.log'), 'utf8');
    expect(log).toContain('watch started');
    expect(log).toContain('watch stopped');
    expect(log).not.toContain(KEY);
    const status = spawnWsync(['status', '--dir', root, '--json']);
    const { code } = await status.exit;
    expect(code).toBe(0);
    const parsed = FolderStatusSchema.parse(JSON.parse(status.stdout()));
    expect(parsed.recent.map((a) => [a.path, a.action])).toContainEqual(['r.txt', 'download']);
    expect(parsed.lastSyncAt).not.toBeNull();
  });
});

describe('wsync watch wake-ups', () => {
  const slowPolls = (): string[] => [
    'watch',
    '--server',
    emu.url,
    '--workspace',
    WS,
    '--dir',
    root,
    '--poll-interval',
    '3600',
    '--log-level',
    'debug',
  ];

  it('SIGCONT syncs at once: a remote change arrives without waiting for the poll an hour away', async () => {
    running = spawnWsync(slowPolls());
    await until('first sync', () => (running?.stdout() ?? '').includes('First sync: finished'));
    await emu.admin.put(WS, 'while-asleep.txt', 'remote');
    await sleep(1_500);
    expect(existsSync(join(root, 'while-asleep.txt'))).toBe(false);
    running.child.kill('SIGCONT');
    await until('download after SIGCONT', () => existsSync(join(root, 'while-asleep.txt')), 20_000);
    running.child.kill('SIGTERM');
    expect((await running.exit).code).toBe(0);
  });

  it('SIGHUP reloads the ignore rules instead of ending the run: a file they no longer ignore is uploaded', async () => {
    writeFileSync(join(root, '.wsyncignore'), 'later.txt\n');
    running = spawnWsync(slowPolls());
    await until('first sync', () => (running?.stdout() ?? '').includes('First sync: finished'));
    writeFileSync(join(root, '.wsyncignore'), '');
    await until('the rules file uploaded', async () => (await emu.admin.read(WS, '.wsyncignore'))?.toString() === '');
    running.child.kill('SIGHUP');
    await until('reloaded', () => readFileSync(join(root, '.wsync', 'logs', 'wsync.log'), 'utf8').includes('woken by a signal'));
    await sleep(1_000);
    writeFileSync(join(root, 'later.txt'), 'now synced');
    await until('later.txt uploaded', async () => (await emu.admin.read(WS, 'later.txt'))?.toString() === 'now synced', 20_000);
    expect(running.child.exitCode).toBeNull();
    running.child.kill('SIGTERM');
    expect((await running.exit).code).toBe(0);
  });
});

describe('wsync watch when the server is down', () => {
  it('a folder that synced before says Offline within seconds, keeps trying, and catches up once the server is back', async () => {
    await emu.admin.put(WS, 'a.txt', 'a');
    running = spawnWsync(watchArgs());
    await until('first sync', () => (running?.stdout() ?? '').includes('First sync: finished'));
    running.child.kill('SIGTERM');
    await running.exit;
    await rig.serverDown();
    running = spawnWsync(['watch', '--dir', root]); // the folder remembers its server and workspace
    const started = Date.now();
    await until('offline line', () => /Offline: cannot connect to .*connection refused.*; trying again in 5s/.test(running?.stdout() ?? ''), 10_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(running.stdout()).not.toMatch(/Up to date/);
    await rig.serverUp();
    emu = rig.emu;
    await emu.admin.put(WS, 'b.txt', 'b');
    await until('sync after the server came back', () => existsSync(join(root, 'b.txt')), 20_000);
    await until('up to date', () => /Catching up with changes since the last run: finished .*; Up to date/.test(running?.stdout() ?? ''));
    running.child.kill('SIGTERM');
    expect((await running.exit).code).toBe(0);
  });
});

describe('wsync watch with a refused key', () => {
  it('says the key was refused on stderr and exits 3 instead of waiting forever', async () => {
    const child = spawn(process.execPath, [cliEntry(), ...watchArgs()], {
      cwd: repoRoot,
      env: { ...process.env, WSYNC_API_KEY: 'not-a-key', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(3);
    expect(err).toBe(`wsync: ${emu.url} refused the API key (HTTP 401); check WSYNC_API_KEY or --api-key-file. Nothing was changed locally\n`);
    expect(emu.admin.list(WS)).toEqual([]);
  });
});
