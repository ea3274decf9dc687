import { describe, expect, it } from 'vitest';
import {
  decideNotifications,
  EMPTY_MEMORY,
  FAILING_ATTEMPTS,
  NotifyMemorySchema,
  type NotificationPreferences,
  type NotifyMemory,
} from '../../electron/main/notify-policy.js';
import type { FileError, FolderStatus } from '../../electron/shared/status.js';
import { status } from './status-fixture.js';

const conflict = (path: string, copy: string) => ({ path, conflictCopy: copy, at: '2025-01-01T10:00:00Z' });
const failing = (path: string, attempts: number, message = 'download failed: HTTP 503', kind: FileError['kind'] = 'transient'): FileError => ({
  path,
  kind,
  message,
  at: 'x',
  attempts,
});
const denied = (path: string, attempts = FAILING_ATTEMPTS) =>
  failing(
    path,
    attempts,
    `EPERM: operation not permitted, rename '/home/ana/Work/.wsync/tmp/16a24f27.download' -> '/home/ana/Work/${path}'`,
    'local-io',
  );
const T0 = Date.parse('2025-01-01T10:00:00Z');

/** A step: minutes after T0, and every folder's status then. */
type Step = [minutes: number, statuses: FolderStatus[]];

/** Runs the steps through the policy, carrying its memory, and returns "kind: title" of all it said. */
function run(steps: Step[], preferences: NotificationPreferences = {}, start: NotifyMemory = EMPTY_MEMORY): { said: string[]; memory: NotifyMemory } {
  let memory = start;
  const said: string[] = [];
  for (const [minutes, statuses] of steps) {
    const decision = decideNotifications(memory, statuses, preferences, new Date(T0 + minutes * 60_000));
    // What is saved and read back at the next launch: the schema must hold it.
    memory = NotifyMemorySchema.parse(JSON.parse(JSON.stringify(decision.memory)));
    said.push(...decision.notifications.map((n) => `${n.kind}: ${n.title}`));
  }
  return { said, memory };
}

const held = (n: number, side: 'local' | 'remote' = 'remote') => [
  { side, paths: Array.from({ length: n }, (_, i) => `photos/${i}.jpg`), syncedCount: 40 },
];
const many = (n: number, make: (path: string) => FileError) => Array.from({ length: n }, (_, i) => make(`data/run-${i}.vcf`));

