/**
 * The data the reconciler decides on and the plan it produces. Decisions are numbered as in
 * `shared/design/sync-semantics.md` so that a log line, a test name and the table agree.
 */
import type { BaseEntry, Listing, LocalEntry, RemoteFile } from '../model/trees.js';

export type Decision = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14;

export type PlannedAction =
  /** Rows 2, 9, 11 (and the upload half of 8 and 14). `expectRemote` is the remote version the
   * executor must still find at `path` (via stat) before it overwrites; null = expect nothing there. */
  | { kind: 'upload'; decision: Decision; path: string; local: LocalEntry; expectRemote: RemoteFile | null }
  /** Rows 3, 10, 12. `expectLocal` is what must still be on disk before replacing it (null = nothing). */
  | { kind: 'download'; decision: Decision; path: string; remote: RemoteFile; expectLocal: LocalEntry | null }
  /** Row 4: checked against `remote` (via stat) right before deleting. `makesWay`: see plan/order.ts. */
  | { kind: 'delete-remote'; decision: Decision; path: string; remote: RemoteFile; makesWay?: true }
  /** Row 5: to trash, after checking the file on disk still matches `local`. `makesWay`: see plan/order.ts. */
  | { kind: 'delete-local'; decision: Decision; path: string; local: LocalEntry; makesWay?: true }
  /** Row 6. */
  | { kind: 'forget'; decision: Decision; path: string }
  /** Rows 1 (only when the base row needs refreshing, e.g. a touched file) and 7. */
  | { kind: 'record'; decision: Decision; path: string; local: LocalEntry; remote: RemoteFile }
  /**
   * Row 8: rename local to copyPath, upload the copy, download remote to path. `bytesUnproven`:
   * the listing could not tell whether both hold the same bytes (row 7); a caller that can read
   * them proves it first (ReconcileInput.proofs) and plans again.
   */
  | { kind: 'conflict'; decision: Decision; path: string; copyPath: string; local: LocalEntry; remote: RemoteFile; bytesUnproven?: true }
  /** Row 13: the remote moved `from` → `to`; rename on disk, no download. */
  | { kind: 'rename-local'; decision: Decision; from: string; to: string; local: LocalEntry; remote: RemoteFile }
  /** Row 14: the local file moved `from` → `to`; upload `to`, then delete `oldRemote`. */
  | { kind: 'move-remote'; decision: Decision; from: string; to: string; local: LocalEntry; oldRemote: RemoteFile };

/**
 * A name that is refused (unsafe, or not representable on this file system). Remote names are the
 * usual case; a local path is refused too when it would clash on the server with a name there, or
 * could not come back from the server intact. No action touches a refused path. `path` is raw and may hold
 * control characters: print it escaped (JSON.stringify). `reason` quotes any other path it names
 * that way already.
 */
export interface RefusedName {
  path: string;
  side: 'local' | 'remote';
  reason: string;
}

export interface Plan {
  actions: PlannedAction[];
  refused: RefusedName[];
  /** Deletions held back by the mass-delete guard (nothing in `actions` deletes them). */
  held: { side: 'local' | 'remote'; paths: string[]; syncedCount: number }[];
}

/** The values of Node's `process.platform`, kept here so that the planner stays free of Node types. */
export type Platform = 'aix' | 'android' | 'darwin' | 'freebsd' | 'haiku' | 'linux' | 'openbsd' | 'sunos' | 'win32' | 'cygwin' | 'netbsd';

export interface DeleteGuardOptions {
  /** Deletions on one side are held only when there are at least this many... */
  minFiles: number;
  /** ...and they are more than this fraction of the files synced so far (the base rows). */
  fraction: number;
}

export interface ReconcileOptions {
  caseInsensitiveFs: boolean;
  platform: Platform;
  deleteGuard: DeleteGuardOptions;
  /** The user confirmed a mass deletion: the guard lets it through. */
  confirmDeletes: boolean;
}

/** What reading both files proved about one path whose bytes the listing could not compare. */
export interface ByteProof {
  /** The local MD5 and the remote version (model/versions objectToken) it holds for: otherwise ignored. */
  hash: string;
  remote: string;
  /** 'failed': could not be read; the path is left alone this cycle (the caller reports why). */
  verdict: 'same' | 'different' | 'failed';
}

export interface ReconcileInput {
  /** Every regular file on disk (ignored names already left out), hash always filled. */
  local: LocalEntry[];
  /** Paths folder-relative (a mirrored prefix already stripped) but still untrusted. */
  remote: Listing;
  base: BaseEntry[];
  /** Stamps conflict-copy names. */
  now: Date;
  /** By path: equal bytes proved by reading, for conflicts an earlier plan marked `bytesUnproven`. */
  proofs?: ReadonlyMap<string, ByteProof>;
  options: ReconcileOptions;
}
