/**
 * One synced folder never lies inside another. If it did, each would sync the other's files
 * as its own: the outer uploads `inner/a.txt`, the inner (mirroring the same workspace) downloads
 * it as `inner/inner/a.txt`, and so on without end. A folder that contains, or lies inside, a
 * folder wsync syncs is refused before anything is created in it.
 */
import { existsSync, realpathSync, type Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { WsyncError } from '../errors.js';
import { STATE_DIR } from '../model/state-folder.js';
import { folderLayout } from './folder-layout.js';
import type { IgnoreMatcher } from './ignore.js';

export const NESTED_FOLDER = 'NESTED_FOLDER';

/** A folder wsync has synced: it holds a state database. */
export function isSyncedFolder(dir: string): boolean {
  return existsSync(folderLayout(dir).stateDb);
}

/** The nearest synced folder strictly above `root` (symbolic links resolved), or null. */
export function enclosingSyncedFolder(root: string): string | null {
  let dir = realOrSelf(root);
  for (let parent = dirname(dir); parent !== dir; dir = parent, parent = dirname(dir)) {
    if (isSyncedFolder(parent)) return parent;
  }
  return null;
}

/**
 * Synced folders under `root` (relative, '/'-separated), at most `limit` of them. Ignored folders
 * are not entered (the outer folder never syncs them) and symbolic links are not followed (the scan
 * follows none). Costs a walk of the tree's folders: run where the scan has not run yet.
 */
export async function containedSyncedFolders(root: string, ignore: IgnoreMatcher, limit = 3): Promise<string[]> {
  const found: string[] = [];
  const dirs: string[] = [''];
  while (dirs.length > 0 && found.length < limit) {
    const rel = dirs.pop() as string;
    let children: Dirent[];
    try {
      children = await readdir(join(root, rel), { withFileTypes: true });
    } catch {
      continue; // unreadable here: the scan reports it, and syncs nothing under it
    }
    if (rel !== '' && holdsStateFolder(root, rel, children)) {
      found.push(rel);
      continue;
    }
    for (const child of children) {
      const path = rel === '' ? child.name : `${rel}/${child.name}`;
      if (child.isDirectory() && !ignore.ignores(`${path}/`)) dirs.push(path);
    }
  }
  return found.sort();
}

/** Whether the folder `rel` (its entries `children`) is a synced folder of its own. */
export function holdsStateFolder(root: string, rel: string, children: Dirent[]): boolean {
  // Compared without case: on a case-insensitive file system `.WSYNC` is the same folder.
  return (
    children.some((c) => c.name.length === STATE_DIR.length && c.name.toLowerCase() === STATE_DIR && c.isDirectory()) &&
    isSyncedFolder(join(root, rel))
  );
}

export function nestedFolderError(root: string, nested: { inside: string } | { contains: string[] }): WsyncError {
  const loop = "each would sync the other's files as its own, copying them into each other without end";
  if ('inside' in nested) {
    return new WsyncError(
      'fatal',
      `${root} lies inside ${nested.inside}, which wsync already syncs: ${loop}. Sync a folder outside ${nested.inside}, or stop syncing ${nested.inside} first`,
      { code: NESTED_FOLDER },
    );
  }
  const inner = nested.contains.map((rel) => join(root, ...rel.split('/')));
  const named = inner.length === 1 ? `${inner[0]}, a folder wsync already syncs` : `folders wsync already syncs (${inner.join(', ')})`;
  return new WsyncError(
    'fatal',
    `${root} contains ${named}: ${loop}. Sync a folder that does not contain it, stop syncing it first (remove its ${STATE_DIR} folder), or list it in .wsyncignore`,
    { code: NESTED_FOLDER },
  );
}

/**
 * Throws the refusal when `root` lies inside a synced folder, or contains one. A folder that has
 * synced already is walked by every scan, which refuses a synced folder it meets (scan.ts); only a
 * folder not synced yet is walked here, before its first cycle creates anything in it.
 */
export async function refuseNestedFolder(root: string, ignore: IgnoreMatcher): Promise<void> {
  const outer = enclosingSyncedFolder(root);
  if (outer !== null) throw nestedFolderError(root, { inside: outer });
  if (isSyncedFolder(root) || !existsSync(root)) return;
  const inner = await containedSyncedFolders(root, ignore);
  if (inner.length > 0) throw nestedFolderError(root, { contains: inner });
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // Not created yet: its nearest existing parent decides.
    const parent = dirname(path);
    return parent === path ? path : join(realOrSelf(parent), basename(path));
  }
}
