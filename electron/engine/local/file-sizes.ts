/**
 * The regular files under a folder with their sizes, and nothing more: no hashing, no base, no
 * symbolic links followed. For the quick looks that only count and weigh (onboarding's first-sync
 * preview, the trash browser); a sync cycle's tree is scan.ts's.
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { IgnoreMatcher } from './ignore.js';

export interface FileSize {
  /** Relative to the folder walked, '/'-separated. */
  path: string;
  size: number;
}

const nothingIgnored: IgnoreMatcher = { ignores: () => false };

/**
 * Every regular file under `dir` that `ignore` lets in (a folder it ignores is not entered), in no
 * particular order. A folder or file that cannot be read, or is gone by the time it is looked at,
 * is passed over: these looks report what is there, they decide nothing.
 */
export async function fileSizes(dir: string, ignore: IgnoreMatcher = nothingIgnored): Promise<FileSize[]> {
  const out: FileSize[] = [];
  const pending: string[] = [''];
  while (pending.length > 0) {
    const rel = pending.pop() as string;
    let children: Dirent[];
    try {
      children = await readdir(join(dir, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const child of children) {
      const path = rel === '' ? child.name : `${rel}/${child.name}`;
      if (child.isDirectory()) {
        if (!ignore.ignores(`${path}/`)) pending.push(path);
      } else if (child.isFile() && !ignore.ignores(path)) {
        const st = await lstat(join(dir, path)).catch(() => null);
        if (st) out.push({ path, size: st.size });
      }
    }
  }
  return out;
}
