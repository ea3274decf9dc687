/**
 * The three trees of one pass: the local scan, the remote listing and the base, each filtered the
 * same way, gathered side by side (the listing mostly waits on the server).
 */
import { existsSync } from 'node:fs';
import { setImmediate } from 'node:timers/promises';
import type { FilesApi } from '../../api/types.js';
import { loadIgnoreMatcher, type IgnoreMatcher } from '../../local/ignore.js';
import { DEFER_HASH_MIN_BYTES, hashEntries, scanFolder, type ScanProblem, type ScanResult } from '../../local/scan.js';
import { toLocalRemote } from '../../model/remote-paths.js';
import type { BaseEntry, Listing, LocalEntry, RemoteFile } from '../../model/trees.js';
import { unsafePathReason } from '../../plan/names.js';
import type { Platform } from '../../plan/types.js';
import type { StateReader } from '../../state/state-db.js';

export interface Trees {
  local: LocalEntry[];
  remote: Listing;
  /** The listing as the server gave it. */
  listed: Listing;
  base: BaseEntry[];
  symlinks: string[];
  unreadable: ScanProblem[];
}

/** A listing under way; `stop` aborts it and whatever else was given its signal. */
export interface PendingListing {
  result: Promise<Listing>;
  signal: AbortSignal;
  stop: () => void;
}

export function startListing(api: FilesApi, prefix: string, signal: AbortSignal | undefined): PendingListing {
  const stop = new AbortController();
  const both = signal === undefined ? stop.signal : AbortSignal.any([signal, stop.signal]);
  const result = api.list(prefix, { signal: both });
  // Handled from the start: it may fail before anyone awaits it (during the base read, say).
  result.catch(() => undefined);
  return { result, signal: both, stop: () => stop.abort() };
}

/** Base rows read per page: between pages the listing's answers are taken in. */
const BASE_PAGE = 5000;

/** Every base row, read in pages with other work let in between. */
export async function readBase(state: StateReader): Promise<Map<string, BaseEntry>> {
  const byPath = new Map<string, BaseEntry>();
  for (let after = ''; ;) {
    const page = state.basePage(after, BASE_PAGE);
    for (const entry of page) byPath.set(entry.path, entry);
    const last = page[page.length - 1];
    if (page.length < BASE_PAGE || last === undefined) return byPath;
    after = last.path;
    await setImmediate();
  }
}

/** Case and Unicode form folded: a remote name that may clash with a local one on any file system. */
const folded = (path: string): string => path.normalize('NFC').toLowerCase();

/**
 * A new large file the scan left unhashed is hashed now only where a decision needs its bytes: a
 * remote file at its path (rows 7 and 8: same bytes or a conflict). Any other is uploaded, and
 * hashed as it is sent. A move found by its hash alone is missed then, which costs nothing: the API
 * has no rename, so a move is that same upload plus the deletion of the old path.
 */
async function hashWhereNeeded(root: string, prefix: string, scan: ScanResult, remote: Listing, signal: AbortSignal): Promise<void> {
  if (scan.deferred.length === 0) return;
  const listed = new Set<string>();
  for (const file of remote.files) if (file.path.startsWith(prefix)) listed.add(folded(file.path.slice(prefix.length)));
  await hashEntries(
    root,
    scan.deferred.filter((e) => listed.has(folded(e.path))),
    scan,
    signal,
  );
}

const under = (path: string, problem: ScanProblem): boolean =>
  problem.path === '' || path === problem.path || (problem.path.endsWith('/') && path.startsWith(problem.path));

/**
 * The three trees for one pass. Ignored names are left out of all three (so an ignored file is
 * neither uploaded, downloaded nor deleted), except unsafe remote names, which the planner reports.
 * A path the scan could not read is left out of all three: unknown is not deleted. So is a path
 * the caller asked to skip. The listing, already under way, runs beside the base read and the
 * scan: it mostly waits on the server. If anything fails, the rest is stopped before the error is
 * passed on.
 */
export async function gatherTrees(
  root: string,
  prefix: string,
  pending: PendingListing,
  state: StateReader,
  platform: Platform,
  skip: (path: string) => boolean,
): Promise<Trees> {
  const listing = pending.result;
  const both = pending.signal;
  let scanning: Promise<ScanResult> | undefined;
  try {
    const ignore: IgnoreMatcher = await loadIgnoreMatcher(root);
    const baseByPath = await readBase(state);
    scanning = existsSync(root)
      ? scanFolder(root, { ignore, base: (p) => baseByPath.get(p), signal: both, deferHashFrom: DEFER_HASH_MIN_BYTES })
      : Promise.resolve({ entries: [], symlinks: [], unreadable: [], hashed: 0, deferred: [] });
    const [scan, remote] = await Promise.all([scanning, listing]);
    await hashWhereNeeded(root, prefix, scan, remote, both);
    const known = (path: string) => !skip(path) && !scan.unreadable.some((u) => under(path, u));
    const remoteFiles: RemoteFile[] = [];
    for (const file of remote.files) {
      if (!file.path.startsWith(prefix)) continue;
      const local = toLocalRemote(file, prefix);
      if ((!ignore.ignores(local.path) || unsafePathReason(local.path, platform) !== null) && known(local.path)) remoteFiles.push(local);
    }
    const base: BaseEntry[] = [];
    for (const entry of baseByPath.values()) if (!ignore.ignores(entry.path) && known(entry.path)) base.push(entry);
    return {
      local: scan.entries.filter((e) => known(e.path)),
      remote: { files: remoteFiles, complete: remote.complete },
      listed: remote,
      base,
      symlinks: scan.symlinks,
      unreadable: scan.unreadable,
    };
  } catch (err) {
    pending.stop();
    await Promise.allSettled([listing, scanning]);
    throw err;
  }
}
