/**
 * Whether a remote listing still matches the base (what both sides held at the last sync), so a
 * quiet poll can stop after one listing instead of scanning the whole folder. A listed file is no
 * news when it is the same object as the base's (model/versions.ts: same version under the same key;
 * a moved key is news because a full cycle records it).
 */
import { createHash } from 'node:crypto';
import type { BaseEntry, RemoteFile } from '../../model/trees.js';

import { baseRemote, objectToken, sameObject } from '../../model/versions.js';

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
    } else if (!sameObject(file, baseRemote(row))) {
      differences.push({ path: row.path, kind: 'changed' });
    }
  }
  for (const path of listed.keys()) if (!inBase.has(path)) differences.push({ path, kind: 'added' });
  return { differences, decidable: !duplicated };
}

/**
 * A fingerprint of a sequence of remote versions, taken as they come (a listing is hashed page by
 * page, never held whole): equal fingerprints mean the same paths with the same key, etag and size
 * in the same order. Listings and base rows both come ordered by path; where a server orders
 * differently the fingerprints only differ, and the caller compares row by row instead. Fields
 * are joined with NUL, which no path holds.
 */
export class VersionDigest {
  private readonly hash = createHash('sha256');
  private count = 0;

  add(path: string, version: Pick<RemoteFile, 'key' | 'size' | 'etag'>): void {
    this.hash.update(`${path}\0${objectToken(version)}\n`);
    this.count += 1;
  }

  digest(): string {
    return `${this.count}:${this.hash.digest('hex')}`;
  }
}

/** The files listed under the prefix, by folder-relative path, added to a digest. */
export function addListed(digest: VersionDigest, files: readonly RemoteFile[], prefix: string): void {
  for (const f of files) if (f.path.startsWith(prefix)) digest.add(f.path.slice(prefix.length), f);
}

export function listingDigest(files: readonly RemoteFile[], prefix = ''): string {
  const digest = new VersionDigest();
  addListed(digest, files, prefix);
  return digest.digest();
}

/** The remote versions the base last synced, as a listing of them would be fingerprinted. */
export function baseDigest(base: readonly BaseEntry[]): string {
  const digest = new VersionDigest();
  for (const b of base) digest.add(b.path, baseRemote(b));
  return digest.digest();
}
