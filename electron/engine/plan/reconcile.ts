/**
 * The reconciler: local, remote and base trees in, a plan out. Pure: no clock, no disk, no network;
 * every action names the row of the decision table (shared/design/sync-semantics.md) behind it.
 */

import { byCodeUnits, runToEnd, Slicer, sortInSlices, type Sliced } from '../model/slices.js';
import type { BaseEntry, LocalEntry, RemoteFile } from '../model/trees.js';
import { conflictCopyPath } from './conflict-name.js';
import { holdMassDeletionsInSlices } from './delete-guard.js';
import { judgeClashes } from './clashes.js';
import { detectMoves, type Trees } from './moves.js';
import { nameKey, screenNames } from './names.js';
import { markWayMakers, orderActions } from './order.js';
import type { Plan, PlannedAction, ReconcileInput, RefusedName } from './types.js';
import { baseRemote, localEqualsBase, objectToken, remoteEqualsBase, sameBytes } from '../model/versions.js';

/** A side's version of one path relative to the base. */
type Change =
  | 'same' // equals the base
  | 'changed' // differs from the base
  | 'new' // present, no base
  | 'gone' // absent, base present
  | 'absent' // absent, no base
  | 'unknown'; // remote only: absent from an incomplete listing while the base says it existed

export function reconcile(input: ReconcileInput): Plan {
  return runToEnd(reconcileInSlices(input));
}

/**
 * `reconcile` in slices (model/slices.ts): the same plan, with a yield after every slice of work,
 * so that the engine can let its event loop in while it plans a large tree.
 */
export function* reconcileInSlices(input: ReconcileInput, slicer: Slicer = new Slicer()): Sliced<Plan> {
  const { options } = input;
  const all: Trees = {
    local: yield* byPath(input.local, slicer),
    remote: yield* uniquePaths(input.remote.files, slicer),
    base: yield* byPath(input.base, slicer),
    complete: input.remote.complete,
  };
  const screened = yield* screenNames(
    input.local.map((l) => l.path),
    input.remote.files.map((r) => r.path),
    options,
    slicer,
  );
  function* allowed<T>(entries: Map<string, T>): Sliced<Map<string, T>> {
    if (screened.blocked.size === 0) return entries;
    const kept = new Map<string, T>();
    for (const [path, entry] of entries) {
      if (!screened.blocked.has(path)) kept.set(path, entry);
      if (slicer.tick()) yield;
    }
    return kept;
  }
  // A path listed twice is refused, so with nothing blocked the de-duplicated remote map is whole.
  const trees: Trees = {
    local: yield* allowed(all.local),
    remote: yield* allowed(all.remote),
    base: yield* allowed(all.base),
    complete: input.remote.complete,
  };

  const moves = yield* detectMoves(trees, slicer);
  const actions: PlannedAction[] = [...moves.actions];
  const conflicts: number[] = [];
  for (const path of yield* unionOfPaths(trees, slicer)) {
    if (!moves.paths.has(path)) {
      const action = decide(path, trees, UNNAMED, input.proofs);
      if (action?.kind === 'conflict') conflicts.push(actions.length);
      if (action !== null) actions.push(action);
    }
    if (slicer.tick()) yield;
  }
  if (conflicts.length > 0) {
    const copyName = yield* conflictNamer(input, slicer);
    for (const at of conflicts) {
      const conflict = actions[at];
      if (conflict?.kind === 'conflict') actions[at] = { ...conflict, copyPath: copyName(conflict.path) };
    }
  }

  const guarded = yield* holdMassDeletionsInSlices(actions, input.base.length, options.deleteGuard, options.confirmDeletes, slicer);
  // Judged on the trees as this plan leaves them (held deletions do not happen).
  const judged = yield* judgeClashes(trees, guarded.actions, options.caseInsensitiveFs, slicer);
  const refused = [...screened.refused, ...judged.refused].sort(byRefusal);
  const marked = yield* markWayMakers(judged.actions, options.caseInsensitiveFs, slicer);
  return { actions: yield* orderActions(marked, slicer), refused, held: guarded.held };
}

/** Conflict copies are named once every path is decided: naming walks every name on both sides. */
const UNNAMED = (): string => '';

function byRefusal(a: RefusedName, b: RefusedName): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.side < b.side ? -1 : a.side > b.side ? 1 : 0;
}

function* byPath<T extends { path: string }>(entries: T[], slicer: Slicer): Sliced<Map<string, T>> {
  const map = new Map<string, T>();
  for (const entry of entries) {
    map.set(entry.path, entry);
    if (slicer.tick()) yield;
  }
  return map;
}

/** Every path of the three trees once, sorted. */
function* unionOfPaths(trees: Trees, slicer: Slicer): Sliced<string[]> {
  const paths = [...trees.base.keys()];
  for (const path of trees.local.keys()) {
    if (!trees.base.has(path)) paths.push(path);
    if (slicer.tick()) yield;
  }
  for (const path of trees.remote.keys()) {
    if (!trees.base.has(path) && !trees.local.has(path)) paths.push(path);
    if (slicer.tick()) yield;
  }
  return yield* sortInSlices(paths, byCodeUnits, slicer);
}

