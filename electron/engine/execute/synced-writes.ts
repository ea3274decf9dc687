/**
 * State writes that may only land once the folders they depend on are fsynced. A downloaded file
 * renamed into place is durable only when its folder is; a base row recorded before that could,
 * after a power loss, describe a file that is not there, and the next cycle would read the
 * missing file as a user deletion. Rather than one folder fsync per file, the folders touched by
 * a group of operations are synced once, then that group's writes go to the batch writer, in the
 * order they were added.
 */
import { fsyncDirectory } from '../api/temp-file.js';
import { BatchWriter } from '../state/batch-writer.js';
import type { Intent, StateDb, StateWrite } from '../state/state-db.js';

export interface SyncedWritesOptions {
  /** Sync and pass on once this many operations are waiting. */
  maxPending?: number;
  /** ... or this long after the first one waits. */
  maxDelayMs?: number;
  /** The folder fsync (a test can count calls). */
  syncDirectory?: (dir: string) => Promise<void>;
}

export class SyncedWrites {
  private pending: StateWrite[][] = [];
  private dirs = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private readonly maxPending: number;
  private readonly maxDelayMs: number;
  private readonly syncDirectory: (dir: string) => Promise<void>;

  constructor(
    private readonly writer: BatchWriter,
    options: SyncedWritesOptions = {},
  ) {
    this.maxPending = options.maxPending ?? 64;
    this.maxDelayMs = options.maxDelayMs ?? 50;
    this.syncDirectory = options.syncDirectory ?? fsyncDirectory;
  }

  /** `writes` reach the batch writer (together) once every folder in `dirs` has been fsynced. */
  add(writes: StateWrite[], dirs: Iterable<string> = []): void {
    for (const dir of dirs) this.dirs.add(dir);
    if (this.dirs.size === 0 && this.pending.length === 0 && this.inFlight === 0) {
      this.writer.add(...writes);
      return;
    }
    this.pending.push(writes);
    if (this.pending.length >= this.maxPending) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
  }

  /** Resolves once everything added so far has reached the batch writer. */
  async drain(): Promise<void> {
    this.flush();
    await this.flushing;
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0 && this.dirs.size === 0) return;
    const groups = this.pending;
    const dirs = [...this.dirs];
    this.pending = [];
    this.dirs = new Set();
    // Chained, so groups reach the writer in the order they were added. A folder that cannot be
    // synced (removed meanwhile) holds nothing back: the rename itself already succeeded.
    this.inFlight += 1;
    const next = this.flushing.then(async () => {
      try {
        await Promise.all(dirs.map((dir) => this.syncDirectory(dir).catch(() => undefined)));
        for (const writes of groups) this.writer.add(...writes);
      } finally {
        this.inFlight -= 1;
      }
    });
    // A failed database write surfaces at drain(); until then it must not count as unhandled.
    next.catch(() => undefined);
    this.flushing = next;
  }
}

/**
 * The folder's one durable writer, as the executor uses it: the shape of the folder session's
 * StateWriter (electron/engine/state/). Until the session lands, `syncedStateWriter` puts today's
 * path (SyncedWrites in front of a BatchWriter) behind it, so switching is one line in the cycle.
 */
export interface StateWriter {
  /** Records intents before their operations start, in one transaction; their ids in order. */
  beginIntents(intents: Intent[]): number[];
  /** `writes` land in one transaction once every folder in `dirs` is fsynced, in the order added. */
  add(writes: StateWrite[], dirs?: Iterable<string>): void;
  /** Everything added so far committed; rejects with a failed commit. */
  drain(): Promise<void>;
}

export function syncedStateWriter(db: StateDb): StateWriter {
  const batch = new BatchWriter(db);
  const synced = new SyncedWrites(batch);
  return {
    beginIntents: (intents) => db.beginIntents(intents),
    add: (writes, dirs) => synced.add(writes, dirs),
    async drain() {
      await synced.drain();
      batch.flush();
    },
  };
}
