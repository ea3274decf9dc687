/**
 * A Clock whose time moves only when the test says so: `advance` fires the waits that fall due,
 * in time order, letting the code they release run in between. `onSet` lets a test move another
 * clock along (vi.setSystemTime, so the emulator's request records carry the fake time too).
 */
import { setImmediate as turn } from 'node:timers/promises';
import type { Clock } from '../../electron/engine/clock.js';
import { WsyncError } from '../../electron/engine/errors.js';

interface Waiter {
  at: number;
  resolve: () => void;
}

export class FakeClock implements Clock {
  private t: number;
  private waiters: Waiter[] = [];

  constructor(
    start = Date.UTC(2026, 0, 1),
    private readonly onSet: (t: number) => void = () => undefined,
  ) {
    this.t = start;
    onSet(start);
  }

  now(): number {
    return this.t;
  }

  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new WsyncError('cancelled', 'cancelled while waiting'));
        return;
      }
      const waiter: Waiter = {
        at: this.t + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new WsyncError('cancelled', 'cancelled while waiting'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Waits now pending. */
  get pending(): number {
    return this.waiters.length;
  }

  /** The longest pending wait, from now (0 when none). */
  get longestWaitMs(): number {
    return Math.max(0, ...this.waiters.map((w) => w.at - this.t));
  }

  /** Moves time on by `ms`, releasing every wait due on the way, earliest first. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      const due = this.waiters.filter((w) => w.at <= target).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.waiters = this.waiters.filter((w) => w !== due);
      this.set(Math.max(this.t, due.at));
      due.resolve();
      await settle();
    }
    this.set(target);
    await settle();
  }

  /** Settles `work`, moving time on whenever everything it started is waiting on this clock. */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    work.then(
      () => (done = true),
      () => (done = true),
    );
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by the work's callbacks while this loop advances the clock
    while (!done) {
      if (this.waiters.length > 0) await this.advance(Math.max(0, Math.min(...this.waiters.map((w) => w.at)) - this.t));
      else await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return work;
  }

  /** Resolves (in real time) once `count` waits are pending; fails after `timeoutMs`. */
  async waitersReach(count: number, timeoutMs = 10_000): Promise<void> {
    const started = performance.now();
    while (this.waiters.length < count) {
      if (performance.now() - started > timeoutMs) throw new Error(`fake clock: ${this.waiters.length} waits pending, expected ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  private set(t: number): void {
    this.t = t;
    this.onSet(t);
  }
}

/** Lets promise chains released by a wait run before time moves again. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await turn();
}