/** Remote files by path, leaving out any path listed twice (screening refuses those). */
function* uniquePaths(files: RemoteFile[], slicer: Slicer): Sliced<Map<string, RemoteFile>> {
  const unique = new Map<string, RemoteFile>();
  const repeated = new Set<string>();
  for (const file of files) {
    if (unique.has(file.path)) repeated.add(file.path);
    else unique.set(file.path, file);
    if (slicer.tick()) yield;
  }
  for (const path of repeated) unique.delete(path);
  return unique;
}

function localChange(local: LocalEntry | undefined, base: BaseEntry | undefined): Change {
  if (local === undefined) return base === undefined ? 'absent' : 'gone';
  if (base === undefined) return 'new';
  return localEqualsBase(local, base) ? 'same' : 'changed';
}

function remoteChange(remote: RemoteFile | undefined, base: BaseEntry | undefined, complete: boolean): Change {
  if (remote === undefined) {
    if (base === undefined) return 'absent';
    return complete ? 'gone' : 'unknown';
  }
  if (base === undefined) return 'new';
  return remoteEqualsBase(remote, base) ? 'same' : 'changed';
}

/** Row 1 still writes the base when a touch changed the local metadata or the remote key moved. */
function baseIsStale(local: LocalEntry, remote: RemoteFile, base: BaseEntry): boolean {
  return local.size !== base.localSize || local.mtimeMs !== base.localMtimeMs || local.ino !== base.localIno || remote.key !== base.remoteKey;
}

function decide(path: string, trees: Trees, copyName: (path: string) => string, proofs: ReconcileInput['proofs']): PlannedAction | null {
  const local = trees.local.get(path);
  const remote = trees.remote.get(path);
  const base = trees.base.get(path);
  const l = localChange(local, base);
  const r = remoteChange(remote, base, trees.complete);

  // Each branch re-checks presence only to narrow the types: the Change values already imply it.
  if (l === 'same' && r === 'same' && local && remote && base) {
    return baseIsStale(local, remote, base) ? { kind: 'record', decision: 1, path, local, remote } : null;
  }
  if (l === 'changed' && r === 'same' && local && remote) {
    return { kind: 'upload', decision: 2, path, local, expectRemote: remote };
  }
  if (l === 'same' && r === 'changed' && local && remote) {
    return { kind: 'download', decision: 3, path, remote, expectLocal: local };
  }
  if (l === 'gone' && r === 'same' && remote) {
    return { kind: 'delete-remote', decision: 4, path, remote };
  }
  if (l === 'same' && r === 'gone' && local) {
    return { kind: 'delete-local', decision: 5, path, local };
  }
  if (l === 'gone' && r === 'gone') {
    return { kind: 'forget', decision: 6, path };
  }
  if ((l === 'changed' || l === 'new') && (r === 'changed' || r === 'new') && local && remote) {
    const same = sameBytes(local, remote, base);
    const proof = same === 'unproven' ? proofs?.get(path) : undefined;
    const verdict = proof?.hash === local.hash && proof.remote === objectToken(remote) ? proof.verdict : same;
    if (verdict === 'same') return { kind: 'record', decision: 7, path, local, remote };
    if (verdict === 'failed') return null;
    const conflict: PlannedAction = { kind: 'conflict', decision: 8, path, copyPath: copyName(path), local, remote };
    return verdict === 'unproven' ? { ...conflict, bytesUnproven: true } : conflict;
  }
  if (l === 'changed' && r === 'gone' && local) {
    return { kind: 'upload', decision: 9, path, local, expectRemote: null };
  }
  if (l === 'gone' && r === 'changed' && remote) {
    return { kind: 'download', decision: 10, path, remote, expectLocal: null };
  }
  if (l === 'new' && r === 'absent' && local) {
    return { kind: 'upload', decision: 11, path, local, expectRemote: null };
  }
  if (l === 'absent' && r === 'new' && remote) {
    return { kind: 'download', decision: 12, path, remote, expectLocal: null };
  }
  // An incomplete listing left this synced path out. Only a local modification acts on it: it is
  // uploaded as row 2 against the base's version, which the executor's stat must still find there.
  if (l === 'changed' && r === 'unknown' && local && base) {
    return { kind: 'upload', decision: 2, path, local, expectRemote: baseRemote(base) };
  }
  return null;
}

/**
 * Conflict copies never take a name that exists on either side (in any spelling the file system
 * would confuse with it, file or folder) or that an earlier conflict in this plan chose.
 */
function* conflictNamer(input: ReconcileInput, slicer: Slicer): Sliced<(path: string) => string> {
  const key = (p: string): string => nameKey(p, input.options.caseInsensitiveFs);
  // Built only for a plan with conflicts: most have none, and this walks every name on both sides.
  const taken = new Set<string>();
  for (const entries of [input.local, input.remote.files, input.base]) {
    for (const { path } of entries) {
      const segments = path.split('/');
      for (let depth = 1; depth <= segments.length; depth++) taken.add(key(segments.slice(0, depth).join('/')));
      if (slicer.tick(segments.length)) yield;
    }
  }
  return (path) => {
    const chosen = conflictCopyPath(path, input.now, (candidate) => taken.has(key(candidate)));
    taken.add(key(chosen));
    return chosen;
  };
}