describe('what is announced, as a table of status sequences', () => {
  it.each<[string, Step[], string[]]>([
    [
      'routine syncing says nothing',
      [
        [0, [status()]],
        [1, [status({ state: 'syncing', pending: { uploads: 4, downloads: 0, deletes: 0, bytes: 9 } })]],
      ],
      [],
    ],
    [
      'a short time offline says nothing',
      [
        [0, [status()]],
        [1, [status({ state: 'offline' })]],
        [10, [status({ state: 'offline' })]],
      ],
      [],
    ],
    [
      'offline for half an hour is announced once',
      [
        [0, [status()]],
        [1, [status({ state: 'offline' })]],
        [31, [status({ state: 'offline' })]],
        [90, [status({ state: 'offline' })]],
      ],
      ['folder-problem: Work has been offline for a while'],
    ],
    [
      'one new conflict copy',
      [
        [0, [status()]],
        [1, [status({ conflicts: [conflict('docs/plan.txt', 'docs/plan (conflicted copy 2025-01-01 100000).txt')] })]],
      ],
      ['conflict: plan.txt was changed in two places'],
    ],
    [
      'several new conflicts at once are one notification',
      [
        [0, [status()]],
        [1, [status({ conflicts: [conflict('a.txt', 'a (c).txt'), conflict('b.txt', 'b (c).txt')] })]],
      ],
      ['conflict: 2 files changed in two places'],
    ],
    [
      'a known conflict is not announced again',
      [
        [0, [status({ conflicts: [conflict('a.txt', 'a (c).txt')] })]],
        [1, [status({ conflicts: [conflict('a.txt', 'a (c).txt')] })]],
      ],
      ['conflict: a.txt was changed in two places'],
    ],
    [
      'deletions held for confirmation, once',
      [
        [0, [status()]],
        [1, [status({ state: 'needs-confirmation', heldDeletions: held(12) })]],
        [2, [status({ state: 'needs-confirmation', heldDeletions: held(12) })]],
      ],
      ['held-deletions: 12 files deleted in Work'],
    ],
    [
      'more deletions held later are news; fewer are not',
      [
        [0, [status({ state: 'needs-confirmation', heldDeletions: held(12) })]],
        [1, [status({ state: 'needs-confirmation', heldDeletions: held(15) })]],
        [2, [status({ state: 'needs-confirmation', heldDeletions: held(10) })]],
      ],
      ['held-deletions: 12 files deleted in Work', 'held-deletions: 15 files deleted in Work'],
    ],
    [
      'deletions in the workspace say so',
      [[0, [status({ state: 'needs-confirmation', heldDeletions: held(30, 'local') })]]],
      ['held-deletions: 30 files deleted in the workspace'],
    ],
    [
      'signed out, once',
      [
        [0, [status()]],
        [1, [status({ state: 'signed-out' })]],
        [2, [status({ state: 'signed-out' })]],
      ],
      ['signed-out: Signed out of Work'],
    ],
    [
      'signed out again after signing in is news again',
      [
        [0, [status({ state: 'signed-out' })]],
        [1, [status({ state: 'idle' })]],
        [2, [status({ state: 'signed-out' })]],
      ],
      ['signed-out: Signed out of Work', 'signed-out: Signed out of Work'],
    ],
    [
      'a file failing for the first time says nothing',
      [
        [0, [status()]],
        [1, [status({ errors: [failing('a.txt', 1)] })]],
      ],
      [],
    ],
    [
      'a file that keeps failing, once',
      [
        [0, [status({ errors: [failing('big.bin', 2)] })]],
        [1, [status({ state: 'error', errors: [failing('big.bin', 3)] })]],
        [2, [status({ state: 'error', errors: [failing('big.bin', 4)] })]],
      ],
      ["failing-files: big.bin couldn't sync"],
    ],
    [
      '200 files failing alike are one notification',
      [
        [0, [status()]],
        [1, [status({ state: 'error', errors: many(200, (p) => denied(p)) })]],
      ],
      ["failing-files: 200 files couldn't sync"],
    ],
    [
      'files that fail later are announced together, apart from those already said',
      [
        [0, [status({ state: 'error', errors: many(3, (p) => denied(p)) })]],
        [1, [status({ state: 'error', errors: [...many(3, (p) => denied(p)), denied('late-1.txt'), denied('late-2.txt')] })]],
      ],
      ["failing-files: 3 files couldn't sync", "failing-files: 2 files couldn't sync"],
    ],
    [
      'files failing a cycle behind the first are counted with it, not announced apart',
      [
        [0, [status({ state: 'error', errors: [denied('a', 2), denied('b', 1), denied('c', 1)] })]],
        [1, [status({ state: 'error', errors: [denied('a', 3), denied('b', 2), denied('c', 2)] })]],
        [2, [status({ state: 'error', errors: [denied('a', 4), denied('b', 3), denied('c', 3)] })]],
      ],
      ["failing-files: 3 files couldn't sync"],
    ],
    [
      'a disk full is one folder problem, not a notification per file',
      [
        [0, [status()]],
        [1, [status({ state: 'error', errors: many(50, (p) => failing(p, 3, 'download failed: local file ENOSPC (write)', 'local-io')) })]],
      ],
      ['folder-problem: Work: the disk is full'],
    ],
    [
      'a server error that heals within minutes says nothing',
      [
        [0, [status()]],
        [1, [status({ state: 'error', message: 'list (GET /v1/files) failed: HTTP 503' })]],
        [3, [status({ state: 'idle' })]],
      ],
      [],
    ],
    [
      'a server error that lasts is announced once',
      [
        [0, [status()]],
        [1, [status({ state: 'error', message: 'list (GET /v1/files) failed: HTTP 503' })]],
        [7, [status({ state: 'error', message: 'list (GET /v1/files) failed: HTTP 502' })]],
        [9, [status({ state: 'error', message: 'list (GET /v1/files) failed: HTTP 503' })]],
      ],
      ['folder-problem: Work: the server is having problems'],
    ],
    [
      'the watch limit is announced at once',
      [
        [
          0,
          [
            status({
              state: 'idle',
              message:
                'The system limit on watched files was reached (ENOSPC): live change detection is off and the folder is scanned every 5 minutes instead. To fix: sudo sysctl fs.inotify.max_user_watches=524288',
            }),
          ],
        ],
      ],
      ['folder-problem: Work: changes are checked every few minutes'],
    ],
    [
      'the first sync is announced when it ends',
      [
        [0, [status({ state: 'syncing', lastSyncAt: null })]],
        [5, [status({ state: 'syncing', lastSyncAt: null })]],
        [9, [status({ state: 'idle', lastSyncAt: '2025-01-01T10:09:00Z' })]],
        [20, [status({ state: 'idle', lastSyncAt: '2025-01-01T10:20:00Z' })]],
      ],
      ['first-sync-complete: Work is ready'],
    ],
    [
      'a folder that had synced before is no first sync',
      [
        [0, [status({ state: 'syncing' })]],
        [1, [status({ state: 'idle' })]],
      ],
      [],
    ],
    [
      'a folder first seen signed out is no first sync when it signs in',
      [
        [0, [status({ state: 'signed-out', lastSyncAt: null })]],
        [1, [status({ state: 'syncing', lastSyncAt: '2024-12-30T10:00:00Z' })]],
        [2, [status({ state: 'idle' })]],
      ],
      ['signed-out: Signed out of Work'],
    ],
    [
      'a folder missing from one status (start-up) keeps what was said about it',
      [
        [0, [status({ state: 'signed-out' }), status({ folderId: 'f2', dir: '/home/ana/Lab' })]],
        [1, [status({ folderId: 'f2', dir: '/home/ana/Lab' })]],
        [2, [status({ state: 'signed-out' }), status({ folderId: 'f2', dir: '/home/ana/Lab' })]],
      ],
      ['signed-out: Signed out of Work'],
    ],
  ])('%s', (_name, steps, expected) => {
    expect(run(steps).said).toEqual(expected);
  });
});

