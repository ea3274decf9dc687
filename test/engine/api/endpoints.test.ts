/**
 * Every endpoint against the emulator over real HTTP: upload (multipart, the 413 fallback, the
 * three-step flow above the threshold), list with paging and the incomplete flag, stat, download,
 * delete (404 counts as done).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransferProgress } from '../../../electron/engine/api/types.js';
import { expectKind, startRig, WS, type ClientRig } from './support.js';

const md5 = (bytes: Buffer | string) => createHash('md5').update(bytes).digest('hex');

let rig: ClientRig;
beforeEach(async () => {
  rig = await startRig({ maxUploadBytes: 4096 });
});
afterEach(async () => {
  await rig.close();
});

describe('upload', () => {
  it('sends a small file as multipart with its folder and name, and returns the stored file and MD5', async () => {
    const body = 'hello "quoted" wörld';
    const progress: TransferProgress[] = [];
    const result = await rig.api.upload(rig.file('a.txt', body), 'docs/sub/na"me ü.txt', { onProgress: (p) => progress.push(p) });
    expect(result.md5).toBe(md5(body));
    expect(result.file).toMatchObject({ path: 'docs/sub/na"me ü.txt', size: Buffer.byteLength(body), etag: md5(body) });
    expect((await rig.emu.admin.read(WS, 'docs/sub/na"me ü.txt'))?.toString()).toBe(body);
    expect(progress.at(-1)).toEqual({ bytesDone: Buffer.byteLength(body), bytesTotal: Buffer.byteLength(body) });
    expect(rig.emu.counters()).toMatchObject({ upload: 1, 'upload-url': 0 });
  });

  it('falls back to upload-url, PUT and upload-confirm when multipart answers 413', async () => {
    const bytes = Buffer.alloc(10_000, 0x61);
    const result = await rig.api.upload(rig.file('big.bin', bytes), 'big/big.bin');
    expect(result.file).toMatchObject({ path: 'big/big.bin', size: bytes.length, etag: md5(bytes) });
    expect(rig.emu.counters()).toMatchObject({ upload: 1, 'upload-url': 1, 'storage-put': 1, 'upload-confirm': 1 });
    expect(rig.emu.requests().find((r) => r.kind === 'upload')?.status).toBe(413);
    expect((await rig.emu.admin.read(WS, 'big/big.bin'))?.equals(bytes)).toBe(true);
  });

  it('falls back on 413 even when the server refuses a multi-megabyte body before reading it', async () => {
    const bytes = Buffer.alloc(8_000_000, 0x63);
    await rig.api.upload(rig.file('bigger.bin', bytes), 'bigger.bin');
    // Whether the client saw the 413 or only the broken pipe, one multipart attempt is made.
    expect(rig.emu.requests().map((r) => [r.kind, r.status])).toEqual([
      ['upload', 413],
      ['upload-url', 200],
      ['storage-put', 200],
      ['upload-confirm', 200],
    ]);
    expect((await rig.emu.admin.read(WS, 'bigger.bin'))?.equals(bytes)).toBe(true);
  });

  it('goes straight to the three-step flow above the large-upload threshold', async () => {
    const api = rig.client({ largeUploadThreshold: 100 });
    const bytes = Buffer.alloc(1000, 0x62);
    await api.upload(rig.file('mid.bin', bytes), 'mid.bin');
    expect(rig.emu.counters()).toMatchObject({ upload: 0, 'upload-url': 1, 'storage-put': 1, 'upload-confirm': 1 });
    expect((await rig.emu.admin.read(WS, 'mid.bin'))?.equals(bytes)).toBe(true);
  });

  it('replacing a file gives it a new etag; the listing shows one file at the path', async () => {
    const first = await rig.api.upload(rig.file('v1.txt', 'one'), 'r.txt');
    const second = await rig.api.upload(rig.file('v2.txt', 'two!'), 'r.txt');
    expect(second.file.etag).not.toBe(first.file.etag);
    const listing = await rig.api.list('r.txt');
    expect(listing.files.map((f) => [f.path, f.etag])).toEqual([['r.txt', md5('two!')]]);
  });

  it('an empty file uploads and downloads', async () => {
    const result = await rig.api.upload(rig.file('empty', ''), 'empty');
    expect(result.file.size).toBe(0);
    expect(await rig.api.download(result.file, join(rig.dir, 'out', 'empty'))).toMatchObject({
      md5: md5(''),
      size: 0,
      fetched: 0,
      resumedFrom: 0,
      placed: true,
    });
    expect(readFileSync(join(rig.dir, 'out', 'empty')).length).toBe(0);
  });

  it('a missing local file is a local-io error and nothing is sent', async () => {
    await expectKind(rig.api.upload(join(rig.dir, 'nope'), 'nope'), 'local-io');
    expect(rig.emu.requests()).toEqual([]);
  });
});

describe('list and stat', () => {
  it('walks every page of 2,500 files in path order, complete', async () => {
    for (let i = 0; i < 2500; i += 1) await rig.emu.admin.put(WS, `many/f${String(i).padStart(4, '0')}.txt`, `${i}`);
    await rig.emu.admin.put(WS, 'other/x.txt', 'x');
    rig.emu.resetCounters();
    const listing = await rig.api.list('many/');
    expect(listing.complete).toBe(true);
    expect(listing.files).toHaveLength(2500);
    expect(listing.files[0]?.path).toBe('many/f0000.txt');
    expect(listing.files[2499]?.path).toBe('many/f2499.txt');
    expect(new Set(listing.files.map((f) => f.key)).size).toBe(2500);
    expect(rig.emu.counters().list).toBe(3);

    const small = await rig.client({ pageSize: 100 }).list();
    expect(small.files).toHaveLength(2501);
    expect(rig.emu.counters().list).toBe(3 + 26);
  });

  it('a listing that ends on a full page is complete against the emulator, for one more request', async () => {
    for (let i = 0; i < 20; i += 1) await rig.emu.admin.put(WS, `full/${String(i).padStart(2, '0')}`, 'x');
    rig.emu.resetCounters();
    const listing = await rig.client({ pageSize: 10 }).list('full/');
    expect(listing.complete).toBe(true);
    expect(listing.files.map((f) => f.path)).toEqual(Array.from({ length: 20 }, (_, i) => `full/${String(i).padStart(2, '0')}`));
    expect(rig.emu.counters().list).toBe(4);
  });

  it('flags the listing incomplete when the server drops the cursor (ignoreCursor)', async () => {
    for (let i = 0; i < 30; i += 1) await rig.emu.admin.put(WS, `p/${String(i).padStart(2, '0')}`, 'x');
    rig.emu.faults.ignoreCursor = true;
    const listing = await rig.client({ pageSize: 10 }).list();
    expect(listing.complete).toBe(false);
    expect(listing.files).toHaveLength(10);
  });

  it('stat returns the file at exactly that path, or null', async () => {
    await rig.emu.admin.put(WS, 'd/a.txt', 'a');
    await rig.emu.admin.put(WS, 'd/a.txt.bak', 'bak');
    await rig.emu.admin.put(WS, 'd/a.txt2/x', 'x');
    expect(await rig.api.stat('d/a.txt')).toMatchObject({ path: 'd/a.txt', size: 1, etag: md5('a') });
    expect(await rig.api.stat('d/a')).toBeNull();
    expect(await rig.api.stat('d/missing.txt')).toBeNull();
  });
});

describe('download', () => {
  it('lands the bytes at the destination through a temp file, verified, with progress', async () => {
    const bytes = Buffer.alloc(300_000, 0x5a);
    await rig.emu.admin.put(WS, 'in/z.bin', bytes);
    const file = await rig.api.stat('in/z.bin');
    if (file === null) throw new Error('seeded file missing');
    const progress: number[] = [];
    const result = await rig.api.download(file, join(rig.dir, 'out', 'z.bin'), { onProgress: (p) => progress.push(p.bytesDone) });
    const placed = statSync(join(rig.dir, 'out', 'z.bin'));
    expect(result).toEqual({
      md5: md5(bytes),
      size: bytes.length,
      fetched: bytes.length,
      resumedFrom: 0,
      placed: true,
      local: { size: placed.size, mtimeMs: placed.mtimeMs, ino: placed.ino },
      // out/ was made for it: its entry in rig.dir changed too.
      folders: [join(rig.dir, 'out'), rig.dir],
    });
    expect(readFileSync(join(rig.dir, 'out', 'z.bin')).equals(bytes)).toBe(true);
    expect(readdirSync(join(rig.dir, 'out'))).toEqual(['z.bin']);
    expect(progress.at(-1)).toBe(bytes.length);
    expect(rig.emu.counters()).toMatchObject({ 'download-url': 1, 'storage-get': 1 });
  });

  it('leaves the destination alone and drops the bytes when the last look before placing says no', async () => {
    await rig.emu.admin.put(WS, 'p.txt', 'remote');
    const file = await rig.api.stat('p.txt');
    if (file === null) throw new Error('seeded file missing');
    const tempDir = join(rig.dir, 'tmp');
    mkdirSync(join(rig.dir, 'out4'));
    writeFileSync(join(rig.dir, 'out4', 'p.txt'), 'user edit');
    const result = await rig.api.download(file, join(rig.dir, 'out4', 'p.txt'), { tempDir, beforePlacing: () => false });
    expect(result).toMatchObject({ placed: false, folders: [] });
    expect(readFileSync(join(rig.dir, 'out4', 'p.txt'), 'utf8')).toBe('user edit');
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('uses tempDir for the temporary file when given, and leaves it empty', async () => {
    await rig.emu.admin.put(WS, 't.txt', 'temp dir');
    const file = await rig.api.stat('t.txt');
    if (file === null) throw new Error('seeded file missing');
    const tempDir = join(rig.dir, 'tmp');
    await rig.api.download(file, join(rig.dir, 'out2', 't.txt'), { tempDir });
    expect(readFileSync(join(rig.dir, 'out2', 't.txt'), 'utf8')).toBe('temp dir');
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('an unknown key is not-found, and nothing is written', async () => {
    await expectKind(rig.api.download({ key: 'obj_missing', path: 'm.txt', size: 1 }, join(rig.dir, 'out3', 'm.txt')), 'not-found');
    expect(readdirSync(join(rig.dir, 'out3'))).toEqual([]);
  });

  it('a destination that cannot be written is a local-io error, not retried', async () => {
    await rig.emu.admin.put(WS, 'w.txt', 'w');
    const file = await rig.api.stat('w.txt');
    if (file === null) throw new Error('seeded file missing');
    rig.file('not-a-folder', 'x');
    rig.emu.resetCounters();
    await expectKind(rig.api.download(file, join(rig.dir, 'not-a-folder', 'w.txt')), 'local-io');
    expect(rig.emu.requests()).toEqual([]);
  });

  it('a file changed since it was listed (other size) is a conflict, not a retry loop', async () => {
    await rig.emu.admin.put(WS, 'c.txt', 'first');
    const file = await rig.api.stat('c.txt');
    if (file === null) throw new Error('seeded file missing');
    await rig.emu.admin.put(WS, 'c.txt', 'second, longer');
    const now = await rig.api.stat('c.txt');
    const err = await expectKind(rig.api.download({ ...file, key: now?.key ?? file.key }, join(rig.dir, 'c.txt')), 'conflict');
    expect(err.path).toBe('c.txt');
    expect(rig.emu.counters()['storage-get']).toBe(1);
  });
});

describe('delete', () => {
  it('removes the file; deleting it again (404) counts as done', async () => {
    const stored = await rig.emu.admin.put(WS, 'gone.txt', 'bye');
    await rig.api.delete(stored.key);
    expect(rig.emu.admin.list(WS)).toEqual([]);
    await rig.api.delete(stored.key);
    expect(rig.emu.requests().map((r) => [r.kind, r.status])).toEqual([
      ['delete', 204],
      ['delete', 404],
    ]);
  });
});
