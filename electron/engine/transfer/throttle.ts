/**
 * Bandwidth limiting: one token bucket per direction, shared by every transfer in that direction,
 * so the limit holds for the folder as a whole however many transfers run at once.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { systemClock, type Clock } from '../clock.js';
import { WsyncError } from '../errors.js';

function cancelled(): WsyncError {
  return new WsyncError('cancelled', 'Transfer cancelled');
}

/** Smallest burst, so that a low limit still moves data in sensible chunks. */
const MIN_BURST_BYTES = 16 * 1024;

export interface TokenBucket {
  /** Bytes per second; 0 = unlimited. Takes effect for the next chunk. */
  setRate(bytesPerSecond: number): void;
  readonly rate: number;
  /** Largest amount one take() may ask for at the current rate. */
  readonly burst: number;
  /** Waits until `bytes` (at most `burst`) may pass. */
  take(bytes: number, signal?: AbortSignal): Promise<void>;
}

export function createTokenBucket(bytesPerSecond: number, clock: Clock = systemClock): TokenBucket {
  let rate = Math.max(0, bytesPerSecond);
  let burst = burstFor(rate);
  let tokens = burst;
  let refilledAt = clock.now();
  // Callers queue so that one large transfer cannot starve the others.
  let queue: Promise<void> = Promise.resolve();

  function burstFor(r: number): number {
    return Math.max(MIN_BURST_BYTES, Math.floor(r / 4));
  }

  function refill(): void {
    const at = clock.now();
    // A wall clock set back gives no negative refill.
    tokens = Math.min(burst, tokens + (Math.max(0, at - refilledAt) * rate) / 1000);
    refilledAt = at;
  }

  async function takeNow(bytes: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw cancelled();
      if (rate === 0) return;
      refill();
      const need = Math.min(bytes, burst);
      if (tokens >= need) {
        tokens -= need;
        return;
      }
      await clock.wait(Math.ceil(((need - tokens) * 1000) / rate), signal);
    }
  }

  return {
    setRate(next) {
      refill();
      rate = Math.max(0, next);
      burst = burstFor(rate);
      tokens = Math.min(tokens, burst);
    },
    get rate() {
      return rate;
    },
    get burst() {
      return rate === 0 ? Number.POSITIVE_INFINITY : burst;
    },
    take(bytes, signal) {
      const turn = queue.then(() => takeNow(bytes, signal));
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}

/** A pass-through stream that lets bytes out no faster than the bucket allows. */
export function throttleStream(bucket: TokenBucket, signal?: AbortSignal): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      void (async () => {
        let offset = 0;
        while (offset < chunk.length) {
          const size = Math.min(chunk.length - offset, bucket.burst);
          await bucket.take(size, signal);
          this.push(chunk.subarray(offset, offset + size));
          offset += size;
        }
      })().then(
        () => callback(),
        (err: unknown) => callback(err as Error),
      );
    },
  });
}
