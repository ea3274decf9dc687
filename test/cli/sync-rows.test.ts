/**
 * The CLI against the emulator, one decision-table row (shared/design/sync-semantics.md) per test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, problems, transferCounts } from './harness.js';
import type { World } from './harness.js';

let w: World;
beforeEach(async () => {
  w = await createWorld();
});
afterEach(async () => {
  await w.close();
});

async function syncOk(extra: string[] = []) {
  const run = await w.sync(extra);
  expect(problems(run.stderr)).toEqual([]);
  expect(run.code).toBe(0);
  return run;
}

const conflictCopies = (paths: string[]) => paths.filter((p) => p.includes('(conflicted copy '));

describe('sync --once, row by row', () => {
  it('rows 11 and 12: a first sync uploads local-only files and downloads remote-only ones, then a quiet cycle transfers nothing', async () => {
    w.write('local.txt', 'from disk');
    w.write('docs/deep/a.md', '# a');
    await w.remotePut('remote.txt', 'from server');
    await w.remotePut('data/r.csv', '1,2');
    const first = await syncOk();
    expect(first.stdout).toMatch(/^in sync: 2 uploaded, 2 downloaded/);
    expect(w.remoteFiles()).toEqual(['data/r.csv', 'docs/deep/a.md', 'local.txt', 'remote.txt']);
    expect(w.localFiles()).toEqual(['data/r.csv', 'docs/deep/a.md', 'local.txt', 'remote.txt']);
    expect(w.read('data/r.csv')).toBe('1,2');

    w.emu.resetCounters();
    await syncOk();
    expect(transferCounts(w.emu)).toEqual({ uploads: 0, downloads: 0, deletes: 0 });
  });

  it('row 2: a local edit is uploaded; row 3: a remote edit is downloaded', async () => {
    w.write('a.txt', 'v1');
    await w.remotePut('b.txt', 'v1');
    await syncOk();
    w.write('a.txt', 'v2 local');
    await w.remotePut('b.txt', 'v2 remote');
    w.emu.resetCounters();
    await syncOk();
    expect(await w.remoteRead('a.txt')).toBe('v2 local');
    expect(w.read('b.txt')).toBe('v2 remote');
    expect(transferCounts(w.emu)).toMatchObject({ uploads: 1, deletes: 0 });
  });

  it('row 7: both sides changed to the same bytes: recorded, no transfer, no conflict copy', async () => {
    w.write('same.txt', 'old');
    await syncOk();
    w.write('same.txt', 'new and equal');
    await w.remotePut('same.txt', 'new and equal');
    w.emu.resetCounters();
    await syncOk();
    expect(transferCounts(w.emu)).toEqual({ uploads: 0, downloads: 0, deletes: 0 });
    expect(conflictCopies(w.localFiles())).toEqual([]);
    expect(conflictCopies(w.remoteFiles())).toEqual([]);
  });

  it('row 8: both changed differently: the remote keeps the name, the local version becomes a conflict copy on both sides', async () => {
    w.write('notes/plan.txt', 'base');
    await syncOk();
    w.write('notes/plan.txt', 'local edit');
    await w.remotePut('notes/plan.txt', 'remote edit');
    const run = await w.sync();
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/conflict: notes\/plan\.txt: your local version is kept as notes\/plan \(conflicted copy \d{4}-\d\d-\d\d \d{6}\)\.txt/);
    const [copy] = conflictCopies(w.localFiles());
    expect(copy).toBeDefined();
    expect(w.read('notes/plan.txt')).toBe('remote edit');
    expect(w.read(copy as string)).toBe('local edit');
    expect(await w.remoteRead(copy as string)).toBe('local edit');
    expect(await w.remoteRead('notes/plan.txt')).toBe('remote edit');
    w.emu.resetCounters();
    await syncOk();
    expect(transferCounts(w.emu)).toEqual({ uploads: 0, downloads: 0, deletes: 0 });
  });

  it('row 8 on a first sync: created on both sides with different bytes gives a conflict copy, equal bytes do not', async () => {
    w.write('differs.txt', 'mine');
    w.write('equal.txt', 'same');
    await w.remotePut('differs.txt', 'theirs');
    await w.remotePut('equal.txt', 'same');
    await syncOk();
    expect(w.read('differs.txt')).toBe('theirs');
    expect(conflictCopies(w.localFiles())).toHaveLength(1);
    expect(conflictCopies(w.remoteFiles())).toHaveLength(1);
  });

  it('row 9: modified locally, deleted remotely: the modification is uploaded again', async () => {
    w.write('keep.txt', 'v1');
    await syncOk();
    w.write('keep.txt', 'v2');
    await w.emu.admin.remove('ws_demo', 'keep.txt');
    await syncOk();
    expect(await w.remoteRead('keep.txt')).toBe('v2');
    expect(w.read('keep.txt')).toBe('v2');
  });

  it('row 10: deleted locally, modified remotely: the modification is downloaded again', async () => {
    await w.remotePut('keep.txt', 'v1');
    await syncOk();
    w.remove('keep.txt');
    await w.remotePut('keep.txt', 'v2');
    await syncOk();
    expect(w.read('keep.txt')).toBe('v2');
    expect(await w.remoteRead('keep.txt')).toBe('v2');
  });

  it('row 4: a local deletion deletes the remote file', async () => {
    w.write('gone.txt', 'x');
    w.write('stay.txt', 'y');
    await syncOk();
    w.remove('gone.txt');
    await syncOk();
    expect(w.remoteFiles()).toEqual(['stay.txt']);
  });

  it('row 5: a remote deletion moves the local file to .wsync/trash and removes folders it left empty, keeping user-made empty folders', async () => {
    await w.remotePut('dir/sub/old.txt', 'precious');
    await w.remotePut('other.txt', 'o');
    await syncOk();
    w.write('mine/.keep-me', '');
    w.remove('mine/.keep-me'); // a folder the user created and left empty
    await w.emu.admin.remove('ws_demo', 'dir/sub/old.txt');
    await syncOk();
    expect(w.exists('dir/sub/old.txt')).toBe(false);
    expect(w.exists('dir')).toBe(false);
    expect(w.exists('mine')).toBe(true);
    const trash = (await import('node:fs')).readdirSync(`${w.root}/.wsync/trash`, { recursive: true }) as string[];
    const trashed = trash.find((p) => p.endsWith('old.txt'));
    expect(trashed).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z\/dir\/sub\/old\.txt$/);
    expect((await import('node:fs')).readFileSync(`${w.root}/.wsync/trash/${trashed}`, 'utf8')).toBe('precious');
  });

  it('row 6: deleted on both sides: forgotten, nothing requested', async () => {
    w.write('both.txt', 'x');
    await syncOk();
    w.remove('both.txt');
    await w.emu.admin.remove('ws_demo', 'both.txt');
    w.emu.resetCounters();
    await syncOk();
    expect(transferCounts(w.emu)).toEqual({ uploads: 0, downloads: 0, deletes: 0 });
    expect(w.localFiles()).toEqual([]);
  });

  it('row 13: a remote rename is applied as a local rename, without downloading the file again', async () => {
    await w.remotePut('old/name.bin', 'a fairly unique body 1234567890');
    await syncOk();
    const body = await w.emu.admin.read('ws_demo', 'old/name.bin');
    await w.emu.admin.remove('ws_demo', 'old/name.bin');
    await w.emu.admin.put('ws_demo', 'new/place.bin', body as Buffer);
    w.emu.resetCounters();
    const run = await syncOk();
    expect(run.stdout).toMatch(/1 renamed locally/);
    expect(transferCounts(w.emu)).toEqual({ uploads: 0, downloads: 0, deletes: 0 });
    expect(w.localFiles()).toEqual(['new/place.bin']);
    expect(w.read('new/place.bin')).toBe('a fairly unique body 1234567890');
    expect(w.exists('old')).toBe(false);
  });

  it('row 14: a local move uploads the new path before deleting the old one', async () => {
    w.write('from/file.txt', 'moving body');
    await syncOk();
    (await import('node:fs')).renameSync(`${w.root}/from/file.txt`, `${w.root}/to-file.txt`);
    w.emu.resetCounters();
    const run = await syncOk();
    expect(run.stdout).toMatch(/1 moved remotely/);
    expect(w.remoteFiles()).toEqual(['to-file.txt']);
    const kinds = w.emu.requests().map((r) => r.kind).filter((k) => k === 'upload' || k === 'delete');
    expect(kinds).toEqual(['upload', 'delete']);
  });
});
