/**
 * What a wake-up does to a folder: the machine resumed from sleep (or the process from SIGSTOP),
 * the network came back, the user brought the window up, or the host asked to reload. A pure
 * function of the folder's state, tested as a table.
 *
 * | wake    | does                                                                         |
 * |---------|------------------------------------------------------------------------------|
 * | resume  | polls now: time jumped, the remote may have moved, a back-off is stale       |
 * | network | polls now if the folder was failing (offline, errors) or its last sync is stale |
 * | shown   | polls now if the last sync is older than SHOWN_STALE_MS                      |
 * | reload  | reads the ignore rules again (a new watcher) and runs a full cycle           |
 *
 * Nothing wakes a folder that is paused, signed out or stopped, and a server's Retry-After still
 * holds (but for a reload's new rules): the poll it scheduled comes when the server allows. A poll runs a full cycle by itself
 * when one is owed (a local change not yet synced, files that failed).
 */
import type { WakeReason } from '../../../shared/engine-protocol.js';
import type { SyncState } from '../../../shared/status.js';

export type { WakeReason } from '../../../shared/engine-protocol.js';

/** Showing the window polls only if the last sync is older than this: opening it twice costs nothing. */
export const SHOWN_STALE_MS = 30_000;

export interface WakeContext {
  state: SyncState;
  /** Paused, signed out, stopped or not started: nothing runs. */
  active: boolean;
  /** Since the last sync ended (a quiet poll counts); Infinity before the first. */
  sinceSyncMs: number;
  /** The client's rate gate: how long the server still asked us to wait. */
  serverWaitMs: number;
  /** The poll floor: a sync younger than this is fresh whatever happened. */
  floorMs: number;
}

export type WakeAction = { do: 'nothing'; why: string } | { do: 'poll'; why: string } | { do: 'reload'; why: string };

const FAILING: ReadonlySet<SyncState> = new Set<SyncState>(['offline', 'error']);

export function wakeAction(reason: WakeReason, context: WakeContext): WakeAction {
  if (!context.active) return { do: 'nothing', why: 'not syncing (paused, signed out or stopped)' };
  // The rules are read again at once; the cycle after it waits for the server like any request.
  if (reason === 'reload') return { do: 'reload', why: 'reload asked' };
  if (context.serverWaitMs > 0) return { do: 'nothing', why: `the server asked to wait ${Math.ceil(context.serverWaitMs / 1000)} s` };
  switch (reason) {
    case 'resume':
      return { do: 'poll', why: 'resumed' };
    case 'network':
      if (FAILING.has(context.state)) return { do: 'poll', why: 'the network is back' };
      return context.sinceSyncMs >= context.floorMs ? { do: 'poll', why: 'the network changed' } : { do: 'nothing', why: 'synced moments ago' };
    case 'shown':
      return context.sinceSyncMs >= SHOWN_STALE_MS ? { do: 'poll', why: 'the window was shown' } : { do: 'nothing', why: 'synced moments ago' };
  }
}
