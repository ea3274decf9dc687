/**
 * Per-file back-off across cycles (Nextcloud's error blacklist, Syncthing's pullFailTimer): a file
 * whose operation keeps failing is tried again at growing intervals (1 min, 2, 4, ... up to 1 h),
 * not on every poll, and its next attempt is shown with the error. The entry lives in the state
 * database, so a restart keeps it. It only holds while the plan for the file is the one that
 * failed: a user who edits the file (or a remote change) gets an immediate new try, as does a
 * user who asks to retry. Failures that are not the file's (the server rate-limiting the client,
 * a refused key, a cancelled cycle) never put a file in back-off.
 *
 * Decisions are pure functions of the entry, the action and the time.
 */
import { createHash } from 'node:crypto';
import type { ErrorKind } from '../errors.js';
import type { LocalEntry, RemoteFile } from '../model/trees.js';
import type { PlannedAction } from '../plan/types.js';
import type { FileBackoff, StateWrite } from '../state/state-db.js';

export interface BackoffPolicy {
  /** Wait after the first failed cycle; each further failure doubles it... */
  baseDelayMs: number;
  /** ...up to this. */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF_POLICY: BackoffPolicy = { baseDelayMs: 60_000, maxDelayMs: 3_600_000 };

/** Kinds that say nothing about the file itself: the gate, the key and the user handle those. */
const NOT_THE_FILES: ReadonlySet<ErrorKind> = new Set(['rate-limited', 'auth', 'cancelled']);

export function backoffDelayMs(policy: BackoffPolicy, failures: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
}

function localPart(local: LocalEntry | null): unknown {
  return local === null ? null : [local.size, local.mtimeMs, local.ino, local.hash];
}

function remotePart(remote: RemoteFile | null): unknown {
  return remote === null ? null : [remote.key, remote.size, remote.etag ?? null];
}

/** What was planned for the path: the operation and the versions it started from. */
export function actionFingerprint(action: PlannedAction): string {
  const parts: unknown[] = [action.kind];
  switch (action.kind) {
    case 'upload':
      parts.push(localPart(action.local), remotePart(action.expectRemote));
      break;
    case 'download':
      parts.push(remotePart(action.remote), localPart(action.expectLocal));
      break;
    case 'delete-remote':
      parts.push(remotePart(action.remote));
      break;
    case 'delete-local':
      parts.push(localPart(action.local));
      break;
    case 'record':
    case 'conflict':
    case 'rename-local':
      parts.push(localPart(action.local), remotePart(action.remote));
      break;
    case 'move-remote':
      parts.push(action.from, localPart(action.local), remotePart(action.oldRemote));
      break;
    case 'forget':
      break;
  }
  return createHash('sha1').update(JSON.stringify(parts)).digest('hex');
}

/** The entry holds `action` back at `now`: same plan as the one that failed, and not yet due. */
export function holdsBack(entry: FileBackoff | undefined, action: PlannedAction, now: number): entry is FileBackoff {
  return entry !== undefined && entry.nextAttemptAt > now && entry.fingerprint === actionFingerprint(action);
}

export interface FailureFacts {
  kind: ErrorKind;
  message: string;
  attempts: number;
}

/** The writes after one run of `action` on `path`: a failure grows the back-off, a success ends it. */
export function backoffWrites(
  policy: BackoffPolicy,
  path: string,
  action: PlannedAction,
  previous: FileBackoff | undefined,
  result: { failed: FailureFacts } | { done: true } | { deferred: true },
  now: number,
): { writes: StateWrite[]; entry: FileBackoff | undefined } {
  if ('done' in result) return { writes: previous === undefined ? [] : [{ kind: 'delete-backoff', path }], entry: undefined };
  if ('deferred' in result || NOT_THE_FILES.has(result.failed.kind)) return { writes: [], entry: previous };
  const fingerprint = actionFingerprint(action);
  // A different plan failing starts the count again: it is a new problem.
  const failures = previous?.fingerprint === fingerprint ? previous.failures + 1 : 1;
  const entry: FileBackoff = {
    path,
    fingerprint,
    failures,
    nextAttemptAt: now + backoffDelayMs(policy, failures),
    kind: result.failed.kind,
    message: result.failed.message,
    attempts: result.failed.attempts,
  };
  return { writes: [{ kind: 'put-backoff', backoff: entry }], entry };
}

/** Entries for paths the plan no longer touches (the file was fixed or is gone): dropped. */
export function staleBackoffs(entries: Iterable<FileBackoff>, plannedPaths: ReadonlySet<string>): StateWrite[] {
  const writes: StateWrite[] = [];
  for (const entry of entries) if (!plannedPaths.has(entry.path)) writes.push({ kind: 'delete-backoff', path: entry.path });
  return writes;
}

/**
 * One cycle's view of the back-off table: read once when the cycle starts, kept current as its
 * passes write, so a file that failed in the first pass is not tried again by the next one.
 */
export class FileBackoffs {
  private readonly entries: Map<string, FileBackoff>;

  constructor(
    entries: Iterable<FileBackoff>,
    readonly policy: BackoffPolicy = DEFAULT_BACKOFF_POLICY,
    /** Every entry is due at once (the user asked to retry failed files now). */
    private readonly retryNow = false,
  ) {
    this.entries = new Map([...entries].map((e) => [e.path, e]));
  }

  /** The entry holding `action` on `path` back at `now`, if one does. */
  holding(path: string, action: PlannedAction, now: number): FileBackoff | undefined {
    const entry = this.entries.get(path);
    return !this.retryNow && holdsBack(entry, action, now) ? entry : undefined;
  }

  /** The writes after `action` ran on `path` (the table's entry follows them). */
  after(
    path: string,
    action: PlannedAction,
    result: Parameters<typeof backoffWrites>[4],
    now: number,
  ): { writes: StateWrite[]; entry: FileBackoff | undefined } {
    const next = backoffWrites(this.policy, path, action, this.entries.get(path), result, now);
    if (next.entry === undefined) this.entries.delete(path);
    else this.entries.set(path, next.entry);
    return next;
  }

  /** Drops (and returns the writes for) entries whose path this plan does not touch. */
  forgetUnplanned(plannedPaths: ReadonlySet<string>): StateWrite[] {
    const writes = staleBackoffs(this.entries.values(), plannedPaths);
    for (const w of writes) if (w.kind === 'delete-backoff') this.entries.delete(w.path);
    return writes;
  }
}
