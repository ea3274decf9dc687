/**
 * When two versions of a file count as the same. Content is compared, never timestamps: the
 * local side by its MD5, the remote side by etag and size (the API has no other version token).
 */
import { isPlainMd5Etag as isPlainMd5, normalizeEtag } from '../api/etag.js';
import type { RemoteFile } from '../api/types.js';
import type { BaseEntry, LocalEntry } from './types.js';

export function localEqualsBase(local: LocalEntry, base: BaseEntry): boolean {
  return local.hash === base.hash || local.hash.toLowerCase() === base.hash.toLowerCase();
}

/**
 * The remote still holds the synced version. With an etag, etag and size must both match. Without
 * one on either side, key and size are the only download-free evidence: a replaced file may keep
 * its key, so this can miss a same-size rewrite by a server that sends no etags, which is the
 * price of not downloading every file on every cycle.
 */
export function remoteEqualsBase(remote: RemoteFile, base: BaseEntry): boolean {
  if (remote.size !== base.remoteSize) return false;
  const now = normalizeEtag(remote.etag);
  const then = normalizeEtag(base.etag);
  if (now === undefined && then === undefined) return remote.key === base.remoteKey;
  return now === then;
}

/** The base's remote version as a RemoteFile, for the executor to check against when the listing omitted it. */
export function baseRemote(base: BaseEntry): RemoteFile {
  return { key: base.remoteKey, path: base.path, size: base.remoteSize, etag: base.etag };
}

export type Sameness = 'same' | 'different' | 'unproven';

/**
 * Whether a local file and a remote file at the same path hold the same bytes, without
 * downloading (row 7 against row 8):
 * - a plain-MD5 etag is compared with the local MD5 (sizes must agree too);
 * - otherwise the remote is known only by its version token, and the one version whose bytes we
 *   know is the base at this same path: if the remote still carries the base's etag and size, its
 *   bytes are the base's, whose MD5 we recorded. Etags are not matched across other paths: a server
 *   may use per-file counters, and a false "same" would record two different files as synced;
 * - different sizes prove different bytes;
 * - anything else is unproven, and the caller makes a conflict copy (no write is ever lost).
 */
export function sameBytes(local: LocalEntry, remote: RemoteFile, base: BaseEntry | undefined): Sameness {
  if (local.size !== remote.size) return 'different';
  const etag = normalizeEtag(remote.etag);
  if (isPlainMd5(etag)) return etag.toLowerCase() === local.hash.toLowerCase() ? 'same' : 'different';
  if (base !== undefined && remoteEqualsBase(remote, base)) return localEqualsBase(local, base) ? 'same' : 'different';
  return 'unproven';
}
