/**
 * One engine per folder, as users run them: the folder lock is the kernel's, so a `sync --once`
 * whose whole process group was killed with SIGKILL at any moment never blocks the next run
 * (even before the dead process is reaped), and a live engine is named when a second is refused,
 * whatever the mix of `watch` and `sync --once`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { folderLockHolder } from '../../electron/engine/local/lock.js';
import { cliEntry, createWorld, problems, repoRoot, spawnCli, type World } from './harness.js';

let w: World;
beforeEach(async () => {
  w = await createWorld();
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
  const helper = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'support/kill-and-rerun.ts'), cliEntry(), JSON.stringify(w.syncArgs())], {
    cwd: repoRoot,
    env: { ...process.env, WSYNC_API_KEY: 'wsync-demo-key', NODE_OPTIONS: '' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
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
        w.write(`round${i}/local-${f}.txt`, `local ${i}/${f} `.repeat(200));
        await w.remotePut(`round${i}/remote-${f}.txt`, `remote ${i}/${f} `.repeat(200));
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
    expect(w.localFiles()).toEqual(w.remoteFiles());
    expect(w.localFiles()).toHaveLength(moments.length * 24);
  }, 240_000);
});

describe('two engines on one folder', () => {
  it('a `sync --once` or a second `watch` beside a running `watch` exits 2 naming its pid; once it stops, the folder is free', async () => {
    const watch = spawnCli(['watch', '--server', w.emu.url, '--workspace', 'ws_demo', '--dir', w.root]);
    const pid = watch.child.pid as number;
    // The watch holds the folder from its start to its stop, between cycles too.
    await vi.waitFor(() => expect(folderLockHolder(w.root)).toMatchObject({ pid }), { timeout: 30_000, interval: 50 });

    const once = await w.sync();
    expect(once.code).toBe(2);
    expect(once.stderr).toContain(`another wsync engine (pid ${pid}) is already syncing ${w.root}`);
    const second = await spawnCli(['watch', '--server', w.emu.url, '--workspace', 'ws_demo', '--dir', w.root]).done;
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`another wsync engine (pid ${pid}) is already syncing ${w.root}`);

    watch.child.kill('SIGTERM');
    expect((await watch.done).code).toBe(0);
    expect((await w.sync()).code).toBe(0);
  });
});
