/**
 * The local tree: every regular file under the folder that is not ignored, with size, mtime,
 * inode and MD5. A file is hashed only when its size, mtime or inode differ from its base row.
 * Symbolic links are never followed; they are listed so the caller can report them.
 */
import { lstatSync, type Dirent, type Stats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';

import type { BaseEntry, LocalEntry } from '../model/trees.js';
import type { IgnoreMatcher } from './ignore.js';
import { md5File } from './hash.js';
import { holdsStateFolder, nestedFolderError } from './nested-folders.js';

export interface ScanProblem {
  /** A file path, or a directory path ending in '/': nothing under it is known this cycle. */
  path: string;
  message: string;
}

export interface ScanResult {
  entries: LocalEntry[];
  symlinks: string[];
  /** Paths that could not be read, sorted: the caller must not treat them as deleted. */
  unreadable: ScanProblem[];
  /** How many files were hashed (the rest reused their base hash, or were left for later). */
  hashed: number;
  /** Entries left unhashed (hash ''): new files of `deferHashFrom` bytes or more. */
  deferred: LocalEntry[];
}

export interface ScanOptions {
  ignore: IgnoreMatcher;
  base: (path: string) => BaseEntry | undefined;
  signal?: AbortSignal;
  /**
   * A file with no base row and at least this many bytes is left unhashed (hash ''): its upload
   * hashes it as it sends it (one pass over its bytes, not two), and the caller hashes the few a
   * decision needs (`hashEntries`). Default: every file is hashed.
   */
  deferHashFrom?: number;
}

/** From this size a new file is hashed by its upload rather than by the scan (where the caller allows it). */
export const DEFER_HASH_MIN_BYTES = 4 * 1024 * 1024;

/** True when the file on disk still has the size, mtime and inode recorded. */
export function sameStat(a: { size: number; mtimeMs: number; ino: number }, b: { size: number; mtimeMs: number; ino: number }): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

/**
 * Files stat'ed between two turns of the event loop. The stats are synchronous: on a warm tree an
 * lstat takes microseconds, and the promise and thread-pool round trip of fs/promises costs several
 * times that in CPU (100,000 files: 0.6 s of CPU against 2 s at 64 in flight). Small chunks keep
 * the loop (the listing running beside the scan, a watcher, IPC) responsive even on a slow disk.
 * Reading and hashing stay asynchronous: they are the slow part on a cold disk.
 */
const STAT_CHUNK = 64;

export async function scanFolder(root: string, options: ScanOptions): Promise<ScanResult> {
  const result: ScanResult = { entries: [], symlinks: [], unreadable: [], hashed: 0, deferred: [] };
  const dirs: string[] = [''];
  while (dirs.length > 0) {
    const rel = dirs.pop() as string;
    let children: Dirent[];
    try {
      children = await readdir(join(root, rel), { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && rel !== '') continue; // removed while scanning: nothing there now
      result.unreadable.push({ path: rel === '' ? '' : `${rel}/`, message: (err as Error).message });
      continue;
    }
    // Another synced folder inside this one: syncing it would copy it into itself without end.
    if (rel !== '' && holdsStateFolder(root, rel, children)) throw nestedFolderError(root, { contains: [rel] });
    let statted = 0;
    const toHash: { abs: string; entry: LocalEntry }[] = [];
    for (const child of children) {
      options.signal?.throwIfAborted();
      const path = rel === '' ? child.name : `${rel}/${child.name}`;
      if (child.isDirectory()) {
        if (!options.ignore.ignores(`${path}/`)) dirs.push(path);
      } else if (child.isSymbolicLink()) {
        if (!options.ignore.ignores(path)) result.symlinks.push(path);
      } else if (child.isFile() && !options.ignore.ignores(path)) {
        if (++statted % STAT_CHUNK === 0) await setImmediate();
        const changed = statFile(root, path, options, result);
        if (changed !== null) toHash.push(changed);
      }
    }
    await hashFiles(toHash, options, result);
  }
  result.entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  result.symlinks.sort();
  result.unreadable.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}

/**
 * Records the file from its stat when the base's hash still holds (size, mtime and inode
 * unchanged); otherwise returns what remains to hash. Synchronous: most files take this path.
 */
function statFile(root: string, path: string, options: ScanOptions, result: ScanResult): { abs: string; entry: LocalEntry } | null {
  const abs = join(root, path);
  let st: Stats;
  try {
    st = lstatSync(abs);
  } catch (err) {
    noteFailure(path, err, options, result);
    return null;
  }
  if (!st.isFile()) return null;
  const base = options.base(path);
  const entry: LocalEntry = { path, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, hash: '' };
  if (base !== undefined && sameStat(entry, { size: base.localSize, mtimeMs: base.localMtimeMs, ino: base.localIno })) {
    entry.hash = base.hash;
    result.entries.push(entry);
    return null;
  }
  if (base === undefined && options.deferHashFrom !== undefined && st.size >= options.deferHashFrom) {
    result.entries.push(entry);
    result.deferred.push(entry);
    return null;
  }
  return { abs, entry };
}

/** Files hashed at once: small files are mostly waiting on the disk or the thread pool. */
const HASH_CONCURRENCY = 8;

/**
 * Hashes entries the scan left unhashed (`deferred`), in place. One that cannot be read any more
 * leaves `result.entries` and, unless it is gone, is reported unreadable, as the scan would have.
 */
export async function hashEntries(root: string, entries: LocalEntry[], result: ScanResult, signal?: AbortSignal): Promise<void> {
  if (entries.length === 0) return;
  // hashFile adds each file it hashed to `entries`: here, the ones that succeeded.
  const hashed: ScanResult = { entries: [], symlinks: [], unreadable: result.unreadable, hashed: 0, deferred: [] };
  const options: ScanOptions = { ignore: { ignores: () => false }, base: () => undefined, ...(signal === undefined ? {} : { signal }) };
  await hashFiles(
    entries.map((entry) => ({ abs: join(root, entry.path), entry })),
    options,
    hashed,
  );
  result.hashed += hashed.hashed;
  if (hashed.entries.length < entries.length) {
    const ok = new Set(hashed.entries);
    const failed = new Set(entries.filter((e) => !ok.has(e)));
    result.entries = result.entries.filter((e) => !failed.has(e));
    result.unreadable.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

async function hashFiles(files: { abs: string; entry: LocalEntry }[], options: ScanOptions, result: ScanResult): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let file = files[next++]; file !== undefined; file = files[next++]) await hashFile(file, options, result);
  };
  await Promise.all(Array.from({ length: Math.min(HASH_CONCURRENCY, files.length) }, worker));
}

async function hashFile(file: { abs: string; entry: LocalEntry }, options: ScanOptions, result: ScanResult): Promise<void> {
  try {
    file.entry.hash = await md5File(file.abs, options.signal);
  } catch (err) {
    noteFailure(file.entry.path, err, options, result);
    return;
  }
  result.hashed++;
  // If the file changes while it is hashed, the recorded stat no longer matches the disk, and
  // the executor's re-check before any transfer catches it.
  result.entries.push(file.entry);
}

function noteFailure(path: string, err: unknown, options: ScanOptions, result: ScanResult): void {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return; // deleted while scanning: absent is the truth now
  if (options.signal?.aborted) throw err;
  result.unreadable.push({ path, message: (err as Error).message });
}
