/**
 * What lives in a sync folder's `.wsync/`, in one place:
 *
 * | path                   | what                                                           | lifetime                         |
 * |------------------------|----------------------------------------------------------------|----------------------------------|
 * | `state.db`             | the state database (base, journal, meta, activity, notices)    | the folder's                     |
 * | `lock.db`              | the folder lock: a SQLite database held exclusively (lock.ts)  | held by the engine syncing       |
 * | `lock-owner.json`      | who holds the lock (pid, host, since), for refusals and status | rewritten by each holder         |
 * | `tmp/`                 | scratch: downloads being staged, the case probe                | emptied when a session opens     |
 * | `partial/`             | downloads kept across runs to resume them                      | the download code's to prune     |
 * | `trash/<batch>/<path>` | local files removed because of a remote deletion or a choice   | the user's                       |
 * | `logs/`                | the engine's rotating log                                      | rotated by size                  |
 * | `last-run.json`        | the outcome of the last run, for `wsync status`                | rewritten by each run            |
 *
 * `tmp/` holds nothing that outlives a run: whatever a killed process left there is incomplete and
 * referenced by nothing. Anything meant to survive a run (a resumable download) goes elsewhere.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { STATE_DIR } from '../model/state-folder.js';

export interface FolderLayout {
  root: string;
  /** `ROOT/.wsync` */
  stateDir: string;
  stateDb: string;
  lock: string;
  lockOwner: string;
  tmp: string;
  partial: string;
  trash: string;
  logs: string;
  lastRun: string;
}

export function folderLayout(root: string): FolderLayout {
  const stateDir = join(root, STATE_DIR);
  return {
    root,
    stateDir,
    stateDb: join(stateDir, 'state.db'),
    lock: join(stateDir, 'lock.db'),
    lockOwner: join(stateDir, 'lock-owner.json'),
    tmp: join(stateDir, 'tmp'),
    partial: join(stateDir, 'partial'),
    trash: join(stateDir, 'trash'),
    logs: join(stateDir, 'logs'),
    lastRun: join(stateDir, 'last-run.json'),
  };
}

/** Empties `tmp/` (missing is fine); returns how many entries it removed. */
export async function clearScratch(layout: FolderLayout): Promise<number> {
  let names: string[];
  try {
    names = await readdir(layout.tmp);
  } catch {
    return 0;
  }
  await Promise.all(names.map((n) => rm(join(layout.tmp, n), { recursive: true, force: true })));
  return names.length;
}
