/**
 * Collects the results of finished operations and writes them to the state database in batches
 * (one transaction per batch). A crash before a flush only leaves journal intents behind, which
 * start-up recovery checks against both sides.
 */
import type { StateDb, StateWrite } from './state-db.js';

export interface BatchWriterOptions {
  /** Flush once this many writes are waiting. */
  maxPending?: number;
  /** Flush this long after the first waiting write at the latest. */
  maxDelayMs?: number;
}

export class BatchWriter {
  private pending: StateWrite[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly maxPending: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly db: StateDb,
    options: BatchWriterOptions = {},
  ) {
    this.maxPending = options.maxPending ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 250;
  }

  /** Queues writes that belong together; they always land in the same transaction. */
  add(...writes: StateWrite[]): void {
    this.pending.push(...writes);
    if (this.pending.length >= this.maxPending) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.db.apply(batch);
  }
}
