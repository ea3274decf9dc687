/**
 * Whether a remote listing still matches the base (what both sides held at the last sync), so a
 * quiet poll can stop after one listing instead of scanning the whole folder. Versions count as
 * the same exactly as the planner counts them (remoteEqualsBase), and a moved remote key counts as
 * a difference because a full cycle would record it.
 */
import { createHash } from 'node:crypto';
import { normalizeEtag } from '../api/etag.js';
import type { RemoteFile } from '../api/types.js';
import { remoteEqualsBase } from '../plan/versions.js';
import type { BaseEntry } from '../plan/types.js';

export interface RemoteDifference {
  path: string;
  kind: 'added' | 'changed' | 'removed';
}

export interface RemoteComparison {
  differences: RemoteDifference[];
  /** False when a full cycle must judge anyway: the listing names a path twice. */
  decidable: boolean;
}

/**
 * `remote` holds the listed files already mapped to folder-relative paths and filtered the way a
 * cycle filters them (ignored names out). A file missing from the listing is news only when the
 * listing is complete (no cycle infers a deletion from a partial one either), and when its deletion
 * is not already waiting for the user (`held`).
 */
export function compareRemote(
  remote: { files: readonly RemoteFile[]; complete: boolean },
  base: readonly BaseEntry[],
  held: ReadonlySet<string> = new Set(),
): RemoteComparison {
  const listed = new Map<string, RemoteFile>();
  let duplicated = false;
  for (const file of remote.files) {
    if (listed.has(file.path)) duplicated = true;
    listed.set(file.path, file);
  }
  const differences: RemoteDifference[] = [];
  const inBase = new Set<string>();
  for (const row of base) {
    inBase.add(row.path);
    const file = listed.get(row.path);
    if (file === undefined) {
      if (remote.complete && !held.has(row.path)) differences.push({ path: row.path, kind: 'removed' });
    } else if (file.key !== row.remoteKey || !remoteEqualsBase(file, row)) {
      differences.push({ path: row.path, kind: 'changed' });
    }
  }
  for (const path of listed.keys()) if (!inBase.has(path)) differences.push({ path, kind: 'added' });
  return { differences, decidable: !duplicated };
}

/** One remote version as the digest sees it; `remoteSize` etc. are renamed by the callers. */
export interface VersionOf {
  path: string;
  key: string;
  etag: string | undefined;
  size: number;
}

/**
 * A fingerprint of a set of remote versions, whatever their order: equal fingerprints of the
 * listing and of the base mean every path has the same key, etag and size on both sides, so the
 * poll can stop without reading the base rows. Fields are joined with NUL, which no path holds.
 */
export function versionDigest(versions: Iterable<VersionOf>): string {
  const lines: string[] = [];
  for (const v of versions) lines.push(`${v.path}\0${v.key}\0${normalizeEtag(v.etag) ?? '\u0001'}\0${v.size}`);
  // Listings and base rows both come (nearly) sorted by path, which makes this sort cheap.
  lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${lines.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
}

export function* remoteVersions(files: readonly RemoteFile[]): Iterable<VersionOf> {
  for (const f of files) yield { path: f.path, key: f.key, etag: f.etag, size: f.size };
}

export function* baseVersions(base: readonly BaseEntry[]): Iterable<VersionOf> {
  for (const b of base) yield { path: b.path, key: b.remoteKey, etag: b.etag, size: b.remoteSize };
}
