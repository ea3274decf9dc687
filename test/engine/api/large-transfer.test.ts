/**
 * A 600 MB-class file up (through the three-step flow, being over 500,000,000 bytes) and back
 * down, streamed: the process's resident memory may not grow by 100 MB or more while it moves.
 * The emulator runs in this process, so its memory counts too (a stricter bound).
 */
import { statSync } from 'node:fs';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, WS, type ClientRig } from './support.js';

const SIZE = 600_000_000;
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

let rig: ClientRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

describe('a 600 MB-class transfer', () => {
  it('uploads via the three-step flow and downloads back with memory growth under 100 MB', { timeout: 300_000 }, async () => {
    const source = join(rig.dir, 'huge.bin');
    await writeFile(source, 'head of a sparse file');
    await truncate(source, SIZE);

    let lastUp = 0;
    const up = await peakRssGrowth(() => rig.api.upload(source, 'huge/huge.bin', { onProgress: (p) => (lastUp = p.bytesDone) }));
    expect(up.result.file.size).toBe(SIZE);
    expect(lastUp).toBe(SIZE);
    expect(rig.emu.counters()).toMatchObject({ upload: 0, 'upload-url': 1, 'storage-put': 1, 'upload-confirm': 1 });
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
    expect(rig.emu.admin.list(WS).map((f) => f.etag)).toEqual([up.result.md5]);
    console.log(`RSS growth: upload ${(up.growth / 1e6).toFixed(1)} MB (${up.samples} samples), download ${(down.growth / 1e6).toFixed(1)} MB (${down.samples} samples)`);
  });
});
