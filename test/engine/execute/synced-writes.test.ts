/**
 * Grouped folder fsyncs before base rows: a real state database behind the real batch writer;
 * the folder sync is the real one, wrapped only to record when it ran.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BaseEntry } from '../../../electron/engine/model/trees.js';
import { fsyncDirectory } from '../../../electron/engine/api/temp-file.js';
import { SyncedWrites } from '../../../electron/engine/execute/synced-writes.js';

import { BatchWriter } from '../../../electron/engine/state/batch-writer.js';
import { StateDb } from '../../../electron/engine/state/state-db.js';

let dir: string;
let db: StateDb;
let writer: BatchWriter;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsync-synced-'));
  db = StateDb.open(join(dir, 'state.db'));
  writer = new BatchWriter(db, { maxPending: 1 });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function base(path: string, hash = 'h'): BaseEntry {
  return { path, remoteKey: `k-${path}`, etag: hash, remoteSize: 1, localSize: 1, localMtimeMs: 1, localIno: 1, hash };
}

function folder(name: string): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  return path;
}

describe('SyncedWrites', () => {
  it('lands base rows only after the folders they were placed in are fsynced, each folder once per group', async () => {
    const synced: string[] = [];
    const seenAtSync: Array<number> = [];
    const gate = new SyncedWrites(writer, {
      maxPending: 1000,
      maxDelayMs: 10_000,
      syncDirectory: async (d) => {
        seenAtSync.push(db.allBase().length);
        await fsyncDirectory(d);
        synced.push(d);
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
    expect(db.allBase().map((r) => r.path).sort()).toEqual(['a/1', 'a/2', 'b/1']);
  });

  it('keeps the order of writes to one path, whether or not they wait for a folder', async () => {
    const gate = new SyncedWrites(writer, { maxPending: 1000, maxDelayMs: 10_000 });
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
    const gate = new SyncedWrites(writer);
    gate.add([{ kind: 'put-base', entry: base('y') }]);
    expect(db.getBase('y')?.hash).toBe('h');
  });

  it('flushes on its own once enough operations wait, without drain', async () => {
    const gate = new SyncedWrites(writer, { maxPending: 2, maxDelayMs: 10_000 });
    const z = folder('z');
    gate.add([{ kind: 'put-base', entry: base('z/1') }], [z]);
    gate.add([{ kind: 'put-base', entry: base('z/2') }], [z]);
    await new Promise((r) => setTimeout(r, 200));
    expect(db.allBase()).toHaveLength(2);
  });
});
