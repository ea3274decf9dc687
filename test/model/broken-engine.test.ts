/**
 * The checker can fail: each invariant is shown to fire against a deliberately broken engine.
 * Plans are altered by wrapping the real reconciler (the module is mocked to call through a
 * transform), clients by wrapping the real Files API client the cycle is given.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RemoteFile } from '../../electron/engine/model/trees.js';
import type { FilesApi } from '../../electron/engine/api/types.js';
import type { Plan, PlannedAction, ReconcileInput } from '../../electron/engine/plan/types.js';
import { StateDb } from '../../electron/engine/state/state-db.js';
import { portablePathReason } from '../../electron/engine/plan/names.js';
import {
  EqualWrite,
  SecondEngine,
  Sync,
  SyncElsewhere,
  SyncWithChange,
  SyncWithCrash,
  SyncWithFault,
  Write,
  WriteRefusedName,
  type InitialFile,
} from './commands.js';
import { runScenario, openModelServer } from './run.js';
import { everListingChanges } from './broken-apis.js';
import type { RigServer } from '../support/sync-rig.js';

let transform: (plan: Plan, input: ReconcileInput) => Plan = (plan) => plan;

vi.mock('../../electron/engine/plan/reconcile.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../electron/engine/plan/reconcile.js')>();
  // The cycle plans in slices (reconcileInSlices); the transform applies to the plan they end with.
  function* reconcileInSlices(...args: Parameters<typeof real.reconcileInSlices>): ReturnType<typeof real.reconcileInSlices> {
    return transform(yield* real.reconcileInSlices(...args), args[0]);
  }
  return { ...real, reconcile: (input: ReconcileInput) => transform(real.reconcile(input), input), reconcileInSlices };
});

/** The folder lock as the engine takes it: real, none at all, or the old pid-file guess. */
let lockMode: 'real' | 'none' | 'pid-guess' = 'real';

vi.mock('../../electron/engine/local/lock.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../electron/engine/local/lock.js')>();
  const { existsSync, readFileSync } = await import('node:fs');
  const path = await import('node:path');
  const acquireFolderLock: typeof real.acquireFolderLock = (root) => {
    if (lockMode === 'none') return { owner: { pid: process.pid, host: 'model', since: '' }, release: () => undefined };
    const ownerFile = path.join(root, '.wsync', 'lock-owner.json');
    if (lockMode === 'pid-guess' && existsSync(ownerFile)) {
      const owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as { pid: number; host: string; since: string };
      let alive = true;
      try {
        process.kill(owner.pid, 0);
      } catch {
        alive = false;
      }
      if (alive) throw new real.FolderLockedError(root, owner);
    }
    return real.acquireFolderLock(root);
  };
  return { ...real, acquireFolderLock };
});

const mapActions =
  (f: (a: PlannedAction) => PlannedAction | null) =>
  (plan: Plan): Plan => ({
    ...plan,
    actions: plan.actions.flatMap((a) => f(a) ?? []),
  });

let lab: RigServer;
beforeAll(async () => {
  lab = await openModelServer();
});
afterAll(async () => {
  await lab.close();
  transform = (plan) => plan;
});

