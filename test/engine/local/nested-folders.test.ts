import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIgnoreMatcher } from '../../../electron/engine/local/ignore.js';
import { containedSyncedFolders, enclosingSyncedFolder, refuseNestedFolder } from '../../../electron/engine/local/nested-folders.js';
import { scanFolder } from '../../../electron/engine/local/scan.js';

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'wsync-nested-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** Makes `dir` look synced: a state database in its `.wsync/`. */
function synced(dir: string): string {
  mkdirSync(join(dir, '.wsync'), { recursive: true });
  writeFileSync(join(dir, '.wsync', 'state.db'), '');
  return dir;
}

describe('nested synced folders', () => {
  it('finds the nearest synced folder above a folder, even one not created yet', () => {
    const outer = synced(join(base, 'outer'));
    expect(enclosingSyncedFolder(join(outer, 'a', 'b'))).toBe(outer);
    expect(enclosingSyncedFolder(outer)).toBeNull();
  });

  it('sees through a symbolic link to where the folder really is', () => {
    const outer = synced(join(base, 'outer'));
    mkdirSync(join(outer, 'sub'));
    symlinkSync(join(outer, 'sub'), join(base, 'link'));
    expect(enclosingSyncedFolder(join(base, 'link'))).toBe(outer);
  });

  it('a .wsync folder without a state database does not make a synced folder', async () => {
    mkdirSync(join(base, 'x', '.wsync'), { recursive: true });
    expect(await containedSyncedFolders(base, createIgnoreMatcher())).toEqual([]);
    expect(enclosingSyncedFolder(join(base, 'x', 'y'))).toBeNull();
  });

  it('finds synced folders below, not entering ignored folders or following links', async () => {
    synced(join(base, 'a', 'deep', 'one'));
    synced(join(base, 'ignored', 'two'));
    synced(join(base, 'target', 'three'));
    symlinkSync(join(base, 'target'), join(base, 'a', 'link'));
    // `target` is reachable directly too: only the walk through the link must not count.
    const ignore = createIgnoreMatcher('ignored/\ntarget/\n');
    expect(await containedSyncedFolders(base, ignore)).toEqual(['a/deep/one']);
  });

  it('refuses before a first sync, in both directions', async () => {
    synced(join(base, 'outer', 'inner'));
    await expect(refuseNestedFolder(join(base, 'outer'), createIgnoreMatcher())).rejects.toMatchObject({ kind: 'fatal', code: 'NESTED_FOLDER' });
    await expect(refuseNestedFolder(join(base, 'outer', 'inner', 'x'), createIgnoreMatcher())).rejects.toThrow(
      /lies inside .*inner, which wsync already syncs/,
    );
    await expect(refuseNestedFolder(join(base, 'outer', 'inner'), createIgnoreMatcher())).resolves.toBeUndefined();
  });

  it('the scan of a synced folder refuses a synced folder it meets inside', async () => {
    const outer = synced(join(base, 'outer'));
    writeFileSync(join(outer, 'a.txt'), 'a');
    synced(join(outer, 'later', 'inner'));
    await expect(scanFolder(outer, { ignore: createIgnoreMatcher(), base: () => undefined })).rejects.toThrow(
      /contains .*later\/inner, a folder wsync already syncs/,
    );
  });
});
