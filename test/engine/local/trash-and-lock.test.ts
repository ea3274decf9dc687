import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { folderLayout } from '../../../electron/engine/local/folder-layout.js';
import { acquireFolderLock, FolderLockedError, folderLockHolder } from '../../../electron/engine/local/lock.js';
import { moveToTrash, removeEmptyParents, trashBatchName } from '../../../electron/engine/local/trash.js';
import { scratchBase } from '../../support/scratch.js';

let root: string;
beforeEach(() => {
  root = scratchBase('wsync-local-');
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

/** A separate process that takes the folder's lock, says so on stdout, and holds it until killed. */
async function holderProcess(dir: string): Promise<ChildProcess> {
  const lockModule = join(import.meta.dirname, '../../../electron/engine/local/lock.ts');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { acquireFolderLock } = await import(${JSON.stringify(lockModule)}); globalThis.held = acquireFolderLock(${JSON.stringify(dir)}); console.log('held'); setInterval(() => {}, 60000);`,
    ],
    // NODE_OPTIONS stays: on the Node 24 run (.ci/run) it carries the hook that loads the Node 24 build of better-sqlite3.
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
    child.on('exit', (code) => reject(new Error(`the holder exited (${code})`)));
  });
  return child;
}

describe('folder lock', () => {
  it('lets one engine in and tells a second one in the same process who holds the folder', () => {
    const lock = acquireFolderLock(root);
    const owner = folderLayout(root).lockOwner;
    expect((JSON.parse(readFileSync(owner, 'utf8')) as { pid: unknown }).pid).toBe(process.pid);
    expect(() => acquireFolderLock(root)).toThrow(FolderLockedError);
    expect(() => acquireFolderLock(root)).toThrow(`another wsync engine (pid ${process.pid}) is already syncing ${root}`);
    expect(folderLockHolder(root)).toMatchObject({ pid: process.pid });
    lock.release();
    lock.release();
    expect(existsSync(owner)).toBe(false);
    expect(folderLockHolder(root)).toBeNull();
    acquireFolderLock(root).release();
  });

  it('a name left by a dead engine means nothing: the lock is free', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid as number;
    await new Promise((r) => child.on('exit', r));
    mkdirSync(join(root, '.wsync'));
    writeFileSync(folderLayout(root).lockOwner, JSON.stringify({ pid, host: hostname(), since: 'x' }));
    expect(folderLockHolder(root)).toBeNull();
    const lock = acquireFolderLock(root);
    expect((JSON.parse(readFileSync(folderLayout(root).lockOwner, 'utf8')) as { pid: unknown }).pid).toBe(process.pid);
    lock.release();
  });

  it('respects a lock held by a live process and names it; SIGKILL frees it with nobody cleaning up', async () => {
    const child = await holderProcess(root);
    try {
      expect(() => acquireFolderLock(root)).toThrow(new RegExp(`another wsync engine \\(pid ${child.pid}\\) is already syncing`));
      expect(folderLockHolder(root)).toMatchObject({ pid: child.pid });
      const exited = new Promise((r) => child.on('exit', r));
      process.kill(child.pid as number, 'SIGKILL');
      // Nothing removed the holder's files: the kernel dropped its lock with its process.
      await vi.waitFor(() => acquireFolderLock(root).release(), { timeout: 5000, interval: 10 });
      await exited;
    } finally {
      child.kill('SIGKILL');
    }
  });
});
