/**
 * One sync cycle in-process against the emulator with the real Files API client: the cases a
 * child process cannot stage easily (faults, hooks between steps, a crafted journal).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FilesApi } from '../../../../electron/engine/api/types.js';
import { acquireFolderLock } from '../../../../electron/engine/local/lock.js';
import { StateDb } from '../../../../electron/engine/state/state-db.js';
import { syncOnce } from '../../../../electron/engine/sync/once/cycle.js';
import type { SyncOnceOptions } from '../../../../electron/engine/sync/once/cycle.js';
import type { Emulator } from '../../../../emulator/types.js';
import { SyncRig } from '../../../support/sync-rig.js';

const WS = 'ws_demo';
let rig: SyncRig;
let root: string;
let emu: Emulator;
let api: FilesApi;

beforeEach(async () => {
  rig = await SyncRig.open();
  ({ root, emu } = rig);
  api = rig.api();
});
afterEach(() => rig.close());

const cycle = (extra: Partial<SyncOnceOptions> = {}) => syncOnce({ root, server: emu.url, workspace: WS, api, ...extra });
function write(path: string, body: string) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), body);
}
const remotePaths = () =>
  emu.admin
    .list(WS)
    .map((f) => f.path)
    .sort();
const transfers = () => {
  const c = emu.counters();
  return c.upload + c['upload-url'] + c['download-url'] + c['storage-get'] + c.delete;
};

describe('syncOnce', () => {
  it('never deletes on either side when the listing is incomplete (server ignores the cursor)', async () => {
    // More files than a page: with ignoreCursor only the first page comes back, marked incomplete.
    api = rig.api({ pageSize: 20 });
    for (let i = 0; i < 45; i++) await emu.admin.put(WS, `r/${String(i).padStart(4, '0')}.txt`, `r${i}`);
    const first = await cycle({ concurrency: 8 });
    expect(first.inSync).toBe(true);
    expect(readdirSync(join(root, 'r'))).toHaveLength(45);
    emu.faults.ignoreCursor = true;
    emu.resetCounters();
    const second = await cycle();
    expect(second.listingComplete).toBe(false);
    expect(second.counts.deletedLocal).toBe(0);
    expect(readdirSync(join(root, 'r'))).toHaveLength(45);
    expect(emu.counters().delete).toBe(0);
  });

  it('a file that changes while it uploads is not recorded as synced, and its newer bytes go up next', async () => {
    write('growing.log', 'first line\n');
    emu.onRequest = (req) => {
      if (req.kind === 'upload') appendFileSync(join(root, 'growing.log'), 'written during the upload\n');
    };
    const first = await cycle({ maxPasses: 1 });
    emu.onRequest = null;
    expect(first.failed).toEqual([]);
    expect(first.inSync).toBe(false);
    expect(first.deferred.map((d) => d.path)).toEqual(['growing.log']);
    const db = StateDb.open(join(root, '.wsync/state.db'));
    // Either the client gave up on the moving file (no base) or the base holds the sent bytes with
    // local fields that match no file: never "synced" with bytes the disk no longer has.
    const row = db.getBase('growing.log');
    expect(row === undefined || row.localSize === -1).toBe(true);
    db.close();
    const second = await cycle();
    expect(second.inSync).toBe(true);
    expect(second.counts.uploaded).toBe(1);
    expect(second.counts.conflicts).toBe(0);
    expect((await emu.admin.read(WS, 'growing.log'))?.toString()).toBe('first line\nwritten during the upload\n');
  });

  it('keeps changing files for later passes within the same cycle and ends in sync once they settle', async () => {
    write('settles.txt', 'v1');
    let uploads = 0;
    emu.onRequest = (req) => {
      if (req.kind === 'upload' && ++uploads === 1) appendFileSync(join(root, 'settles.txt'), ' v2');
    };
    const result = await cycle();
    emu.onRequest = null;
    expect(result.inSync).toBe(true);
    expect(result.passes).toBe(2);
    expect((await emu.admin.read(WS, 'settles.txt'))?.toString()).toBe('v1 v2');
  });

  it('before deleting a remote file it checks it again: a remote edit made meanwhile survives and comes down', async () => {
    write('doc.txt', 'v1');
    await cycle();
    rmSync(join(root, 'doc.txt'));
    let lists = 0;
    emu.onRequest = async (req) => {
      if (req.kind === 'list' && ++lists === 3) await emu.admin.put(WS, 'doc.txt', 'edited remotely meanwhile');
    };
    const result = await cycle();
    emu.onRequest = null;
    expect(emu.counters().delete).toBe(0);
    expect(result.inSync).toBe(true);
    expect(readFileSync(join(root, 'doc.txt'), 'utf8')).toBe('edited remotely meanwhile');
  });

  it('recovers a journal left by a killed process: completes what both sides show done, leaves the rest to the planner', async () => {
    write('done.txt', 'same both sides');
    write('half.txt', 'local only');
    await emu.admin.put(WS, 'done.txt', 'same both sides');
    mkdirSync(join(root, '.wsync/tmp'), { recursive: true });
    writeFileSync(join(root, '.wsync/tmp/partial.download'), 'half a download');
    const db = StateDb.open(join(root, '.wsync/state.db'));
    db.beginIntents([
      { op: 'upload', paths: ['done.txt'] },
      { op: 'upload', paths: ['half.txt'] },
    ]);
    db.close();
    emu.resetCounters();
    const result = await cycle();
    expect(result.recovery).toEqual({ intents: 2, completed: ['done.txt'], forgotten: [] });
    expect(result.counts.uploaded).toBe(1); // half.txt only: done.txt was recorded by recovery
    expect(result.inSync).toBe(true);
    expect(existsSync(join(root, '.wsync/tmp/partial.download'))).toBe(false);
    const after = StateDb.open(join(root, '.wsync/state.db'));
    expect(after.pendingIntents()).toEqual([]);
    after.close();
    expect(remotePaths()).toEqual(['done.txt', 'half.txt']);
  });

  it('mirrors only the prefix: remote P/x is local x, and uploads land under P/', async () => {
    await emu.admin.put(WS, 'team/a.txt', 'a');
    await emu.admin.put(WS, 'other/b.txt', 'b');
    write('c.txt', 'c');
    const result = await cycle({ prefix: 'team' });
    expect(result.inSync).toBe(true);
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('a');
    expect(existsSync(join(root, 'b.txt'))).toBe(false);
    expect(remotePaths()).toEqual(['other/b.txt', 'team/a.txt', 'team/c.txt']);
    emu.resetCounters();
    await cycle({ prefix: 'team' });
    expect(transfers()).toBe(0);
  });

  it('refuses to reuse a folder bound to another workspace or prefix', async () => {
    write('x.txt', 'x');
    await cycle();
    await expect(cycle({ prefix: 'elsewhere' })).rejects.toThrow(/cannot be synced with ws_demo \(prefix elsewhere\/\)/);
  });

  it('a synced folder the scan cannot read is unknown, not deleted, while the listing runs beside the scan', async () => {
    write('gone.txt', 'deleted locally later');
    await cycle();
    // Nested past PATH_MAX, the deepest folder cannot be read even by root (ENAMETOOLONG). It is
    // built with short names and renamed from the bottom up, so each rename stays under the limit.
    const segments = Array.from({ length: 17 }, (_, i) => String.fromCharCode(97 + i).repeat(250));
    const deepFolder = segments.join('/');
    write(`${Array(17).fill('s').join('/')}/kept.txt`, 'kept');
    for (let depth = 17; depth >= 1; depth--) {
      const parent = join(root, ...Array<string>(depth - 1).fill('s'));
      renameSync(join(parent, 's'), join(parent, segments[depth - 1] as string));
    }
    await emu.admin.put(WS, `${deepFolder}/kept.txt`, 'kept');
    const listed = emu.admin.list(WS).find((f) => f.path === `${deepFolder}/kept.txt`);
    if (listed === undefined) throw new Error('the emulator did not store the deep file');
    const db = StateDb.open(join(root, '.wsync/state.db'));
    db.apply([
      {
        kind: 'put-base',
        entry: {
          path: listed.path,
          remoteKey: listed.key,
          etag: listed.etag,
          remoteSize: listed.size,
          localSize: 4,
          localMtimeMs: 1,
          localIno: 1,
          hash: listed.etag,
        },
      },
    ]);
    db.close();
    rmSync(join(root, 'gone.txt'));

    try {
      const result = await cycle();
      expect(result.unreadable.map((u) => u.path)).toEqual([`${deepFolder}/`]);
      expect(result.plan.actions.map((a) => [a.kind, 'path' in a ? a.path : a.from])).toEqual([['delete-remote', 'gone.txt']]);
      expect(result.failed).toEqual([]);
      expect(result.inSync).toBe(false);
      expect(result.counts.deletedRemote).toBe(1);
      expect(remotePaths()).toEqual([`${deepFolder}/kept.txt`]);
    } finally {
      // Back to short names from the top down, or the clean-up could not reach the file.
      for (let depth = 1; depth <= 17; depth++) {
        const parent = join(root, ...Array<string>(depth - 1).fill('s'));
        renameSync(join(parent, segments[depth - 1] as string), join(parent, 's'));
      }
    }
  });

  it('a listing that fails while the base is still being read ends the cycle with its error, and nothing changes', async () => {
    write('a.txt', 'a');
    await cycle();
    // Enough base rows for several pages of the base read, so that the failure lands meanwhile.
    const db = StateDb.open(join(root, '.wsync/state.db'));
    const rows = Array.from({ length: 12_000 }, (_, i) => ({
      kind: 'put-base' as const,
      entry: { path: `old/${i}.txt`, remoteKey: `k${i}`, etag: 'e', remoteSize: 1, localSize: 1, localMtimeMs: 1, localIno: 1, hash: 'h' },
    }));
    db.apply(rows);
    db.close();
    write('b.txt', 'b');
    let lists = 0;
    emu.onRequest = async (req) => {
      // The first list request is the key check; the second is the cycle's listing.
      if (req.kind === 'list' && ++lists === 2) {
        emu.faults.failNthStatus = 401;
        emu.faults.failNth = 1;
      }
    };
    let failure: unknown;
    try {
      await cycle();
    } catch (err) {
      failure = err;
    }
    emu.onRequest = null;
    expect(lists).toBe(2);
    expect(failure).toMatchObject({ kind: 'auth' });
    expect(remotePaths()).toEqual(['a.txt']);
    expect(existsSync(join(root, 'a.txt'))).toBe(true);
  });

  it('a cycle that cannot start (its folder locked) reports the lock and drops the listing it had begun', async () => {
    write('a.txt', 'a');
    await cycle();
    const held = acquireFolderLock(root);
    const lists = () => emu.requests().filter((r) => r.kind === 'list').length;
    const listsBefore = lists();
    // Slow answers: the listing is still in flight when the lock is refused.
    emu.faults.latencyMs = 200;
    try {
      await expect(cycle()).rejects.toMatchObject({ kind: 'fatal', code: 'LOCKED' });
    } finally {
      emu.faults.latencyMs = 0;
      held.release();
    }
    expect(lists() - listsBefore).toBe(2); // the key check, then the listing begun beside the set-up
  });

  it('a pause heard while a large tree is planned ends the cycle before any action runs', async () => {
    // Enough paths for the plan to span slices (model/slices.ts SLICE_UNITS of work each).
    for (let i = 0; i < 1200; i++) write(`batch${i % 12}/f${i}.txt`, `f${i}`);
    await emu.admin.put(WS, 'remote-only.txt', 'r');
    const abort = new AbortController();
    const reason = new Error('paused');
    const events: string[] = [];
    let slices = 0;
    emu.resetCounters();
    const run = cycle({
      signal: abort.signal,
      onEvent: (event) => events.push(event.type),
      // Where the engine process serves main's pause: between two slices of the plan.
      betweenPlanSlices: async () => {
        if (++slices === 1) abort.abort(reason);
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    await expect(run).rejects.toBe(reason);
    expect(slices).toBe(1);
    expect(events).not.toContain('pending');
    expect(transfers()).toBe(0);
    expect(remotePaths()).toEqual(['remote-only.txt']);
    expect(existsSync(join(root, 'remote-only.txt'))).toBe(false);
    const db = StateDb.open(join(root, '.wsync/state.db'));
    expect(db.baseCount()).toBe(0);
    expect(db.pendingIntents()).toEqual([]);
    db.close();
  });

  it('a dry run plans with decision rows and creates nothing', async () => {
    await emu.admin.put(WS, 'a.txt', 'a');
    write('b.txt', 'b');
    const result = await cycle({ dryRun: true });
    expect(result.plan.actions.map((a) => [a.kind, a.decision, 'path' in a ? a.path : a.to])).toEqual([
      ['download', 12, 'a.txt'],
      ['upload', 11, 'b.txt'],
    ]);
    expect(existsSync(join(root, '.wsync'))).toBe(false);
    expect(remotePaths()).toEqual(['a.txt']);
  });
});
