/**
 * The two versions of a conflict as the user compares them: size and when each was last changed.
 * Both are files in the folder (decision row 8 keeps the workspace's at the name and this
 * computer's as the conflict copy); the workspace version's time is the server's when it says,
 * because the file on disk only shows when it was downloaded.
 */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConflictVersions, FileVersion } from '../../shared/recovery.js';
import type { Conflict } from '../../shared/status.js';

export type RemoteStat = (path: string) => Promise<{ size: number; lastModified?: string | undefined } | null>;

async function localVersion(root: string, path: string): Promise<FileVersion> {
  try {
    const st = await lstat(join(root, ...path.split('/')));
    return { path, size: st.size, modifiedAt: st.mtime.toISOString() };
  } catch {
    return { path, size: null, modifiedAt: null };
  }
}

function isoOrNull(text: string | undefined): string | null {
  if (text === undefined) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export async function conflictVersions(root: string, conflict: Conflict, statRemote?: RemoteStat): Promise<ConflictVersions> {
  const [workspace, yours] = await Promise.all([localVersion(root, conflict.path), localVersion(root, conflict.conflictCopy)]);
  if (statRemote) {
    try {
      const remote = await statRemote(conflict.path);
      const at = isoOrNull(remote?.lastModified);
      if (remote && at !== null) return { workspace: { ...workspace, size: workspace.size ?? remote.size, modifiedAt: at }, yours };
    } catch {
      // Offline or refused: the local file's time is the best we know.
    }
  }
  return { workspace, yours };
}
