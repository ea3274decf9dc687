/**
 * The controller's own logic (when cycles run, pause, sign-out, offline, held deletions,
 * conflicts) against a scripted cycle port and a real folder, watcher and state database. Polls,
 * rescans and back-offs run on a fake clock that each test moves on; the watcher keeps real time
 * (real file-watch events, short debounce). The real engine against the emulator is in
 * folder-controller.integration.test.ts.
 */
import { mkdir, readFile, rm, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../electron/engine/clock.js';
import { FolderStatusSchema } from '../../../../electron/shared/status.js';
import { WsyncError } from '../../../../electron/engine/errors.js';
import { folderLayout } from '../../../../electron/engine/local/folder-layout.js';
import { IGNORE_FILE } from '../../../../electron/engine/local/ignore.js';
import { StateDb } from '../../../../electron/engine/state/state-db.js';
import { createFolderController } from '../../../../electron/engine/sync/background/folder-controller.js';
import { openFsWatch } from '../../../../electron/engine/watch/folder-watches.js';
import type { CycleReport, CycleRequest, FolderController, RemoteCheckRequest } from '../../../../electron/engine/sync/background/ports.js';
import type { QuietListing, RemoteCheckResult } from '../../../../electron/engine/sync/background/remote-check.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { scratchBase } from '../../../support/scratch.js';

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const quiet: CycleReport = { changed: false, held: [], failures: [] };

/** A cycle port whose behaviour each test scripts; it records every request it is given. */
function scriptedCycle(behaviour: (req: CycleRequest, n: number) => Promise<CycleReport> = async () => quiet) {
  const requests: CycleRequest[] = [];
  let running = 0;
  let finished = 0;
  let overlapped = false;
  return {
    requests,
    get overlapped() {
      return overlapped;
    },
    get finished() {
      return finished;
    },
    run: async (req: CycleRequest): Promise<CycleReport> => {
      requests.push(req);
      running += 1;
      if (running > 1) overlapped = true;
      try {
        return await behaviour(req, requests.length);
      } finally {
        running -= 1;
        finished += 1;
      }
    },
  };
}

/** Waits until the signal fires, like a transfer that honours its AbortSignal. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(new WsyncError('cancelled', 'aborted')), { once: true });
  });
}

let dir: string;
let controller: FolderController | null;
let clock: FakeClock;

beforeEach(async () => {
  dir = scratchBase('wsync-ctl-');
  controller = null;
  clock = new FakeClock();
});

/** Moves the controller's clock on a second at a time (real work in between) until `check` holds. */
async function tick(check: () => boolean, maxMs = 600_000): Promise<void> {
  for (let waited = 0; !check(); waited += 1_000) {
    if (waited > maxMs) throw new Error('condition not met in fake time');
    await clock.advance(1_000);
    await sleep(5);
  }
}
afterEach(async () => {
  await controller?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Starts the controller and waits for its first cycle to end (start itself does not wait). */
async function startSettled(c: FolderController, cycle: { finished: number }): Promise<void> {
  await c.start();
  await until(() => cycle.finished >= 1);
  await sleep(20);
}

function make(cycle: ReturnType<typeof scriptedCycle>, extra: Partial<Parameters<typeof createFolderController>[0]> = {}): FolderController {
  controller = createFolderController({
    id: 'f1',
    dir,
    server: 'http://127.0.0.1:9',
    workspace: 'ws_demo',
    runCycle: cycle.run,
    poll: { minIntervalMs: 120_000 },
    clock,
    ...extra,
    // The watcher sees real file-system events: its debounce runs on real time.
    watch: extra.watch === false ? false : { settle: { settleMs: 50, stableMs: 200 }, ...extra.watch, clock: systemClock },
  });
  return controller;
}

describe('folder controller', () => {
  it('runs a first full cycle at start and settles idle with a valid, serialisable status', async () => {
    const cycle = scriptedCycle();
    const c = make(cycle);
    await startSettled(c, cycle);
    expect(cycle.requests).toHaveLength(1);
    const snap = c.snapshot();
    expect(snap.state).toBe('idle');
    expect(snap.lastSyncAt).not.toBeNull();
    expect(FolderStatusSchema.parse(JSON.parse(JSON.stringify(snap)))).toEqual(snap);
  });

  it('a local change starts a cycle without waiting for the next poll', async () => {
    const cycle = scriptedCycle();
    const c = make(cycle);
    await startSettled(c, cycle);
    await writeFile(join(dir, 'new.txt'), 'hello');
    await until(() => cycle.requests.length >= 2);
    expect(cycle.requests).toHaveLength(2);
  });

  it('never runs two cycles at once, and a change during a cycle gets a cycle of its own after it', async () => {
    let release: () => void = () => undefined;
    const cycle = scriptedCycle(async (_req, n) => {
      if (n === 2) await new Promise<void>((r) => (release = r));
      return quiet;
    });
    const c = make(cycle);
    await startSettled(c, cycle);
    c.syncNow();
    await until(() => cycle.requests.length === 2);
    await writeFile(join(dir, 'during.txt'), 'x');
    c.syncNow();
    await sleep(600);
    expect(cycle.requests).toHaveLength(2);
    release();
    await until(() => cycle.requests.length === 3);
    await sleep(300);
    expect(cycle.requests).toHaveLength(3);
    expect(cycle.overlapped).toBe(false);
  });

  it('pause aborts the cycle in flight, runs nothing while paused, and resume syncs again', async () => {
    const cycle = scriptedCycle(async (req, n) => (n === 2 ? untilAborted(req.signal) : quiet));
    const c = make(cycle);
    await startSettled(c, cycle);
    c.syncNow();
    await until(() => cycle.requests.length === 2);
    await c.pause();
    expect(cycle.requests[1]?.signal.aborted).toBe(true);
    expect(c.snapshot().state).toBe('paused');
    await writeFile(join(dir, 'while-paused.txt'), 'x');
    c.syncNow();
    await clock.advance(600_000);
    await sleep(800);
    expect(cycle.requests).toHaveLength(2);
    c.resume();
    await until(() => cycle.requests.length === 3);
    await until(() => c.snapshot().state === 'idle');
  });

  it('a refused key (401/403) means signed out: no further cycles, whatever happens', async () => {
    const cycle = scriptedCycle(async (_req, n) => {
      if (n === 2) throw new WsyncError('auth', 'HTTP 401', { status: 401 });
      return quiet;
    });
    const c = make(cycle);
    await startSettled(c, cycle);
    c.syncNow();
    await until(() => c.snapshot().state === 'signed-out');
    c.syncNow();
    await writeFile(join(dir, 'after.txt'), 'x');
    await clock.advance(600_000);
    await sleep(800);
    expect(cycle.requests).toHaveLength(2);
    expect(c.snapshot().message).toMatch(/sign in/i);
  });

  it('an unreachable server means offline, retried quietly until it answers again', async () => {
    let up = false;
    const cycle = scriptedCycle(async () => {
      if (!up) throw new WsyncError('transient', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' });
      return { changed: true, held: [], failures: [] };
    });
    const c = make(cycle, { poll: { maxIntervalMs: 5_000 } });
    await startSettled(c, cycle);
    expect(c.snapshot().state).toBe('offline');
    expect(c.snapshot().message).toBe('Connection refused');
    up = true;
    await tick(() => c.snapshot().state === 'idle');
    expect(cycle.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('shows per-file failures as an error state with a count, and clears it when they sync', async () => {
    const cycle = scriptedCycle(async (req, n) => {
      if (n === 1) {
        req.onEvent({ type: 'file-error', path: 'a.bin', kind: 'transient', message: 'HTTP 503' });
        return { changed: true, held: [], failures: [{ path: 'a.bin', kind: 'transient', message: 'HTTP 503' }] };
      }
      req.onEvent({ type: 'completed', operation: { path: 'a.bin', action: 'upload', decision: 11 } });
      return { changed: true, held: [], failures: [] };
    });
    const c = make(cycle);
    await startSettled(c, cycle);
    expect(c.snapshot()).toMatchObject({ state: 'error', message: '1 file could not be synced', errors: [{ path: 'a.bin', attempts: 1 }] });
    c.retry('a.bin');
    await until(() => c.snapshot().state === 'idle');
    expect(c.snapshot().errors).toEqual([]);
  });

  it('held deletions wait for the user; confirming runs a cycle that may delete them', async () => {
    const held = [{ side: 'remote' as const, paths: ['a', 'b'], syncedCount: 3 }];
    const cycle = scriptedCycle(async (req) =>
      req.confirmDeletes ? { changed: true, held: [], failures: [] } : { changed: false, held, failures: [] },
    );
    const c = make(cycle);
    await startSettled(c, cycle);
    expect(c.snapshot()).toMatchObject({ state: 'needs-confirmation', heldDeletions: held });
    await c.confirmDeletions();
    expect(cycle.requests.at(-1)?.confirmDeletes).toBe(true);
    expect(c.snapshot()).toMatchObject({ state: 'idle', heldDeletions: [] });
  });

  it('restoring held deletions forgets their base rows so the next cycle copies them back', async () => {
    await mkdir(join(dir, '.wsync'), { recursive: true });
    const db = StateDb.open(folderLayout(dir).stateDb);
    const entry = (path: string) => ({
      kind: 'put-base' as const,
      entry: { path, remoteKey: `k/${path}`, etag: 'e', remoteSize: 1, localSize: 1, localMtimeMs: 1, localIno: 1, hash: 'h' },
    });
    db.apply([entry('gone-1'), entry('gone-2'), entry('kept')]);
    db.close();
    const seenBase: string[][] = [];
    const cycle = scriptedCycle(async () => {
      const view = StateDb.open(folderLayout(dir).stateDb);
      const paths = view.allBase().map((b) => b.path);
      view.close();
      seenBase.push(paths);
      return paths.includes('gone-1')
        ? { changed: false, held: [{ side: 'remote', paths: ['gone-1', 'gone-2'], syncedCount: 3 }], failures: [] }
        : quiet;
    });
    const c = make(cycle);
    await startSettled(c, cycle);
    await c.restoreDeletions();
    expect(seenBase.at(-1)).toEqual(['kept']);
    expect(cycle.requests.every((r) => !r.confirmDeletes)).toBe(true);
    expect(c.snapshot().heldDeletions).toEqual([]);
  });

  it('resolving a conflict keeping the local version puts the copy back at the path and trashes the other', async () => {
    await writeFile(join(dir, 'doc.txt'), 'remote version');
    await writeFile(join(dir, 'doc (conflicted copy 2026-01-01 000000).txt'), 'local version');
    const cycle = scriptedCycle(async (req, n) => {
      if (n === 1)
        req.onEvent({
          type: 'conflict',
          conflict: { path: 'doc.txt', conflictCopy: 'doc (conflicted copy 2026-01-01 000000).txt', at: new Date().toISOString() },
        });
      return quiet;
    });
    const c = make(cycle);
    await startSettled(c, cycle);
    await c.resolveConflict('doc.txt', 'local');
    expect(await readFile(join(dir, 'doc.txt'), 'utf8')).toBe('local version');
    await expect(access(join(dir, 'doc (conflicted copy 2026-01-01 000000).txt'))).rejects.toThrow();
    expect(c.snapshot().conflicts).toEqual([]);
    expect(cycle.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('resolving a conflict keeping the remote version moves the conflict copy to the trash', async () => {
    await writeFile(join(dir, 'doc.txt'), 'remote version');
    await writeFile(join(dir, 'doc (c).txt'), 'local version');
    const cycle = scriptedCycle(async (req, n) => {
      if (n === 1) req.onEvent({ type: 'conflict', conflict: { path: 'doc.txt', conflictCopy: 'doc (c).txt', at: new Date().toISOString() } });
      return quiet;
    });
    const c = make(cycle);
    await startSettled(c, cycle);
    await c.resolveConflict('doc.txt', 'remote');
    expect(await readFile(join(dir, 'doc.txt'), 'utf8')).toBe('remote version');
    await expect(access(join(dir, 'doc (c).txt'))).rejects.toThrow();
    expect(c.snapshot().conflicts).toEqual([]);
  });

  it('hands the cycle bandwidth limits that setBandwidth changes', async () => {
    const cycle = scriptedCycle();
    const c = make(cycle, { bandwidth: { uploadBps: 1000, downloadBps: 0 } });
    await startSettled(c, cycle);
    const bw = cycle.requests[0]?.bandwidth;
    expect([bw?.upload.rate, bw?.download.rate]).toEqual([1000, 0]);
    c.setBandwidth({ uploadBps: 0, downloadBps: 50_000 });
    expect([bw?.upload.rate, bw?.download.rate]).toEqual([0, 50_000]);
  });

  it('shows transfers and marks the folder syncing while a cycle works, then clears them', async () => {
    let release: () => void = () => undefined;
    const cycle = scriptedCycle(async (req, n) => {
      if (n === 2) {
        req.onEvent({ type: 'pending', pending: { uploads: 1, downloads: 0, deletes: 0, bytes: 10 } });
        req.onEvent({ type: 'transfer-start', id: 't', path: 'a', direction: 'upload', bytesTotal: 10 });
        await new Promise<void>((r) => (release = r));
      }
      return quiet;
    });
    const c = make(cycle);
    await startSettled(c, cycle);
    c.syncNow();
    await until(() => c.snapshot().state === 'syncing');
    expect(c.snapshot().transfers.map((t) => t.path)).toEqual(['a']);
    release();
    await until(() => c.snapshot().state === 'idle');
    expect(c.snapshot().transfers).toEqual([]);
  });

  it('keeps its last status in the state database when it stops, with recent activity', async () => {
    const cycle = scriptedCycle(async (req) => {
      req.onEvent({ type: 'completed', operation: { path: 'a', action: 'upload', decision: 11 } });
      return { changed: true, held: [], failures: [] };
    });
    const c = make(cycle);
    await startSettled(c, cycle);
    await c.stop();
    controller = null;
    const db = StateDb.open(folderLayout(dir).stateDb, { readonly: true });
    const saved = FolderStatusSchema.parse(JSON.parse(db.getMeta('lastStatus') ?? 'null'));
    db.close();
    expect(saved.recent.map((a) => a.path)).toEqual(['a']);
    expect(saved.lastSyncAt).not.toBeNull();
  });

  it('rescans periodically as a safety net even with no events and no poll due', async () => {
    const cycle = scriptedCycle();
    const c = make(cycle, { watch: false, rescanIntervalMs: 300_000, poll: { minIntervalMs: 3_600_000 } });
    await startSettled(c, cycle);
    for (let n = 2; n <= 4; n++) {
      await clock.advance(299_999);
      await sleep(20);
      expect(cycle.requests).toHaveLength(n - 1);
      await clock.advance(1);
      await until(() => cycle.requests.length === n);
    }
  });
});

describe('folder controller: problems that are over', () => {
  it('drops a file error once a cycle no longer reports it, and a conflict whose copy the user removed', async () => {
    await writeFile(join(dir, 'a (copy).txt'), 'mine');
    const cycle = scriptedCycle(async (req, n) => {
      if (n === 1) {
        req.onEvent({ type: 'file-error', path: 'gone.bin', kind: 'transient', message: 'HTTP 503' });
        req.onEvent({ type: 'conflict', conflict: { path: 'a.txt', conflictCopy: 'a (copy).txt', at: new Date().toISOString() } });
        return { changed: true, held: [], failures: [{ path: 'gone.bin', kind: 'transient', message: 'HTTP 503' }] };
      }
      return quiet;
    });
    const c = make(cycle);
    await startSettled(c, cycle);
    expect(c.snapshot().errors).toHaveLength(1);
    expect(c.snapshot().conflicts).toHaveLength(1);
    await rm(join(dir, 'a (copy).txt'));
    c.syncNow();
    await until(() => c.snapshot().state === 'idle');
    expect(c.snapshot().errors).toEqual([]);
    expect(c.snapshot().conflicts).toEqual([]);
  });

  it('remembers unresolved conflicts across a restart', async () => {
    await writeFile(join(dir, 'a (copy).txt'), 'mine');
    const first = scriptedCycle(async (req) => {
      req.onEvent({ type: 'conflict', conflict: { path: 'a.txt', conflictCopy: 'a (copy).txt', at: new Date().toISOString() } });
      return quiet;
    });
    const c1 = make(first, { watch: false });
    await startSettled(c1, first);
    await c1.stop();
    const second = scriptedCycle();
    const c2 = make(second, { watch: false });
    await startSettled(c2, second);
    expect(c2.snapshot().conflicts.map((x) => x.conflictCopy)).toEqual(['a (copy).txt']);
  });
});

describe('folder controller: watch limit', () => {
  it('when the OS refuses more watches it says how to fix it and falls back to periodic scans', async () => {
    let fail: (() => void) | null = null;
    const cycle = scriptedCycle();
    const c = make(cycle, {
      fallbackScanIntervalMs: 300_000,
      watch: {
        settle: { settleMs: 50, stableMs: 200 },
        openWatch: (folder, onChange, onError) => {
          fail = () => onError(Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' }));
          return openFsWatch(folder, onChange, onError);
        },
      },
    });
    await startSettled(c, cycle);
    (fail as unknown as () => void)();
    await until(() => (c.snapshot().message ?? '').includes('sysctl fs.inotify.max_user_watches='));
    const before = cycle.requests.length;
    await tick(() => cycle.requests.length >= before + 2);
    expect(c.snapshot().state).toBe('idle');
  });
});

describe('folder controller: polls check the remote before cycling', () => {
  /** A remote check whose answers each test scripts; it counts its calls. */
  function scriptedCheck(answer: (n: number) => RemoteCheckResult) {
    let calls = 0;
    const requests: RemoteCheckRequest[] = [];
    return {
      get calls() {
        return calls;
      },
      requests,
      run: async (req: RemoteCheckRequest): Promise<RemoteCheckResult> => {
        requests.push(req);
        return answer(++calls);
      },
    };
  }
  const same: RemoteCheckResult = { differences: [], decidable: true, pages: 1, bytes: 170_000, reused: true };

  it('a poll that finds the remote as synced runs no cycle, never shows syncing, and still records the sync time; a difference runs one', async () => {
    const cycle = scriptedCycle();
    const check = scriptedCheck((n) => (n === 1 ? same : { ...same, differences: [{ path: 'x.txt', kind: 'added' }], reused: false }));
    const c = make(cycle, { poll: { maxIntervalMs: 5_000 }, checkRemote: check.run });
    await startSettled(c, cycle);
    const states: string[] = [];
    c.subscribe((s) => states.push(s.state));
    const syncedAt = c.snapshot().lastSyncAt;
    await tick(() => check.calls === 1);
    await until(() => c.snapshot().lastSyncAt !== syncedAt);
    expect(cycle.requests).toHaveLength(1);
    expect(states).not.toContain('syncing');
    expect(c.snapshot().state).toBe('idle');
    await tick(() => check.calls === 2);
    await until(() => cycle.requests.length === 2);
  });

  it('a local change whose cycle failed is not forgotten: the next poll runs a full cycle without asking the remote', async () => {
    const cycle = scriptedCycle(async (_req, n) => {
      if (n === 2) throw new WsyncError('transient', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' });
      return quiet;
    });
    const check = scriptedCheck(() => same);
    const c = make(cycle, { poll: { maxIntervalMs: 5_000 }, checkRemote: check.run });
    await startSettled(c, cycle);
    await writeFile(join(dir, 'local.txt'), 'x');
    await until(() => c.snapshot().state === 'offline');
    await tick(() => cycle.requests.length === 3);
    expect(check.calls).toBe(0);
    await until(() => c.snapshot().state === 'idle');
  });

  it('keeps file errors and held deletions through a quiet poll, and retries failed files with full cycles', async () => {
    const held = [{ side: 'local' as const, paths: ['a.txt', 'b.txt'], syncedCount: 3 }];
    const cycle = scriptedCycle(async (req, n) => {
      if (n === 1) return { changed: false, held, failures: [] };
      req.onEvent({ type: 'file-error', path: 'c.bin', kind: 'transient', message: 'HTTP 503' });
      return { changed: false, held, failures: [{ path: 'c.bin', kind: 'transient', message: 'HTTP 503' }] };
    });
    const check = scriptedCheck(() => same);
    const c = make(cycle, { poll: { maxIntervalMs: 5_000 }, checkRemote: check.run });
    await startSettled(c, cycle);
    await tick(() => check.calls === 1);
    await sleep(50);
    expect(c.snapshot().state).toBe('needs-confirmation');
    expect(c.snapshot().heldDeletions).toEqual(held);
    c.syncNow();
    await until(() => cycle.requests.length === 2);
    await tick(() => cycle.requests.length === 3);
    expect(check.calls).toBe(1);
    expect(c.snapshot().errors.map((e) => e.path)).toEqual(['c.bin']);
  });

  it('a file in back-off is not retried by every poll: polls stay quiet until its next attempt, then one full cycle tries it', async () => {
    const failure = (nextAttemptAt: number) => ({
      path: 'c.bin',
      kind: 'transient' as const,
      message: 'HTTP 503',
      nextAttemptAt: new Date(nextAttemptAt).toISOString(),
    });
    let due = 0;
    const cycle = scriptedCycle(async (req, n) => {
      if (n === 1) return quiet;
      // The file fails and the executor puts it in back-off for a minute.
      due = clock.now() + 60_000;
      req.onEvent({ type: 'file-error', path: 'c.bin', kind: 'transient', message: 'HTTP 503', nextAttemptAt: new Date(due).toISOString() });
      return { changed: false, held: [], failures: [failure(due)] };
    });
    const check = scriptedCheck(() => same);
    const c = make(cycle, { poll: { maxIntervalMs: 5_000 }, checkRemote: check.run });
    await startSettled(c, cycle);
    c.syncNow();
    await until(() => cycle.finished === 2);
    const failedAt = clock.now();
    // Polls before the next attempt only look at the remote.
    await tick(() => clock.now() >= due - 1_000 || cycle.requests.length > 2);
    expect(cycle.requests).toHaveLength(2);
    expect(check.calls).toBeGreaterThanOrEqual(3);
    expect(c.snapshot().errors.map((e) => e.path)).toEqual(['c.bin']);
    // The first poll after it is due is the full cycle that tries the file again.
    await tick(() => cycle.requests.length === 3);
    expect(clock.now()).toBeGreaterThanOrEqual(failedAt + 60_000);
  });

  it('spaces polls by what they cost: dear polls wait the idle maximum, and the wait comes down as polls get cheaper', async () => {
    let cpuMs = 0;
    const cycle = scriptedCycle();
    // The first two polls cost 300 ms of CPU each (a 100,000-file listing), the later ones 6 ms.
    const check = scriptedCheck((n) => {
      cpuMs += n <= 2 ? 300 : 6;
      return same;
    });
    const c = make(cycle, { poll: {}, checkRemote: check.run, cpuTime: () => cpuMs });
    await startSettled(c, cycle);
    const pollAt: number[] = [];
    const started = clock.now();
    await tick(() => {
      while (pollAt.length < check.calls) pollAt.push(clock.now() - started);
      return check.calls >= 4;
    });
    // Unmeasured at first: the 5 s floor. Then 300 ms / 0.25 % = 120 s (the maximum), once more,
    // then the cheaper poll halves the smoothed cost: 153 ms / 0.25 % = 61.2 s (seen at the next whole second).
    expect(pollAt[0]).toBe(5_000);
    expect(pollAt.slice(1, 4).map((t, i) => t - (pollAt[i] ?? NaN))).toEqual([120_000, 120_000, 62_000]);
    expect(c.snapshot().state).toBe('idle');
  });

  it('hands the check a new base generation after every full cycle, and none after a quiet poll', async () => {
    const cycle = scriptedCycle();
    const check = scriptedCheck((n) => (n === 2 ? { ...same, differences: [{ path: 'x.txt', kind: 'added' }], reused: false } : same));
    const c = make(cycle, { poll: { maxIntervalMs: 5_000 }, checkRemote: check.run });
    await startSettled(c, cycle);
    await tick(() => check.calls === 4);
    expect(cycle.requests).toHaveLength(2);
    const [first, second, third, fourth] = check.requests.map((r) => r.baseGeneration);
    expect(second).toBe(first);
    expect(third).toBe((first ?? 0) + 1);
    expect(fourth).toBe(third);
  });

  it('hands the polls after a full cycle the listing that cycle found quiet, and nothing after one that found none', async () => {
    const listing: QuietListing = { pages: [] };
    const cycle = scriptedCycle(async (_req, n) => (n === 1 ? { ...quiet, quietListing: listing } : quiet));
    const check = scriptedCheck((n) => (n === 2 ? { ...same, differences: [{ path: 'x.txt', kind: 'added' }], reused: false } : same));
    const c = make(cycle, { poll: { maxIntervalMs: 5_000 }, checkRemote: check.run });
    await startSettled(c, cycle);
    await tick(() => check.calls === 3);
    expect(cycle.requests).toHaveLength(2);
    const [first, second, third] = check.requests.map((r) => r.quietListing);
    expect(first).toBe(listing);
    expect(second).toBe(listing);
    expect(third).toBeUndefined();
  });
});

describe('folder controller: wake-ups', () => {
  const same: RemoteCheckResult = { differences: [], decidable: true, pages: 1, bytes: 170_000, reused: true };
  function countingCheck() {
    const counter = {
      calls: 0,
      run: async (): Promise<RemoteCheckResult> => {
        counter.calls += 1;
        return same;
      },
    };
    return counter;
  }

  it('resume from sleep polls at once, without waiting for the poll due in 2 min; the window shown right after does not', async () => {
    const cycle = scriptedCycle();
    const check = countingCheck();
    const c = make(cycle, { checkRemote: check.run });
    await startSettled(c, cycle);
    c.wake('resume');
    await until(() => check.calls === 1);
    c.wake('shown');
    await sleep(100);
    expect(check.calls).toBe(1);
    expect(cycle.requests).toHaveLength(1);
    expect(c.snapshot().state).toBe('idle');
  });

  it('a reload reads the ignore rules again and runs a full cycle, not a quiet poll', async () => {
    const cycle = scriptedCycle();
    const check = countingCheck();
    await writeFile(join(dir, IGNORE_FILE), 'later.txt\n');
    const c = make(cycle, { checkRemote: check.run });
    await startSettled(c, cycle);
    // Ignored as the watcher read the rules at start: no cycle.
    await writeFile(join(dir, 'later.txt'), 'x');
    await sleep(600);
    expect(cycle.requests).toHaveLength(1);
    // The user drops the rule; editing the rules file is itself a change (a cycle), but only a reload lets later.txt in.
    await writeFile(join(dir, IGNORE_FILE), '');
    await until(() => cycle.requests.length === 2);
    await sleep(600);
    c.wake('reload');
    await until(() => cycle.requests.length === 3);
    expect(check.calls).toBe(0);
    await writeFile(join(dir, 'later.txt'), 'y');
    await until(() => cycle.requests.length === 4);
  });

  it('a paused folder is not woken', async () => {
    const cycle = scriptedCycle();
    const check = countingCheck();
    const c = make(cycle, { checkRemote: check.run });
    await startSettled(c, cycle);
    await c.pause();
    for (const reason of ['resume', 'network', 'shown', 'reload'] as const) c.wake(reason);
    await sleep(200);
    expect(check.calls).toBe(0);
    expect(cycle.requests).toHaveLength(1);
    expect(c.snapshot().state).toBe('paused');
  });
});
