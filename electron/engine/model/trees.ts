/**
 * The three trees the engine reconciles, per relative path: local (on disk now), remote (the
 * latest listing) and base (what both sides held at the last sync). The bottom layer: plain data,
 * no Node, no I/O; every other layer speaks these types.
 */

/**
 * A remote file as the Files API client offers it. `path` is the workspace-relative path
 * (`path + name` of the contract), exactly as the server gave it: untrusted until the planner has
 * checked it.
 */
export interface RemoteFile {
  key: string;
  path: string;
  size: number;
  /** Etag with surrounding quotes removed; undefined when the server sent none. */
  etag?: string | undefined;
  lastModified?: string | undefined;
  contentType?: string | undefined;
}

export interface Listing {
  files: RemoteFile[];
  /** False when the server may hold more than it returned: never infer a deletion then. */
  complete: boolean;
  /**
   * The answers the files came in, in order (`count` files each), when the client paged the
   * listing: what a later listing recognises them by without parsing them again.
   */
  pages?: ListedPage[];
}

/** One answer of a paged listing: the fingerprint of its bytes, the cursor it handed on, how many files it named. */
export interface ListedPage {
  digest: string;
  nextCursor: string | null;
  count: number;
}

/** A regular file found on disk by the local scan. */
export interface LocalEntry {
  path: string; // relative, '/'-separated, NFC as found on disk
  size: number;
  mtimeMs: number;
  ino: number;
  /** Hex MD5 of the contents: reused from the base when size, mtime and inode are unchanged. */
  hash: string;
}

/** What both sides held when this path was last synced (a state-database row). */
export interface BaseEntry {
  path: string;
  remoteKey: string;
  etag: string | undefined;
  remoteSize: number;
  localSize: number;
  localMtimeMs: number;
  localIno: number;
  /** Hex MD5 of the synced bytes. */
  hash: string;
}

/** What a stat tells of a local file, as the base records it. */
export interface LocalStat {
  size: number;
  mtimeMs: number;
  ino: number;
}

/** The base row for a path whose bytes `hash` are now both at `remote` and on disk as `local`. */
export function baseOf(path: string, remote: Pick<RemoteFile, 'key' | 'etag' | 'size'>, local: LocalStat, hash: string): BaseEntry {
  return {
    path,
    remoteKey: remote.key,
    etag: remote.etag,
    remoteSize: remote.size,
    localSize: local.size,
    localMtimeMs: local.mtimeMs,
    localIno: local.ino,
    hash,
  };
}

/** Local fields that match no file: the next scan rehashes and compares the content with `hash`. */
export const UNKNOWN_LOCAL: LocalStat = { size: -1, mtimeMs: -1, ino: -1 };
