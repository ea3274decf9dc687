/**
 * Every emulator fault knob against the client: retried where the contract says so (5xx, 429
 * after Retry-After, resets, expired URLs, wrong bytes), never for 401/403, with timeouts on
 * idle sockets. Waits are measured by the emulator's recorded arrival times, not by sleeping.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RemoteFile } from '../../../electron/engine/model/trees.js';
import { createFilesApi } from '../../../electron/engine/api/client.js';

import { expectKind, FAST_RETRY, KEY, startRig, WS, type ClientRig } from './support.js';

const md5 = (bytes: Buffer | string) => createHash('md5').update(bytes).digest('hex');

/** A small deterministic PRNG (mulberry32) for the emulator's failureRate. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let rig: ClientRig;
beforeEach(async () => {
  rig = await startRig({ random: seeded(7) });
});
afterEach(async () => {
  await rig.close();
});

async function seed(path: string, bytes: Buffer | string): Promise<RemoteFile> {
  await rig.emu.admin.put(WS, path, bytes);
  const file = await rig.api.stat(path);
  if (file === null) throw new Error(`seeded ${path} missing`);
  rig.emu.resetCounters();
  return file;
}

const statuses = (kind: string) =>
  rig.emu
    .requests()
    .filter((r) => r.kind === kind)
    .map((r) => r.status);

describe('server errors and rate limits', () => {
  it('failNth 500 on a list is retried once and the listing is whole', async () => {
    await seed('a.txt', 'a');
    rig.emu.faults.failNth = 1;
    rig.emu.faults.failNthStatus = 500;
    expect((await rig.api.list()).files).toHaveLength(1);
    expect(statuses('list')).toEqual([500, 200]);
  });

  it('failureRate: every call eventually succeeds, each failure retried', async () => {
    await seed('a.txt', 'abc');
    rig.emu.faults.failureRate = 0.4;
    rig.emu.faults.failureStatuses = [500, 502, 503];
    const api = rig.client({ retry: { ...FAST_RETRY, limit: 10 } });
    for (let i = 0; i < 10; i += 1) expect((await api.list()).files).toHaveLength(1);
    const listed = statuses('list');
    expect(listed.filter((s) => s === 200)).toHaveLength(10);
    expect(listed.filter((s) => s !== 200).length).toBeGreaterThan(0);
    expect(listed.every((s) => [200, 500, 502, 503].includes(s))).toBe(true);
  });

  it('gives up after the retry limit with a transient error naming the endpoint', async () => {
    rig.emu.faults.failureRate = 1;
    rig.emu.faults.failureStatuses = [503];
    const err = await expectKind(rig.client({ retry: { ...FAST_RETRY, limit: 2 } }).list('x/'), 'transient');
    expect(err.status).toBe(503);
    expect(err.message).toContain('GET /v1/files');
    expect(statuses('list')).toEqual([503, 503, 503]);
  });

  it('429 on a JSON call: the retry arrives no sooner than Retry-After', async () => {
    await seed('a.txt', 'a');
    rig.emu.faults.failNth = 1;
    rig.emu.faults.failNthStatus = 429;
    rig.emu.faults.retryAfterSeconds = 1;
    await rig.api.list();
    const lists = rig.emu.requests().filter((r) => r.kind === 'list');
    expect(lists.map((r) => r.status)).toEqual([429, 200]);
    expect((lists[1]?.at ?? 0) - (lists[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('429 on a multipart upload: the retry arrives no sooner than Retry-After', async () => {
    writeFileSync(join(rig.dir, 'u.txt'), 'upload me');
    rig.emu.faults.failNth = 1;
    rig.emu.faults.failNthStatus = 429;
    rig.emu.faults.retryAfterSeconds = 1;
    await rig.api.upload(join(rig.dir, 'u.txt'), 'u.txt');
    const uploads = rig.emu.requests().filter((r) => r.kind === 'upload');
    // One wait only: one retry layer.
    expect(rig.log.lines.filter((l) => l.includes('retrying'))).toHaveLength(1);
    expect(uploads.map((r) => r.status)).toEqual([429, 201]);
    expect((uploads[1]?.at ?? 0) - (uploads[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('a Retry-After beyond maxRetryAfterMs is not waited for: rate-limited goes up with the wait', async () => {
    rig.emu.faults.failNth = 1;
    rig.emu.faults.failNthStatus = 429;
    rig.emu.faults.retryAfterSeconds = 600;
    const err = await expectKind(rig.api.list(), 'rate-limited');
    expect(err.retryAfterMs).toBe(600_000);
    expect(statuses('list')).toEqual([429]);
  });
});

describe('authentication', () => {
  it('401 (unknown key) is surfaced at once, without retries', async () => {
    const api = createFilesApi({ server: rig.emu.url, workspace: WS, apiKey: 'wrong-key-123', retry: FAST_RETRY });
    const err = await expectKind(api.list(), 'auth');
    expect(err.status).toBe(401);
    expect(statuses('list')).toEqual([401]);
  });

  it('403 (key without the files scope) is surfaced at once, without retries', async () => {
    const api = createFilesApi({ server: rig.emu.url, workspace: WS, apiKey: 'no-scope-key-77', retry: FAST_RETRY });
    const err = await expectKind(api.list(), 'auth');
    expect(err.status).toBe(403);
    expect(statuses('list')).toEqual([403]);
  });

  it.each([401, 403])('%i on download-url, upload and delete is never retried', async (status) => {
    const file = await seed('a.txt', 'abc');
    writeFileSync(join(rig.dir, 'u.txt'), 'u');
    for (const call of [
      () => rig.api.download(file, join(rig.dir, 'a.txt')),
      () => rig.api.upload(join(rig.dir, 'u.txt'), 'u.txt'),
      () => rig.api.delete(file.key),
    ]) {
      rig.emu.faults.failNth = 1;
      rig.emu.faults.failNthStatus = status;
      await expectKind(call(), 'auth');
    }
    expect(rig.emu.requests().map((r) => [r.kind, r.status])).toEqual([
      ['download-url', status],
      ['upload', status],
      ['delete', status],
    ]);
  });
});

describe('timeouts', () => {
  it('a server that stays silent longer than the idle timeout fails as transient after bounded retries', async () => {
    rig.emu.faults.latencyMs = 1000;
    const api = rig.client({ timeouts: { idleMs: 150 }, retry: { ...FAST_RETRY, limit: 1 } });
    const err = await expectKind(api.list(), 'transient');
    expect(err.code).toBe('ETIMEDOUT');
    expect(rig.emu.requests().filter((r) => r.kind === 'list').length).toBe(2);
  });

  it('a refused connection is transient', async () => {
    const url = rig.emu.url;
    await rig.emu.close();
    const api = createFilesApi({ server: url, workspace: WS, apiKey: KEY, retry: { ...FAST_RETRY, limit: 1 } });
    const err = await expectKind(api.list(), 'transient');
    expect(err.code).toBe('ECONNREFUSED');
    rig = { ...rig, close: async () => undefined };
  });
});

describe('downloads under faults', () => {
  const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) % 251));

  it('resumes with Range after a reset mid-download: progress never goes back, bytes are right', async () => {
    const file = await seed('r.bin', bytes);
    rig.emu.faults.resetDownloadAfterBytes = 50_000;
    rig.emu.faults.resetCount = 2;
    const progress: number[] = [];
    const result = await rig.api.download(file, join(rig.dir, 'r.bin'), { onProgress: (p) => progress.push(p.bytesDone) });
    expect(result.md5).toBe(md5(bytes));
    expect(readFileSync(join(rig.dir, 'r.bin')).equals(bytes)).toBe(true);
    expect(rig.emu.counters()).toMatchObject({ 'download-url': 1, 'storage-get': 3 });
    expect(progress.every((p, i) => i === 0 || p >= (progress[i - 1] ?? 0))).toBe(true);
    expect(progress.at(-1)).toBe(bytes.length);
  });

  it('asks for a fresh URL when storage refuses an expired one, then completes', async () => {
    const file = await seed('e.bin', bytes);
    rig.emu.faults.expiredUrls = true;
    rig.emu.onRequest = (record) => {
      if (record.kind === 'storage-get') rig.emu.faults.expiredUrls = false;
    };
    await rig.api.download(file, join(rig.dir, 'e.bin'));
    expect(readFileSync(join(rig.dir, 'e.bin')).equals(bytes)).toBe(true);
    expect(rig.emu.requests().map((r) => [r.kind, r.status])).toEqual([
      ['download-url', 200],
      ['storage-get', 403],
      ['download-url', 200],
      ['storage-get', 200],
    ]);
  });

  it('rejects corrupted bytes and fetches again', async () => {
    const file = await seed('c.bin', bytes);
    rig.emu.faults.corruptDownloads = true;
    let gets = 0;
    rig.emu.onRequest = (record) => {
      if (record.kind === 'storage-get' && ++gets === 2) rig.emu.faults.corruptDownloads = false;
    };
    const result = await rig.api.download(file, join(rig.dir, 'c.bin'));
    expect(result.md5).toBe(md5(bytes));
    expect(readFileSync(join(rig.dir, 'c.bin')).equals(bytes)).toBe(true);
    expect(rig.emu.counters()['storage-get']).toBe(2);
    expect(rig.log.lines.some((l) => l.includes('md5-mismatch'))).toBe(true);
  });

  it('always-corrupt bytes end in invalid-response after bounded attempts, leaving no file', async () => {
    const file = await seed('c.bin', bytes);
    rig.emu.faults.corruptDownloads = true;
    await expectKind(rig.client({ retry: { ...FAST_RETRY, limit: 2 } }).download(file, join(rig.dir, 'out', 'c.bin')), 'invalid-response');
    expect(rig.emu.counters()['storage-get']).toBe(3);
    expect(readdirSync(join(rig.dir, 'out'))).toEqual([]);
  });

  it('URLs that are always expired end in a transient url-refused error, leaving no file', async () => {
    const file = await seed('x.bin', bytes);
    rig.emu.faults.expiredUrls = true;
    const err = await expectKind(rig.client({ retry: { ...FAST_RETRY, limit: 2 } }).download(file, join(rig.dir, 'out', 'x.bin')), 'transient');
    expect(err.code).toBe('url-refused');
    expect(rig.emu.counters()).toMatchObject({ 'download-url': 3, 'storage-get': 3 });
    expect(readdirSync(join(rig.dir, 'out'))).toEqual([]);
  });
});

describe('uploads under faults', () => {
  const bytes = Buffer.alloc(200_000, 0x33);

  it('a connection reset mid-multipart is retried from the start of the file', async () => {
    writeFileSync(join(rig.dir, 'u.bin'), bytes);
    rig.emu.faults.resetUploadAfterBytes = 50_000;
    rig.emu.faults.resetCount = 1;
    const result = await rig.api.upload(join(rig.dir, 'u.bin'), 'u.bin');
    expect(result.md5).toBe(md5(bytes));
    // A reset while the body is going out reads as ECONNRESET (retry) or, by timing, EPIPE
    // (taken as a refused body: the three-step flow). Both end with the whole file stored.
    expect([
      ['upload', 'upload'],
      ['upload', 'upload-url', 'storage-put', 'upload-confirm'],
    ]).toContainEqual(rig.emu.requests().map((r) => r.kind));
    expect((await rig.emu.admin.read(WS, 'u.bin'))?.equals(bytes)).toBe(true);
  });

  it('a reset mid-PUT and an expired upload URL in the three-step flow are both recovered', async () => {
    writeFileSync(join(rig.dir, 'l.bin'), bytes);
    const api = rig.client({ largeUploadThreshold: 1000 });
    rig.emu.faults.resetUploadAfterBytes = 50_000;
    rig.emu.faults.resetCount = 1;
    await api.upload(join(rig.dir, 'l.bin'), 'l.bin');
    expect(rig.emu.counters()).toMatchObject({ 'upload-url': 1, 'storage-put': 2, 'upload-confirm': 1 });

    rig.emu.resetCounters();
    rig.emu.faults.expiredUrls = true;
    rig.emu.onRequest = (record) => {
      if (record.kind === 'storage-put') rig.emu.faults.expiredUrls = false;
    };
    await api.upload(join(rig.dir, 'l.bin'), 'l2.bin');
    expect(rig.emu.requests().map((r) => [r.kind, r.status])).toEqual([
      ['upload-url', 200],
      ['storage-put', 403],
      ['upload-url', 200],
      ['storage-put', 200],
      ['upload-confirm', 200],
    ]);
    expect((await rig.emu.admin.read(WS, 'l2.bin'))?.equals(bytes)).toBe(true);
  });

  it('a 5xx on upload-confirm is retried (confirming twice is harmless)', async () => {
    writeFileSync(join(rig.dir, 'l.bin'), bytes);
    const api = rig.client({ largeUploadThreshold: 1000 });
    rig.emu.onRequest = (record) => {
      if (record.kind === 'storage-put') {
        rig.emu.faults.failNth = 1;
        rig.emu.faults.failNthStatus = 502;
      }
    };
    await api.upload(join(rig.dir, 'l.bin'), 'l.bin');
    expect(statuses('upload-confirm')).toEqual([502, 200]);
  });
});
