/**
 * The client's one retry layer and its rate gate, on a fake clock (the emulator's request records
 * carry the same fake time, so the gaps they show are the client's, not the test machine's):
 * a 429 with Retry-After stops every request of the client until then; a call makes at most
 * `limit + 1` attempts, under one growing back-off, whichever requests it is made of; every wait
 * ends when the call is aborted.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FilesApiClient } from '../../../electron/engine/api/client.js';
import type { RemoteFile } from '../../../electron/engine/model/trees.js';
import { FakeClock } from '../../support/fake-clock.js';
import { expectKind, fakeServer, sendJson, startRig, WS, type ClientRig } from './support.js';

const T0 = Date.UTC(2026, 0, 1, 12);
let rig: ClientRig;
let clock: FakeClock;

beforeEach(async () => {
  rig = await startRig();
  // Only Date: real timers keep the sockets going, while every record and wait reads fake time.
  vi.useFakeTimers({ toFake: ['Date'] });
  clock = new FakeClock(T0, (t) => vi.setSystemTime(t));
});
afterEach(async () => {
  vi.useRealTimers();
  await rig.close();
});

async function seed(path: string, bytes: Buffer | string): Promise<RemoteFile> {
  await rig.emu.admin.put(WS, path, bytes);
  const file = await rig.api.stat(path);
  if (file === null) throw new Error(`seeded ${path} missing`);
  return file;
}

function fakeClient(retry: Record<string, number> = {}): FilesApiClient {
  return rig.client({ clock, random: () => 0, retry: { baseDelayMs: 500, maxDelayMs: 30_000, ...retry } });
}

const records = () => rig.emu.requests().map((r) => ({ kind: r.kind, status: r.status, at: r.at - T0 }));

describe('one rate gate per client', () => {
  it('a 429 with Retry-After: 300 stops every request of that client for 300 s', async () => {
    const files = await Promise.all(['a', 'b', 'c'].map((n) => seed(`${n}.txt`, n.repeat(10))));
    rig.emu.resetCounters();
    const api = fakeClient();
    rig.emu.faults.failNth = 1;
    rig.emu.faults.failNthStatus = 429;
    rig.emu.faults.retryAfterSeconds = 300;

    // Longer than a call waits (maxRetryAfterMs, 2 min): the call that was told gives up at once...
    const told = await expectKind(api.list(), 'rate-limited');
    expect(told.retryAfterMs).toBe(300_000);
    expect(told.attempts).toBe(1);
    // ...and every other call of the client fails without a request while the wait left is longer...
    for (const at of [0, 60_000, 179_000]) {
      await clock.advance(at - (clock.now() - T0));
      const refused = await Promise.all([
        expectKind(api.list(), 'rate-limited'),
        ...files.map((f) => expectKind(api.download(f, join(rig.dir, 'out', f.path)), 'rate-limited')),
        expectKind(api.delete(files[0]?.key ?? ''), 'rate-limited'),
      ]);
      expect(refused.every((e) => e.code === 'rate-gate-closed' && e.attempts === 0)).toBe(true);
      expect(refused[0].retryAfterMs).toBe(300_000 - at);
    }
    // ...and once it is short enough, waits for it.
    await clock.advance(250_000 - 179_000);
    const listing = api.list();
    const download = api.download(files[0] as RemoteFile, join(rig.dir, 'out', 'a.txt'));
    await clock.waitersReach(2);
    await clock.advance(49_999);
    expect(records()).toEqual([{ kind: 'list', status: 429, at: 0 }]);

    await clock.advance(1);
    expect((await listing).files).toHaveLength(3);
    await download;
    expect(records().map((r) => r.at)).toEqual([0, 300_000, 300_000, 300_000]);
    expect(
      records()
        .slice(1)
        .map((r) => [r.kind, r.status])
        .sort(),
    ).toEqual([
      ['download-url', 200],
      ['list', 200],
      ['storage-get', 200],
    ]);
  });

  it('a client that may wait that long pauses every worker until then, and all resume together', async () => {
    const files = await Promise.all(['a', 'b', 'c', 'd'].map((n) => seed(`${n}.bin`, n.repeat(1000))));
    rig.emu.resetCounters();
    const api = fakeClient({ maxRetryAfterMs: 600_000 });
    rig.emu.faults.failNth = 1;
    rig.emu.faults.failNthStatus = 429;
    rig.emu.faults.retryAfterSeconds = 300;

    const first = api.download(files[0] as RemoteFile, join(rig.dir, 'out', 'a.bin'));
    await clock.waitersReach(1);
    // Three more workers start while the gate is closed: none of them sends anything.
    const others = files.slice(1).map((f) => api.download(f, join(rig.dir, 'out', f.path)));
    await clock.waitersReach(4);
    expect(api.rateLimitedForMs()).toBe(300_000);
    await clock.advance(299_999);
    expect(clock.pending).toBe(4);
    expect(records()).toEqual([{ kind: 'download-url', status: 429, at: 0 }]);

    await clock.advance(1);
    await Promise.all([first, ...others]);
    const after = records().slice(1);
    expect(after).toHaveLength(8);
    expect(after.every((r) => r.status === 200 && r.at >= 300_000)).toBe(true);
    // The one that was told waited its Retry-After plus jitter at most: all four went at 300 s.
    expect(Math.max(...after.map((r) => r.at))).toBeLessThan(301_000);
  });

  it('a 503 with Retry-After closes the gate too (S3 SlowDown, maintenance)', async () => {
    let calls = 0;
    const server = await fakeServer((_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(503, { 'Retry-After': '20', 'Content-Type': 'application/json' });
        res.end('{"error":{"code":"unavailable","message":"maintenance"}}');
        return;
      }
      sendJson(res, 200, { files: [], next_cursor: null });
    });
    try {
      const api = rig.client({ server: server.url, clock, random: () => 0 });
      const first = api.list('x/');
      await clock.waitersReach(1);
      const second = api.list('y/');
      await clock.waitersReach(2);
      await clock.advance(19_999);
      expect(calls).toBe(1);
      await clock.advance(1);
      await Promise.all([first, second]);
      expect(calls).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('a 503 naming a longer wait than a call sits through is "come back later": rate-limited, gate closed', async () => {
    let calls = 0;
    const server = await fakeServer((_req, res) => {
      calls += 1;
      res.writeHead(503, { 'Retry-After': '600', 'Content-Type': 'application/json' });
      res.end('{"error":{"code":"maintenance","message":"down for maintenance"}}');
    });
    try {
      const api = rig.client({ server: server.url, clock, random: () => 0 });
      const err = await expectKind(api.list('x/'), 'rate-limited');
      expect(err.message).toContain('the server asked to wait 600 s');
      expect(err).toMatchObject({ status: 503, retryAfterMs: 600_000, attempts: 1 });
      await expectKind(api.list('y/'), 'rate-limited');
      expect(calls).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('pause or stop during a gate wait ends the call at once, without a request', async () => {
    const file = await seed('a.bin', 'abc');
    rig.emu.resetCounters();
    const api = fakeClient({ maxRetryAfterMs: 600_000 });
    rig.emu.faults.failNth = 1;
    rig.emu.faults.failNthStatus = 429;
    rig.emu.faults.retryAfterSeconds = 300;
    const controller = new AbortController();
    const waiting = api.download(file, join(rig.dir, 'out', 'a.bin'), { signal: controller.signal });
    await clock.waitersReach(1);
    controller.abort();
    await expectKind(waiting, 'cancelled');
    expect(clock.pending).toBe(0);
    expect(records()).toEqual([{ kind: 'download-url', status: 429, at: 0 }]);
  });
});

describe('one retry budget per call', () => {
  const LIMIT = 3;
  const failed = (kind: string) => rig.emu.requests().filter((r) => r.kind === kind && r.status !== 200 && r.status !== 201).length;

  /** Every API request fails with `status`; the call under test runs to its end on the fake clock. */
  async function persistently<T>(status: number, call: (api: FilesApiClient) => Promise<T>) {
    const api = fakeClient({ limit: LIMIT });
    rig.emu.resetCounters();
    rig.emu.faults.failureRate = 1;
    rig.emu.faults.failureStatuses = [status];
    const lines = rig.log.lines.length;
    const err = await expectKind(clock.run(call(api)), 'transient');
    const waits = rig.log.lines
      .slice(lines)
      .filter((l) => l.includes('"message":"retrying'))
      .map((l) => (JSON.parse(l) as { delayMs: number }).delayMs);
    return { err, waits, requests: records() };
  }

  const calls: [string, (api: FilesApiClient) => Promise<unknown>][] = [
    ['list', (api) => api.list()],
    ['stat', (api) => api.stat('a.txt')],
    ['delete', (api) => api.delete('some-key')],
  ];
  it.each(calls)('a %s that keeps failing makes limit + 1 requests under one growing back-off', async (kind, call) => {
    const { err, waits, requests } = await persistently(503, call);
    expect(requests.map((r) => r.kind)).toEqual(Array(LIMIT + 1).fill(kind === 'stat' ? 'list' : kind));
    expect(err.attempts).toBe(LIMIT + 1);
    expect(waits).toEqual([250, 500, 1000]);
    // The records show the same waits between the requests.
    expect(requests.map((r) => r.at)).toEqual([0, 250, 750, 1750]);
  });

  it('a download whose presigned URL keeps failing: limit + 1 requests, no storage GET', async () => {
    const file = await seed('a.bin', 'abc');
    const { err, requests } = await persistently(500, (api) => api.download(file, join(rig.dir, 'out', 'a.bin')));
    expect(requests.map((r) => r.kind)).toEqual(Array(LIMIT + 1).fill('download-url'));
    expect(err.attempts).toBe(LIMIT + 1);
  });

  it('an upload that keeps failing: limit + 1 multipart requests', async () => {
    writeFileSync(join(rig.dir, 'u.txt'), 'upload me');
    const { err, requests } = await persistently(502, (api) => api.upload(join(rig.dir, 'u.txt'), 'u.txt'));
    expect(requests.map((r) => r.kind)).toEqual(Array(LIMIT + 1).fill('upload'));
    expect(err.attempts).toBe(LIMIT + 1);
  });

  it('a large upload shares one budget across reservation, PUT and confirm', async () => {
    writeFileSync(join(rig.dir, 'l.bin'), Buffer.alloc(5000, 1));
    const api = rig.client({ clock, random: () => 0, largeUploadThreshold: 1000, retry: { limit: LIMIT, baseDelayMs: 500 } });
    rig.emu.resetCounters();
    // Reservation and PUT go through; the confirm then fails every time.
    rig.emu.onRequest = (record) => {
      if (record.kind === 'storage-put') {
        rig.emu.faults.failureRate = 1;
        rig.emu.faults.failureStatuses = [500];
      }
    };
    const err = await expectKind(clock.run(api.upload(join(rig.dir, 'l.bin'), 'l.bin')), 'transient');
    expect(records().map((r) => r.kind)).toEqual(['upload-url', 'storage-put', ...Array<string>(LIMIT + 1).fill('upload-confirm')]);
    expect(err.attempts).toBe(LIMIT + 1);
    expect(failed('upload-confirm')).toBe(LIMIT + 1);
  });

  it('a download cut short every time gives up after limit + 1 GETs when no attempt gets far', async () => {
    const file = await seed('r.bin', Buffer.alloc(1_000_000, 7));
    rig.emu.resetCounters();
    rig.emu.faults.resetDownloadAfterBytes = 50_000;
    const api = fakeClient({ limit: LIMIT });
    const err = await expectKind(clock.run(api.download(file, join(rig.dir, 'out', 'r.bin'))), 'transient');
    expect(err.attempts).toBe(LIMIT + 1);
    expect(rig.emu.counters()).toMatchObject({ 'download-url': 1, 'storage-get': LIMIT + 1 });
  });
});
