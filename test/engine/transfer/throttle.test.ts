import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../electron/engine/clock.js';
import { createTokenBucket, throttleStream } from '../../../electron/engine/transfer/throttle.js';
import { isWsyncError } from '../../../electron/engine/errors.js';

/** A clock that moves only when the bucket waits, so elapsed time is exact and instant. */
function virtualClock(): Clock & { elapsed: () => number } {
  let t = 0;
  return {
    now: () => t,
    wait: async (ms, signal) => {
      if (signal?.aborted) throw new Error('aborted');
      t += ms;
    },
    elapsed: () => t,
  };
}

async function pump(data: Buffer, stream: NodeJS.ReadWriteStream): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]), stream, async (source) => {
    for await (const chunk of source) out.push(chunk as Buffer);
  });
  return Buffer.concat(out);
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

describe('bandwidth throttle', () => {
  it('passes every byte through unchanged and in order', async () => {
    const data = randomBytes(1_000_000);
    const out = await pump(data, throttleStream(createTokenBucket(100_000, virtualClock())));
    expect(md5(out)).toBe(md5(data));
  });

  it('takes as long as the limit says, less the first burst (virtual clock)', async () => {
    const clock = virtualClock();
    const bucket = createTokenBucket(100_000, clock);
    await pump(randomBytes(1_000_000), throttleStream(bucket));
    const ideal = ((1_000_000 - bucket.burst) / 100_000) * 1000;
    expect(clock.elapsed()).toBeGreaterThanOrEqual(ideal - 1);
    expect(clock.elapsed()).toBeLessThanOrEqual(ideal + 100);
  });

  it('holds the limit for two transfers sharing one bucket', async () => {
    const clock = virtualClock();
    const bucket = createTokenBucket(50_000, clock);
    await Promise.all([pump(randomBytes(250_000), throttleStream(bucket)), pump(randomBytes(250_000), throttleStream(bucket))]);
    expect(clock.elapsed()).toBeGreaterThanOrEqual(((500_000 - bucket.burst) / 50_000) * 1000 - 1);
  });

  it('does not wait at all when unlimited (rate 0)', async () => {
    const clock = virtualClock();
    await pump(randomBytes(1_000_000), throttleStream(createTokenBucket(0, clock)));
    expect(clock.elapsed()).toBe(0);
  });

  it('a new rate applies to the rest of a running transfer', async () => {
    const clock = virtualClock();
    const bucket = createTokenBucket(10_000, clock);
    bucket.setRate(1_000_000);
    await pump(randomBytes(1_000_000), throttleStream(bucket));
    expect(clock.elapsed()).toBeLessThan(1_500);
  });

  it('stops with a cancelled error when its signal fires', async () => {
    const bucket = createTokenBucket(10_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await pump(randomBytes(200_000), throttleStream(bucket, controller.signal)).catch((e: unknown) => e);
    expect(isWsyncError(err, 'cancelled')).toBe(true);
  });
});
