/**
 * Partial downloads kept across runs: an aborted download leaves its bytes in the partial folder
 * (and nothing anywhere else); the next download of the same version asks only for the rest
 * (the emulator answers 206 and the client counts what came over the wire); another version, a
 * torn tail, damaged kept bytes or a remote that changed are never resumed into a wrong file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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
