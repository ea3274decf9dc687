import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLL_CONFIG,
  MIN_POLL_INTERVAL_MS,
  initialPollState,
  nextPoll,
  type CycleOutcome,
  type PollConfig,
} from '../../../../electron/engine/sync/background/poll-policy.js';
import { failureMeaning } from '../../../../electron/engine/status/folder-state.js';

/** Feeds outcomes in order and returns the delay chosen after each. */
function delays(outcomes: CycleOutcome[], config: PollConfig = DEFAULT_POLL_CONFIG): number[] {
  let state = initialPollState(config);
  return outcomes.map((o) => {
    const d = nextPoll(state, o, config);
    state = d.state;
    return d.delayMs;
  });
}

const unchanged: CycleOutcome = { kind: 'unchanged' };
const changed: CycleOutcome = { kind: 'changed' };
const failed: CycleOutcome = { kind: 'failed' };

describe('remote poll scheduling', () => {
  it.each<[string, CycleOutcome[], number[]]>([
    ['polls every 30 s by default after start', [{ kind: 'start' }], [30_000]],
    ['backs off while nothing changes, up to 2 minutes', [unchanged, unchanged, unchanged, unchanged], [60_000, 120_000, 120_000, 120_000]],
    ['returns to 30 s after a change', [unchanged, unchanged, changed, unchanged], [60_000, 120_000, 30_000, 60_000]],
    ['returns to 30 s after "sync now" or a local change', [unchanged, unchanged, { kind: 'sync-now' }], [60_000, 120_000, 30_000]],
    ['backs off on failures from 5 s, doubling, capped at 2 minutes', [failed, failed, failed, failed, failed, failed, failed, failed], [5_000, 10_000, 20_000, 40_000, 80_000, 120_000, 120_000, 120_000]],
    ['after failures, a quiet answer resumes the quiet interval reached before', [unchanged, failed, failed, unchanged, unchanged], [60_000, 5_000, 10_000, 60_000, 120_000]],
    ['after failures, a change returns to 30 s', [failed, failed, changed], [5_000, 10_000, 30_000]],
    ['honours Retry-After longer than the back-off', [{ kind: 'failed', retryAfterMs: 90_000 }], [90_000]],
    ['keeps the back-off when Retry-After is shorter', [failed, failed, failed, { kind: 'failed', retryAfterMs: 1_000 }], [5_000, 10_000, 20_000, 40_000]],
  ])('%s', (_name, outcomes, expected) => {
    expect(delays(outcomes)).toEqual(expected);
  });

  it.each<[string, PollConfig]>([
    ['a configured interval below 5 s', { intervalMs: 1_000, maxIdleIntervalMs: 2_000, maxErrorIntervalMs: 1_000 }],
    ['a zero interval', { intervalMs: 0, maxIdleIntervalMs: 0, maxErrorIntervalMs: 0 }],
    ['a Retry-After of zero', DEFAULT_POLL_CONFIG],
  ])('never polls faster than once every 5 s, even with %s', (_name, config) => {
    const outcomes: CycleOutcome[] = [
      { kind: 'start' },
      changed,
      unchanged,
      { kind: 'sync-now' },
      { kind: 'failed', retryAfterMs: 0 },
      failed,
      unchanged,
    ];
    for (const d of delays(outcomes, config)) expect(d).toBeGreaterThanOrEqual(MIN_POLL_INTERVAL_MS);
  });

  it('honours a configured interval and idle ceiling', () => {
    const config = { intervalMs: 10_000, maxIdleIntervalMs: 30_000, maxErrorIntervalMs: 60_000 };
    expect(delays([changed, unchanged, unchanged, unchanged], config)).toEqual([10_000, 20_000, 30_000, 30_000]);
  });

  it('jitter only ever lengthens a failure back-off, by at most a fifth, within the ceiling', () => {
    const state = initialPollState();
    const plain = nextPoll(state, failed, DEFAULT_POLL_CONFIG, 0).delayMs;
    const spread = nextPoll(state, failed, DEFAULT_POLL_CONFIG, 0.99).delayMs;
    expect(spread).toBeGreaterThan(plain);
    expect(spread).toBeLessThanOrEqual(plain * 1.2);
    const capped = { ...state, consecutiveFailures: 20 };
    expect(nextPoll(capped, failed, DEFAULT_POLL_CONFIG, 0.99).delayMs).toBe(120_000);
  });
});

describe('a failed cycle and the next poll', () => {
  const wsync = (kind: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(`${kind} failure`), { kind, ...extra });

  it('carries Retry-After from a 429 into the next poll', () => {
    const m = failureMeaning(wsync('rate-limited', { status: 429, retryAfterMs: 60_000 }));
    expect(m.retryAfterMs).toBe(60_000);
    const d = nextPoll(initialPollState(), { kind: 'failed', retryAfterMs: m.retryAfterMs });
    expect(d.delayMs).toBe(60_000);
  });
});
