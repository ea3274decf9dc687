import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLL_CONFIG,
  initialPollState,
  nextPoll,
  pollConfig,
  smoothCost,
  type PollConfig,
  type PollOutcome,
  type PollReason,
} from '../../../../electron/engine/sync/background/poll-budget.js';

/** A steady poll (every page as known) that cost `cpuMs` of CPU over `pages` pages. */
const polled = (cpuMs: number, pages = 1): PollOutcome => ({
  kind: 'ok',
  cost: { cpuMs, pages, bytes: pages * 170_000, wallMs: cpuMs * 3, steady: true },
});
/** A poll that compared the listing with the base (the first one, one after a sync, one that found changes). */
const compared = (cpuMs: number, pages = 1): PollOutcome => ({
  kind: 'ok',
  cost: { cpuMs, pages, bytes: pages * 170_000, wallMs: cpuMs * 3, steady: false },
});
const cycled: PollOutcome = { kind: 'ok' };
const failed = (retryAfterMs?: number): PollOutcome => ({ kind: 'failed', retryAfterMs });

interface Step {
  outcome: PollOutcome;
  /** The client's rate gate at that moment (the server's Retry-After still running). */
  gateMs?: number;
}

/** Feeds outcomes in order and returns [delay, reason] after each. */
function run(steps: Step[], config: PollConfig = DEFAULT_POLL_CONFIG): [number, PollReason][] {
  let state = initialPollState();
  return steps.map(({ outcome, gateMs = 0 }) => {
    const decision = nextPoll(state, outcome, config, { rateLimitedForMs: gateMs, jitter: 0 });
    state = decision.state;
    return [decision.delayMs, decision.reason];
  });
}

const at = (...outcomes: PollOutcome[]): Step[] => outcomes.map((outcome) => ({ outcome }));

