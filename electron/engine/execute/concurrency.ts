/**
 * How many operations run at once, by what they move. A 4 KB file is a round trip or two of
 * latency and almost no bytes: many at once hide the latency (and an fsync's wait), up to the
 * ceiling. A large file is bandwidth: a few at once fill the link, more only make them share it
 * and the disk. So the pool is one ceiling for every operation (the user's `--concurrency`) and,
 * within it, a smaller limit for the operations that move large files.
 */
import type { PlannedAction } from '../plan/types.js';

/** Operations at once unless the user says otherwise (`--concurrency` is a ceiling). */
export const DEFAULT_CONCURRENCY = 16;
/**
 * What may listen on one cycle's stop signal at once: each operation in flight, up to four (its
 * request, its file stream, a hash read, a back-off or bandwidth wait), and the cycle's own look
 * at the remote beside them. Room for that and no more, so that a listener left behind by every
 * request of a cycle still shows up as Node's leak warning.
 */
export function abortListenersFor(concurrency: number = DEFAULT_CONCURRENCY): number {
  return 4 * (Math.max(1, Math.floor(concurrency)) + 1);
}

/** From this size a transfer counts as large: it is bandwidth-bound rather than latency-bound. */
export const LARGE_TRANSFER_BYTES = 4 * 1024 * 1024;
/** Large transfers at once (within the ceiling). */
export const LARGE_TRANSFERS = 4;

/** The bytes an action moves over the network (the larger side of a conflict). */
export function transferBytes(action: PlannedAction): number {
  switch (action.kind) {
    case 'upload':
    case 'move-remote':
      return action.local.size;
    case 'download':
      return action.remote.size;
    case 'conflict':
      return Math.max(action.local.size, action.remote.size);
    default:
      return 0;
  }
}

export const isLargeTransfer = (action: PlannedAction): boolean => transferBytes(action) >= LARGE_TRANSFER_BYTES;

/** Transfers of files of `size` bytes that run at once under `ceiling`: what the pool settles at for a tree of such files. */
export function concurrencyFor(size: number, ceiling: number = DEFAULT_CONCURRENCY): number {
  const limit = Math.max(1, Math.floor(ceiling));
  return size >= LARGE_TRANSFER_BYTES ? Math.min(LARGE_TRANSFERS, limit) : limit;
}
