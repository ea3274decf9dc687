/**
 * Partial downloads kept across runs: an aborted download leaves its bytes in the partial folder
 * (and nothing anywhere else); the next download of the same version asks only for the rest
 * (the emulator answers 206 and the client counts what came over the wire); another version, a
 * torn tail, a cut or unrecorded partial, damaged kept bytes, storage that ignores Range (200 with
 * the whole object) or a remote that changed are never resumed into a wrong file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partialSlot, prunePartials } from '../../../electron/engine/api/partials.js';
import type { RemoteFile } from '../../../electron/engine/model/trees.js';
import { createTokenBucket } from '../../../electron/engine/transfer/throttle.js';
import { expectKind, startRig, WS, type ClientRig } from './support.js';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const SIZE = 3_000_000;
const bytes = Buffer.from(Array.from({ length: SIZE }, (_, i) => (i * 31 + (i >> 9)) % 251));

let rig: ClientRig;
let partialDir: string;
let tempDir: string;
beforeEach(async () => {
  rig = await startRig();
  partialDir = join(rig.dir, 'partial');
  tempDir = join(rig.dir, 'tmp');
});
afterEach(async () => {
  await rig.close();
});

async function seed(path: string, body: Buffer): Promise<RemoteFile> {
  await rig.emu.admin.put(WS, path, body);
  const file = await rig.api.stat(path);
  if (file === null) throw new Error('seeded file missing');
  rig.emu.resetCounters();
  return file;
}

/** Starts a slow download and aborts it once `after` bytes are in; what it left. */
async function interrupted(file: RemoteFile, after: number): Promise<number> {
  const api = rig.client({ bandwidth: { download: createTokenBucket(1_000_000) } });
  const controller = new AbortController();
  const started = Date.now();
  const done = api.download(file, join(rig.dir, 'out', file.path), {
    signal: controller.signal,
    partialDir,
    tempDir,
    onProgress: (p) => {
      if (p.bytesDone >= after) controller.abort();
    },
  });
  await expectKind(done, 'cancelled');
  // An abort stops the transfer promptly: well before the rest at 1 MB/s would have come.
  expect(Date.now() - started).toBeLessThan(2500);
  const slot = partialSlot(partialDir, file);
  if (slot === null) throw new Error('no slot');
  return statSync(slot.path).size;
}

const files = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

interface Front {
  url: string;
  /** Range headers the front dropped on their way to storage. */
  droppedRanges: string[];
  close(): Promise<void>;
}

/**
 * A real HTTP front for the emulator, as a storage gateway or proxy that does not do ranges: it
 * forwards every request, points download URLs at itself, and drops each Range header, so a
 * ranged GET is answered 200 with the whole object.
 */
