import { describe, expect, it } from 'vitest';
import type { LocalEntry, RemoteFile } from '../../../electron/engine/model/trees.js';
import type { Plan } from '../../../electron/engine/plan/types.js';

import { pendingOf } from '../../../electron/engine/status/pending.js';
import { createStatusStore } from '../../../electron/engine/status/status-store.js';

const local = (path: string, size: number): LocalEntry => ({ path, size, mtimeMs: 1, ino: 1, hash: 'h' });
const remote = (path: string, size: number): RemoteFile => ({ key: `k/${path}`, path, size, etag: 'e' });

const plan: Plan = {
  refused: [],
  held: [],
  actions: [
    { kind: 'upload', decision: 11, path: 'a', local: local('a', 10), expectRemote: null },
    { kind: 'download', decision: 12, path: 'b', remote: remote('b', 20), expectLocal: null },
    { kind: 'conflict', decision: 8, path: 'c', copyPath: 'c (copy)', local: local('c', 1), remote: remote('c', 2) },
    { kind: 'move-remote', decision: 14, from: 'd', to: 'e', local: local('e', 5), oldRemote: remote('d', 5) },
    { kind: 'delete-remote', decision: 4, path: 'f', remote: remote('f', 7) },
    { kind: 'delete-local', decision: 5, path: 'g', local: local('g', 7) },
    { kind: 'rename-local', decision: 13, from: 'h', to: 'i', local: local('h', 3), remote: remote('i', 3) },
    { kind: 'record', decision: 7, path: 'j', local: local('j', 3), remote: remote('j', 3) },
    { kind: 'forget', decision: 6, path: 'k' },
  ],
};

describe('pending work of a plan', () => {
  it('counts transfers and deletes, and the bytes still to move', () => {
    expect(pendingOf(plan)).toEqual({ uploads: 3, downloads: 2, deletes: 2, bytes: 10 + 20 + 3 + 5 });
  });

  it('reaches zero in the status store once every counted operation has completed', () => {
    const store = createStatusStore({ folderId: 'f', dir: '/d', server: 's', workspace: 'w', prefix: '' });
    store.apply({ type: 'pending', pending: pendingOf(plan) });
    const done = [
      { path: 'a', action: 'upload', decision: 11, bytes: 10 },
      { path: 'b', action: 'download', decision: 12, bytes: 20 },
      { path: 'c', action: 'conflict', decision: 8, bytes: 3 },
      { path: 'e', action: 'move-remote', decision: 14, bytes: 5 },
      { path: 'f', action: 'delete-remote', decision: 4 },
      { path: 'g', action: 'delete-local', decision: 5 },
    ] as const;
    for (const operation of done) store.apply({ type: 'completed', operation });
    expect(store.snapshot().pending).toEqual({ uploads: 0, downloads: 0, deletes: 0, bytes: 0 });
  });
});
