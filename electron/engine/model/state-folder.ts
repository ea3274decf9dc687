/**
 * The folder's own corner on disk, `ROOT/.wsync/`: never synced in either direction, and no remote
 * name may lie inside it. What it holds is local/folder-layout.ts's business; only the name is a
 * rule of the model (the planner refuses it, the scan and the watcher skip it).
 */
export const STATE_DIR = '.wsync';

/** `rel` (relative, '/'-separated) is the state folder or lies inside it. */
export function inStateFolder(rel: string): boolean {
  return rel === STATE_DIR || rel.startsWith(`${STATE_DIR}/`);
}
