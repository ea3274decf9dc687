/**
 * The folder controller's recovery commands (the trash, keep-both, the versions of a conflict),
 * kept here so that the controller only lends them its one-at-a-time lane: nothing here runs while
 * a cycle works on the folder.
 */
import type { ConflictVersions, Emptied, Restored, TrashListing } from '../../shared/recovery.js';
import type { Conflict } from '../../shared/status.js';
import { WsyncError } from '../errors.js';
import { conflictVersions, type RemoteStat } from './conflict-versions.js';
import { emptyTrash, listTrash, restoreFromTrash } from './trash-browser.js';

export interface RecoveryActions {
  /** What wsync moved to the folder's `.wsync/trash`, newest first. */
  listTrash(): Promise<TrashListing>;
  /** Puts items back in the folder; the next cycle uploads them again. */
  restoreFromTrash(ids: readonly string[]): Promise<Restored[]>;
  /** Deletes for good what was trashed before `olderThan` (an ISO time; everything when null). */
  emptyTrash(olderThan: string | null): Promise<Emptied>;
  /** Ends a conflict keeping both files as they are: the workspace's at the name, yours as the copy. */
  keepBoth(path: string): Promise<void>;
  /** Size and time of each version of a conflict. */
  conflictVersions(path: string): Promise<ConflictVersions>;
}

export interface RecoveryDeps {
  dir: string;
  /** Runs `task` when no cycle is working on the folder. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  conflictAt(path: string): Conflict | undefined;
  /** The conflict is over (the status forgets it, and remembers that across restarts). */
  conflictSettled(path: string): void;
  /** Something changed in the folder: a cycle should look. */
  changed(): void;
  statRemote?: RemoteStat;
}

export function createRecoveryActions(deps: RecoveryDeps): RecoveryActions {
  return {
    listTrash: () => deps.exclusive(() => listTrash(deps.dir)),
    async restoreFromTrash(ids) {
      const restored = await deps.exclusive(() => restoreFromTrash(deps.dir, ids));
      if (restored.length > 0) deps.changed();
      return restored;
    },
    emptyTrash: (olderThan) => deps.exclusive(() => emptyTrash(deps.dir, olderThan === null ? null : new Date(olderThan))),
    keepBoth: (path) =>
      deps.exclusive(async () => {
        if (deps.conflictAt(path)) deps.conflictSettled(path);
      }),
    async conflictVersions(path) {
      const conflict = deps.conflictAt(path);
      if (!conflict) throw new WsyncError('not-found', `${path} is no longer in conflict`, { path });
      return conflictVersions(deps.dir, conflict, deps.statRemote);
    },
  };
}
