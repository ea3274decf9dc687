/**
 * Moves found by pairing a path that vanished with one that appeared (rows 13 and 14), so that a
 * rename costs a rename (or one upload) instead of a download or a delete plus a new file.
 */

import { sortInSlices, type Sliced, type Slicer } from '../model/slices.js';
import type { BaseEntry, LocalEntry, RemoteFile } from '../model/trees.js';
import { baseRemote, localEqualsBase, remoteEqualsBase, versionKey } from '../model/versions.js';
import type { PlannedAction } from './types.js';

export interface Trees {
  local: Map<string, LocalEntry>;
  remote: Map<string, RemoteFile>;
  base: Map<string, BaseEntry>;
  /** False: the listing may omit files, so a path absent from it proves nothing. */
  complete: boolean;
}

export interface Moves {
  actions: PlannedAction[];
  /** Paths (sources and targets) the moves account for: no other row applies to them. */
  paths: Set<string>;
}

const byPath = <T>([a]: [string, T], [b]: [string, T]): number => (a < b ? -1 : a > b ? 1 : 0);

/** The entries of `map` that pass `keep`, in path order (filtered first: usually few pass). */
function* sortedWhere<T>(map: Map<string, T>, keep: (path: string, value: T) => boolean, slicer: Slicer): Sliced<[string, T][]> {
  const kept: [string, T][] = [];
  for (const [path, value] of map) {
    if (keep(path, value)) kept.push([path, value]);
    if (slicer.tick()) yield;
  }
  return yield* sortInSlices(kept, byPath, slicer);
}

/**
 * Pairs sources with targets one to one, deterministically: sources in path order each take the
 * first unused target (in path order) that has their key.
 */
function* pair<S, T>(
  sources: [string, S][],
  targets: [string, T][],
  keyOfSource: (s: S) => string | undefined,
  keyOfTarget: (t: T) => string | undefined,
  used: Set<string>,
  slicer: Slicer,
): Sliced<[string, S, string, T][]> {
  const byKey = new Map<string, [string, T][]>();
  for (const target of targets) {
    if (slicer.tick()) yield;
    const key = keyOfTarget(target[1]);
    if (key === undefined) continue;
    const group = byKey.get(key);
    if (group === undefined) byKey.set(key, [target]);
    else group.push(target);
  }
  // Each group is consumed front to back, so many files sharing one key (empty files) stay linear.
  const next = new Map<string, number>();
  const pairs: [string, S, string, T][] = [];
  for (const [from, source] of sources) {
    if (slicer.tick()) yield;
    if (used.has(from)) continue;
    const key = keyOfSource(source);
    const group = key === undefined ? undefined : byKey.get(key);
    if (key === undefined || group === undefined) continue;
    let index = next.get(key) ?? 0;
    let target = group[index];
    while (target !== undefined && used.has(target[0])) target = group[++index];
    next.set(key, index + 1);
    if (target === undefined) continue;
    used.add(from).add(target[0]);
    pairs.push([from, source, target[0], target[1]]);
  }
  return pairs;
}

/**
 * Row 13: the remote lost a path the local side still holds unchanged, and gained a path (no
 * base, nothing local there) with the base's etag and size. Needs a complete listing: absence
 * from an incomplete one is no evidence of a move.
 */
function* remoteRenames(trees: Trees, used: Set<string>, slicer: Slicer): Sliced<PlannedAction[]> {
  if (!trees.complete) return [];
  const sources: [string, { base: BaseEntry; local: LocalEntry }][] = [];
  for (const [path, base] of trees.base) {
    const local = trees.local.get(path);
    if (local !== undefined && !trees.remote.has(path) && localEqualsBase(local, base)) sources.push([path, { base, local }]);
    if (slicer.tick()) yield;
  }
  if (sources.length === 0) return [];
  yield* sortInSlices(sources, byPath, slicer);
  const targets = yield* sortedWhere(trees.remote, (path) => !trees.base.has(path) && !trees.local.has(path), slicer);
  const pairs = yield* pair(
    sources,
    targets,
    (s) => versionKey(baseRemote(s.base)),
    (r) => versionKey(r),
    used,
    slicer,
  );
  return pairs.map(([from, { local }, to, remote]): PlannedAction => ({ kind: 'rename-local', decision: 13, from, to, local, remote }));
}

/**
 * Row 14: a path vanished from disk while the remote still holds the synced version, and a new
 * local path (no base, nothing listed there) has the same inode, or failing that the same hash.
 * Pairing by inode first keeps a moved-and-edited file with its origin; a wrong pairing (a reused
 * inode, two copies of one content) costs nothing, because a move is exactly the upload of the new
 * path and the deletion of the old one that rows 11 and 4 would have planned anyway.
 */
function* localMoves(trees: Trees, used: Set<string>, slicer: Slicer): Sliced<PlannedAction[]> {
  const sources: [string, { base: BaseEntry; oldRemote: RemoteFile }][] = [];
  for (const [path, base] of trees.base) {
    if (slicer.tick()) yield;
    if (trees.local.has(path)) continue;
    const oldRemote = trees.remote.get(path);
    if (oldRemote !== undefined && remoteEqualsBase(oldRemote, base)) sources.push([path, { base, oldRemote }]);
  }
  if (sources.length === 0) return [];
  yield* sortInSlices(sources, byPath, slicer);
  const targets = yield* sortedWhere(trees.local, (path) => !trees.base.has(path) && !trees.remote.has(path), slicer);
  const inode = (ino: number): string | undefined => (ino === 0 ? undefined : String(ino));
  const byInode = yield* pair(
    sources,
    targets,
    (s) => inode(s.base.localIno),
    (l) => inode(l.ino),
    used,
    slicer,
  );
  const byHash = yield* pair(
    sources,
    targets,
    (s) => s.base.hash.toLowerCase(),
    (l) => l.hash.toLowerCase(),
    used,
    slicer,
  );
  return [...byInode, ...byHash].map(([from, { oldRemote }, to, local]): PlannedAction => ({
    kind: 'move-remote',
    decision: 14,
    from,
    to,
    local,
    oldRemote,
  }));
}

export function* detectMoves(trees: Trees, slicer: Slicer): Sliced<Moves> {
  const paths = new Set<string>();
  const actions = [...(yield* remoteRenames(trees, paths, slicer)), ...(yield* localMoves(trees, paths, slicer))];
  return { actions, paths };
}
