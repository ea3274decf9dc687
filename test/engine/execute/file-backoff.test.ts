/**
 * Per-file back-off across cycles: the rules as a table (pure), then real cycles against the
 * emulator with time given as an argument: a file that keeps failing costs the client's bound of
 * requests in the cycle it is tried, none in the cycles while it waits, is retried at growing
 * intervals, at once when the user changes it, and leaves the table when it finally syncs.
 */
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FilesApi } from '../../../electron/engine/api/types.js';
import {
  actionFingerprint,
  backoffDelayMs,
  backoffWrites,
  DEFAULT_BACKOFF_POLICY,
  holdsBack,
} from '../../../electron/engine/execute/file-backoff.js';
import { folderLayout } from '../../../electron/engine/local/folder-layout.js';
import type { PlannedAction } from '../../../electron/engine/plan/types.js';
import { StateDb, type FileBackoff } from '../../../electron/engine/state/state-db.js';
import { createStatusStore } from '../../../electron/engine/status/status-store.js';
import { syncOnce, type SyncOnceOptions } from '../../../electron/engine/sync/once/cycle.js';
import type { Emulator } from '../../../emulator/types.js';
import { SyncRig } from '../../support/sync-rig.js';
import { captureLogs } from '../api/support.js';

const MIN = 60_000;
const upload = (mtimeMs = 1): PlannedAction => ({
  kind: 'upload',
  decision: 11,
  path: 'a.txt',
  local: { path: 'a.txt', size: 1, mtimeMs, ino: 7, hash: '0cc175b9c0f1b6a831c399e269772661' },
  expectRemote: null,
});
const failure = { failed: { kind: 'transient' as const, message: 'upload failed: HTTP 500', attempts: 6 } };

describe('the back-off rules', () => {
  it('waits 1 min after the first failed cycle, doubling up to 1 h', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffDelayMs(DEFAULT_BACKOFF_POLICY, n) / MIN)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('counts failed cycles of the same plan; another plan starts again at one', () => {
    const first = backoffWrites(DEFAULT_BACKOFF_POLICY, 'a.txt', upload(), undefined, failure, 0).entry as FileBackoff;
    expect(first).toMatchObject({ failures: 1, nextAttemptAt: MIN, kind: 'transient', attempts: 6 });
    const second = backoffWrites(DEFAULT_BACKOFF_POLICY, 'a.txt', upload(), first, failure, MIN).entry as FileBackoff;
    expect(second).toMatchObject({ failures: 2, nextAttemptAt: MIN + 2 * MIN });
    const edited = backoffWrites(DEFAULT_BACKOFF_POLICY, 'a.txt', upload(2), second, failure, MIN).entry as FileBackoff;
    expect(edited).toMatchObject({ failures: 1, nextAttemptAt: 2 * MIN });
  });

  it('holds back only the same plan, only until its time', () => {
    const entry = backoffWrites(DEFAULT_BACKOFF_POLICY, 'a.txt', upload(), undefined, failure, 0).entry as FileBackoff;
    expect(holdsBack(entry, upload(), MIN - 1)).toBe(true);
    expect(holdsBack(entry, upload(), MIN)).toBe(false);
    expect(holdsBack(entry, upload(5), 0)).toBe(false);
    expect(holdsBack(undefined, upload(), 0)).toBe(false);
    expect(actionFingerprint(upload())).toBe(actionFingerprint(upload()));
  });

  it.each(['rate-limited', 'auth', 'cancelled'] as const)("a %s failure is not the file's: no back-off", (kind) => {
    const next = backoffWrites(DEFAULT_BACKOFF_POLICY, 'a.txt', upload(), undefined, { failed: { kind, message: 'x', attempts: 1 } }, 0);
    expect(next).toEqual({ writes: [], entry: undefined });
  });

  it('a success ends the back-off; a deferral leaves it as it was', () => {
    const entry = backoffWrites(DEFAULT_BACKOFF_POLICY, 'a.txt', upload(), undefined, failure, 0).entry as FileBackoff;
    expect(backoffWrites(DEFAULT_BACKOFF_POLICY, 'a.txt', upload(), entry, { done: true }, 0).writes).toEqual([
      { kind: 'delete-backoff', path: 'a.txt' },
    ]);
    expect(backoffWrites(DEFAULT_BACKOFF_POLICY, 'a.txt', upload(), entry, { deferred: true }, 0)).toEqual({ writes: [], entry });
  });
});

