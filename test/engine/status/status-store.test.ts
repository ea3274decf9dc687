import { describe, expect, it } from 'vitest';
import { FolderStatusSchema, type FolderStatus } from '../../../electron/shared/status.js';
import { createStatusStore } from '../../../electron/engine/status/status-store.js';

const identity = { folderId: 'f1', dir: '/tmp/x', server: 'http://127.0.0.1:1', workspace: 'ws_demo', prefix: '' };

function clock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('status store', () => {
  it('starts idle with an empty model that the shared schema accepts', () => {
    const store = createStatusStore(identity);
    const snap = store.snapshot();
    expect(FolderStatusSchema.parse(snap)).toEqual(snap);
    expect(snap.state).toBe('idle');
    expect(snap.pending).toEqual({ uploads: 0, downloads: 0, deletes: 0, bytes: 0 });
  });

  it('snapshots are read-only: changing one throws and leaves the store as it was', () => {
    const store = createStatusStore(identity);
    store.apply({ type: 'held', held: [{ side: 'local', paths: ['a'], syncedCount: 12 }] });
    store.apply({ type: 'completed', operation: { path: 'x.txt', action: 'download', decision: 3 } });
    const snap = store.snapshot();
    expect(() => snap.heldDeletions[0]?.paths.push('b')).toThrow(TypeError);
    expect(() => (snap.pending.uploads = 9)).toThrow(TypeError);
    expect(() => ((snap.recent[0] as { path: string }).path = 'y')).toThrow(TypeError);
    expect(store.snapshot().heldDeletions[0]?.paths).toEqual(['a']);
    expect(store.snapshot().pending.uploads).toBe(0);
  });

  it('a snapshot is built once per change and shares what did not change (no copy of 300 activities per file)', () => {
    const store = createStatusStore(identity);
    for (let i = 0; i < 300; i++) store.apply({ type: 'completed', operation: { path: `f${i}`, action: 'download', decision: 3 } });
    const first = store.snapshot();
    expect(store.snapshot()).toBe(first);
    store.apply({ type: 'state', state: 'syncing' });
    const second = store.snapshot();
    expect(second).not.toBe(first);
    expect(second.recent).toBe(first.recent);
    expect(second.errors).toBe(first.errors);
  });

  it('survives a JSON round trip unchanged (serialisable for IPC and --json)', () => {
    const store = createStatusStore(identity);
    store.apply({ type: 'state', state: 'syncing' });
    store.apply({ type: 'transfer-start', id: 't1', path: 'a.txt', direction: 'upload', bytesTotal: 10 });
    store.apply({ type: 'conflict', conflict: { path: 'b.txt', conflictCopy: 'b (conflicted copy).txt', at: '2026-01-01T00:00:00.000Z' } });
    store.apply({ type: 'file-error', path: 'c.txt', kind: 'transient', message: 'HTTP 503' });
    const snap = store.snapshot();
    expect(FolderStatusSchema.parse(JSON.parse(JSON.stringify(snap)))).toEqual(snap);
  });

  it('measures transfer speed from progress over the trailing window', () => {
    const c = clock();
    const store = createStatusStore(identity, { now: c.now, speedWindowMs: 3000 });
    store.apply({ type: 'transfer-start', id: 't1', path: 'big.bin', direction: 'download', bytesTotal: 10_000_000 });
    for (let i = 1; i <= 10; i += 1) {
      c.advance(500);
      store.apply({ type: 'transfer-progress', id: 't1', bytesDone: i * 500_000 });
    }
    const t = store.snapshot().transfers[0];
    expect(t?.bytesDone).toBe(5_000_000);
    expect(t?.bytesPerSecond).toBe(1_000_000);
  });

  it('forgets a transfer when it ends', () => {
    const store = createStatusStore(identity);
    store.apply({ type: 'transfer-start', id: 't1', path: 'a', direction: 'upload', bytesTotal: 1 });
    store.apply({ type: 'transfer-end', id: 't1' });
    expect(store.snapshot().transfers).toEqual([]);
  });

  it('a completed operation joins recent activity (newest first, capped) and leaves the pending counts', () => {
    const store = createStatusStore(identity, { recentLimit: 3 });
    store.apply({ type: 'pending', pending: { uploads: 2, downloads: 1, deletes: 1, bytes: 300 } });
    store.apply({ type: 'completed', operation: { path: 'a', action: 'upload', decision: 11, bytes: 100 } });
    store.apply({ type: 'completed', operation: { path: 'b', action: 'download', decision: 12, bytes: 200 } });
    store.apply({ type: 'completed', operation: { path: 'c', action: 'delete-remote', decision: 4 } });
    store.apply({ type: 'completed', operation: { path: 'd', action: 'upload', decision: 2 } });
    const snap = store.snapshot();
    expect(snap.recent.map((a) => a.path)).toEqual(['d', 'c', 'b']);
    expect(snap.recent.map((a) => a.id)).toEqual([4, 3, 2]);
    expect(snap.pending).toEqual({ uploads: 0, downloads: 0, deletes: 0, bytes: 0 });
  });

  it('numbers new activity after the activity it was loaded with', () => {
    const store = createStatusStore(identity, {
      recent: [{ id: 41, at: '2026-01-01T00:00:00.000Z', path: 'old', action: 'upload', decision: 11 }],
    });
    store.apply({ type: 'completed', operation: { path: 'new', action: 'download', decision: 12 } });
    expect(store.snapshot().recent.map((a) => [a.id, a.path])).toEqual([
      [42, 'new'],
      [41, 'old'],
    ]);
  });

  it('counts attempts of a failing file and clears the error when the file later syncs', () => {
    const store = createStatusStore(identity);
    store.apply({ type: 'file-error', path: 'x', kind: 'transient', message: 'HTTP 503' });
    store.apply({ type: 'file-error', path: 'x', kind: 'local-io', message: 'EACCES' });
    expect(store.snapshot().errors).toMatchObject([{ path: 'x', kind: 'local-io', attempts: 2 }]);
    store.apply({ type: 'completed', operation: { path: 'x', action: 'upload', decision: 2 } });
    expect(store.snapshot().errors).toEqual([]);
  });

  it('keeps one conflict per path until it is resolved', () => {
    const store = createStatusStore(identity);
    const at = '2026-01-01T00:00:00.000Z';
    store.apply({ type: 'conflict', conflict: { path: 'a', conflictCopy: 'a (1)', at } });
    store.apply({ type: 'conflict', conflict: { path: 'a', conflictCopy: 'a (2)', at } });
    expect(store.snapshot().conflicts).toEqual([{ path: 'a', conflictCopy: 'a (2)', at }]);
    store.apply({ type: 'conflict-resolved', path: 'a' });
    expect(store.snapshot().conflicts).toEqual([]);
  });

  it('tells listeners of every state change, and not of a repeated identical state', () => {
    const store = createStatusStore(identity);
    const seen: FolderStatus[] = [];
    const off = store.subscribe((s) => seen.push(s));
    store.apply({ type: 'state', state: 'syncing' });
    store.apply({ type: 'state', state: 'syncing' });
    store.apply({ type: 'state', state: 'offline', message: 'Connection refused' });
    off();
    store.apply({ type: 'state', state: 'idle' });
    expect(seen.map((s) => [s.state, s.message])).toEqual([
      ['syncing', undefined],
      ['offline', 'Connection refused'],
    ]);
  });

  it('coalesces a burst of progress into few notifications and flush publishes the latest', () => {
    const store = createStatusStore(identity, { progressIntervalMs: 10_000 });
    store.apply({ type: 'transfer-start', id: 't', path: 'a', direction: 'upload', bytesTotal: 1000 });
    const seen: FolderStatus[] = [];
    store.subscribe((s) => seen.push(s));
    for (let i = 1; i <= 1000; i += 1) store.apply({ type: 'transfer-progress', id: 't', bytesDone: i });
    expect(seen).toHaveLength(0);
    store.flush();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.transfers[0]?.bytesDone).toBe(1000);
  });
});

describe('status store history', () => {
  it('takes in activity and the last sync time read back from the state database', () => {
    const store = createStatusStore(identity);
    store.apply({
      type: 'history',
      recent: [
        { id: 7, at: '2026-01-01T00:00:01.000Z', path: 'b', action: 'download', decision: 12 },
        { id: 6, at: '2026-01-01T00:00:00.000Z', path: 'a', action: 'upload', decision: 11 },
      ],
      lastSyncAt: '2026-01-01T00:00:02.000Z',
    });
    store.apply({ type: 'completed', operation: { path: 'c', action: 'upload', decision: 2 } });
    const snap = store.snapshot();
    expect(snap.recent.map((a) => [a.id, a.path])).toEqual([
      [8, 'c'],
      [7, 'b'],
      [6, 'a'],
    ]);
    expect(snap.lastSyncAt).toBe('2026-01-01T00:00:02.000Z');
  });
});
