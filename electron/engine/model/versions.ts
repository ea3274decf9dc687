/**
 * When two versions of a file count as the same: the one definition, used by the planner, the
 * executor's fresh looks, journal recovery and the poll's remote check. Content is compared, never
 * timestamps: the local side by its MD5, the remote side by etag and size (the API has no other
 * version token).
 */
import { md5OfEtag, normalizeEtag } from './etag.js';
import type { BaseEntry, LocalEntry, RemoteFile } from './trees.js';

/** What tells one stored remote object from another. */
export type RemoteVersion = Pick<RemoteFile, 'key' | 'size' | 'etag' | 'lastModified'>;

/**
 * The content token of a remote version: size and etag, comparable across paths (a remote move
 * keeps both). Undefined without an etag: such versions can be told apart only at one path.
 */
export function versionKey(version: Pick<RemoteFile, 'size' | 'etag'>): string | undefined {
  const token = normalizeEtag(version.etag);
  return token === undefined ? undefined : `${version.size}\u0000${token}`;
}

/**
 * Two versions at the same path are the same version. With an etag, etag and size must both
 * match. Without one on either side, key and size are the only download-free evidence (and the
 * modification time where both carry one): a replaced file may keep its key, so this can miss a
 * same-size rewrite by a server that sends no etags, which is the price of not downloading every
 * file on every cycle.
 */
export function sameVersion(a: RemoteVersion, b: RemoteVersion): boolean {
  if (a.size !== b.size) return false;
  const keyA = versionKey(a);
  const keyB = versionKey(b);
  if (keyA !== undefined || keyB !== undefined) return keyA === keyB;
  return a.key === b.key && (a.lastModified === undefined || b.lastModified === undefined || a.lastModified === b.lastModified);
}

/**
 * The same version still stored under the same key (null = nothing there). The API has no
 * conditional writes, so this comparison, right before a key is overwritten or deleted, is what
 * stands between the engine and a clobbered file; a poll counts a moved key as news too, because
 * a full cycle records it.
 */
export function sameObject(a: RemoteVersion | null, b: RemoteVersion | null): boolean {
  if (a === null || b === null) return a === b;
  return a.key === b.key && sameVersion(a, b);
}

/** A string equal for two versions exactly when sameObject holds (without modification times): for fingerprints. */
export function objectToken(version: Pick<RemoteFile, 'key' | 'size' | 'etag'>): string {
  return `${version.key}\u0000${version.size}\u0000${normalizeEtag(version.etag) ?? '\u0001'}`;
}

/** The base's remote version as a RemoteFile, for the executor to check against when the listing omitted it. */
export function baseRemote(base: BaseEntry): RemoteFile {
  return { key: base.remoteKey, path: base.path, size: base.remoteSize, etag: base.etag };
}

export function localEqualsBase(local: LocalEntry, base: BaseEntry): boolean {
  return local.hash === base.hash || local.hash.toLowerCase() === base.hash.toLowerCase();
}

/** The remote still holds the synced version. */
export function remoteEqualsBase(remote: RemoteFile, base: BaseEntry): boolean {
  return sameVersion(remote, baseRemote(base));
}

/** The remote's etag is the MD5 of exactly these bytes (hex `hash`, and `size` when known). */
export function etagProvesBytes(remote: Pick<RemoteFile, 'size' | 'etag'>, hash: string, size?: number): boolean {
  return (size === undefined || remote.size === size) && md5OfEtag(remote.etag) === hash.toLowerCase();
}

export type Sameness = 'same' | 'different' | 'unproven';

/**
 * Whether a local file and a remote file at the same path hold the same bytes, without
 * downloading (row 7 against row 8):
 * - different sizes prove different bytes;
 * - a plain 32-hex etag equal to the local MD5 proves the same bytes (no other 128-bit token
 *   matches by chance); unequal it proves nothing here, because an SSE-KMS or SSE-C object's
 *   etag looks the same and is no MD5 (only its storage response tells, see model/etag.ts);
 * - otherwise the remote is known only by its version token, and the one version whose bytes we
 *   know is the base at this same path: if the remote still carries the base's etag and size, its
 *   bytes are the base's, whose MD5 we recorded. Etags are not matched across other paths: a server
 *   may use per-file counters, and a false "same" would record two different files as synced;
 * - anything else is unproven: the caller proves it by reading (equal-bytes/), or, failing that,
 *   makes a conflict copy (no write is ever lost).
 */
export function sameBytes(local: LocalEntry, remote: RemoteFile, base: BaseEntry | undefined): Sameness {
  if (local.size !== remote.size) return 'different';
  if (etagProvesBytes(remote, local.hash)) return 'same';
  if (base !== undefined && remoteEqualsBase(remote, base)) return localEqualsBase(local, base) ? 'same' : 'different';
  return 'unproven';
}
