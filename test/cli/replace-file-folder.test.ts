/**
 * A file replaced by a folder of the same name, or a folder by a file, on either side. Before,
 * every cycle exited 1 with `refused remote name "thing": clashes with local "thing/a.txt"` and
 * nothing reached the other side.
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCliRig, problems, transferCounts, WORKSPACE } from './harness.js';
import type { CliRig } from './harness.js';

let w: CliRig;
beforeEach(async () => {
  w = await openCliRig();
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
  return readdirSync(trash, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
};

describe('a file replaced by a folder of the same name, or the reverse', () => {
  it('locally, file → folder: the server gets the folder, the old file is deleted there, exit 0', async () => {
    await w.local.insert('thing', 'old file');
    expect((await w.sync()).code).toBe(0);
    await w.local.remove('thing');
    await w.local.insert('thing/a.txt', 'a');
    await w.local.insert('thing/b.txt', 'b');
    const run = await w.sync();
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(await w.remote.paths()).toEqual(['thing/a.txt', 'thing/b.txt']);
    await expectQuiet();
  });

  it('locally, folder → file: the server gets the file, the old folder is deleted there, exit 0', async () => {
    await w.local.insert('thing/a.txt', 'a');
    await w.local.insert('thing/sub/b.txt', 'b');
    expect((await w.sync()).code).toBe(0);
    await w.local.remove('thing');
    await w.local.insert('thing', 'new file');
    const run = await w.sync();
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(await w.remote.paths()).toEqual(['thing']);
    expect(await w.remote.read('thing')).toBe('new file');
    await expectQuiet();
  });

  it('remotely, file → folder: the local file goes to the trash and the folder arrives, exit 0', async () => {
    await w.remote.insert('thing', 'old file');
    expect((await w.sync()).code).toBe(0);
    await w.emu.admin.remove(WORKSPACE, 'thing');
    await w.remote.insert('thing/a.txt', 'a');
    const run = await w.sync();
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(await w.local.paths()).toEqual(['thing/a.txt']);
    expect(await w.local.read('thing/a.txt')).toBe('a');
    expect(trashed(w.root)).toEqual(['thing']);
    await expectQuiet();
  });

  it('remotely, folder → file: the local files go to the trash, the emptied folder is removed, and the file arrives, exit 0', async () => {
    await w.remote.insert('thing/a.txt', 'a');
    await w.remote.insert('thing/deep/b.txt', 'b');
    expect((await w.sync()).code).toBe(0);
    await w.emu.admin.remove(WORKSPACE, 'thing/a.txt');
    await w.emu.admin.remove(WORKSPACE, 'thing/deep/b.txt');
    await w.remote.insert('thing', 'new file');
    const run = await w.sync();
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(lstatSync(join(w.root, 'thing')).isFile()).toBe(true);
    expect(await w.local.read('thing')).toBe('new file');
    expect(trashed(w.root)).toEqual(['a.txt', 'b.txt']);
    await expectQuiet();
  });

  it('a real clash is refused on the newcomer only: a new remote file named like a synced folder does not stop the folder syncing', async () => {
    await w.local.insert('thing/a.txt', 'a');
    expect((await w.sync()).code).toBe(0);
    await w.remote.insert('thing', 'a newcomer');
    await w.remote.insert('thing/c.txt', 'c');
    await w.local.insert('thing/a.txt', 'a edited');
    const run = await w.sync();
    expect(run.code).toBe(1);
    expect(problems(run.stderr)).toEqual([expect.stringMatching(/^wsync: refused remote name "thing": clashes with local "thing\/a.txt"/)]);
    expect(await w.remote.read('thing/a.txt')).toBe('a edited');
    expect(await w.local.read('thing/c.txt')).toBe('c');
    expect(await w.remote.read('thing')).toBe('a newcomer');
  });
});
