import { describe, expect, it } from 'vitest';
import { DEFAULT_DELETE_GUARD, holdMassDeletions } from '../../../electron/engine/plan/delete-guard.js';
import type { PlannedAction } from '../../../electron/engine/plan/types.js';
import { runPlanTable, type PlanCase } from './plan-table.js';

const names = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(2, '0')}.txt`);
const tree = (paths: string[]): Record<string, string> => Object.fromEntries(paths.map((p) => [p, `content of ${p}`]));

/**
 * `synced` files were synced; the remote side then deleted the first `remoteDeleted` of them and
 * the local side the next `localDeleted`.
 */
function scenario(synced: number, remoteDeleted: number, localDeleted: number) {
  const all = names('f', synced);
  const goneRemotely = all.slice(0, remoteDeleted);
  const goneLocally = all.slice(remoteDeleted, remoteDeleted + localDeleted);
  return {
    base: tree(all),
    local: tree(all.filter((p) => !goneLocally.includes(p))),
    remote: tree(all.filter((p) => !goneRemotely.includes(p))),
    deleteLocal: goneRemotely.map((p) => `5 delete-local ${p} content of ${p}`),
    deleteRemote: goneLocally.map((p) => `4 delete-remote ${p} content of ${p}`),
    goneRemotely,
    goneLocally,
  };
}

function guardCase(
  name: string,
  synced: number,
  remoteDeleted: number,
  localDeleted: number,
  outcome: 'held' | 'through',
  confirmDeletes = false,
): PlanCase {
  const s = scenario(synced, remoteDeleted, localDeleted);
  const held: PlanCase['held'] = [];
  if (outcome === 'held') {
    if (remoteDeleted > 0) held.push({ side: 'local', paths: s.goneRemotely, syncedCount: synced });
    if (localDeleted > 0) held.push({ side: 'remote', paths: s.goneLocally, syncedCount: synced });
  }
  return {
    name,
    base: s.base,
    local: s.local,
    remote: s.remote,
    options: { confirmDeletes },
    actions: outcome === 'held' ? [] : [...s.deleteRemote, ...s.deleteLocal].sort(byPath),
    held,
  };
}

const byPath = (a: string, b: string): number => {
  const pa = a.split(' ')[2] ?? '';
  const pb = b.split(' ')[2] ?? '';
  return pa < pb ? -1 : pa > pb ? 1 : 0;
};

const cases: PlanCase[] = [
  guardCase('delete guard: exactly 50% of 20 synced files deleted remotely → not held (more than half is needed)', 20, 10, 0, 'through'),
  guardCase('delete guard: 10 of 19 synced files deleted remotely (over 50%, 10 files) → local deletions held', 19, 10, 0, 'held'),
  guardCase('delete guard: all 10 synced files deleted remotely (exactly the 10-file minimum) → held', 10, 10, 0, 'held'),
  guardCase('delete guard: 9 of 12 deleted remotely (75% but under 10 files) → not held', 12, 9, 0, 'through'),
  guardCase('delete guard: 11 of 20 deleted locally → remote deletions held', 20, 0, 11, 'held'),
  guardCase('delete guard: exactly 50% of 20 deleted locally → not held', 20, 0, 10, 'through'),
  guardCase('delete guard: sides are counted separately (15 + 15 of 40 is 37.5% each) → not held', 40, 15, 15, 'through'),
  (() => {
    const s = scenario(30, 16, 10);
    return {
      name: "delete guard: one side over the threshold is held while the other side's deletions go ahead",
      base: s.base,
      local: s.local,
      remote: s.remote,
      actions: s.deleteRemote,
      held: [{ side: 'local', paths: s.goneRemotely, syncedCount: 30 }],
    } satisfies PlanCase;
  })(),
  guardCase('delete guard: confirmDeletes lets a held mass deletion through', 19, 10, 0, 'through', true),
  (() => {
    const s = scenario(12, 12, 0);
    return {
      name: 'delete guard: a remote wiped clean holds the local deletions but new files still sync',
      base: s.base,
      local: { ...s.local, 'new-local.txt': 'n' },
      remote: { 'new-remote.txt': 'r' },
      actions: ['11 upload new-local.txt n over nothing', '12 download new-remote.txt r over nothing'],
      held: [{ side: 'local', paths: s.goneRemotely, syncedCount: 12 }],
    } satisfies PlanCase;
  })(),
  (() => {
    const s = scenario(12, 0, 0);
    return {
      name: 'delete guard: an incomplete, nearly empty listing deletes nothing and holds nothing',
      base: s.base,
      local: s.local,
      remote: {},
      complete: false,
      actions: [],
    } satisfies PlanCase;
  })(),
  {
    name: 'delete guard: forgetting paths deleted on both sides is not a deletion',
    base: tree(names('g', 12)),
    actions: names('g', 12).map((p) => `6 forget ${p}`),
  },
];

describe('delete guard, through reconcile', () => runPlanTable(cases));

describe('holdMassDeletions on its own', () => {
  const local = { path: 'x', size: 1, mtimeMs: 1, ino: 1, hash: '0'.repeat(32) };
  const remote = { key: 'k', path: 'x', size: 1 };
  const actions: PlannedAction[] = [
    ...names('d', 10).map((path): PlannedAction => ({ kind: 'delete-local', decision: 5, path, local: { ...local, path } })),
    { kind: 'upload', decision: 11, path: 'u.txt', local: { ...local, path: 'u.txt' }, expectRemote: null },
    { kind: 'delete-remote', decision: 4, path: 'r.txt', remote: { ...remote, path: 'r.txt' } },
  ];

  it('holds only the side over the threshold and keeps every other action', () => {
    const result = holdMassDeletions(actions, 10, DEFAULT_DELETE_GUARD, false);
    expect(result.held).toEqual([{ side: 'local', paths: names('d', 10), syncedCount: 10 }]);
    expect(result.actions.map((a) => a.kind)).toEqual(['upload', 'delete-remote']);
  });

  it('a custom threshold applies: 10 of 100 is over 5% and at least 3 files, 1 deletion is under 3', () => {
    const result = holdMassDeletions(actions, 100, { minFiles: 3, fraction: 0.05 }, false);
    expect(result.held.map((h) => h.side)).toEqual(['local']);
  });
});