const one = (path: string, placement: InitialFile['placement']): InitialFile => ({ path, placement, len: 12 });
const tagsOf = (violations: string[]) => violations.map((v) => /^\[(\d+)/.exec(v)?.[1]);

describe('the model checker catches a broken engine', () => {
  it('the correct engine passes every scenario used below', async () => {
    transform = (plan) => plan;
    const out = await runScenario(lab, [one('a.txt', 'differ'), one('b.md', 'remote'), one('c', 'both')], [new Sync(), new EqualWrite('b.md', 8)]);
    expect(out.violations).toEqual([]);
  });

  it('invariant 1 fires when downloads are dropped from the plan (no convergence)', async () => {
    transform = mapActions((a) => (a.kind === 'download' ? null : a));
    const out = await runScenario(lab, [one('a.txt', 'remote'), one('c', 'both'), one('d/f.txt', 'local')], [new Sync()]);
    transform = (plan) => plan;
    expect(tagsOf(out.violations)).toContain('1');
  });

  it('invariant 2 fires when a conflict overwrites the local version instead of keeping a copy', async () => {
    transform = mapActions((a) =>
      a.kind === 'conflict' ? { kind: 'download', decision: 3, path: a.path, remote: a.remote, expectLocal: a.local } : a,
    );
    const out = await runScenario(lab, [one('a.txt', 'differ'), one('c', 'both'), one('b.md', 'both')], [new Sync()]);
    transform = (plan) => plan;
    expect(out.violations.some((v) => v.startsWith('[2 lost write] local'))).toBe(true);
  });

  it('invariant 2 fires when the stat before an upload is skipped (a stale answer is trusted)', async () => {
    const stale = new Map<string, RemoteFile>();
    const wrap = (api: FilesApi): FilesApi => ({
      ...api,
      async list(prefix, o) {
        const l = await api.list(prefix, o);
        for (const f of l.files) stale.set(f.path, f);
        return l;
      },
      async stat(path, o) {
        await api.stat(path, o);
        return stale.get(path) ?? null;
      },
    });
    const out = await runScenario(
      lab,
      [one('a.txt', 'both'), one('c', 'both'), one('b.md', 'both')],
      [new Sync(), new Write('local', 'a.txt', 12), new SyncWithChange(2, new Write('remote', 'a.txt', 24))],
      { wrapApi: wrap },
    );
    expect(out.violations.some((v) => v.startsWith('[2 lost write] remote'))).toBe(true);
  });

  it('invariant 3 fires when an incomplete listing is taken as complete (deletes follow)', async () => {
    const wrap = (api: FilesApi): FilesApi => ({ ...api, list: async (p, o) => ({ ...(await api.list(p, o)), complete: true }) });
    const out = await runScenario(
      lab,
      [one('a.txt', 'both'), one('b.md', 'both'), one('c', 'both'), one('x/j', 'both')],
      [new Sync(), new SyncWithFault('incompleteListing', 1)],
      { wrapApi: wrap },
    );
    expect(tagsOf(out.violations)).toContain('3');
  });

  it('invariant 4 fires when equal bytes are handled as a conflict', async () => {
    transform = (plan) => {
      let n = 0;
      return mapActions((a) =>
        a.kind === 'record' && a.decision === 7
          ? {
              kind: 'conflict',
              decision: 8,
              path: a.path,
              copyPath: a.path.replace(/(\.[^./]*)?$/, ` (conflicted copy 2026-01-01 00000${n++})$1`),
              local: a.local,
              remote: a.remote,
            }
          : a,
      )(plan);
    };
    const out = await runScenario(lab, [one('a.txt', 'both'), one('c', 'both'), one('b.md', 'both')], [new Sync()]);
    transform = (plan) => plan;
    expect(out.violations.some((v) => v.startsWith('[4 false conflict]'))).toBe(true);
  });

  it('invariant 5 fires when a download leaves a temporary file behind', async () => {
    const wrap = (api: FilesApi): FilesApi => ({
      ...api,
      async download(file, destination, o) {
        const got = await api.download(file, destination, o);
        // The client is given the final path (it stages in .wsync/tmp): the leftover goes beside it.
        writeFileSync(`${destination}.download`, 'partial');
        return got;
      },
    });
    const out = await runScenario(lab, [one('a.txt', 'remote'), one('c', 'both'), one('b.md', 'local')], [new Sync()], { wrapApi: wrap });
    expect(out.violations.some((v) => v.startsWith('[5 temp files]'))).toBe(true);
  });

  it('invariant 5 (quiet is quiet) fires when every listing looks changed, so files move every cycle', async () => {
    const out = await runScenario(lab, [one('a.txt', 'both'), one('c', 'both'), one('b.md', 'both')], [new Sync()], {
      wrapApi: everListingChanges('a.txt'),
    });
    expect(out.violations.some((v) => v.startsWith('[5 not quiet]') || v.startsWith('[5 quiet is not quiet]'))).toBe(true);
  });

  it('invariant 6 fires when conflict-copy names depend on something other than the seed', async () => {
    transform = mapActions((a) =>
      a.kind === 'conflict' ? { ...a, copyPath: `${a.path}.${randomUUID().slice(0, 8)} (conflicted copy 2026-01-01 000000)` } : a,
    );
    const scenario = () => runScenario(lab, [one('a.txt', 'differ'), one('c', 'both'), one('b.md', 'both')], [new Sync()]);
    const first = await scenario();
    const second = await scenario();
    transform = (plan) => plan;
    expect(second.finalState).not.toEqual(first.finalState);
  });
  it('the correct engine passes the scenarios of invariants 8-10 below', async () => {
    const out = await runScenario(
      lab,
      [one('a.txt', 'both'), one('c', 'both'), one('d/f.txt', 'both')],
      [new Sync(), new WriteRefusedName(0, 8), new Sync(), new SyncElsewhere(), new SecondEngine(), new SyncWithCrash(2), new Sync()],
    );
    expect(out.violations).toEqual([]);
    expect(out.log.some((l) => l.startsWith('sync elsewhere: skipped'))).toBe(false);
  });

  it('invariant 8 fires when a re-bind keeps the base recorded under the old binding', async () => {
    const rebind = vi.spyOn(StateDb.prototype, 'rebind').mockImplementation(() => undefined);
    const out = await runScenario(lab, [one('a.txt', 'both'), one('c', 'both'), one('d/f.txt', 'both')], [new Sync(), new SyncElsewhere()]);
    rebind.mockRestore();
    expect(tagsOf(out.violations)).toContain('8');
  });

  it('invariant 9 fires when names the contract refuses are uploaded anyway', async () => {
    transform = (plan, input) => ({
      ...plan,
      refused: plan.refused.filter((r) => r.side !== 'local'),
      actions: [
        ...plan.actions,
        ...input.local
          .filter((l) => portablePathReason(l.path) !== null && !input.remote.files.some((r) => r.path === l.path))
          .map((l): PlannedAction => ({ kind: 'upload', decision: 11, path: l.path, local: l, expectRemote: null })),
      ],
    });
    const out = await runScenario(
      lab,
      [one('a.txt', 'both'), one('c', 'both')],
      [new Sync(), new WriteRefusedName(0, 8), new WriteRefusedName(1, 8), new Sync()],
    );
    transform = (plan) => plan;
    expect(tagsOf(out.violations)).toContain('9');
  });

  it('invariant 10 fires when the folder lock lets a second engine in', async () => {
    lockMode = 'none';
    const out = await runScenario(lab, [one('a.txt', 'both'), one('c', 'local'), one('d/f.txt', 'remote')], [new SecondEngine()]);
    lockMode = 'real';
    expect(out.violations.some((v) => v.startsWith('[10 two engines]'))).toBe(true);
  });

  it('invariant 10 fires when the lock is a pid guess that a crashed engine leaves behind', async () => {
    lockMode = 'pid-guess';
    const out = await runScenario(lab, [one('a.txt', 'both'), one('c', 'local'), one('d/f.txt', 'remote')], [new SyncWithCrash(2)]);
    lockMode = 'real';
    expect(out.violations.some((v) => v.startsWith('[10 blocked by a dead engine]'))).toBe(true);
  });
});
