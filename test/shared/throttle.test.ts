import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createThrottle } from '../../electron/shared/throttle.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Most runs that fall within any window of `ms` (half open, as a rate is counted). */
function mostWithin(times: readonly number[], ms: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] as number) - (times[j] as number) >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('createThrottle', () => {
  it('runs the first request on the next turn, and requests made meanwhile join it', () => {
    const runs: number[] = [];
    const throttle = createThrottle(100, () => runs.push(Date.now()), Date.now);
    throttle.request();
    throttle.request();
    expect(runs).toHaveLength(0);
    vi.advanceTimersByTime(0);
    expect(runs).toHaveLength(1);
    throttle.request();
    vi.advanceTimersByTime(99);
    expect(runs).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(runs).toHaveLength(2);
  });

  it('never runs twice within its interval when its timer fires a fraction early by the finer clock', () => {
    // The clock the throttle reads runs 0.9 ms ahead of the timers every other millisecond, as a
    // sub-millisecond clock does beside timers that keep whole milliseconds.
    const fine = (): number => Date.now() + (Date.now() % 2 === 0 ? 0.9 : 0);
    const runs: number[] = [];
    const throttle = createThrottle(100, () => runs.push(fine()), fine);
    for (let t = 0; t < 5000; t += 7) {
      throttle.request();
      vi.advanceTimersByTime(7);
    }
    expect(runs.length).toBeGreaterThan(40);
    const gaps = runs.slice(1).map((at, i) => at - (runs[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
    expect(mostWithin(runs, 1000)).toBeLessThanOrEqual(10);
  });

  it('flush runs a waiting request at once; cancel drops it', () => {
    const runs: number[] = [];
    const throttle = createThrottle(100, () => runs.push(Date.now()), Date.now);
    throttle.request();
    vi.advanceTimersByTime(0);
    throttle.request();
    throttle.flush();
    expect(runs).toHaveLength(2);
    throttle.request();
    throttle.cancel();
    vi.advanceTimersByTime(500);
    expect(runs).toHaveLength(2);
  });
});
