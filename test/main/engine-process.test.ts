/**
 * The engine in its own process, for real: the bundled engine-process entry runs in a Node child
 * (fake-electron's utilityProcess.fork, with Electron's `process.parentPort`), the main side is
 * the app's EngineClient over the app's utilityEngine port, and the folder syncs against the
 * emulator on loopback.
 */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/types.js';
import { EngineClient, restartDelay, type EngineCrash } from '../../electron/main/engine-client.js';
import { utilityEngine, type EngineProcess } from '../../electron/main/engine-process.js';
import { createFakeElectron } from '../support/fake-electron.js';
import { buildEngineBundle } from '../support/engine-bundle.js';
import { openRigServer, type RigServer } from '../support/sync-rig.js';

const WS = 'ws_demo';
const KEY = 'wsync-demo-key';
const NO_LIMITS = { uploadBps: 0, downloadBps: 0 };

let server: RigServer;
let emu: Emulator;
let base: string;
let entry: string;
const clients: EngineClient[] = [];

beforeAll(async () => {
  server = await openRigServer();
  ({ emu, base } = server);
  entry = await buildEngineBundle();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.shutdown()));
});

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed, whatever the declared type says
  await server?.close();
});

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function client(options: { crashes?: EngineCrash[]; proxy?: (url: string) => string } = {}) {
  const electron = createFakeElectron();
  electron.app.becomeReady();
  const processes: EngineProcess[] = [];
  const fork = utilityEngine({ utilityProcess: electron.utilityProcess, MessageChannelMain: electron.MessageChannelMain, entry });
  const engine = new EngineClient({
    fork: () => {
      const p = fork();
      processes.push(p);
      return p;
    },
    backoff: { initialMs: 100, maxMs: 400, stableMs: 60_000 },
    onCrash: (crash) => options.crashes?.push(crash),
    resolveProxy: async (url) => options.proxy?.(url) ?? 'DIRECT',
    log: () => undefined,
  });
  clients.push(engine);
  return { engine, processes, electron };
}

async function folder(name: string) {
  const dir = join(base, name);
  return { id: name, server: emu.url, workspace: WS, dir, prefix: `${name}/`, bandwidth: NO_LIMITS, apiKey: KEY };
}

describe('the engine process', () => {
  it('runs a folder out of the main process: it syncs, and its status reaches main as patches', async () => {
    await emu.admin.put(WS, 'one/hello.txt', 'hello from the workspace\n');
    const { engine, processes } = await client();
    const spec = await folder('one');
    let updates = 0;
    engine.subscribe(() => (updates += 1));
    await engine.start(spec);
    expect(engine.pid).not.toBe(process.pid);
    await until('the first sync', () => engine.statuses()[0]?.state === 'idle');
    expect(await readFile(join(spec.dir, 'hello.txt'), 'utf8')).toBe('hello from the workspace\n');
    const status = engine.statuses()[0];
    expect(status).toMatchObject({ folderId: 'one', dir: spec.dir, workspace: WS, prefix: 'one/' });
    expect(status?.recent.map((a) => [a.action, a.path])).toContainEqual(['download', 'hello.txt']);
    expect(updates).toBeGreaterThan(0);

    // The key went over the secret port: not on the command line, not in the environment.
    const pid = processes[0]?.pid as number;
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(KEY);
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8')).not.toContain(KEY);

    // Controller calls go to the folder in the engine; their effect is in the status by the answer.
    await engine.controller('one').pause();
    expect(engine.statuses()[0]?.state).toBe('paused');
    await engine.controller('one').resume();
    await writeFile(join(spec.dir, 'local.txt'), 'made here\n');
    await engine.controller('one').syncNow();
    await until('the upload', () => engine.statuses()[0]?.recent.some((a) => a.action === 'upload' && a.path === 'local.txt'));
    expect((await emu.admin.read(WS, 'one/local.txt'))?.toString()).toBe('made here\n');
  });

  it('answers the self-check with SQLite opened through better-sqlite3 in the engine', async () => {
    const { engine } = await client();
    const check = await engine.selfCheck();
    expect(check.sqlite).toMatch(/^3\.\d+\.\d+$/);
    expect(check.node).toBe(process.versions.node);
  });

  it('tests a connection in the engine, with the key over the secret port', async () => {
    await emu.admin.put(WS, 'probe/a.txt', 'a');
    const { engine } = await client();
    expect(await engine.testConnection({ server: emu.url, workspace: WS, prefix: 'probe/', apiKey: KEY })).toEqual({
      ok: true,
      fileCount: 1,
      complete: true,
    });
    expect(await engine.testConnection({ server: emu.url, workspace: WS, prefix: '', apiKey: 'wrong' })).toMatchObject({ ok: false, kind: 'auth' });
  });

  it('refuses calls that fail the schema at the engine end, with a message', async () => {
    const { engine } = await client();
    await engine.start(await folder('two'));
    await expect(engine.controller('two').resolveConflict('a.txt', 'both' as 'local')).rejects.toThrow(/resolveConflict: 1: /);
    await expect(engine.controller('two').retry('')).rejects.toMatchObject({ kind: 'invalid-input' });
  });

  it('a crash does not take the caller down: folders show it, the engine restarts with back-off and runs them again', async () => {
    const crashes: EngineCrash[] = [];
    const { engine, processes } = await client({ crashes });
    await engine.start(await folder('three'));
    await until('the first sync', () => engine.statuses()[0]?.state === 'idle');

    process.kill(processes[0]?.pid as number, 'SIGKILL');
    await until('the crash', () => crashes.length === 1);
    expect(crashes[0]).toMatchObject({ crashes: 1, restartInMs: 100 });
    expect(engine.statuses()[0]).toMatchObject({
      folderId: 'three',
      state: 'error',
      message: expect.stringMatching(/stopped unexpectedly/) as unknown,
    });
    await expect(engine.controller('three').syncNow()).rejects.toMatchObject({ kind: 'transient' });

    await until('the restart', () => processes.length === 2 && engine.statuses()[0]?.state === 'idle');
    await engine.controller('three').syncNow();

    // A second crash soon after waits twice as long.
    process.kill(processes[1]?.pid as number, 'SIGKILL');
    await until('the second crash', () => crashes.length === 2);
    expect(crashes[1]).toMatchObject({ crashes: 2, restartInMs: 200 });
    await until('the second restart', () => processes.length === 3 && engine.statuses()[0]?.state === 'idle');
  });
});

describe('restart back-off', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [6, 32_000],
    [7, 60_000],
    [20, 60_000],
  ])('crash %i in a row waits %i ms', (crashes, ms) => {
    expect(restartDelay(crashes, { initialMs: 1000, maxMs: 60_000, stableMs: 60_000 })).toBe(ms);
  });
});
