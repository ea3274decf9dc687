/**
 * The mirrored prefix: remote `P/x` is local `x`. Plans speak local-relative paths; the API
 * speaks workspace paths. Also the one definition of "the same remote version".
 */
import type { RemoteFile } from '../api/types.js';

/** '' or a folder ending in '/', without a leading '/'. */
export function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** The remote file with its path made relative to the prefix (it must lie under it). */
export function toLocalRemote(file: RemoteFile, prefix: string): RemoteFile {
  if (prefix === '') return file;
  return { ...file, path: file.path.startsWith(prefix) ? file.path.slice(prefix.length) : file.path };
}

/**
 * Whether `current` (just fetched) is still the version `expected` describes. The API has no
 * conditional writes, so this comparison is what stands between the engine and a clobbered file.
 */
export function sameRemoteVersion(current: RemoteFile | null, expected: RemoteFile | null): boolean {
  if (current === null || expected === null) return current === expected;
  if (current.key !== expected.key || current.size !== expected.size) return false;
  if (current.etag !== undefined || expected.etag !== undefined) return current.etag === expected.etag;
  return current.lastModified === expected.lastModified;
}
