import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchWriter } from '../../../electron/engine/state/batch-writer.js';
import { StateDb } from '../../../electron/engine/state/state-db.js';

let dir: string;
let db: StateDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsync-batch-'));
  db = StateDb.open(join(dir, 'state.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const put = (path: string) => ({
  kind: 'put-base' as const,
  entry: { path, remoteKey: path, etag: 'e', remoteSize: 1, localSize: 1, localMtimeMs: 1, localIno: 1, hash: 'h' },
});

describe('BatchWriter', () => {
  it('holds writes until the batch is full, then writes them in one go', () => {
    const w = new BatchWriter(db, { maxPending: 3, maxDelayMs: 60_000 });
    w.add(put('a'));
    w.add(put('b'));
    expect(db.baseCount()).toBe(0);
    w.add(put('c'));
    expect(db.baseCount()).toBe(3);
    w.flush();
  });

  it('writes what is waiting after the delay, and on flush', async () => {
    const w = new BatchWriter(db, { maxPending: 100, maxDelayMs: 20 });
    w.add(put('a'));
    await new Promise((r) => setTimeout(r, 60));
    expect(db.baseCount()).toBe(1);
    w.add(put('b'));
    w.flush();
    expect(db.baseCount()).toBe(2);
  });

  it('never splits the writes of one add() across transactions', () => {
    const w = new BatchWriter(db, { maxPending: 2, maxDelayMs: 60_000 });
    const [id] = db.beginIntents([{ op: 'upload', paths: ['a'] }]);
    w.add(put('x'));
    w.add(put('a'), { kind: 'finish-intent', id: id as number });
    expect(db.pendingIntents()).toEqual([]);
    expect(db.getBase('a')).toBeDefined();
  });
});
