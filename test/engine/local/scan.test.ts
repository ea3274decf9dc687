import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BaseEntry } from '../../../electron/engine/model/trees.js';
import { createIgnoreMatcher, type IgnoreMatcher } from '../../../electron/engine/local/ignore.js';
import { hashEntries, scanFolder } from '../../../electron/engine/local/scan.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wsync-scan-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
function put(path: string, body: string) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), body);
}
const noBase = () => undefined;

describe('scanFolder', () => {
  it('lists regular files with /-separated relative paths, size, inode and streamed MD5, sorted', async () => {
    put('b.txt', 'bee');
    put('a/deep/c.txt', 'sea');
    mkdirSync(join(root, 'empty'));
    const r = await scanFolder(root, { ignore: createIgnoreMatcher(), base: noBase });
    expect(r.entries.map((e) => [e.path, e.size, e.hash])).toEqual([
      ['a/deep/c.txt', 3, md5('sea')],
      ['b.txt', 3, md5('bee')],
    ]);
    expect(r.entries[1]?.ino).toBe(statSync(join(root, 'b.txt')).ino);
    expect(r.hashed).toBe(2);
  });

  it('hashes every new file of a large folder, several at a time, each to its own MD5', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `many/${i}.txt`);
    for (const p of names) put(p, `content of ${p}`);
    const r = await scanFolder(root, { ignore: createIgnoreMatcher(), base: noBase });
    expect(r.hashed).toBe(60);
    expect(r.entries.map((e) => [e.path, e.hash])).toEqual([...names].sort().map((p) => [p, md5(`content of ${p}`)]));
  });

  it('reuses the base hash when size, mtime and inode are unchanged, and rehashes when any differs', async () => {
    put('same.txt', 'one');
    put('touched.txt', 'two');
    const st = (p: string) => statSync(join(root, p));
    const base = (p: string): BaseEntry => ({
      path: p,
      remoteKey: p,
      etag: 'x',
      remoteSize: 3,
      localSize: st(p).size,
      localMtimeMs: p === 'touched.txt' ? st(p).mtimeMs - 1000 : st(p).mtimeMs,
      localIno: st(p).ino,
      hash: 'base-hash-not-real',
    });
    const r = await scanFolder(root, { ignore: createIgnoreMatcher(), base });
    expect(r.entries.find((e) => e.path === 'same.txt')?.hash).toBe('base-hash-not-real');
    expect(r.entries.find((e) => e.path === 'touched.txt')?.hash).toBe(md5('two'));
    expect(r.hashed).toBe(1);
  });

  it('leaves a new file of deferHashFrom bytes or more unhashed for its upload to hash, and hashes it on request', async () => {
    put('big.bin', 'x'.repeat(64));
    put('small.txt', 'tiny');
    put('known.bin', 'y'.repeat(64));
    const st = statSync(join(root, 'known.bin'));
    const base = (p: string): BaseEntry | undefined =>
      p === 'known.bin'
        ? { path: p, remoteKey: p, etag: 'x', remoteSize: 64, localSize: 64, localMtimeMs: st.mtimeMs - 1000, localIno: st.ino, hash: 'old' }
        : undefined;
    const r = await scanFolder(root, { ignore: createIgnoreMatcher(), base, deferHashFrom: 64 });
    // A file with a base is always hashed: telling an edit from a touch needs its bytes.
    expect(r.entries.map((e) => [e.path, e.hash])).toEqual([
      ['big.bin', ''],
      ['known.bin', md5('y'.repeat(64))],
      ['small.txt', md5('tiny')],
    ]);
    expect(r.deferred.map((e) => e.path)).toEqual(['big.bin']);
    expect(r.hashed).toBe(2);
    await hashEntries(root, r.deferred, r);
    expect(r.entries.find((e) => e.path === 'big.bin')?.hash).toBe(md5('x'.repeat(64)));
    expect(r.hashed).toBe(3);
  });

  it('a deferred file gone before it is hashed leaves the entries, as if the scan had not found it', async () => {
    put('big.bin', 'x'.repeat(64));
    const r = await scanFolder(root, { ignore: createIgnoreMatcher(), base: noBase, deferHashFrom: 64 });
    unlinkSync(join(root, 'big.bin'));
    await hashEntries(root, r.deferred, r);
    expect(r.entries).toEqual([]);
    expect(r.unreadable).toEqual([]);
  });

  it('never follows or lists symbolic links, but reports them', async () => {
    put('real/file.txt', 'x');
    symlinkSync(join(root, 'real'), join(root, 'linkdir'));
    symlinkSync(join(root, 'real/file.txt'), join(root, 'linkfile'));
    symlinkSync('/etc/passwd', join(root, 'outside'));
    const r = await scanFolder(root, { ignore: createIgnoreMatcher(), base: noBase });
    expect(r.entries.map((e) => e.path)).toEqual(['real/file.txt']);
    expect(r.symlinks).toEqual(['linkdir', 'linkfile', 'outside']);
  });

  it('skips default ignores, the state folder and .wsyncignore patterns (directories included)', async () => {
    for (const p of [
      '.wsync/state.db',
      '.wsync/tmp/x',
      '.DS_Store',
      'sub/Thumbs.db',
      'desktop.ini',
      '~$doc.docx',
      '.~lock.report.odt#',
      'notes.swp',
      'build/out.bin',
      'keep.log',
      'drop.log',
      'ok.txt',
      'x.wsync-tmp',
    ])
      put(p, 'z');
    const ignore = createIgnoreMatcher('build/\n*.log\n!keep.log\n');
    const r = await scanFolder(root, { ignore, base: noBase });
    expect(r.entries.map((e) => e.path)).toEqual(['keep.log', 'ok.txt']);
  });

  // The matcher is asked about each file after readdir listed it and before it is stat'ed: a
  // matcher that changes the disk there stages the race deterministically.
  const meddling = (act: (path: string) => void): IgnoreMatcher => {
    const defaults = createIgnoreMatcher();
    return {
      ignores(path) {
        act(path);
        return defaults.ignores(path);
      },
    };
  };

  it('a file deleted between the listing of its folder and its stat is absent, not unreadable (across stat chunks)', async () => {
    const names = Array.from({ length: 700 }, (_, i) => `many/${String(i).padStart(4, '0')}.txt`);
    for (const p of names) put(p, p);
    const deleted = names.filter((_, i) => i % 7 === 3);
    const gone = new Set(deleted);
    const ignore = meddling((path) => {
      if (gone.has(path)) unlinkSync(join(root, path));
    });
    const r = await scanFolder(root, { ignore, base: noBase });
    expect(r.unreadable).toEqual([]);
    expect(r.entries.map((e) => e.path)).toEqual(names.filter((p) => !gone.has(p)));
    expect(r.entries.find((e) => e.path === 'many/0000.txt')?.hash).toBe(md5('many/0000.txt'));
  });

  it('a file whose folder became a file mid-scan is reported unreadable, so nothing treats it as deleted', async () => {
    put('d/x.txt', 'x');
    put('e.txt', 'e');
    const ignore = meddling((path) => {
      if (path !== 'd/x.txt') return;
      rmSync(join(root, 'd'), { recursive: true });
      writeFileSync(join(root, 'd'), 'now a file');
    });
    const r = await scanFolder(root, { ignore, base: noBase });
    expect(r.unreadable.map((u) => u.path)).toEqual(['d/x.txt']);
    expect(r.entries.map((e) => e.path)).toEqual(['e.txt']);
  });

  it('stops when its signal is aborted mid-scan instead of returning a partial tree', async () => {
    for (let i = 0; i < 600; i++) put(`f/${i}.txt`, 'x');
    const stop = new AbortController();
    const ignore = meddling((path) => {
      if (path === 'f/300.txt') stop.abort(new Error('stopped by the test'));
    });
    await expect(scanFolder(root, { ignore, base: noBase, signal: stop.signal })).rejects.toThrow(/stopped by the test|aborted/);
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file instead of omitting it silently', async () => {
    put('secret.txt', 's');
    chmodSync(join(root, 'secret.txt'), 0o000);
    const r = await scanFolder(root, { ignore: createIgnoreMatcher(), base: noBase });
    expect(r.entries).toEqual([]);
    expect(r.unreadable.map((u) => u.path)).toEqual(['secret.txt']);
  });
});
