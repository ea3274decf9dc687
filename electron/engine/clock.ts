/**
 * Time as an argument: every wait and every "when" in the engine goes through a Clock, so tests
 * pass a fake one and never sleep. `now` is wall-clock milliseconds since the epoch, because some
 * of these times are stored (a file's next attempt) and must mean the same after a restart.
 */
import { WsyncError } from './errors.js';

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with a `cancelled` WsyncError as soon as the signal fires. */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
}

function cancelled(): WsyncError {
  return new WsyncError('cancelled', 'cancelled while waiting');
}

export const systemClock: Clock = {
  now: () => Date.now(),
  wait: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelled());
        return;
      }
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Runs `fn` once `ms` have passed on `clock`; the returned function cancels it (a no-op once it ran). */
export function after(clock: Clock, ms: number, fn: () => void): () => void {
  const stop = new AbortController();
  clock.wait(ms, stop.signal).then(fn, () => undefined);
  return () => stop.abort();
}
