import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relocateFolder } from '../../../electron/engine/local/relocate.js';

async function synced(): Promise<string> {
  const base = await mkdtemp(join(tmpdir(), 'wsync-move-'));
  const dir = join(base, 'Work');
  await mkdir(join(dir, '.wsync'), { recursive: true });
  await mkdir(join(dir, 'docs'));
  await writeFile(join(dir, 'docs', 'a.txt'), 'A');
  await writeFile(join(dir, '.wsync', 'state.db'), 'state');
  return dir;
}

describe('moving a synced folder', () => {
  it('moves it with its state, keeping inodes (a rename on one disk)', async () => {
    const dir = await synced();
    const ino = (await stat(join(dir, 'docs', 'a.txt'))).ino;
    const to = join(dir, '..', 'elsewhere', 'Work');
    await mkdir(join(to, '..'), { recursive: true });
    await relocateFolder(dir, to);
    expect(existsSync(dir)).toBe(false);
    expect(await readFile(join(to, '.wsync', 'state.db'), 'utf8')).toBe('state');
    expect((await stat(join(to, 'docs', 'a.txt'))).ino).toBe(ino);
  });

  it('into an empty folder of that name is fine', async () => {
    const dir = await synced();
    const to = join(dir, '..', 'Empty');
    await mkdir(to);
    await relocateFolder(dir, to);
    expect(await readFile(join(to, 'docs', 'a.txt'), 'utf8')).toBe('A');
  });

  it('refuses a place that holds files, and leaves everything where it was', async () => {
    const dir = await synced();
    const to = join(dir, '..', 'Busy');
    await mkdir(to);
    await writeFile(join(to, 'x'), 'x');
    await expect(relocateFolder(dir, to)).rejects.toThrow(/not empty/);
    expect(await readFile(join(dir, 'docs', 'a.txt'), 'utf8')).toBe('A');
  });

  // /dev/shm is another file system (tmpfs) on Linux: rename fails with EXDEV there.
  it.runIf(existsSync('/dev/shm'))('to another disk: copies with times kept, then removes the original', async () => {
    const dir = await synced();
    const mtime = (await stat(join(dir, 'docs', 'a.txt'))).mtimeMs;
    const to = join(await mkdtemp('/dev/shm/wsync-move-'), 'Work');
    await relocateFolder(dir, to);
    expect(existsSync(dir)).toBe(false);
    expect(await readFile(join(to, 'docs', 'a.txt'), 'utf8')).toBe('A');
    // utimes keeps milliseconds; the next scan rehashes the file and finds the bytes it synced.
    expect(Math.abs((await stat(join(to, 'docs', 'a.txt'))).mtimeMs - mtime)).toBeLessThan(1);
    expect(await readFile(join(to, '.wsync', 'state.db'), 'utf8')).toBe('state');
  });

  it('refuses to move a folder into itself', async () => {
    const dir = await synced();
    await expect(relocateFolder(dir, join(dir, 'docs', 'Work'))).rejects.toThrow(/outside the folder/);
  });
});
