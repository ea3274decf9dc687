/**
 * What onboarding shows before the first sync starts: the workspace's folders to choose from, and
 * what the first sync of a (workspace folder, local folder) pair will do: how much it downloads and
 * uploads, whether the local folder already holds files (they are merged, never replaced: a
 * first sync is the union of both sides, with a conflict copy where both hold different bytes),
 * and whether the disk has room.
 */
import { lstat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { RemoteFolder, SyncPreview } from '../../shared/recovery.js';
import type { Listing, RemoteFile } from '../model/trees.js';
import { createIgnoreMatcher, loadIgnoreMatcher, type IgnoreMatcher } from '../local/ignore.js';
import { fileSizes, type FileSize } from '../local/file-sizes.js';
import { folderLayout } from '../local/folder-layout.js';

/** Every folder of a listing with the files and bytes under it, the whole workspace ('') first. */
export function folderTree(files: readonly Pick<RemoteFile, 'path' | 'size'>[], limit = 5000): RemoteFolder[] {
  const folders = new Map<string, RemoteFolder>([['', { path: '', files: 0, bytes: 0 }]]);
  for (const file of files) {
    const segments = file.path.split('/');
    let prefix = '';
    const add = (path: string): void => {
      const folder = folders.get(path) ?? { path, files: 0, bytes: 0 };
      folder.files += 1;
      folder.bytes += file.size;
      folders.set(path, folder);
    };
    add('');
    for (const segment of segments.slice(0, -1)) {
      if (segment === '') break;
      prefix += `${segment}/`;
      add(prefix);
    }
  }
  return [...folders.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).slice(0, limit);
}

/** The local folder's files (ignore rules applied), without hashing: a preview must be quick. */
async function localFiles(dir: string, ignore: IgnoreMatcher): Promise<FileSize[] | null> {
  try {
    if (!(await lstat(dir)).isDirectory()) return null;
  } catch {
    return null;
  }
  return fileSizes(dir, ignore);
}

async function freeSpace(dir: string): Promise<number | null> {
  // The folder may not exist yet: ask the nearest existing parent.
  for (let at = dir; ;) {
    try {
      const fs = await statfs(at);
      return fs.bavail * fs.bsize;
    } catch {
      const parent = join(at, '..');
      if (parent === at) return null;
      at = parent;
    }
  }
}

/** The preview of the first sync of `listing` (under `prefix`) with the local folder `dir`. */
export async function previewFirstSync(listing: Listing, prefix: string, dir: string): Promise<SyncPreview> {
  const ignore = await loadIgnoreMatcher(dir).catch(() => createIgnoreMatcher());
  const remote = listing.files
    .filter((f) => f.path.startsWith(prefix))
    .map((f) => ({ path: f.path.slice(prefix.length), size: f.size }))
    .filter((f) => f.path !== '' && !ignore.ignores(f.path));
  const local = await localFiles(dir, ignore);
  const localByPath = new Map((local ?? []).map((f) => [f.path, f]));
  const remotePaths = new Set(remote.map((f) => f.path));
  const sum = (files: readonly FileSize[]) => ({ files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) });
  const download = remote.filter((f) => !localByPath.has(f.path));
  const upload = (local ?? []).filter((f) => !remotePaths.has(f.path));
  const syncedBefore = await lstat(folderLayout(dir).stateDb).then(
    (s) => s.isFile(),
    () => false,
  );
  return {
    remote: sum(remote),
    local: { ...sum(local ?? []), exists: local !== null },
    download: sum(download),
    upload: sum(upload),
    both: remote.length - download.length,
    freeBytes: await freeSpace(dir),
    incomplete: !listing.complete,
    syncedBefore,
  };
}