describe('the poll interval keeps polling within its CPU budget (0.25 % of a core)', () => {
  it.each<[string, Step[], [number, PollReason][]]>([
    ['before any poll was measured (start, a full cycle), the floor: 5 s', at(cycled), [[5_000, 'floor']]],
    ['a one-page workspace (a 6 ms poll) is polled at the floor', at(polled(6)), [[5_000, 'floor']]],
    ['a 20 ms poll: every 8 s (20 ms / 0.25 %)', at(polled(20, 2)), [[8_000, 'budget']]],
    ['a 150 ms poll: every minute', at(polled(150, 15)), [[60_000, 'budget']]],
    ['a 100,000-file workspace (900 ms, 100 pages): the idle maximum, 2 min', at(polled(900, 100)), [[120_000, 'maximum']]],
    [
      'a cheaper poll comes down halfway each time, a dearer one counts at once',
      at(polled(200, 20), polled(100, 20), polled(100, 20), polled(300, 20)),
      [
        [80_000, 'budget'],
        [60_000, 'budget'],
        [50_000, 'budget'],
        [120_000, 'maximum'],
      ],
    ],
    [
      'a full cycle keeps the cost learnt from the polls',
      at(polled(100, 10), cycled),
      [
        [40_000, 'budget'],
        [40_000, 'budget'],
      ],
    ],
    ['a cheap poll of many pages is held to one list request a second', at(polled(10, 30)), [[30_000, 'requests']]],
    [
      'the first poll compared the listing: its cost counts until a steady poll is measured, which replaces it',
      at(compared(150, 5), polled(20, 5), polled(10, 5)),
      [
        [60_000, 'budget'],
        [8_000, 'budget'],
        [6_000, 'budget'],
      ],
    ],
    [
      'a poll that compared the listing (after a sync, or finding changes) leaves the steady cost alone',
      at(polled(20, 5), compared(300, 5), cycled, compared(900, 5), polled(20, 5)),
      [
        [8_000, 'budget'],
        [8_000, 'budget'],
        [8_000, 'budget'],
        [8_000, 'budget'],
        [8_000, 'budget'],
      ],
    ],
    [
      'failures back off from 5 s, doubling, up to 2 min, whatever the budget says',
      at(polled(6), failed(), failed(), failed(), failed(), failed(), failed(), failed()),
      [
        [5_000, 'floor'],
        [5_000, 'back-off'],
        [10_000, 'back-off'],
        [20_000, 'back-off'],
        [40_000, 'back-off'],
        [80_000, 'back-off'],
        [120_000, 'back-off'],
        [120_000, 'back-off'],
      ],
    ],
    [
      'after failures, a good poll returns to the budget',
      at(polled(150, 15), failed(), failed(), cycled),
      [
        [60_000, 'budget'],
        [5_000, 'back-off'],
        [10_000, 'back-off'],
        [60_000, 'budget'],
      ],
    ],
    ['a Retry-After longer than the back-off is waited out', at(failed(90_000)), [[90_000, 'server']]],
    ['a Retry-After beyond the maximum too', at(failed(600_000)), [[600_000, 'server']]],
    [
      'a Retry-After shorter than the back-off keeps the back-off',
      at(failed(), failed(), failed(1_000)),
      [
        [5_000, 'back-off'],
        [10_000, 'back-off'],
        [20_000, 'back-off'],
      ],
    ],
    ['a rate gate still closed after a good poll raises the floor', [{ outcome: polled(6), gateMs: 42_000 }], [[42_000, 'server']]],
    ['a rate gate closed beyond the maximum is waited out', [{ outcome: polled(900, 100), gateMs: 300_000 }], [[300_000, 'server']]],
    ['a rate gate shorter than the budget changes nothing', [{ outcome: polled(150, 15), gateMs: 10_000 }], [[60_000, 'budget']]],
    ['a failure while the gate is closed waits for the gate', [{ outcome: failed(), gateMs: 30_000 }], [[30_000, 'server']]],
  ])('%s', (_name, steps, expected) => {
    expect(run(steps)).toEqual(expected);
  });

  it('the interval the user chose raises the floor; the back-off starts from it', () => {
    const config = pollConfig({ minIntervalMs: 60_000 });
    expect(run(at(polled(6), polled(150, 15), polled(900, 100), failed()), config)).toEqual([
      [60_000, 'floor'],
      [60_000, 'floor'],
      [120_000, 'maximum'],
      [60_000, 'back-off'],
    ]);
  });

  it.each<[string, Partial<PollConfig>]>([
    ['an interval below 5 s', { minIntervalMs: 1_000, maxIntervalMs: 2_000, maxErrorIntervalMs: 1_000 }],
    ['zero everywhere', { minIntervalMs: 0, maxIntervalMs: 0, maxErrorIntervalMs: 0, cpuBudget: 0, maxRequestsPerSecond: 0 }],
  ])('never polls sooner than 5 s, even with %s', (_name, overrides) => {
    const config = pollConfig(overrides);
    for (const [delay] of run(at(cycled, polled(0), polled(1), failed(), failed(0), polled(Number.NaN)), config)) {
      expect(delay).toBeGreaterThanOrEqual(5_000);
    }
  });

  it('a maximum below the floor follows the floor', () => {
    expect(pollConfig({ minIntervalMs: 300_000 }).maxIntervalMs).toBe(300_000);
  });

  it('jitter spreads the back-off by up to a fifth, never past the maximum', () => {
    const one = nextPoll(initialPollState(), failed(), DEFAULT_POLL_CONFIG, { rateLimitedForMs: 0, jitter: 0.5 });
    expect(one.delayMs).toBe(5_500);
    let state = initialPollState();
    let last = 0;
    for (let i = 0; i < 10; i++) {
      const d = nextPoll(state, failed(), DEFAULT_POLL_CONFIG, { rateLimitedForMs: 0, jitter: 0.99 });
      state = d.state;
      last = d.delayMs;
    }
    expect(last).toBe(120_000);
  });

  it.each<[number | undefined, number, number]>([
    [undefined, 40, 40],
    [40, 80, 80],
    [80, 40, 60],
    [80, Number.NaN, 80],
    [undefined, -1, 0],
  ])('smoothCost(%s, %s) = %s', (previous, sample, expected) => {
    expect(smoothCost(previous, sample)).toBe(expected);
  });
});
