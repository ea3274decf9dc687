import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIgnoreMatcher } from '../../../electron/engine/local/ignore.js';
import { scanFolder } from '../../../electron/engine/local/scan.js';
import type { BaseEntry } from '../../../electron/engine/plan/types.js';

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

  it('reuses the base hash when size, mtime and inode are unchanged, and rehashes when any differs', async () => {
    put('same.txt', 'one');
    put('touched.txt', 'two');
    const st = (p: string) => statSync(join(root, p));
    const base = (p: string): BaseEntry => ({
      path: p, remoteKey: p, etag: 'x', remoteSize: 3, localSize: st(p).size,
      localMtimeMs: p === 'touched.txt' ? st(p).mtimeMs - 1000 : st(p).mtimeMs, localIno: st(p).ino,
      hash: 'base-hash-not-real',
    });
    const r = await scanFolder(root, { ignore: createIgnoreMatcher(), base });
    expect(r.entries.find((e) => e.path === 'same.txt')?.hash).toBe('base-hash-not-real');
    expect(r.entries.find((e) => e.path === 'touched.txt')?.hash).toBe(md5('two'));
    expect(r.hashed).toBe(1);
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
    for (const p of ['.wsync/state.db', '.wsync/tmp/x', '.DS_Store', 'sub/Thumbs.db', 'desktop.ini', '~$doc.docx',
      '.~lock.report.odt#', 'notes.swp', 'build/out.bin', 'keep.log', 'drop.log', 'ok.txt', 'x.wsync-tmp']) put(p, 'z');
    const ignore = createIgnoreMatcher('build/\n*.log\n!keep.log\n');
    const r = await scanFolder(root, { ignore, base: noBase });
    expect(r.entries.map((e) => e.path)).toEqual(['keep.log', 'ok.txt']);
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file instead of omitting it silently', async () => {
    put('secret.txt', 's');
    chmodSync(join(root, 'secret.txt'), 0o000);
    const r = await scanFolder(root, { ignore: createIgnoreMatcher(), base: noBase });
    expect(r.entries).toEqual([]);
    expect(r.unreadable.map((u) => u.path)).toEqual(['secret.txt']);
  });
});
