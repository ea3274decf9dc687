/**
 * One engine per folder, as users run them: the folder lock is the kernel's, so a `sync --once`
 * whose whole process group was killed with SIGKILL at any moment never blocks the next run
 * (even before the dead process is reaped), and a live engine is named when a second is refused,
 * whatever the mix of `watch`, `sync --once` and the app (its folder controller, in-process).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFilesApi } from '../../electron/engine/api/client.js';
import { folderLockHolder } from '../../electron/engine/local/lock.js';
import { createFolderController } from '../../electron/engine/sync/background/folder-controller.js';
import type { FolderController } from '../../electron/engine/sync/background/ports.js';
import { cliEntry, openCliRig, problems, repoRoot, spawnCli, type CliRig } from './harness.js';

let w: CliRig;
beforeEach(async () => {
  w = await openCliRig();
});
afterEach(async () => {
  w.emu.onRequest = null;
  await w.close();
});

interface Rerun {
  zombie: boolean;
  code: number | null;
  stderr: string;
}

/**
 * Starts `sync --once` under a parent that kills its process group once the emulator has seen
 * `requests` requests from it (0: while it starts up), then reruns it before reaping the dead one.
 */
async function killAt(requests: number): Promise<Rerun> {
  const helper = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'support/kill-and-rerun.ts'), cliEntry(), JSON.stringify(w.syncArgs())],
    {
      cwd: repoRoot,
      env: { ...process.env, WSYNC_API_KEY: 'wsync-demo-key', NODE_OPTIONS: '' },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: helper.stdout });
  const next = (): Promise<string> => new Promise((resolve) => lines.once('line', resolve));
  const started = next();
  let seen = 0;
  let killed = false;
  let killedAfter = 0;
  const kill = (): void => {
    if (killed) return;
    killed = true;
    killedAfter = seen;
    helper.stdin.write('kill\n');
  };
  w.emu.onRequest = () => {
    seen += 1;
    if (seen >= requests) kill();
  };
  await started;
  const result = next();
  // At 0 the engine is still starting up; a kill point it never reaches is replaced by its end.
  const fallback = setTimeout(kill, requests === 0 ? 150 : 30_000);
  const rerun = JSON.parse(await result) as Rerun;
  clearTimeout(fallback);
  expect(killedAfter, 'killed at its point, not at the end').toBe(requests);
  w.emu.onRequest = null;
  return rerun;
}

describe('the folder lock after a kill -9 of the whole process group', () => {
  it('never makes the next run exit 2, at any moment of a sync, before the dead engine is reaped', async () => {
    w.emu.faults.latencyMs = 5;
    // Each round moves 24 files (about 50 requests): from start-up to the last transfers.
    const moments = [0, 1, 2, 6, 16, 36];
    for (const [i, at] of moments.entries()) {
      // Fresh work for each round, so that every kill lands in the middle of something.
      for (let f = 0; f < 12; f++) {
        await w.local.insert(`round${i}/local-${f}.txt`, `local ${i}/${f} `.repeat(200));
        await w.remote.insert(`round${i}/remote-${f}.txt`, `remote ${i}/${f} `.repeat(200));
      }
      const rerun = await killAt(at);
      expect(rerun.zombie, `killed after ${at} requests`).toBe(true);
      expect(rerun.stderr, `killed after ${at} requests`).not.toContain('another wsync engine');
      expect([0, 1], `killed after ${at} requests: ${rerun.stderr}`).toContain(rerun.code);
    }
    w.emu.faults.latencyMs = 0;
    const last = await w.sync();
    expect(problems(last.stderr)).toEqual([]);
    expect(last.code).toBe(0);
    expect(await w.local.paths()).toEqual(await w.remote.paths());
    expect(await w.local.paths()).toHaveLength(moments.length * 24);
  }, 240_000);
});

/** An engine holding the folder: `watch` and `sync --once` as child processes, the app's controller in this process. */
type EngineKind = 'watch' | 'sync --once' | 'app';

interface Holder {
  pid: number;
  stop(): Promise<void>;
}

/** The app's engine: the folder controller the desktop's engine process runs, started on the rig's folder. */
function appController(): FolderController {
  const url = w.emu.url;
  return createFolderController({
    id: 'app',
    dir: w.root,
    server: url,
    workspace: w.workspace,
    api: (bandwidth) => createFilesApi({ server: url, workspace: w.workspace, apiKey: w.key, bandwidth }),
    watch: false,
  });
}

const watchArgs = (): string[] => ['watch', '--server', w.emu.url, '--workspace', w.workspace, '--dir', w.root];
const holdsIt = (pid: number): Promise<void> =>
  vi.waitFor(() => expect(folderLockHolder(w.root)).toMatchObject({ pid }), { timeout: 30_000, interval: 50 });

async function hold(kind: EngineKind): Promise<Holder> {
  if (kind === 'app') {
    const c = appController();
    await c.start();
    return { pid: process.pid, stop: () => c.stop() };
  }
  let release = (): void => undefined;
  let stalled: Promise<void> = Promise.resolve();
  if (kind === 'sync --once') {
    // Its first request once it holds the folder waits: the run stays in the middle of its cycle,
    // while the second engines' own requests (their server check) are answered.
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached = (): void => undefined;
    stalled = new Promise<void>((resolve) => (reached = resolve));
    let held = false;
    w.emu.onRequest = async () => {
      if (held || folderLockHolder(w.root) === null) return;
      held = true;
      reached();
      await gate;
    };
  }
  const run = spawnCli(kind === 'watch' ? watchArgs() : w.syncArgs());
  const pid = run.child.pid as number;
  await holdsIt(pid);
  await stalled;
  return {
    pid,
    async stop() {
      if (kind === 'watch') run.child.kill('SIGTERM');
      release();
      expect((await run.done).code).toBe(0);
      w.emu.onRequest = null;
    },
  };
}

/** A second engine started beside the holder: refused, naming the holder, or null when it ran. */
async function second(kind: EngineKind): Promise<{ code: number | null; message: string }> {
  if (kind === 'app') {
    const c = appController();
    const refused = await c.start().then(
      () => null,
      (err: unknown) => err as { code?: string; message: string },
    );
    await c.stop();
    return { code: refused?.code === 'LOCKED' ? 2 : 0, message: refused?.message ?? '' };
  }
  const run = await spawnCli(kind === 'watch' ? watchArgs() : w.syncArgs()).done;
  return { code: run.code, message: run.stderr };
}

const KINDS: EngineKind[] = ['watch', 'sync --once', 'app'];

describe('two engines never run on one folder, whatever the mix of watch, sync --once and the app', () => {
  it.each(KINDS)(
    'beside a running %s, a second watch, sync --once or app folder is refused, naming the holder; once it stops the folder is free',
    async (first) => {
      await w.local.insert('a.txt', 'a');
      const holder = await hold(first);
      // All three tried at once: each is refused while the holder runs (between cycles too, for watch and the app).
      const answers = await Promise.all(KINDS.map(async (kind) => [kind, await second(kind)] as const));
      for (const [kind, answer] of answers) {
        expect(answer.code, `${kind} beside ${first}: ${answer.message}`).toBe(2);
        expect(answer.message, `${kind} beside ${first}`).toContain(`another wsync engine (pid ${holder.pid}) is already syncing ${w.root}`);
      }
      expect(folderLockHolder(w.root)).toMatchObject({ pid: holder.pid });
      await holder.stop();
      expect(folderLockHolder(w.root)).toBeNull();
      const after = await w.sync();
      expect(problems(after.stderr)).toEqual([]);
      expect(after.code).toBe(0);
    },
  );
});
