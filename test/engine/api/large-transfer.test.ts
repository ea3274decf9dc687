/**
 * A 600 MB-class file up (through the three-step flow, being over 500,000,000 bytes) and back
 * down, streamed: the process's resident memory may not grow by 100 MB or more while it moves.
 * The emulator runs in this process, so its memory counts too (a stricter bound).
 *
 * The growth is measured over a process that has already moved a 64 MB file through the same
 * flows (its figures are logged): a process's first transfer pays one-time costs that say nothing
 * about streaming, namely the hashing worker (its isolate and its 12 MB block pool), compiled code,
 * and the first high-water mark of chunk buffers already freed but not yet collected (V8 reclaims
 * ArrayBuffer memory only at a GC, and freed pages stay resident for reuse). That first 64 MB upload
 * grows RSS by ~50 MB on Node 20 and ~100 MB on Node 24, and by as much for 200 MB; nothing is
 * held: with forced GCs the live ArrayBuffers stay at ~16 MB (the pool plus chunks in flight) for
 * the whole 600 MB, on both. A transfer that held the file or ignored back-pressure grows with
 * its size and still fails here.
 */
import { statSync } from 'node:fs';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestKind } from '../../../emulator/types.js';
import { startRig, WS, type ClientRig } from './support.js';

const SIZE = 600_000_000;
const WARM_UP_SIZE = 64_000_000;
const LIMIT_BYTES = 100 * 1024 * 1024;

/** Samples RSS every 25 ms while `work` runs; returns the peak growth over the starting RSS. */
async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number; samples: number }> {
  const start = process.memoryUsage.rss();
  let peak = start;
  let samples = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    samples += 1;
  }, 25);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growth: peak - start, samples };
  } finally {
    clearInterval(timer);
  }
}

async function sparseFile(path: string, size: number): Promise<string> {
  await writeFile(path, 'head of a sparse file');
  await truncate(path, size);
  return path;
}

function requestsSince(rig: ClientRig, before: Record<RequestKind, number>): Partial<Record<RequestKind, number>> {
  const now = rig.emu.counters();
  return Object.fromEntries(Object.entries(now).map(([kind, count]) => [kind, count - before[kind as RequestKind]]));
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

let rig: ClientRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await rig?.close();
});

describe('a 600 MB-class transfer', () => {
  it('uploads via the three-step flow and downloads back with memory growth under 100 MB', { timeout: 300_000 }, async () => {
    // The warm-up goes through the same flows: three-step up (forced by the threshold), ranged-capable GET down.
    const warmSource = await sparseFile(join(rig.dir, 'warm.bin'), WARM_UP_SIZE);
    const warmUp = await peakRssGrowth(() => rig.client({ largeUploadThreshold: 0 }).upload(warmSource, 'warm/warm.bin'));
    const warmListed = await rig.api.stat('warm/warm.bin');
    if (warmListed === null) throw new Error('warm-up file not listed');
    const warmDown = await peakRssGrowth(() => rig.api.download(warmListed, join(rig.dir, 'back', 'warm.bin')));
    expect(warmDown.result.size).toBe(WARM_UP_SIZE);

    const source = await sparseFile(join(rig.dir, 'huge.bin'), SIZE);
    const before = rig.emu.counters();
    let lastUp = 0;
    const up = await peakRssGrowth(() => rig.api.upload(source, 'huge/huge.bin', { onProgress: (p) => (lastUp = p.bytesDone) }));
    expect(up.result.file.size).toBe(SIZE);
    expect(lastUp).toBe(SIZE);
    expect(requestsSince(rig, before)).toMatchObject({ upload: 0, 'upload-url': 1, 'storage-put': 1, 'upload-confirm': 1 });
    expect(up.samples).toBeGreaterThan(10);
    expect(up.growth).toBeLessThan(LIMIT_BYTES);

    const listed = await rig.api.stat('huge/huge.bin');
    if (listed === null) throw new Error('uploaded file not listed');
    const destination = join(rig.dir, 'back', 'huge.bin');
    const down = await peakRssGrowth(() => rig.api.download(listed, destination));
    expect(down.result).toMatchObject({ md5: up.result.md5, size: SIZE, fetched: SIZE, resumedFrom: 0, placed: true });
    expect(statSync(destination).size).toBe(SIZE);
    expect(down.samples).toBeGreaterThan(10);
    expect(down.growth).toBeLessThan(LIMIT_BYTES);
    expect(rig.emu.admin.list(WS).find((f) => f.path === 'huge/huge.bin')?.etag).toBe(up.result.md5);
    console.log(
      `${process.version} RSS growth: warm-up ${mb(WARM_UP_SIZE)} upload ${mb(warmUp.growth)}, download ${mb(warmDown.growth)}; ` +
        `then ${mb(SIZE)} upload ${mb(up.growth)} (${up.samples} samples), download ${mb(down.growth)} (${down.samples} samples)`,
    );
  });
});
