/**
 * The one writer of a folder's state: batched commits, and folder fsyncs before the base rows
 * that depend on them. A real state database; the folder sync is the real one, wrapped only to
 * record when it ran.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fsyncDirectory } from '../../../electron/engine/api/temp-file.js';
import type { BaseEntry } from '../../../electron/engine/model/trees.js';
import { StateDb } from '../../../electron/engine/state/state-db.js';
import { createStateWriter } from '../../../electron/engine/state/state-writer.js';
import { scratchBase } from '../../support/scratch.js';

let dir: string;
let db: StateDb;
beforeEach(() => {
  dir = scratchBase('wsync-writer-');
  db = StateDb.open(join(dir, 'state.db'));
});
afterEach(() => {
  vi.useRealTimers();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function base(path: string, hash = 'h'): BaseEntry {
  return { path, remoteKey: `k-${path}`, etag: hash, remoteSize: 1, localSize: 1, localMtimeMs: 1, localIno: 1, hash };
}

const put = (path: string) => ({ kind: 'put-base' as const, entry: base(path) });

function folder(name: string): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  return path;
}

describe('batched commits', () => {
  it('holds writes until the batch is full, then writes them in one go', async () => {
    const w = createStateWriter(db, { batch: { maxPending: 3, maxDelayMs: 60_000 } });
    w.add([put('a')]);
    w.add([put('b')]);
    expect(db.baseCount()).toBe(0);
    w.add([put('c')]);
    expect(db.baseCount()).toBe(3);
    await w.drain();
  });

  it('writes what is waiting after the delay, and on drain', async () => {
    vi.useFakeTimers();
    const w = createStateWriter(db, { batch: { maxPending: 100, maxDelayMs: 20 } });
    w.add([put('a')]);
    await vi.advanceTimersByTimeAsync(19);
    expect(db.baseCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(db.baseCount()).toBe(1);
    w.add([put('b')]);
    await w.drain();
    expect(db.baseCount()).toBe(2);
  });

  it('never splits the writes of one add() across transactions', async () => {
    const w = createStateWriter(db, { batch: { maxPending: 2, maxDelayMs: 60_000 } });
    const [id] = w.beginIntents([{ op: 'upload', paths: ['a'] }]);
    w.add([put('x')]);
    w.add([put('a'), { kind: 'finish-intent', id: id as number }]);
    expect(db.pendingIntents()).toEqual([]);
    expect(db.getBase('a')).toBeDefined();
    await w.drain();
  });

  it('a commit that failed on its timer is reported by the next drain, not thrown into the event loop', async () => {
    vi.useFakeTimers();
    const w = createStateWriter(db, { batch: { maxPending: 100, maxDelayMs: 20 } });
    w.add([put('a')]);
    db.close();
    await vi.advanceTimersByTimeAsync(20);
    await expect(w.drain()).rejects.toThrow(/not open/);
    db = StateDb.open(join(dir, 'state.db'));
    expect(db.baseCount()).toBe(0);
  });

  it('commit() lands a user action at once, after what was added before', async () => {
    const w = createStateWriter(db, { batch: { maxPending: 100, maxDelayMs: 60_000 } });
    w.add([put('a')]);
    await w.commit([{ kind: 'delete-base', path: 'a' }, put('b')]);
    expect(db.allBase().map((r) => r.path)).toEqual(['b']);
  });
});

describe('folder fsyncs before base rows', () => {
  it('lands base rows only after the folders they were placed in are fsynced, each folder once per group', async () => {
    const synced: string[] = [];
    const seenAtSync: number[] = [];
    const gate = createStateWriter(db, {
      batch: { maxPending: 1 },
      fsync: {
        maxPending: 1000,
        maxDelayMs: 10_000,
        syncDirectory: async (d) => {
          seenAtSync.push(db.allBase().length);
          await fsyncDirectory(d);
          synced.push(d);
        },
      },
    });
    const a = folder('a');
    const b = folder('b');
    gate.add([{ kind: 'put-base', entry: base('a/1') }], [a]);
    gate.add([{ kind: 'put-base', entry: base('a/2') }], [a]);
    gate.add([{ kind: 'put-base', entry: base('b/1') }], [b]);
    expect(db.allBase()).toHaveLength(0);
    await gate.drain();
    expect(synced.sort()).toEqual([a, b]);
    expect(seenAtSync).toEqual([0, 0]);
    expect(
      db
        .allBase()
        .map((r) => r.path)
        .sort(),
    ).toEqual(['a/1', 'a/2', 'b/1']);
  });

  it('keeps the order of writes to one path, whether or not they wait for a folder', async () => {
    const gate = createStateWriter(db, { batch: { maxPending: 1 }, fsync: { maxPending: 1000, maxDelayMs: 10_000 } });
    gate.add([{ kind: 'put-base', entry: base('x', 'first') }], [folder('x')]);
    gate.add([{ kind: 'put-base', entry: base('x', 'second') }]);
    await gate.drain();
    gate.add([{ kind: 'put-base', entry: base('x', 'third') }], [folder('x')]);
    gate.add([{ kind: 'delete-base', path: 'x' }]);
    gate.add([{ kind: 'put-base', entry: base('x', 'fourth') }]);
    await gate.drain();
    expect(db.getBase('x')?.hash).toBe('fourth');
  });

  it('passes writes that wait for no folder straight through when nothing is queued', () => {
    const gate = createStateWriter(db, { batch: { maxPending: 1 } });
    gate.add([{ kind: 'put-base', entry: base('y') }]);
    expect(db.getBase('y')?.hash).toBe('h');
  });

  it('syncs on its own once enough operations wait, without drain', async () => {
    const gate = createStateWriter(db, { batch: { maxPending: 1 }, fsync: { maxPending: 2, maxDelayMs: 10_000 } });
    const z = folder('z');
    gate.add([{ kind: 'put-base', entry: base('z/1') }], [z]);
    gate.add([{ kind: 'put-base', entry: base('z/2') }], [z]);
    await vi.waitFor(() => expect(db.allBase()).toHaveLength(2));
  });
});
