/**
 * A file replaced by a folder of the same name, or a folder by a file, on either side. Before,
 * every cycle exited 1 with `refused remote name "thing": clashes with local "thing/a.txt"` and
 * nothing reached the other side.
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, problems, transferCounts, WORKSPACE } from './harness.js';
import type { World } from './harness.js';

let w: World;
beforeEach(async () => {
  w = await createWorld();
});
afterEach(async () => {
  await w.close();
});

/** A second run transfers nothing (invariant 7) and says nothing. */
async function expectQuiet(): Promise<void> {
  w.emu.resetCounters();
  const again = await w.sync();
  expect(again.code).toBe(0);
  expect(problems(again.stderr)).toEqual([]);
  expect(transferCounts(w.emu)).toEqual({ uploads: 0, downloads: 0, deletes: 0 });
}

const trashed = (root: string): string[] => {
  const trash = join(root, '.wsync', 'trash');
  if (!existsSync(trash)) return [];
  return readdirSync(trash, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort();
};

describe('a file replaced by a folder of the same name, or the reverse', () => {
  it('locally, file → folder: the server gets the folder, the old file is deleted there, exit 0', async () => {
    w.write('thing', 'old file');
    expect((await w.sync()).code).toBe(0);
    w.remove('thing');
    w.write('thing/a.txt', 'a');
    w.write('thing/b.txt', 'b');
    const run = await w.sync();
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(w.remoteFiles()).toEqual(['thing/a.txt', 'thing/b.txt']);
    await expectQuiet();
  });

  it('locally, folder → file: the server gets the file, the old folder is deleted there, exit 0', async () => {
    w.write('thing/a.txt', 'a');
    w.write('thing/sub/b.txt', 'b');
    expect((await w.sync()).code).toBe(0);
    w.remove('thing');
    w.write('thing', 'new file');
    const run = await w.sync();
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(w.remoteFiles()).toEqual(['thing']);
    expect(await w.remoteRead('thing')).toBe('new file');
    await expectQuiet();
  });

  it('remotely, file → folder: the local file goes to the trash and the folder arrives, exit 0', async () => {
    await w.remotePut('thing', 'old file');
    expect((await w.sync()).code).toBe(0);
    await w.emu.admin.remove(WORKSPACE, 'thing');
    await w.remotePut('thing/a.txt', 'a');
    const run = await w.sync();
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(w.localFiles()).toEqual(['thing/a.txt']);
    expect(w.read('thing/a.txt')).toBe('a');
    expect(trashed(w.root)).toEqual(['thing']);
    await expectQuiet();
  });

  it('remotely, folder → file: the local files go to the trash, the emptied folder is removed, and the file arrives, exit 0', async () => {
    await w.remotePut('thing/a.txt', 'a');
    await w.remotePut('thing/deep/b.txt', 'b');
    expect((await w.sync()).code).toBe(0);
    await w.emu.admin.remove(WORKSPACE, 'thing/a.txt');
    await w.emu.admin.remove(WORKSPACE, 'thing/deep/b.txt');
    await w.remotePut('thing', 'new file');
    const run = await w.sync();
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(lstatSync(join(w.root, 'thing')).isFile()).toBe(true);
    expect(w.read('thing')).toBe('new file');
    expect(trashed(w.root)).toEqual(['a.txt', 'b.txt']);
    await expectQuiet();
  });

  it('a real clash is refused on the newcomer only: a new remote file named like a synced folder does not stop the folder syncing', async () => {
    w.write('thing/a.txt', 'a');
    expect((await w.sync()).code).toBe(0);
    await w.remotePut('thing', 'a newcomer');
    await w.remotePut('thing/c.txt', 'c');
    w.write('thing/a.txt', 'a edited');
    const run = await w.sync();
    expect(run.code).toBe(1);
    expect(problems(run.stderr)).toEqual([expect.stringMatching(/^wsync: refused remote name "thing": clashes with local "thing\/a.txt"/)]);
    expect(await w.remoteRead('thing/a.txt')).toBe('a edited');
    expect(w.read('thing/c.txt')).toBe('c');
    expect(await w.remoteRead('thing')).toBe('a newcomer');
  });
});
