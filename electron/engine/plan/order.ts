/**
 * The order contract between the planner and the executor. The executor may run actions of one
 * phase concurrently, but starts a phase only once every action of the phase before it has ended
 * (succeeded or failed):
 *
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
  return PHASE[action.kind];
}

export function actionPath(action: PlannedAction): string {
  return 'path' in action ? action.path : action.from;
}

export function orderActions(actions: PlannedAction[]): PlannedAction[] {
  return [...actions].sort((a, b) => {
    const phase = actionPhase(a) - actionPhase(b);
    if (phase !== 0) return phase;
    const pa = actionPath(a);
    const pb = actionPath(b);
    return pa < pb ? -1 : pa > pb ? 1 : 0;
  });
}
