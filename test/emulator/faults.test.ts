import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FileMeta } from '../../emulator/index.js';
import { errorOf, query, startHarness, WS, type Harness } from './harness.js';

let h: Harness;
/** A scripted random source: failureRate draws come from here. */
let draws: number[] = [];
beforeAll(async () => {
  h = await startHarness({ random: () => draws.shift() ?? 0.99 });
});
afterEach(() => {
  h.emu.resetFaults();
  h.emu.onRequest = null;
  h.emu.onHandled = null;
  draws = [];
});
afterAll(async () => {
  await h.close();
});

const listPath = `/v1/files?${query({ workspace_id: WS })}`;

async function downloadUrl(key: string): Promise<string> {
  const res = await h.api(`/v1/files/download?${query({ workspace_id: WS, key })}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { url: string }).url;
}

/** Reads a URL with node:http, reporting how many body bytes arrived before the end or a reset. */
function rawGet(url: string): Promise<{ status: number; bytes: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), complete: res.complete }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), complete: false }));
      res.on('aborted', () => undefined);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('failure faults on API calls', () => {
  it('failureRate answers 429 with Retry-After when 429 is drawn', async () => {
    h.emu.faults.failureRate = 1;
    h.emu.faults.failureStatuses = [429];
    h.emu.faults.retryAfterSeconds = 7;
    const res = await h.api(listPath);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect((await errorOf(res)).code).toBe('rate_limited');
  });

  it('failureRate answers 500 and 503 as drawn, and only as often as the rate says', async () => {
    h.emu.faults.failureRate = 0.5;
    h.emu.faults.failureStatuses = [500, 503];
    // Per call: one draw against the rate, and when it fails, one draw for the status.
    draws = [0.2, 0.1, 0.7, 0.4, 0.9, 0.6, 0.8];
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await h.api(listPath)).status);
    expect(statuses).toEqual([500, 200, 503, 200, 200]);
  });

  it('failureRate leaves storage URLs alone', async () => {
    const stored = await h.emu.admin.put(WS, 'f/storage.txt', 'fine');
    const url = await downloadUrl(stored.key);
    h.emu.faults.failureRate = 1;
    h.emu.faults.failureStatuses = [503];
    expect((await fetch(url)).status).toBe(200);
    expect((await h.api(listPath)).status).toBe(503);
  });

  it('failNth fails exactly the n-th API call from now with failNthStatus, then stops', async () => {
    h.emu.faults.failNth = 3;
    h.emu.faults.failNthStatus = 502;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await h.api(listPath)).status);
    expect(statuses).toEqual([200, 200, 502, 200, 200]);
    expect(h.emu.faults.failNth).toBeNull();
  });
});

describe('latency', () => {
  it('latencyMs holds each request at least that long', async () => {
    h.emu.faults.latencyMs = 150;
    const started = Date.now();
    expect((await h.api(listPath)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });
});

describe('connection resets', () => {
  it('resetDownloadAfterBytes cuts a download after exactly that many bytes, resetCount times', async () => {
    const body = Buffer.alloc(200_000, 7);
    const stored = await h.emu.admin.put(WS, 'f/cut.bin', body);
    const url = await downloadUrl(stored.key);
    h.emu.faults.resetDownloadAfterBytes = 50_000;
    h.emu.faults.resetCount = 1;
    const cut = await rawGet(url);
    expect(cut.status).toBe(200);
    expect(cut.complete).toBe(false);
    expect(cut.bytes.length).toBe(50_000);
    const whole = await rawGet(url);
    expect(whole.complete).toBe(true);
    expect(whole.bytes.equals(body)).toBe(true);
    expect(h.emu.faults.resetCount).toBe(0);
  });

  it('a cut download resumes with Range from where it stopped', async () => {
    const body = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));
    const stored = await h.emu.admin.put(WS, 'f/resume.bin', body);
    const url = await downloadUrl(stored.key);
    h.emu.faults.resetDownloadAfterBytes = 30_000;
    h.emu.faults.resetCount = 1;
    const cut = await rawGet(url);
    const rest = await fetch(url, { headers: { Range: `bytes=${cut.bytes.length}-` } });
    expect(rest.status).toBe(206);
    const joined = Buffer.concat([cut.bytes, Buffer.from(await rest.arrayBuffer())]);
    expect(joined.equals(body)).toBe(true);
  });

  it('resetUploadAfterBytes cuts a multipart upload, which stores nothing; the next one passes', async () => {
    h.emu.faults.resetUploadAfterBytes = 1000;
    h.emu.faults.resetCount = 1;
    await expect(h.upload('cut.bin', Buffer.alloc(100_000, 1))).rejects.toThrow();
    expect(h.emu.admin.list(WS).some((f) => f.path === 'cut.bin')).toBe(false);
    expect((await h.upload('cut.bin', Buffer.alloc(100_000, 1))).status).toBe(201);
  });

  it('resetUploadAfterBytes cuts a presigned PUT; the object stays unconfirmable until a full PUT', async () => {
    const size = 100_000;
    const info = (await (
      await h.api('/v1/files/upload-url', {
        method: 'POST',
        body: JSON.stringify({ filename: 'put-cut.bin', workspace_id: WS, content_type: 'application/octet-stream', size }),
      })
    ).json()) as { uploadUrl: string; fileKey: string };
    h.emu.faults.resetUploadAfterBytes = 10_000;
    const put = (): Promise<Response> =>
      fetch(info.uploadUrl, { method: 'PUT', body: new Uint8Array(size), headers: { 'Content-Type': 'application/octet-stream' } });
    await expect(put()).rejects.toThrow();
    const confirm = (): Promise<Response> =>
      h.api('/v1/files/upload-confirm', {
        method: 'POST',
        body: JSON.stringify({ file_key: info.fileKey, workspace_id: WS, filename: 'put-cut.bin', size }),
      });
    expect((await confirm()).status).toBe(409);
    h.emu.faults.resetUploadAfterBytes = null;
    expect((await put()).status).toBe(200);
    expect((await confirm()).status).toBe(200);
  });
});

describe('URL and listing faults', () => {
  it('expiredUrls issues download and upload URLs that answer 403', async () => {
    const stored = await h.emu.admin.put(WS, 'f/expired.txt', 'x');
    h.emu.faults.expiredUrls = true;
    expect((await fetch(await downloadUrl(stored.key))).status).toBe(403);
    const info = (await (
      await h.api('/v1/files/upload-url', {
        method: 'POST',
        body: JSON.stringify({ filename: 'e.bin', workspace_id: WS, content_type: 'text/plain', size: 1 }),
      })
    ).json()) as { uploadUrl: string };
    const put = await fetch(info.uploadUrl, { method: 'PUT', body: 'x', headers: { 'Content-Type': 'text/plain' } });
    expect(put.status).toBe(403);
    h.emu.faults.expiredUrls = false;
    expect((await fetch(await downloadUrl(stored.key))).status).toBe(200);
  });

  it('ignoreCursor returns the first page again with a null next_cursor', async () => {
    for (let i = 0; i < 5; i += 1) await h.emu.admin.put(WS, `ic/${i}.txt`, String(i));
    const first = (await (await h.api(`/v1/files?${query({ workspace_id: WS, prefix: 'ic/', limit: 2 })}`)).json()) as {
      files: FileMeta[];
      next_cursor: string | null;
    };
    expect(first.next_cursor).not.toBeNull();
    h.emu.faults.ignoreCursor = true;
    const again = (await (
      await h.api(`/v1/files?${query({ workspace_id: WS, prefix: 'ic/', limit: 2, cursor: first.next_cursor ?? '' })}`)
    ).json()) as { files: FileMeta[]; next_cursor: string | null };
    expect(again.files.map((f) => f.name)).toEqual(first.files.map((f) => f.name));
    expect(again.next_cursor).toBeNull();
  });

  it('corruptDownloads serves bytes of the same length that differ from the stored ones', async () => {
    const body = Buffer.from('the real bytes of this file');
    const stored = await h.emu.admin.put(WS, 'f/corrupt.txt', body);
    const url = await downloadUrl(stored.key);
    h.emu.faults.corruptDownloads = true;
    const served = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(served.length).toBe(body.length);
    expect(served.equals(body)).toBe(false);
    expect((await h.emu.admin.read(WS, 'f/corrupt.txt'))?.equals(body)).toBe(true);
  });
});

describe('request records', () => {
  it('counts requests by kind, records path without query and status, and leaves admin calls out', async () => {
    h.emu.resetCounters();
    const stored = await h.emu.admin.put(WS, 'rec/a.txt', 'a');
    await h.api(listPath);
    const url = await downloadUrl(stored.key);
    await fetch(url);
    await h.upload('rec-b.txt', 'b');
    await h.api(`/v1/files?${query({ workspace_id: WS, key: 'obj_missing' })}`, { method: 'DELETE' });
    await h.api('/nowhere');
    const counts = h.emu.counters();
    expect(counts).toMatchObject({ list: 1, 'download-url': 1, 'storage-get': 1, upload: 1, delete: 1, other: 1 });
    expect(counts['upload-url'] + counts['upload-confirm'] + counts['storage-put']).toBe(0);
    const records = h.emu.requests();
    expect(records.map((r) => [r.kind, r.method, r.status])).toEqual([
      ['list', 'GET', 200],
      ['download-url', 'GET', 200],
      ['storage-get', 'GET', 200],
      ['upload', 'POST', 201],
      ['delete', 'DELETE', 404],
      ['other', 'GET', 404],
    ]);
    expect(records.every((r) => !r.path.includes('?'))).toBe(true);
    expect(records.map((r) => r.at)).toEqual([...records.map((r) => r.at)].sort((a, b) => a - b));
    h.emu.resetCounters();
    expect(h.emu.requests()).toEqual([]);
    expect(h.emu.counters().list).toBe(0);
  });

  it('calls onRequest on arrival and waits for it, so a test can change files mid-request', async () => {
    h.emu.resetCounters();
    const seen: [string, number][] = [];
    h.emu.onRequest = async (record, index) => {
      seen.push([record.kind, index]);
      if (record.kind === 'list') await h.emu.admin.put(WS, 'hook/added.txt', 'during');
    };
    const body = (await (await h.api(`/v1/files?${query({ workspace_id: WS, prefix: 'hook/' })}`)).json()) as {
      files: FileMeta[];
    };
    expect(body.files.map((f) => f.name)).toEqual(['added.txt']);
    await h.api('/nowhere');
    expect(seen).toEqual([
      ['list', 0],
      ['other', 1],
    ]);
  });

  it('calls onHandled once a request took effect and before the client reads the answer', async () => {
    h.emu.resetCounters();
    let answered = false;
    const seen: { kind: string; index: number; listed: boolean; answered: boolean }[] = [];
    h.emu.onHandled = (record, index) => {
      seen.push({ kind: record.kind, index, listed: h.emu.admin.list(WS).some((f) => f.path === 'hook/handled.txt'), answered });
    };
    const res = await h.upload('handled.txt', 'bytes', { path: 'hook/' });
    answered = true;
    expect(res.status).toBe(201);
    expect(seen).toEqual([{ kind: 'upload', index: 0, listed: true, answered: false }]);
  });
});
