/**
 * Etags that are no MD5 of the bytes: S3 multipart (`<md5 of part MD5s>-<parts>`) and SSE-KMS
 * (opaque 32 hex digits). A first sync onto an existing copy (a second computer, a reinstall, a
 * lost state) used to make a conflict copy of every such file; equal bytes never make one.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EtagStyle } from '../../emulator/index.js';
import { openCliRig, problems, runCli, transferCounts, WORKSPACE } from './harness.js';
import type { CliRig } from './harness.js';

let w: CliRig | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** Deterministic bytes that differ from one seed to the next. */
function bytes(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

async function world(etags: EtagStyle): Promise<CliRig> {
  w = await openCliRig({ etags });
  return w;
}

const conflictCopies = (names: string[]): string[] => names.filter((p) => p.includes('conflicted copy'));

/** Nothing left behind by the comparisons: no staged or partial downloads. */
function scratch(root: string): string[] {
  const state = join(root, '.wsync');
  return ['tmp', 'partial'].flatMap((d) => (existsSync(join(state, d)) ? readdirSync(join(state, d)).map((n) => `${d}/${n}`) : []));
}

describe('first sync onto an existing copy, with etags that are no MD5', () => {
  it('multipart etags: equal files are recorded (row 7) without a download, different ones become conflicts', async () => {
    const w = await world({ kind: 'multipart', partSize: 64 * 1024 });
    const files: Record<string, Buffer> = { 'big.bin': bytes(200_000, 1), 'sub/other.bin': bytes(300_001, 2), 'small.txt': Buffer.from('plain md5') };
    for (const [path, body] of Object.entries(files)) {
      await w.remote.insert(path, body);
      await w.local.insert(path, body);
    }
    await w.remote.insert('changed.bin', bytes(200_000, 3));
    await w.local.insert('changed.bin', bytes(200_000, 4));
    expect(w.emu.admin.list(WORKSPACE).find((f) => f.path === 'big.bin')?.etag).toMatch(/-4$/);
    w.emu.resetCounters();
    const run = await w.sync();
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(conflictCopies(await w.local.paths())).toEqual([expect.stringMatching(/^changed \(conflicted copy .*\)\.bin$/)]);
    // The equal files were proved from the local bytes alone; only changed.bin was read remotely:
    // once to compare it (its etag's part size guess missed: other bytes), once as the conflict's download.
    expect(w.emu.counters()['download-url']).toBe(2);
    expect(scratch(w.root)).toEqual([]);
    w.emu.resetCounters();
    const again = await w.sync();
    expect(again.code).toBe(0);
    expect(transferCounts(w.emu)).toEqual({ uploads: 0, downloads: 0, deletes: 0 });
  });

  it('multipart etags with a part size no rule guesses: equal bytes are proved by a streamed read that writes nothing', async () => {
    const w = await world({ kind: 'multipart', partSize: 100_000 });
    const body = bytes(250_000, 5);
    await w.remote.insert('odd.bin', body);
    await w.local.insert('odd.bin', body);
    w.emu.resetCounters();
    const run = await w.sync();
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(conflictCopies(await w.local.paths())).toEqual([]);
    expect(w.emu.counters()['storage-get']).toBe(1);
    expect(scratch(w.root)).toEqual([]);
  });

  it('SSE-KMS etags: equal files are recorded after a streamed read, different ones of the same size become conflicts', async () => {
    const w = await world({ kind: 'kms' });
    for (let i = 0; i < 3; i++) {
      await w.remote.insert(`same${i}.txt`, `the same bytes ${i}`);
      await w.local.insert(`same${i}.txt`, `the same bytes ${i}`);
    }
    await w.remote.insert('differs.txt', 'remote version');
    await w.local.insert('differs.txt', 'local  version');
    const run = await w.sync();
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(conflictCopies(await w.local.paths())).toEqual([expect.stringMatching(/^differs \(conflicted copy .*\)\.txt$/)]);
    expect(await w.local.read('differs.txt')).toBe('remote version');
    expect(scratch(w.root)).toEqual([]);
  });

  it('plain MD5 etags that differ: a conflict, told from the storage headers (one byte asked for), not by reading the remote file', async () => {
    const w = await world({ kind: 'md5' });
    await w.remote.insert('differs.txt', 'remote version');
    await w.local.insert('differs.txt', 'local  version');
    w.emu.resetCounters();
    const run = await w.sync();
    expect(run.code).toBe(0);
    expect(conflictCopies(await w.local.paths())).toHaveLength(1);
    // One ranged GET of one byte for the headers, and the conflict's own download of the remote version.
    const gets = w.emu.requests().filter((r) => r.kind === 'storage-get');
    expect(gets).toHaveLength(2);
  });
});

describe('a server with SSE-KMS etags syncs both ways', () => {
  it('uploads and downloads are accepted (the etag is no MD5 to check them by) and quiet cycles stay quiet', async () => {
    const w = await world({ kind: 'kms' });
    await w.local.insert('up.txt', 'from here');
    await w.remote.insert('down.txt', 'from there');
    const run = await w.sync();
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(await w.remote.read('up.txt')).toBe('from here');
    expect(await w.local.read('down.txt')).toBe('from there');
    w.emu.resetCounters();
    expect((await w.sync()).code).toBe(0);
    expect(transferCounts(w.emu)).toEqual({ uploads: 0, downloads: 0, deletes: 0 });
  });

  it('a second computer joining a KMS workspace makes no conflict copy', async () => {
    const w = await world({ kind: 'kms' });
    await w.local.insert('a.txt', 'alpha');
    await w.local.insert('deep/b.txt', 'beta');
    expect((await w.sync()).code).toBe(0);
    const second = join(w.root, '..', 'second');
    mkdirSync(join(second, 'deep'), { recursive: true });
    writeFileSync(join(second, 'a.txt'), 'alpha');
    writeFileSync(join(second, 'deep', 'b.txt'), 'beta');
    const run = await runCli(['sync', '--once', '--server', w.emu.url, '--workspace', WORKSPACE, '--dir', second]);
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(
      readdirSync(second, { recursive: true })
        .map(String)
        .filter((p) => p.includes('conflicted copy')),
    ).toEqual([]);
  });
});
