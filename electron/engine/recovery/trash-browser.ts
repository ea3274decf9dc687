/**
 * The wsync trash of a folder (`.wsync/trash/<batch>/<path>`, see local/trash.ts) as the user sees
 * it: what is there and why, putting files back where they were, and emptying what is older than
 * the retention. A batch is named by the time it was made; resolving a conflict adds `-conflict`.
 *
 * Restoring only moves a file back into the folder: the next cycle finds it new there (no base
 * row, absent in the workspace: row 11) and uploads it, so the state database is never touched here.
 */
import { lstat, mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Emptied, Restored, TrashEntry, TrashListing, TrashOrigin } from '../../shared/recovery.js';
import { WsyncError } from '../errors.js';
import { splitExtension } from '../plan/conflict-name.js';
import { fileSizes } from '../local/file-sizes.js';
import { folderLayout } from '../local/folder-layout.js';
import { trashBatchName } from '../local/trash.js';

const trashRoot = (root: string): string => folderLayout(root).trash;

const BATCH = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z(-conflict)?$/;

/** The batch a conflict resolution moves the version not kept into. */
export function conflictTrashBatch(at: Date): string {
  return `${trashBatchName(at)}-conflict`;
}

export function parseBatch(name: string): { at: Date; origin: TrashOrigin } | null {
  const m = BATCH.exec(name);
  if (!m) return null;
  const at = new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
  if (Number.isNaN(at.getTime())) return null;
  return { at, origin: m[6] ? 'conflict-resolution' : 'deleted-in-workspace' };
}

interface Found {
  batch: string;
  path: string;
  size: number;
  at: Date;
  origin: TrashOrigin;
}

async function batches(root: string): Promise<{ name: string; at: Date; origin: TrashOrigin }[]> {
  let names: string[];
  try {
    names = await readdir(trashRoot(root));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names.flatMap((name) => {
    const parsed = parseBatch(name);
    return parsed ? [{ name, ...parsed }] : [];
  });
}

async function everything(root: string): Promise<Found[]> {
  const found: Found[] = [];
  for (const batch of await batches(root)) {
    for (const file of await fileSizes(join(trashRoot(root), batch.name))) {
      found.push({ batch: batch.name, path: file.path, size: file.size, at: batch.at, origin: batch.origin });
    }
  }
  return found.sort((a, b) => b.at.getTime() - a.at.getTime() || (a.path < b.path ? -1 : 1));
}

/** The trash, newest first, cut to `limit` entries (the totals count everything). */
export async function listTrash(root: string, limit = 2000): Promise<TrashListing> {
  const found = await everything(root);
  const entries: TrashEntry[] = found.slice(0, limit).map((f) => ({
    id: `${f.batch}/${f.path}`,
    path: f.path,
    trashedAt: f.at.toISOString(),
    size: f.size,
    origin: f.origin,
  }));
  return {
    entries,
    totalFiles: found.length,
    totalBytes: found.reduce((n, f) => n + f.size, 0),
    truncated: found.length > limit,
    location: trashRoot(root),
  };
}

/** The file of an entry id, refusing ids that are not a batch and a relative path inside it. */
export function entryFile(root: string, id: string): { batch: string; path: string; file: string } {
  const slash = id.indexOf('/');
  const batch = id.slice(0, slash);
  const path = id.slice(slash + 1);
  const segments = path.split('/');
  if (slash <= 0 || !parseBatch(batch) || segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\'))) {
    throw new WsyncError('fatal', `not an item of the wsync trash: ${id}`, { code: 'BAD_TRASH_ID' });
  }
  const file = join(trashRoot(root), batch, ...segments);
  const rel = relative(trashRoot(root), file);
  if (rel.startsWith(`..${sep}`) || rel === '..') throw new WsyncError('fatal', `not an item of the wsync trash: ${id}`, { code: 'BAD_TRASH_ID' });
  return { batch, path, file };
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** `report.pdf` → `report (restored).pdf`, then `report (restored 2).pdf`… */
export function restoredName(path: string, n: number): string {
  const slash = path.lastIndexOf('/');
  const { stem, ext } = splitExtension(path.slice(slash + 1));
  return `${path.slice(0, slash + 1)}${stem} (restored${n === 1 ? '' : ` ${n}`})${ext}`;
}

/** Removes the folders of a batch that are now empty, from `path`'s folder up to the batch itself. */
async function pruneEmpty(batchDir: string, path: string): Promise<void> {
  let dir = dirname(path);
  for (;;) {
    try {
      await rmdir(dir === '.' ? batchDir : join(batchDir, dir));
    } catch {
      return;
    }
    if (dir === '.') return;
    dir = dirname(dir);
  }
}

/**
 * Puts each entry back at its path in the folder; when something is there now, beside it as
 * "NAME (restored).EXT", so that nothing in the folder is overwritten.
 */
export async function restoreFromTrash(root: string, ids: readonly string[]): Promise<Restored[]> {
  const restored: Restored[] = [];
  for (const id of ids) {
    const { batch, path, file } = entryFile(root, id);
    if (!(await exists(file))) continue; // restored or emptied meanwhile
    let target = path;
    for (let n = 1; await exists(join(root, ...target.split('/'))); n++) target = restoredName(path, n);
    const destination = join(root, ...target.split('/'));
    await mkdir(dirname(destination), { recursive: true });
    await rename(file, destination);
    await pruneEmpty(join(trashRoot(root), batch), path);
    restored.push({ id, path: target, renamed: target !== path });
  }
  return restored;
}

/** Deletes for good the batches older than `olderThan` (every batch when null). */
export async function emptyTrash(root: string, olderThan: Date | null): Promise<Emptied> {
  let files = 0;
  let bytes = 0;
  for (const batch of await batches(root)) {
    if (olderThan !== null && batch.at.getTime() >= olderThan.getTime()) continue;
    const dir = join(trashRoot(root), batch.name);
    for (const f of await fileSizes(dir)) {
      files += 1;
      bytes += f.size;
    }
    await rm(dir, { recursive: true, force: true });
  }
  return { files, bytes };
}
