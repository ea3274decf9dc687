import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFolderLock, FolderLockedError } from '../../../electron/engine/local/lock.js';
import { moveToTrash, removeEmptyParents, trashBatchName } from '../../../electron/engine/local/trash.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wsync-local-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('trash', () => {
  it('moves a file to .wsync/trash/<timestamp>/<path> with its contents intact', async () => {
    mkdirSync(join(root, 'a/b'), { recursive: true });
    writeFileSync(join(root, 'a/b/c.txt'), 'keep me');
    const batch = trashBatchName(new Date('2024-05-06T07:08:09.010Z'));
    expect(batch).toBe('2024-05-06T07-08-09-010Z');
    const where = await moveToTrash(root, 'a/b/c.txt', batch);
    expect(where).toBe(join(root, '.wsync/trash', batch, 'a/b/c.txt'));
    expect(readFileSync(where, 'utf8')).toBe('keep me');
    expect(existsSync(join(root, 'a/b/c.txt'))).toBe(false);
  });

  it('removes folders left empty above a removed file, but stops at one that still holds something', async () => {
    mkdirSync(join(root, 'x/y/z'), { recursive: true });
    writeFileSync(join(root, 'x/other.txt'), '1');
    expect(await removeEmptyParents(root, 'x/y/z/gone.txt')).toEqual(['x/y/z', 'x/y']);
    expect(existsSync(join(root, 'x'))).toBe(true);
    expect(existsSync(root)).toBe(true);
  });
});

describe('folder lock', () => {
  it('lets one engine in and tells a second one who holds the folder', () => {
    const lock = acquireFolderLock(root);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    expect(() => acquireFolderLock(root)).toThrow(FolderLockedError);
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
    acquireFolderLock(root).release();
  });

  it('takes over a stale lock whose process is dead', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid as number;
    await new Promise((r) => child.on('exit', r));
    mkdirSync(join(root, '.wsync'));
    writeFileSync(join(root, '.wsync/lock'), JSON.stringify({ pid, host: (await import('node:os')).hostname(), startedAt: 'x' }));
    const lock = acquireFolderLock(root);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('respects a lock held by a live process', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      mkdirSync(join(root, '.wsync'));
      writeFileSync(join(root, '.wsync/lock'), JSON.stringify({ pid: child.pid, host: (await import('node:os')).hostname(), startedAt: 'x' }));
      expect(() => acquireFolderLock(root)).toThrow(new RegExp(`pid ${child.pid}`));
    } finally {
      child.kill();
    }
  });
});