describe('a file that keeps failing, over real cycles', () => {
  const WS = 'ws_demo';
  const LIMIT = 2;
  const T0 = Date.UTC(2026, 2, 1, 9);
  let rig: SyncRig;
  let root: string;
  let emu: Emulator;
  let api: FilesApi;
  let log: ReturnType<typeof captureLogs>;

  beforeEach(async () => {
    log = captureLogs();
    rig = await SyncRig.open({ client: { logger: log.logger, retry: { limit: LIMIT, baseDelayMs: 1, maxDelayMs: 2 } } });
    ({ root, emu } = rig);
    api = rig.api();
    // ok.txt is synced first; then bad.txt appears, and while `failing`, every upload gets a 500.
    writeFileSync(join(root, 'ok.txt'), 'fine');
    failing = false;
    expect((await cycle(-1000)).result.inSync).toBe(true);
    writeFileSync(join(root, 'bad.txt'), 'refused');
    emu.onRequest = (record) => {
      if (record.kind === 'upload' && failing) {
        emu.faults.failNth = 1;
        emu.faults.failNthStatus = 500;
      }
    };
  });
  afterEach(() => rig.close());

  let failing = false;
  const cycle = async (at: number, extra: Partial<SyncOnceOptions> = {}) => {
    emu.resetCounters();
    const result = await syncOnce({
      root,
      server: emu.url,
      workspace: WS,
      api,
      concurrency: 1,
      now: () => new Date(T0 + at),
      logger: log.logger,
      ...extra,
    });
    return { result, kinds: emu.requests().map((r) => `${r.kind}:${r.status}`) };
  };
  const backoffs = () => {
    const db = StateDb.open(folderLayout(root).stateDb);
    try {
      return db.fileBackoffs();
    } finally {
      db.close();
    }
  };

  it('costs the client bound in the cycle it is tried, nothing while it waits, and is retried at growing intervals', async () => {
    failing = true;
    // Cycle 1: bad.txt is tried: one stat, then limit + 1 uploads, each retry logged.
    const first = await cycle(0);
    const tried = ['list:200', ...Array<string>(LIMIT + 1).fill('upload:500')];
    expect(first.kinds).toEqual(['list:200', 'list:200', ...tried]);
    expect(first.result.failed).toEqual([
      expect.objectContaining({
        path: 'bad.txt',
        kind: 'transient',
        attempts: LIMIT + 1,
        failedCycles: 1,
        nextAttemptAt: new Date(T0 + MIN).toISOString(),
      }),
    ]);
    expect(log.lines.filter((l) => l.includes('"message":"retrying') && l.includes('bad.txt'))).toHaveLength(LIMIT);
    expect(log.lines.some((l) => l.includes(`giving up after ${LIMIT + 1} attempts`))).toBe(true);
    expect(backoffs()).toEqual([expect.objectContaining({ path: 'bad.txt', failures: 1, nextAttemptAt: T0 + MIN })]);

    // Polls within the minute: the auth check and the listing, nothing for bad.txt.
    for (const at of [20_000, 59_000]) {
      const waiting = await cycle(at);
      expect(waiting.kinds).toEqual(['list:200', 'list:200']);
      expect(waiting.result.failed).toEqual([
        expect.objectContaining({ path: 'bad.txt', attempts: 0, failedCycles: 1, message: expect.stringContaining('HTTP 500') as unknown }),
      ]);
      expect(waiting.result.inSync).toBe(false);
    }

    // Due: tried again (the same bound), then it waits 2 min.
    const third = await cycle(MIN);
    expect(third.kinds).toEqual(['list:200', 'list:200', ...tried]);
    expect(backoffs()).toEqual([expect.objectContaining({ failures: 2, nextAttemptAt: T0 + 3 * MIN })]);
    expect((await cycle(3 * MIN - 1)).kinds).toEqual(['list:200', 'list:200']);

    // The server is fixed; at its time the file goes up and leaves the table.
    failing = false;
    const fixed = await cycle(3 * MIN);
    expect(fixed.kinds).toEqual(['list:200', 'list:200', 'list:200', 'upload:201']);
    expect(fixed.result.inSync).toBe(true);
    expect(backoffs()).toEqual([]);
  });

  it('is tried at once when the user edits it, or asks to retry', async () => {
    failing = true;
    await cycle(0);
    expect((await cycle(1000)).kinds).toEqual(['list:200', 'list:200']);
    writeFileSync(join(root, 'bad.txt'), 'edited');
    utimesSync(join(root, 'bad.txt'), new Date(T0 + 2000), new Date(T0 + 2000));
    const edited = await cycle(2000);
    expect(edited.kinds.filter((k) => k === 'upload:500')).toHaveLength(LIMIT + 1);
    // It failed again: held back, unless the user asks.
    expect((await cycle(3000)).kinds).toEqual(['list:200', 'list:200']);
    const asked = await cycle(4000, { retryFailedNow: true });
    expect(asked.kinds.filter((k) => k === 'upload:500')).toHaveLength(LIMIT + 1);
  });

  it('leaves the table when the file no longer needs anything (removed locally before it ever synced)', async () => {
    failing = true;
    await cycle(0);
    expect(backoffs()).toHaveLength(1);
    rmSync(join(root, 'bad.txt'));
    await cycle(1000);
    expect(backoffs()).toEqual([]);
  });

  it('reaches the status with its next attempt', () => {
    const store = createStatusStore({ folderId: 'f', dir: root, server: 's', workspace: WS, prefix: '' });
    store.apply({
      type: 'file-error',
      path: 'bad.txt',
      kind: 'transient',
      message: 'HTTP 500',
      attempts: 3,
      nextAttemptAt: '2026-03-01T09:05:00.000Z',
    });
    expect(store.snapshot().errors).toEqual([expect.objectContaining({ path: 'bad.txt', attempts: 3, nextAttemptAt: '2026-03-01T09:05:00.000Z' })]);
  });
});
