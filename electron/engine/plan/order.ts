/**
 * The order contract between the planner and the executor. The executor may run actions of one
 * phase concurrently, but starts a phase only once every action of the phase before it has ended
 * (succeeded or failed):
 *
 * 0. Deletions that make way (`makesWay`): a file deleted on one side where this plan puts a
 *    folder of the same name on that side, or a file under a folder that becomes a file (a file
 *    replaced by a folder, or the reverse, is a delete plus creates), or an old spelling of a name
 *    the plan writes in another spelling the file system cannot tell apart. No later action needs
 *    their content: the creations bring other bytes. A local folder emptied by them is removed
 *    with them, before anything is written in its place.
 * 1. Moves: 'rename-local' (row 13) and 'move-remote' (row 14). Their paths are disjoint from each
 *    other's and from every later action. Within a 'move-remote' the executor uploads `to` first
 *    and deletes `oldRemote` only after that upload succeeded, so a crash in between leaves both.
 * 2. Transfers and bookkeeping: 'upload', 'download', 'conflict', 'record', 'forget', one path
 *    each, no two on the same path. A 'conflict' runs its own steps in order: rename the local file
 *    to `copyPath`, upload the copy, then download the remote to `path`.
 * 3. Deletions of files: 'delete-remote' and 'delete-local', after everything that might still
 *    need their content. A local folder left empty by these is removed after them, which is also
 *    after every move out of it (phase 1).
 *
 * Within a phase actions are sorted by path (the source path for moves), so that one input always
 * gives the same plan.
 */
import { sortInSlices, type Sliced, type Slicer } from '../model/slices.js';
import { nameKey } from './names.js';
import type { PlannedAction } from './types.js';

const PHASE: Record<PlannedAction['kind'], number> = {
  'rename-local': 1,
  'move-remote': 1,
  upload: 2,
  download: 2,
  conflict: 2,
  record: 2,
  forget: 2,
  'delete-remote': 3,
  'delete-local': 3,
};

export function actionPhase(action: PlannedAction): number {
  return 'makesWay' in action && action.makesWay === true ? 0 : PHASE[action.kind];
}

/** The local and the remote names (files, and the folders above them) the actions create. */
function* createdNames(
  actions: PlannedAction[],
  key: (path: string) => string,
  slicer: Slicer,
): Sliced<Record<'local' | 'remote', { files: Set<string>; folders: Set<string> }>> {
  const created = {
    local: { files: new Set<string>(), folders: new Set<string>() },
    remote: { files: new Set<string>(), folders: new Set<string>() },
  };
  const add = (side: 'local' | 'remote', path: string): void => {
    created[side].files.add(key(path));
    for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) created[side].folders.add(key(path.slice(0, slash)));
  };
  for (const a of actions) {
    if (slicer.tick()) yield;
    if (a.kind === 'upload') add('remote', a.path);
    else if (a.kind === 'download') add('local', a.path);
    else if (a.kind === 'move-remote') add('remote', a.to);
    else if (a.kind === 'rename-local') add('local', a.to);
    else if (a.kind === 'conflict') {
      add('local', a.copyPath);
      add('remote', a.copyPath);
    }
  }
  return created;
}

/**
 * Marks the deletions that must run before anything else (phase 0): those that free a name this
 * plan writes on the same side as another kind of thing (a folder where a file was, or the
 * reverse) or in a spelling the local file system confuses with the deleted one.
 */
export function* markWayMakers(actions: PlannedAction[], caseInsensitiveFs: boolean, slicer: Slicer): Sliced<PlannedAction[]> {
  if (!actions.some((a) => a.kind === 'delete-local' || a.kind === 'delete-remote')) return actions;
  const localKey = (path: string): string => nameKey(path, caseInsensitiveFs);
  // The server tells every spelling apart: only a file-and-folder use of one name is in the way there.
  const remoteKey = (path: string): string => path;
  const created = { local: (yield* createdNames(actions, localKey, slicer)).local, remote: (yield* createdNames(actions, remoteKey, slicer)).remote };
  const inTheWay = (path: string, names: { files: Set<string>; folders: Set<string> }, key: (path: string) => string): boolean => {
    if (names.folders.has(key(path)) || names.files.has(key(path))) return true;
    for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1))
      if (names.files.has(key(path.slice(0, slash)))) return true;
    return false;
  };
  const marked: PlannedAction[] = [];
  for (const a of actions) {
    if (a.kind === 'delete-local' && inTheWay(a.path, created.local, localKey)) marked.push({ ...a, makesWay: true });
    else if (a.kind === 'delete-remote' && inTheWay(a.path, created.remote, remoteKey)) marked.push({ ...a, makesWay: true });
    else marked.push(a);
    if (slicer.tick()) yield;
  }
  return marked;
}

export function actionPath(action: PlannedAction): string {
  return 'path' in action ? action.path : action.from;
}

function byPhaseThenPath(a: PlannedAction, b: PlannedAction): number {
  const phase = actionPhase(a) - actionPhase(b);
  if (phase !== 0) return phase;
  const pa = actionPath(a);
  const pb = actionPath(b);
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

export function orderActions(actions: PlannedAction[], slicer: Slicer): Sliced<PlannedAction[]> {
  return sortInSlices([...actions], byPhaseThenPath, slicer);
}
