/**
 * When to poll the remote next: a pure function of what the last cycle found, so that the
 * timing rules (quick after changes, slower when quiet or failing, never below the floor,
 * Retry-After honoured) are tested as a table rather than by waiting.
 */

/** No listing is ever requested sooner than this after the previous one was scheduled. */
export const MIN_POLL_INTERVAL_MS = 5_000;

export interface PollConfig {
  /** The interval after a change or "sync now" (default 30 s). */
  intervalMs: number;
  /** The longest wait while nothing changes (default 2 min). */
  maxIdleIntervalMs: number;
  /** The longest wait while failing or offline (default 2 min). */
  maxErrorIntervalMs: number;
}

export const DEFAULT_POLL_CONFIG: PollConfig = {
  intervalMs: 30_000,
  maxIdleIntervalMs: 120_000,
  maxErrorIntervalMs: 120_000,
};

export type CycleOutcome =
  | { kind: 'changed' } // something moved on either side
  | { kind: 'unchanged' }
  | { kind: 'sync-now' } // the user asked; also a local change seen by the watcher
  | { kind: 'failed'; retryAfterMs?: number | undefined } // transient / rate-limited / offline
  | { kind: 'start' };

export interface PollState {
  /** The quiet interval that grows while nothing changes. */
  idleIntervalMs: number;
  consecutiveFailures: number;
}

export interface PollDecision {
  state: PollState;
  delayMs: number;
}

export function initialPollState(config: PollConfig = DEFAULT_POLL_CONFIG): PollState {
  return { idleIntervalMs: floor(config.intervalMs), consecutiveFailures: 0 };
}

function floor(ms: number): number {
  return Math.max(MIN_POLL_INTERVAL_MS, Math.round(ms));
}

/**
 * `jitter` in [0, 1) spreads failing clients apart (up to +20% of the back-off); tests pass 0.
 */
export function nextPoll(
  previous: PollState,
  outcome: CycleOutcome,
  config: PollConfig = DEFAULT_POLL_CONFIG,
  jitter = 0,
): PollDecision {
  const base = floor(config.intervalMs);
  const maxIdle = Math.max(base, floor(config.maxIdleIntervalMs));
  const maxError = Math.max(base, floor(config.maxErrorIntervalMs));
  switch (outcome.kind) {
    case 'start':
    case 'changed':
    case 'sync-now':
      return { state: { idleIntervalMs: base, consecutiveFailures: 0 }, delayMs: base };
    case 'unchanged': {
      // Recovering from failures resumes the quiet interval reached before; otherwise it doubles.
      const idle = previous.consecutiveFailures > 0 ? previous.idleIntervalMs : Math.min(maxIdle, previous.idleIntervalMs * 2);
      return { state: { idleIntervalMs: idle, consecutiveFailures: 0 }, delayMs: idle };
    }
    case 'failed': {
      const failures = previous.consecutiveFailures + 1;
      const backoff = Math.min(maxError, MIN_POLL_INTERVAL_MS * 2 ** (failures - 1));
      const spread = Math.min(maxError, backoff * (1 + 0.2 * Math.min(Math.max(jitter, 0), 0.999)));
      const delay = Math.max(floor(spread), outcome.retryAfterMs === undefined ? 0 : Math.ceil(outcome.retryAfterMs));
      return { state: { idleIntervalMs: previous.idleIntervalMs, consecutiveFailures: failures }, delayMs: delay };
    }
  }
}
