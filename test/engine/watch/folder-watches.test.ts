import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderWatches, openFsWatch, type FolderWatches, type OpenFolderWatch } from '../../../electron/engine/watch/folder-watches.js';

let dir: string;
let watches: FolderWatches | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wsync-folder-watches-'));
});
afterEach(async () => {
  watches?.closeAll();
  watches = null;
  await rm(dir, { recursive: true, force: true });
});

/** The real fs.watch, counting what is open. */
function counted(): { open: OpenFolderWatch; opened: string[]; live: Set<string> } {
  const opened: string[] = [];
  const live = new Set<string>();
  return {
    opened,
    live,
    open: (folder, onChange, onError) => {
      const handle = openFsWatch(folder, onChange, onError);
      opened.push(folder);
      live.add(folder);
      return {
        close: () => {
          live.delete(folder);
          handle.close();
        },
      };
    },
  };
}

describe('folder watches', () => {
  it('watches every folder once, lists files and folders, and neither follows a link nor enters an ignored folder', async () => {
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    mkdirSync(join(dir, 'skip', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'a', 'one.txt'), '1');
    writeFileSync(join(dir, 'a', 'b', 'two.txt'), '2');
    const outside = await mkdtemp(join(tmpdir(), 'wsync-folder-watches-outside-'));
    symlinkSync(outside, join(dir, 'link'));
    const c = counted();
    watches = createFolderWatches({
      ignored: (abs) => abs === join(dir, 'skip'),
      onChange: () => undefined,
      onError: (err) => expect.fail(String(err)),
      open: c.open,
    });
    try {
      const found = await watches.watchTree(dir, true);
      expect(found.sort()).toEqual([
        join(dir, 'a'),
        join(dir, 'a', 'b'),
        join(dir, 'a', 'b', 'two.txt'),
        join(dir, 'a', 'one.txt'),
        join(dir, 'link'),
      ]);
      expect(c.opened.sort()).toEqual([dir, join(dir, 'a'), join(dir, 'a', 'b')]);
      expect(await watches.watchTree(dir, false)).toEqual([]);
      expect(c.opened).toHaveLength(3);
      expect(watches.size).toBe(3);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('names the changed entry by its absolute path', async () => {
    mkdirSync(join(dir, 'a'));
    const changed: string[] = [];
    watches = createFolderWatches({ ignored: () => false, onChange: (abs) => changed.push(abs), onError: (err) => expect.fail(String(err)) });
    await watches.watchTree(dir, false);
    await writeFile(join(dir, 'a', 'new.txt'), 'n');
    const deadline = Date.now() + 10_000;
    while (!changed.includes(join(dir, 'a', 'new.txt')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(changed).toContain(join(dir, 'a', 'new.txt'));
  });

  it('closes the watches of a folder and of what is under it, and only those', async () => {
    mkdirSync(join(dir, 'gone', 'inner'), { recursive: true });
    mkdirSync(join(dir, 'gone-not'));
    const c = counted();
    watches = createFolderWatches({ ignored: () => false, onChange: () => undefined, onError: (err) => expect.fail(String(err)), open: c.open });
    await watches.watchTree(dir, false);
    watches.unwatchTree(join(dir, 'gone'));
    expect([...c.live].sort()).toEqual([dir, join(dir, 'gone-not')]);
    expect(watches.size).toBe(2);
  });

  it('a folder whose watch cannot be opened is reported and not read; the rest is still watched', async () => {
    mkdirSync(join(dir, 'refused', 'below'), { recursive: true });
    mkdirSync(join(dir, 'fine'));
    const errors: string[] = [];
    const c = counted();
    watches = createFolderWatches({
      ignored: () => false,
      onChange: () => undefined,
      onError: (err, folder) => errors.push(`${(err as NodeJS.ErrnoException).code ?? '?'} ${folder}`),
      open: (folder, onChange, onError) => {
        if (folder === join(dir, 'refused')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        return c.open(folder, onChange, onError);
      },
    });
    const found = await watches.watchTree(dir, true);
    expect(errors).toEqual([`EACCES ${join(dir, 'refused')}`]);
    expect(found.sort()).toEqual([join(dir, 'fine'), join(dir, 'refused')]);
    expect(c.opened.sort()).toEqual([dir, join(dir, 'fine')]);
  });
});
