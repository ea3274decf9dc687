/**
 * The streaming MD5: inline for small transfers, in the worker thread for large ones; either way
 * the digest is the MD5 of exactly the bytes given, whatever the chunking.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { md5OfFile, streamingMd5, WORKER_HASH_MIN_BYTES, type StreamingMd5 } from '../../../electron/engine/transfer/md5.js';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

async function feed(hash: StreamingMd5, bytes: Buffer, chunk: number): Promise<void> {
  for (let at = 0; at < bytes.length; at += chunk) {
    const wait = hash.update(bytes.subarray(at, at + chunk));
    if (wait !== undefined) await wait;
  }
}

describe('streamingMd5', () => {
  it('a small transfer hashes inline: update never asks to wait', async () => {
    const bytes = randomBytes(100_000);
    const hash = streamingMd5(bytes.length);
    for (let at = 0; at < bytes.length; at += 4096) expect(hash.update(bytes.subarray(at, at + 4096))).toBeUndefined();
    expect(await hash.digest()).toBe(md5(bytes));
  });

  it.each([1000, 65_536, 3_000_000])('a large transfer in %i-byte chunks digests to the MD5 of the bytes', async (chunk) => {
    const bytes = randomBytes(WORKER_HASH_MIN_BYTES + 5_555_555);
    const hash = streamingMd5(bytes.length);
    await feed(hash, bytes, chunk);
    expect(await hash.digest()).toBe(md5(bytes));
    hash.dispose();
  });

  it('asks the caller to wait once its blocks are all with the worker, and still gets every byte', async () => {
    const bytes = randomBytes(40 * 1024 * 1024);
    const hash = streamingMd5(bytes.length);
    let waits = 0;
    for (let at = 0; at < bytes.length; at += 1024 * 1024) {
      const wait = hash.update(bytes.subarray(at, at + 1024 * 1024));
      if (wait !== undefined) {
        waits += 1;
        await wait;
      }
    }
    expect(waits).toBeGreaterThan(0);
    expect(await hash.digest()).toBe(md5(bytes));
    hash.dispose();
  });

  it('digest mid-way, carry on, reset: each answer covers exactly the bytes since the start or the reset', async () => {
    const a = randomBytes(6 * 1024 * 1024);
    const b = randomBytes(3 * 1024 * 1024 + 17);
    const hash = streamingMd5(WORKER_HASH_MIN_BYTES * 4);
    await feed(hash, a, 100_000);
    expect(await hash.digest()).toBe(md5(a));
    await feed(hash, b, 100_000);
    expect(await hash.digest()).toBe(md5(Buffer.concat([a, b])));
    hash.reset();
    await feed(hash, b, 77_777);
    expect(await hash.digest()).toBe(md5(b));
    hash.dispose();
  });

  it('concurrent hashes in the one worker stay apart', async () => {
    const inputs = [randomBytes(5_000_000), randomBytes(7_000_000), randomBytes(9_000_000)];
    const digests = await Promise.all(
      inputs.map(async (bytes, i) => {
        const hash = streamingMd5(bytes.length);
        await feed(hash, bytes, 10_000 * (i + 1));
        const digest = await hash.digest();
        hash.dispose();
        return digest;
      }),
    );
    expect(digests).toEqual(inputs.map(md5));
  });
});

describe('md5OfFile', () => {
  it.each([0, 5, 1024 * 1024, WORKER_HASH_MIN_BYTES + 3_333_333])('a %i-byte file digests to the MD5 of its bytes', async (size) => {
    const dir = mkdtempSync(join(tmpdir(), 'wsync-md5-'));
    try {
      const bytes = randomBytes(size);
      writeFileSync(join(dir, 'f'), bytes);
      expect(await md5OfFile(join(dir, 'f'))).toBe(md5(bytes));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops when the signal fires', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsync-md5-'));
    try {
      writeFileSync(join(dir, 'f'), randomBytes(WORKER_HASH_MIN_BYTES * 2));
      await expect(md5OfFile(join(dir, 'f'), AbortSignal.abort())).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
