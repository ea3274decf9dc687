import { describe, expect, it } from 'vitest';
import { notificationsFor } from '../../electron/main/notify-policy.js';
import type { FileError, FolderStatus } from '../../electron/shared/status.js';
import { status } from './status-fixture.js';

const conflict = (path: string, copy: string) => ({ path, conflictCopy: copy, at: '2025-01-01T10:00:00Z' });
const failing = (path: string, attempts: number): FileError => ({ path, kind: 'transient', message: 'Server error 503', at: 'x', attempts });
const kinds = (prev: FolderStatus[], next: FolderStatus[]) => notificationsFor(prev, next).map((n) => `${n.kind}: ${n.title}`);

it('clicking a conflict notification opens the conflicts view, a failing file the errors view', () => {
  const next = [status({ conflicts: [conflict('a', 'a (c)')], errors: [failing('b', 3)] })];
  expect(notificationsFor([status()], next).map((n) => n.view)).toEqual(['conflicts', 'errors']);
});

describe('notifications only for what needs the user', () => {
  it.each<[string, FolderStatus[], FolderStatus[], string[]]>([
    ['routine syncing says nothing', [status({ state: 'idle' })], [status({ state: 'syncing', pending: { uploads: 4, downloads: 0, deletes: 0, bytes: 9 } })], []],
    ['going offline says nothing', [status()], [status({ state: 'offline' })], []],
    [
      'a new conflict copy',
      [status()],
      [status({ conflicts: [conflict('docs/plan.txt', 'docs/plan (conflicted copy 2025-01-01 100000).txt')] })],
      ['conflict: Conflict in plan.txt'],
    ],
    [
      'several new conflicts at once are one notification',
      [status()],
      [status({ conflicts: [conflict('a.txt', 'a (c).txt'), conflict('b.txt', 'b (c).txt')] })],
      ['conflict: 2 conflicts in ws_demo'],
    ],
    [
      'a known conflict is not announced again',
      [status({ conflicts: [conflict('a.txt', 'a (c).txt')] })],
      [status({ conflicts: [conflict('a.txt', 'a (c).txt')] })],
      [],
    ],
    [
      'deletions held for confirmation',
      [status()],
      [status({ state: 'needs-confirmation', heldDeletions: [{ side: 'local', paths: ['a', 'b'], syncedCount: 3 }] })],
      ['held-deletions: 2 deletions waiting for you'],
    ],
    [
      'the same held deletions are not announced twice',
      [status({ state: 'needs-confirmation', heldDeletions: [{ side: 'local', paths: ['a', 'b'], syncedCount: 3 }] })],
      [status({ state: 'needs-confirmation', heldDeletions: [{ side: 'local', paths: ['a', 'b'], syncedCount: 3 }] })],
      [],
    ],
    ['signed out', [status()], [status({ state: 'signed-out' })], ['signed-out: Signed out of ws_demo']],
    ['still signed out says nothing', [status({ state: 'signed-out' })], [status({ state: 'signed-out' })], []],
    ['a file failing for the first time says nothing', [status()], [status({ errors: [failing('a.txt', 1)] })], []],
    [
      'a file that keeps failing',
      [status({ errors: [failing('big.bin', 2)] })],
      [status({ state: 'error', errors: [failing('big.bin', 3)] })],
      ['failing-file: big.bin keeps failing'],
    ],
    ['a file still failing is announced once', [status({ errors: [failing('a', 3)] })], [status({ errors: [failing('a', 4)] })], []],
    [
      'the first status of a folder is a baseline for conflicts and errors',
      [],
      [status({ conflicts: [conflict('a.txt', 'a (c).txt')], errors: [failing('b', 5)] })],
      [],
    ],
    ['a folder that starts signed out is announced', [], [status({ state: 'signed-out' })], ['signed-out: Signed out of ws_demo']],
  ])('%s', (_name, prev, next, expected) => {
    expect(kinds(prev, next)).toEqual(expected);
  });

  it.each([
    ['remote', 'in your folder'],
    ['local', 'in the workspace'],
  ] as const)('held deletions to apply on the %s side say the files went %s', (side, where) => {
    const next = [status({ state: 'needs-confirmation', heldDeletions: [{ side, paths: ['a', 'b'], syncedCount: 3 }] })];
    expect(notificationsFor([status()], next)[0]?.body).toBe(`2 files were deleted ${where}. Open wsync to confirm or restore them.`);
  });

  it('compares each folder with its own previous status', () => {
    const prev = [status({ folderId: 'a', state: 'signed-out' }), status({ folderId: 'b' })];
    const next = [status({ folderId: 'a', state: 'signed-out' }), status({ folderId: 'b', state: 'signed-out', workspace: 'ws_b' })];
    expect(notificationsFor(prev, next)).toEqual([
      { folderId: 'b', kind: 'signed-out', title: 'Signed out of ws_b', body: 'Syncing stopped. Open wsync and enter the API key again.', view: 'overview' },
    ]);
  });
});
