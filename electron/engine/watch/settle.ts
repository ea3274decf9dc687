/**
 * When a changed path has settled: a pure function of what the watcher saw (its events, and what
 * lstat says now), so the rules are tested as a table.
 *
 * A file written in one go (a save, a small write, an editor's temporary file renamed over the
 * original) settles `settleMs` after its last event: it goes up at once, and if it changes while
 * it uploads, the upload's own check sends it again. A file still being written waits: one whose
 * events have kept coming for longer than `settleMs`, or whose size, mtime or inode moved between
 * two looks, must then stay unchanged, without events, for `stableMs` (or for twice the longest
 * pause seen between its writes, up to `maxStableMs`), so a large file is uploaded once, complete.
 * A path that changes again soon after it settled (within `rewriteWindowMs`) is taken to be still
 * being written from its first new event: a writer that pauses longer than the settle time then
 * sends its file up twice (what it had, then all of it) rather than once per pause.
 * The last change is the later of the last event and the file's mtime: a write whose event waits
 * behind a busy event loop still counts from when it happened.
 */

export interface SettleConfig {
  /** Quiet time after the last event before a file written in one go counts as settled. */
  settleMs: number;
  /** Quiet time a file still being written (or a new folder, which may still be filling) must keep. */
  stableMs: number;
  /** The longest quiet time asked of a file whose writes came with long pauses. */
  maxStableMs: number;
  /** A path changed again this soon after it settled is still being written. */
  rewriteWindowMs: number;
}

export const DEFAULT_SETTLE_CONFIG: SettleConfig = { settleMs: 100, stableMs: 1000, maxStableMs: 10_000, rewriteWindowMs: 3000 };

/** What the watcher knows about one path with unsettled changes. Times are clock milliseconds. */
export interface Settling {
  firstEventAt: number;
  lastEventAt: number;
  /** The longest gap between two of its events so far. */
  longestGapMs: number;
  /** The signature at the previous look (undefined before the first look, or after an event since). */
  seen: string | undefined;
  /** Its size, mtime or inode changed between two looks: it is being written. */
  grew: boolean;
}

/** What lstat says of the path now. */
export type Look = { kind: 'gone' } | { kind: 'dir'; signature: string } | { kind: 'file'; signature: string; mtimeMs: number };

export type SettleDecision = { settled: true } | { settled: false; waitMs: number; state: Settling };

/** The first event on a path with nothing pending; `settledAt` is when the path last settled, if the watcher remembers. */
export function firstEvent(now: number, config: SettleConfig, settledAt?: number): Settling {
  const rewritten = settledAt !== undefined && now - settledAt <= config.rewriteWindowMs;
  return { firstEventAt: now, lastEventAt: now, longestGapMs: rewritten ? now - settledAt : 0, seen: undefined, grew: rewritten };
}

/** A new event on a path already settling: the previous look no longer stands. */
export function nextEvent(previous: Settling, now: number): Settling {
  return { ...previous, lastEventAt: now, longestGapMs: Math.max(previous.longestGapMs, now - previous.lastEventAt), seen: undefined };
}

/** An mtime more than this ahead of the clock is not trusted (another machine's clock, a fake one). */
const MTIME_AHEAD_MS = 1000;

export function judgeSettling(state: Settling, look: Look, now: number, config: SettleConfig): SettleDecision {
  if (look.kind === 'gone') return { settled: true };
  const grew = state.grew || (state.seen !== undefined && state.seen !== look.signature);
  const growing = look.kind === 'dir' || grew || state.lastEventAt - state.firstEventAt >= config.settleMs;
  const mtime =
    look.kind === 'file' && Number.isFinite(look.mtimeMs) && look.mtimeMs <= now + MTIME_AHEAD_MS ? look.mtimeMs : Number.NEGATIVE_INFINITY;
  const quietMs = now - Math.max(state.lastEventAt, mtime);
  const next: Settling = { ...state, seen: look.signature, grew };
  if (!growing) {
    return quietMs >= config.settleMs ? { settled: true } : { settled: false, waitMs: config.settleMs - quietMs, state: next };
  }
  const required = Math.min(config.maxStableMs, Math.max(config.stableMs, 2 * state.longestGapMs));
  if (quietMs < required) return { settled: false, waitMs: required - quietMs, state: next };
  // Quiet for long enough: still, the signature must have held since a look made before now.
  if (state.seen !== look.signature) return { settled: false, waitMs: config.settleMs, state: next };
  return { settled: true };
}