describe('across launches', () => {
  it.each<[string, FolderStatus]>([
    ['signed out', status({ state: 'signed-out' })],
    ['held deletions', status({ state: 'needs-confirmation', heldDeletions: held(12) })],
    ['conflicts', status({ conflicts: [conflict('a.txt', 'a (c).txt')] })],
    ['failing files', status({ state: 'error', errors: many(4, (p) => denied(p)) })],
    ['a lasting offline', status({ state: 'offline' })],
  ])('%s already announced are not announced again at the next launch', (_name, still) => {
    const before = run([
      [0, [still]],
      [40, [still]],
    ]);
    expect(before.said.length).toBeGreaterThan(0);
    // The next launch reads the saved memory; the folder is in the same state.
    expect(
      run(
        [
          [60, [still]],
          [120, [still]],
        ],
        {},
        before.memory,
      ).said,
    ).toEqual([]);
  });
});

describe('preferences and actions', () => {
  it('a kind turned off says nothing, and turning it on later does not replay what happened meanwhile', () => {
    const steps: Step[] = [
      [0, [status()]],
      [1, [status({ conflicts: [conflict('a.txt', 'a (c).txt')] })]],
    ];
    const off = run(steps, { conflict: false });
    expect(off.said).toEqual([]);
    expect(run([[2, [status({ conflicts: [conflict('a.txt', 'a (c).txt')] })]]], {}, off.memory).said).toEqual([]);
  });

  it('other kinds stay on when one is turned off', () => {
    expect(run([[0, [status({ state: 'signed-out' })]]], { conflict: false, 'first-sync-complete': false }).said).toEqual([
      'signed-out: Signed out of Work',
    ]);
  });

  it('each notification says where a click goes and carries its actions, the most useful first', () => {
    const decision = decideNotifications(
      EMPTY_MEMORY,
      [status({ state: 'error', errors: many(200, (p) => denied(p)), conflicts: [conflict('a.txt', 'a (c).txt')], heldDeletions: held(12) })],
      {},
      new Date(T0),
    );
    expect(decision.notifications.map((n) => [n.kind, n.view, n.actions.map((a) => a.label)])).toEqual([
      ['held-deletions', 'overview', ['Review']],
      ['conflict', 'conflicts', ['Show']],
      ['failing-files', 'errors', ['Retry all', 'Show']],
    ]);
    expect(decision.notifications[2]?.actions[0]?.action).toEqual({ type: 'retry-all', folderId: 'f1' });
  });

  it('a grouped failure says the cause in plain words, without the raw error or a temporary path', () => {
    const [note] = decideNotifications(
      EMPTY_MEMORY,
      [status({ state: 'error', errors: many(200, (p) => denied(p)) })],
      {},
      new Date(T0),
    ).notifications;
    expect(note?.body).toBe(
      "wsync isn't allowed to write them on this computer. Check that the folder is not read-only or locked (and that you own it), then choose Retry.",
    );
    expect(note?.body).not.toMatch(/EPERM|\.wsync|tmp/);
  });
});
