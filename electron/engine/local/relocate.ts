/**
 * Moves a synced folder (with its `.wsync` state, so that nothing syncs again) to a new place.
 * A rename when both are on one disk; otherwise a copy that keeps modification times, checked
 * file by file before the original is removed, so that an interrupted move loses nothing.
 * The controller of the folder must be stopped first.
 */
import type { Dirent } from 'node:fs';
import { cp, lstat, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { WsyncError } from '../errors.js';

const inside = (child: string, parent: string): boolean => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

async function isEmptyOrMissing(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length === 0;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

async function sizes(root: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const pending = [''];
  while (pending.length > 0) {
    const rel = pending.pop() as string;
    const children: Dirent[] = await readdir(join(root, rel), { withFileTypes: true });
    for (const child of children) {
      const path = rel === '' ? child.name : `${rel}/${child.name}`;
      if (child.isDirectory()) pending.push(path);
      else if (child.isFile()) out.set(path, (await lstat(join(root, path))).size);
    }
  }
  return out;
}

export async function relocateFolder(fromDir: string, toDir: string): Promise<void> {
  const from = resolve(fromDir);
  const to = resolve(toDir);
  if (inside(to, from) || inside(from, to)) {
    throw new WsyncError('local-io', 'Choose a place outside the folder itself', { code: 'MOVE_INTO_ITSELF' });
  }
  if (!(await isEmptyOrMissing(to))) {
    throw new WsyncError('local-io', `${to} already exists and is not empty: choose another place`, { code: 'EEXIST' });
  }
  await rmdir(to).catch(() => undefined); // an empty folder in the way: rename needs the name free
  try {
    await rename(from, to);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') {
      throw new WsyncError('local-io', `The folder could not be moved: ${(err as Error).message}`, {
        cause: err,
        code: (err as NodeJS.ErrnoException).code,
      });
    }
  }
  // Another disk: copy, check every file arrived whole, then remove the original.
  await cp(from, to, { recursive: true, preserveTimestamps: true, errorOnExist: true, force: false, verbatimSymlinks: true });
  const [before, after] = await Promise.all([sizes(from), sizes(to)]);
  for (const [path, size] of before) {
    if (after.get(path) !== size) {
      await rm(to, { recursive: true, force: true });
      throw new WsyncError('local-io', `The copy of ${path} is incomplete; the folder was left where it was`, { code: 'EIO' });
    }
  }
  await rm(from, { recursive: true, force: true });
}
