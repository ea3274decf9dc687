/**
 * The mirrored prefix: remote `P/x` is local `x`. Plans speak local-relative paths; the API
 * speaks workspace paths.
 */
import type { RemoteFile } from './trees.js';

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
