/**
 * Runs `task` at most once per `intervalMs`: the first request after a quiet spell runs on the
 * next turn of the event loop (so changes made together go out together), later ones wait for the
 * interval to pass, and requests made while one is waiting join it.
 */
// The timers every JavaScript host has (shared code sees neither Node's nor the DOM's typings).
declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare const performance: { now(): number };

export interface Throttle {
  /** Asks for a run. */
  request(): void;
  /** Runs now if a run is waiting. */
  flush(): void;
  cancel(): void;
}

export function createThrottle(intervalMs: number, task: () => void, now: () => number = () => performance.now()): Throttle {
  let last = Number.NEGATIVE_INFINITY;
  let timer: unknown = null;
  const wait = (): number => Math.max(0, Math.ceil(last + intervalMs - now()));
  const run = (): void => {
    timer = null;
    last = now();
    task();
  };
  const due = (): void => {
    // Timers keep whole milliseconds and may fire a fraction early by a finer clock: wait that out,
    // or two runs could fall less than intervalMs apart (11 in a second at 100 ms).
    if (wait() > 0) timer = setTimeout(due, wait());
    else run();
  };
  return {
    request() {
      if (timer !== null) return;
      timer = setTimeout(due, wait());
    },
    flush() {
      if (timer === null) return;
      clearTimeout(timer);
      run();
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
