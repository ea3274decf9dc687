/**
 * Moving a file the engine looked at while its user may be saving it at that very moment (soak
 * seed 600007). A rename cannot be made conditional, so the file is looked at right before it
 * moves and checked right after, at its new name: if what moved is not the file the engine planned
 * on (an editor renamed a new version over it, or wrote into it, in between), it goes back to
 * where the user wrote it and the caller defers. Only what really moved is ever recorded.
 */
import type { Stats } from 'node:fs';
import { link, lstat, rename, unlink } from 'node:fs/promises';
import { sameStat } from './scan.js';

/** What the engine knows a file by: the same size, mtime and inode mean the same bytes. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  ino: number;
}

/**
 * Renames `from` to `to` (whose folder exists) if `from` is still the `expected` file; the stat of
 * what was moved, or null when nothing moved for good (the file changed: it is back at `from`).
 */
export async function moveIfUnchanged(from: string, to: string, expected: FileIdentity): Promise<Stats | null> {
  const before = await lstatOrNull(from);
  if (before === null || !before.isFile() || !sameStat(before, expected)) return null;
  await rename(from, to);
  const moved = await lstat(to);
  if (sameStat(moved, expected)) return moved;
  // Left at `to` if the user has made yet another file at `from` since: kept there, not lost.
  await placeWithoutReplacing(to, from);
  return null;
}

/**
 * Renames `from` to `to` unless something is at `to`: a hard link cannot replace, so whatever a
 * user put there stays. Where the file system has no hard links, a look right before a rename.
 */
export async function placeWithoutReplacing(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK') throw err;
    if ((await lstatOrNull(to)) !== null) return false;
    await rename(from, to);
    return true;
  }
  await unlink(from);
  return true;
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}
