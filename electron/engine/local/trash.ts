/**
 * Local deletions caused by remote deletions are moved to `.wsync/trash/<timestamp>/<path>`
 * (same file system, so a rename), never unlinked: the user can always get them back.
 */
import { mkdir, rename, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { moveIfUnchanged, type FileIdentity } from './checked-move.js';
import { folderLayout } from './folder-layout.js';

/** One trash folder per cycle, named by the time it began (sortable, file-system safe). */
export function trashBatchName(at: Date): string {
  return at.toISOString().replace(/:/g, '-').replace('.', '-');
}

/** Moves `ROOT/path` into the trash batch; returns where it went. */
export async function moveToTrash(root: string, path: string, batch: string): Promise<string> {
  const target = join(folderLayout(root).trash, batch, path);
  await mkdir(dirname(target), { recursive: true });
  await rename(join(root, path), target);
  return target;
}

/**
 * Moves `ROOT/path` into the trash batch only if it is still the `expected` file (a save racing the
 * move is put back where the user made it); where it went, or null when it changed.
 */
export async function moveToTrashIfUnchanged(root: string, path: string, batch: string, expected: FileIdentity): Promise<string | null> {
  const target = join(folderLayout(root).trash, batch, path);
  await mkdir(dirname(target), { recursive: true });
  return (await moveIfUnchanged(join(root, path), target, expected)) === null ? null : target;
}

/**
 * Removes the folders above `path` that are now empty, deepest first, stopping at the first that
 * is not (or at the root). Only called after this engine removed a file there because the remote
 * removed it, so a folder the user emptied or created empty is never touched.
 */
export async function removeEmptyParents(root: string, path: string): Promise<string[]> {
  const removed: string[] = [];
  let dir = dirname(path);
  while (dir !== '.' && dir !== '' && dir !== '/') {
    try {
      await rmdir(join(root, dir));
    } catch {
      break; // not empty, gone, or not ours to remove
    }
    removed.push(dir);
    dir = dirname(dir);
  }
  return removed;
}