async function rangeIgnoringFront(target: string): Promise<Front> {
  const droppedRanges: string[] = [];
  const self = { url: '' };
  const server = createServer((req, res) => {
    const headers: IncomingHttpHeaders = { ...req.headers, host: new URL(target).host };
    if (typeof headers.range === 'string') droppedRanges.push(headers.range);
    delete headers.range;
    const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers }, (answer) => {
      if (!(req.url ?? '').startsWith('/v1/files/download')) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.from(Buffer.concat(chunks).toString('utf8').split(target).join(self.url));
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': body.length });
        res.end(body);
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: self.url,
    droppedRanges,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a download interrupted mid-file', () => {
  it('leaves its bytes in the partial folder and nothing else, and the next download fetches only the rest', async () => {
    const file = await seed('big.bin', bytes);
    const kept = await interrupted(file, 1_000_000);
    expect(kept).toBeGreaterThanOrEqual(1_000_000);
    expect(kept).toBeLessThan(SIZE);
    const slot = partialSlot(partialDir, file);
    expect(files(partialDir)).toEqual([`${slot?.name}.partial`, `${slot?.name}.partial.json`].sort());
    expect(files(tempDir)).toEqual([]);
    expect(files(join(rig.dir, 'out'))).toEqual([]);

    rig.emu.resetCounters();
    const result = await rig.api.download(file, join(rig.dir, 'out', 'big.bin'), { partialDir, tempDir });
    expect(result).toMatchObject({ md5: md5(bytes), size: SIZE, fetched: SIZE - kept, resumedFrom: kept, placed: true });
    expect(readFileSync(join(rig.dir, 'out', 'big.bin')).equals(bytes)).toBe(true);
    // The server saw one ranged GET (206 Partial Content), not a second whole file.
    expect(rig.emu.requests().map((r) => [r.kind, r.status])).toEqual([
      ['download-url', 200],
      ['storage-get', 206],
    ]);
    expect(files(partialDir)).toEqual([]);
  });

  it('is not resumed for another version of the file: that one starts from byte 0', async () => {
    const file = await seed('big.bin', bytes);
    await interrupted(file, 500_000);
    const other = Buffer.from(bytes).reverse();
    const next = await seed('big.bin', other);
    expect(partialSlot(partialDir, next)?.name).not.toBe(partialSlot(partialDir, file)?.name);
    const result = await rig.api.download(next, join(rig.dir, 'out', 'big.bin'), { partialDir, tempDir });
    expect(result).toMatchObject({ md5: md5(other), fetched: SIZE, resumedFrom: 0 });
    expect(rig.emu.requests().find((r) => r.kind === 'storage-get')?.status).toBe(200);
  });

  it('trusts only the bytes recorded as durable: a torn tail is fetched again', async () => {
    const file = await seed('big.bin', bytes);
    const kept = await interrupted(file, 800_000);
    const slot = partialSlot(partialDir, file);
    if (slot === null) throw new Error('no slot');
    // As after a power cut: garbage past the durable bytes.
    writeFileSync(slot.path, Buffer.concat([readFileSync(slot.path), Buffer.alloc(100_000, 0)]));
    const result = await rig.api.download(file, join(rig.dir, 'out', 'big.bin'), { partialDir, tempDir });
    expect(result).toMatchObject({ md5: md5(bytes), resumedFrom: kept, fetched: SIZE - kept });
  });

  it('damaged kept bytes are caught by the MD5 and the file is fetched whole again', async () => {
    const file = await seed('big.bin', bytes);
    await interrupted(file, 800_000);
    const slot = partialSlot(partialDir, file);
    if (slot === null) throw new Error('no slot');
    const damaged = readFileSync(slot.path);
    damaged[1000] = (damaged[1000] ?? 0) ^ 0xff;
    writeFileSync(slot.path, damaged);
    const result = await rig.api.download(file, join(rig.dir, 'out', 'big.bin'), { partialDir, tempDir });
    expect(result.md5).toBe(md5(bytes));
    expect(readFileSync(join(rig.dir, 'out', 'big.bin')).equals(bytes)).toBe(true);
    expect(rig.log.lines.some((l) => l.includes('md5-mismatch'))).toBe(true);
    expect(files(partialDir)).toEqual([]);
  });

  it('storage that answers a ranged GET with 200 and the whole object: the kept bytes are dropped and the body written from byte 0', async () => {
    const file = await seed('big.bin', bytes);
    await interrupted(file, 800_000);
    rig.emu.resetCounters();
    const front = await rangeIgnoringFront(rig.emu.url);
    try {
      const result = await rig.client({ server: front.url }).download(file, join(rig.dir, 'out', 'big.bin'), { partialDir, tempDir });
      // It asked for the rest, got everything, and kept none of the old bytes in front of it.
      expect(front.droppedRanges).toHaveLength(1);
      expect(front.droppedRanges[0]).toMatch(/^bytes=[1-9]\d*-$/);
      expect(
        rig.emu
          .requests()
          .filter((r) => r.kind === 'storage-get')
          .map((r) => r.status),
      ).toEqual([200]);
      expect(result).toMatchObject({ md5: md5(bytes), size: SIZE, fetched: SIZE });
      expect(readFileSync(join(rig.dir, 'out', 'big.bin')).equals(bytes)).toBe(true);
      expect(files(partialDir)).toEqual([]);
    } finally {
      await front.close();
    }
  });

  it('a partial file shorter than its record (cut since) resumes from the bytes still on disk', async () => {
    const file = await seed('big.bin', bytes);
    await interrupted(file, 1_000_000);
    const slot = partialSlot(partialDir, file);
    if (slot === null) throw new Error('no slot');
    truncateSync(slot.path, 300_000);
    rig.emu.resetCounters();
    const result = await rig.api.download(file, join(rig.dir, 'out', 'big.bin'), { partialDir, tempDir });
    expect(result).toMatchObject({ md5: md5(bytes), resumedFrom: 300_000, fetched: SIZE - 300_000 });
    expect(readFileSync(join(rig.dir, 'out', 'big.bin')).equals(bytes)).toBe(true);
    expect(
      rig.emu
        .requests()
        .filter((r) => r.kind === 'storage-get')
        .map((r) => r.status),
    ).toEqual([206]);
  });

  it.each([
    ['the record is gone', (slot: { path: string; record: string }) => rmSync(slot.record)],
    ['the record is not JSON', (slot: { path: string; record: string }) => writeFileSync(slot.record, '{"durableBy')],
    ['the bytes are gone', (slot: { path: string; record: string }) => rmSync(slot.path)],
    [
      'the record claims more than the file holds',
      (slot: { path: string; record: string }) => writeFileSync(slot.record, JSON.stringify({ durableBytes: SIZE * 2 })),
    ],
  ])('a partial is trusted only as far as it proves itself (%s): the file arrives whole and right', async (_, damage) => {
    const file = await seed('big.bin', bytes);
    const kept = await interrupted(file, 800_000);
    const slot = partialSlot(partialDir, file);
    if (slot === null) throw new Error('no slot');
    damage(slot);
    const result = await rig.api.download(file, join(rig.dir, 'out', 'big.bin'), { partialDir, tempDir });
    expect(result.md5).toBe(md5(bytes));
    expect(result.resumedFrom).toBeLessThanOrEqual(kept);
    expect(result.fetched).toBe(SIZE - result.resumedFrom);
    expect(readFileSync(join(rig.dir, 'out', 'big.bin')).equals(bytes)).toBe(true);
    expect(files(partialDir)).toEqual([]);
  });

  it('a partial holding every byte (stopped before the rename) is finished without fetching the body again', async () => {
    const file = await seed('big.bin', bytes);
    await interrupted(file, 800_000);
    const slot = partialSlot(partialDir, file);
    if (slot === null) throw new Error('no slot');
    writeFileSync(slot.path, bytes);
    writeFileSync(slot.record, JSON.stringify({ durableBytes: SIZE }));
    rig.emu.resetCounters();
    const result = await rig.api.download(file, join(rig.dir, 'out', 'big.bin'), { partialDir, tempDir });
    expect(result).toMatchObject({ md5: md5(bytes), resumedFrom: SIZE, fetched: 0 });
    expect(readFileSync(join(rig.dir, 'out', 'big.bin')).equals(bytes)).toBe(true);
    expect(files(partialDir)).toEqual([]);
  });

  it('a remote that is gone when the download resumes drops the partial', async () => {
    const file = await seed('big.bin', bytes);
    await interrupted(file, 500_000);
    await rig.emu.admin.remove(WS, 'big.bin');
    await expectKind(rig.api.download(file, join(rig.dir, 'out', 'big.bin'), { partialDir, tempDir }), 'not-found');
    expect(files(partialDir)).toEqual([]);
  });

  it('keeps nothing for a file without an etag: its versions cannot be told apart', () => {
    expect(partialSlot(partialDir, { key: 'k', size: 10, etag: undefined })).toBeNull();
  });
});

describe('prunePartials', () => {
  it('keeps the partials still wanted, drops the rest, and drops wanted ones untouched for a week', async () => {
    mkdirSync(partialDir, { recursive: true });
    const want = partialSlot(partialDir, { key: 'a', size: 1, etag: 'e1' });
    const old = partialSlot(partialDir, { key: 'b', size: 1, etag: 'e2' });
    const gone = partialSlot(partialDir, { key: 'c', size: 1, etag: 'e3' });
    if (want === null || old === null || gone === null) throw new Error('no slot');
    for (const slot of [want, old, gone]) {
      writeFileSync(slot.path, 'x');
      writeFileSync(slot.record, '{"durableBytes":1}');
    }
    writeFileSync(join(partialDir, 'stray.tmp'), '');
    const now = Date.now();
    const weekAgo = new Date(now - 8 * 24 * 3600_000);
    utimesSync(old.path, weekAgo, weekAgo);
    utimesSync(old.record, weekAgo, weekAgo);
    expect(await prunePartials(partialDir, new Set([want.name, old.name]), now)).toBe(5);
    expect(files(partialDir)).toEqual([`${want.name}.partial`, `${want.name}.partial.json`].sort());
  });
});
