/**
 * The one writer of a folder's state database, owned by its folder session (Syncthing's
 * dbUpdaterRoutine): the executor, journal recovery and the user's actions hand it their writes;
 * nothing else writes the database.
 *
 * Durability, in one place:
 * - intents are recorded (one transaction) before their operations start;
 * - a group of writes that describes files renamed into folders lands only once those folders are
 *   fsynced: a base row recorded before that could, after a power loss, describe a file that is not
 *   there, and the next cycle would read the missing file as a user deletion. The folders touched
 *   by many operations are synced once, not once per file;
 * - groups land in the order they were added, each whole in one transaction, batched (a crash
 *   before a commit only leaves journal intents behind, which recovery checks against both sides).
 */
import { fsyncDirectory } from '../api/temp-file.js';
import type { Intent, MetaKey, StateDb, StateWrite } from './state-db.js';

export interface StateWriter {
  /** Records intents before their operations start, all in one transaction; returns their ids in order. */
  beginIntents(intents: Intent[]): number[];
  /**
   * Queues writes that belong together (always one transaction), to land once every folder in
   * `dirs` has been fsynced; writes land in the order they were added.
   */
  add(writes: readonly StateWrite[], dirs?: Iterable<string>): void;
  /** Resolves once everything added so far is committed; rejects with a commit that failed. */
  drain(): Promise<void>;
  /** Adds `writes` and waits until they are committed (user actions). */
  commit(writes: readonly StateWrite[]): Promise<void>;
  setMeta(values: Partial<Record<MetaKey, string>>): void;
  /** Returns the paths not noticed before, and remembers them, so each is reported once. */
  firstNotices(kind: string, paths: readonly string[]): string[];
}

export interface StateWriterOptions {
  batch?: {
    /** Commit once this many writes wait. */
    maxPending?: number;
    /** Commit this long after the first waiting write at the latest. */
    maxDelayMs?: number;
  };
  fsync?: {
    /** Sync the waiting folders once this many groups wait for them... */
    maxPending?: number;
    /** ... or this long after the first one waits. */
    maxDelayMs?: number;
    /** The folder fsync (a test can record calls). */
    syncDirectory?: (dir: string) => Promise<void>;
  };
  /**
   * Runs `fn` once `ms` have passed (default setTimeout): the batch and fsync deadlines. The model
   * checker's scheduler decides that moment instead, so that where a crash lands relative to a
   * commit replays from its seed.
   */
  later?: (fn: () => void, ms: number) => Timer;
}

/** A pending `later`. */
export interface Timer {
  cancel(): void;
}

const afterTimeout = (fn: () => void, ms: number): Timer => {
  const timer = setTimeout(fn, ms);
  return { cancel: () => clearTimeout(timer) };
};

export function createStateWriter(db: StateDb, options: StateWriterOptions = {}): StateWriter {
  const batchMax = options.batch?.maxPending ?? 100;
  const batchDelayMs = options.batch?.maxDelayMs ?? 250;
  const fsyncMax = options.fsync?.maxPending ?? 64;
  const fsyncDelayMs = options.fsync?.maxDelayMs ?? 50;
  const syncDirectory = options.fsync?.syncDirectory ?? fsyncDirectory;
  const later = options.later ?? afterTimeout;

  let batch: StateWrite[] = [];
  let batchTimer: Timer | undefined;
  /** A commit that failed where nobody awaited it (a timer): drain() reports it. */
  let failure: unknown;

  let waiting: (readonly StateWrite[])[] = [];
  let dirs = new Set<string>();
  let fsyncTimer: Timer | undefined;
  let syncing: Promise<void> = Promise.resolve();
  let syncsInFlight = 0;

  function commitBatch(): void {
    batchTimer?.cancel();
    batchTimer = undefined;
    const writes = batch;
    batch = [];
    db.apply(writes);
  }

  function commitBatchLater(): void {
    try {
      commitBatch();
    } catch (err) {
      failure ??= err;
    }
  }

  function toBatch(writes: readonly StateWrite[]): void {
    batch.push(...writes);
    if (batch.length >= batchMax) commitBatchLater();
    else batchTimer ??= later(commitBatchLater, batchDelayMs);
  }

  function syncWaiting(): void {
    fsyncTimer?.cancel();
    fsyncTimer = undefined;
    if (waiting.length === 0 && dirs.size === 0) return;
    const groups = waiting;
    const folders = [...dirs];
    waiting = [];
    dirs = new Set();
    // Chained, so groups reach the batch in the order they were added. A folder that cannot be
    // synced (removed meanwhile) holds nothing back: the rename itself already succeeded.
    syncsInFlight += 1;
    const next = syncing.then(async () => {
      try {
        await Promise.all(folders.map((dir) => syncDirectory(dir).catch(() => undefined)));
        for (const writes of groups) toBatch(writes);
      } finally {
        syncsInFlight -= 1;
      }
    });
    next.catch(() => undefined);
    syncing = next;
  }

  const writer: StateWriter = {
    beginIntents: (intents) => db.beginIntents(intents),

    add(writes, folders = []) {
      for (const dir of folders) dirs.add(dir);
      if (dirs.size === 0 && waiting.length === 0 && syncsInFlight === 0) {
        toBatch(writes);
        return;
      }
      waiting.push(writes);
      if (waiting.length >= fsyncMax) syncWaiting();
      else fsyncTimer ??= later(syncWaiting, fsyncDelayMs);
    },

    async drain() {
      syncWaiting();
      await syncing;
      commitBatch();
      if (failure !== undefined) {
        const err = failure;
        failure = undefined;
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what the write itself threw, as it was
        throw err;
      }
    },

    async commit(writes) {
      writer.add(writes);
      await writer.drain();
    },

    setMeta: (values) => db.setMeta(values),
    firstNotices: (kind, paths) => db.firstNotices(kind, paths),
  };
  return writer;
}
