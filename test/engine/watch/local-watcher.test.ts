import { mkdirSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, mkdir, rename, rm, writeFile, appendFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFsWatch } from '../../../electron/engine/watch/folder-watches.js';
import { createLocalWatcher, type LocalWatcher } from '../../../electron/engine/watch/local-watcher.js';
import type { WatchLimitReport } from '../../../electron/engine/watch/watch-limits.js';

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let dir: string;
let watcher: LocalWatcher | null = null;
let settled: string[][];
let sizesAtSettle: number[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wsync-watch-'));
  settled = [];
  sizesAtSettle = [];
});
afterEach(async () => {
  await watcher?.close();
  watcher = null;
  await rm(dir, { recursive: true, force: true });
});

async function startWatcher(extra: Partial<Parameters<typeof createLocalWatcher>[0]> = {}): Promise<LocalWatcher> {
  watcher = createLocalWatcher({
    dir,
    settle: { settleMs: 50, stableMs: 300 },
    onSettled: (paths) => {
      settled.push(paths.sort());
      void stat(join(dir, 'slow.bin')).then(
        (s) => sizesAtSettle.push(s.size),
        () => sizesAtSettle.push(-1),
      );
    },
    onLimit: () => undefined,
    ...extra,
  });
  await watcher.start();
  return watcher;
}

describe('local watcher', () => {
  it('reports a new file once it is stable', async () => {
    await startWatcher();
    await writeFile(join(dir, 'a.txt'), 'hello');
    await until(() => settled.length > 0);
    expect(settled).toEqual([['a.txt']]);
    expect(watcher?.unsettled).toBe(0);
  });

  it('reports files in new subfolders and deletions', async () => {
    await writeFile(join(dir, 'old.txt'), 'x');
    await startWatcher();
    await mkdir(join(dir, 'sub', 'deep'), { recursive: true });
    await writeFile(join(dir, 'sub', 'deep', 'b.txt'), 'b');
    await rm(join(dir, 'old.txt'));
    await until(() => settled.flat().includes('sub/deep/b.txt') && settled.flat().includes('old.txt'));
  });

  it('an editor-style save (temporary file renamed over the original) settles once, naming the original', async () => {
    await writeFile(join(dir, 'doc.txt'), 'version 1');
    await startWatcher();
    await writeFile(join(dir, '.doc.txt.tmp'), 'version 2');
    await rename(join(dir, '.doc.txt.tmp'), join(dir, 'doc.txt'));
    await until(() => settled.length > 0);
    await sleep(600);
    expect(settled).toHaveLength(1);
    expect(settled[0]).toContain('doc.txt');
  });

  it('a file written over time, its writes closer together than the settle time, settles once, after the last write', async () => {
    // Real time and real events, with the default settle times.
    await startWatcher({ settle: {} });
    const chunk = Buffer.alloc(10_000, 7);
    for (let i = 0; i < 40; i += 1) {
      await appendFile(join(dir, 'slow.bin'), chunk);
      await sleep(20);
    }
    await until(() => settled.length > 0);
    await sleep(1_200);
    expect(settled).toEqual([['slow.bin']]);
    await until(() => sizesAtSettle.length > 0);
    expect(sizesAtSettle[0]).toBe(400_000);
  });

  it('a writer that pauses longer than the settle time: what it had settles, then, written again so soon, it waits until done', async () => {
    await startWatcher({ settle: {} });
    const chunk = Buffer.alloc(10_000, 7);
    for (let i = 0; i < 8; i += 1) {
      await appendFile(join(dir, 'slow.bin'), chunk);
      await sleep(200);
    }
    await until(() => sizesAtSettle.includes(80_000));
    await sleep(1_200);
    expect(settled.length).toBeLessThanOrEqual(2);
    expect(sizesAtSettle.at(-1)).toBe(80_000);
  });

  it('ignores its own state folder', async () => {
    await startWatcher();
    await mkdir(join(dir, '.wsync', 'tmp'), { recursive: true });
    await writeFile(join(dir, '.wsync', 'tmp', 'x.part'), 'partial');
    await writeFile(join(dir, 'real.txt'), 'r');
    await until(() => settled.length > 0);
    expect(settled.flat()).toEqual(['real.txt']);
  });

  it("applies the caller's ignore rule", async () => {
    await startWatcher({ ignore: (rel) => rel.endsWith('.swp') });
    await writeFile(join(dir, 'x.swp'), 's');
    await writeFile(join(dir, 'y.txt'), 'y');
    await until(() => settled.length > 0);
    expect(settled.flat()).toEqual(['y.txt']);
  });

  it('a watch limit error (ENOSPC) while watching stops live watching and reports the sysctl fix', async () => {
    const reports: WatchLimitReport[] = [];
    let raise: (() => void) | null = null;
    await startWatcher({
      onLimit: (r) => reports.push(r),
      openWatch: (folder, onChange, onError) => {
        raise = () => onError(Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' }));
        return openFsWatch(folder, onChange, onError);
      },
    });
    expect(raise).not.toBeNull();
    (raise as unknown as () => void)();
    await until(() => reports.length > 0);
    expect(watcher?.degraded).toBe(true);
    expect(reports[0]?.code).toBe('ENOSPC');
    expect(reports[0]?.message).toContain('sysctl fs.inotify.max_user_watches=');
    await writeFile(join(dir, 'after.txt'), 'a');
    await sleep(800);
    expect(settled).toEqual([]);
  });

  it('a watch the OS refuses while it opens the tree (ENOSPC) ends start-up with the report, and closes the watches it had', async () => {
    await mkdir(join(dir, 'a', 'b'), { recursive: true });
    const reports: WatchLimitReport[] = [];
    let opened = 0;
    let closedWatches = 0;
    await startWatcher({
      onLimit: (r) => reports.push(r),
      openWatch: (folder, onChange, onError) => {
        if (++opened === 2) throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
        const handle = openFsWatch(folder, onChange, onError);
        return {
          close: () => {
            closedWatches++;
            handle.close();
          },
        };
      },
    });
    expect(watcher?.degraded).toBe(true);
    expect(reports.map((r) => r.code)).toEqual(['ENOSPC']);
    expect(opened).toBe(2);
    expect(closedWatches).toBe(1);
    await writeFile(join(dir, 'after.txt'), 'a');
    await sleep(500);
    expect(settled).toEqual([]);
  });
});

describe('local watcher: what is still settling', () => {
  it('names a file being written, and files under a folder being created, until they settle', async () => {
    await startWatcher({ settle: { settleMs: 50, stableMs: 1000 } });
    await mkdir(join(dir, 'incoming'));
    await writeFile(join(dir, 'incoming', 'part.bin'), 'x');
    await until(() => watcher?.isSettling('incoming/part.bin') === true);
    expect(watcher?.isSettling('other.txt')).toBe(false);
    await until(() => settled.length > 0);
    expect(watcher?.isSettling('incoming/part.bin')).toBe(false);
  });
});

/** Kernel watches this process holds (every inotify instance's watch descriptors), on Linux. */
function inotifyWatches(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) !== 'anon_inode:inotify') continue;
      n += readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('inotify wd:')).length;
    } catch {
      // the descriptor closed while we looked
    }
  }
  return n;
}

describe('local watcher: folders only', () => {
  it.skipIf(process.platform !== 'linux')('holds one kernel watch per folder, none per file', async () => {
    for (const sub of ['a', 'a/b', 'c']) {
      await mkdir(join(dir, sub), { recursive: true });
      for (let i = 0; i < 40; i += 1) await writeFile(join(dir, sub, `f${i}.txt`), 'x');
    }
    const before = inotifyWatches();
    await startWatcher();
    // The root and its three folders; 120 files add nothing.
    expect(inotifyWatches() - before).toBe(4);
  });

  it('reports a modification, a deletion and an editor-style save of files in nested folders', async () => {
    await mkdir(join(dir, 'x', 'y'), { recursive: true });
    await writeFile(join(dir, 'x', 'y', 'edit.txt'), 'one');
    await writeFile(join(dir, 'x', 'y', 'gone.txt'), 'one');
    await writeFile(join(dir, 'x', 'saved.txt'), 'one');
    await startWatcher();
    await appendFile(join(dir, 'x', 'y', 'edit.txt'), ' two');
    await until(() => settled.flat().includes('x/y/edit.txt'));
    await rm(join(dir, 'x', 'y', 'gone.txt'));
    await until(() => settled.flat().includes('x/y/gone.txt'));
    settled = [];
    await writeFile(join(dir, 'x', '.saved.txt.tmp'), 'two');
    await rename(join(dir, 'x', '.saved.txt.tmp'), join(dir, 'x', 'saved.txt'));
    await until(() => settled.length > 0);
    await sleep(600);
    expect(settled).toHaveLength(1);
    expect(settled[0]).toContain('x/saved.txt');
  });

  it('reports create, modify, delete and editor-style saves in a folder created after start', async () => {
    await startWatcher();
    await mkdir(join(dir, 'later', 'inner'), { recursive: true });
    await until(() => settled.flat().includes('later/inner'));
    settled = [];
    await writeFile(join(dir, 'later', 'inner', 'n.txt'), 'new');
    await until(() => settled.flat().includes('later/inner/n.txt'));
    settled = [];
    await appendFile(join(dir, 'later', 'inner', 'n.txt'), ' more');
    await until(() => settled.flat().includes('later/inner/n.txt'));
    settled = [];
    await writeFile(join(dir, 'later', 'inner', '.n.txt.tmp'), 'saved');
    await rename(join(dir, 'later', 'inner', '.n.txt.tmp'), join(dir, 'later', 'inner', 'n.txt'));
    await until(() => settled.length > 0);
    await sleep(600);
    expect(settled).toHaveLength(1);
    expect(settled[0]).toContain('later/inner/n.txt');
    settled = [];
    await rm(join(dir, 'later', 'inner', 'n.txt'));
    await until(() => settled.flat().includes('later/inner/n.txt'));
  });

  it('watches a folder made in a new folder right after that folder is watched, before it is read', async () => {
    const parent = join(dir, 'later');
    const inner = join(parent, 'inner');
    // The moment a folder made by `mkdir -p` can fall into: its parent's watch is open, its parent
    // not read yet. Played here by making it from inside the open of the parent's watch.
    await startWatcher({
      openWatch: (folder, onChange, onError) => {
        const handle = openFsWatch(folder, onChange, onError);
        if (folder === parent) mkdirSync(inner);
        return handle;
      },
    });
    await mkdir(parent);
    await until(() => settled.flat().includes('later/inner'));
    settled = [];
    await writeFile(join(inner, 'n.txt'), 'new');
    await until(() => settled.flat().includes('later/inner/n.txt'));
  });

  it('stops watching a folder that is gone, and watches it again when it comes back', async () => {
    await mkdir(join(dir, 'come', 'go'), { recursive: true });
    const open = new Set<string>();
    await startWatcher({
      openWatch: (folder, onChange, onError) => {
        const handle = openFsWatch(folder, onChange, onError);
        open.add(folder);
        return {
          close: () => {
            open.delete(folder);
            handle.close();
          },
        };
      },
    });
    expect([...open].sort()).toEqual([dir, join(dir, 'come'), join(dir, 'come', 'go')]);
    await rm(join(dir, 'come'), { recursive: true });
    await until(() => settled.flat().includes('come'));
    expect([...open]).toEqual([dir]);
    settled = [];
    await mkdir(join(dir, 'come', 'go'), { recursive: true });
    await until(() => settled.flat().includes('come/go'));
    settled = [];
    await writeFile(join(dir, 'come', 'go', 'back.txt'), 'b');
    await until(() => settled.flat().includes('come/go/back.txt'));
    expect([...open].sort()).toEqual([dir, join(dir, 'come'), join(dir, 'come', 'go')]);
  });

  it('a folder removed and made again at once, before it settles, is watched again', async () => {
    await mkdir(join(dir, 'again'));
    await startWatcher();
    await rm(join(dir, 'again'), { recursive: true });
    await mkdir(join(dir, 'again'));
    await until(() => settled.flat().includes('again'));
    settled = [];
    await writeFile(join(dir, 'again', 'seen.txt'), 's');
    await until(() => settled.flat().includes('again/seen.txt'));
  });

  it('a folder that became a file and then a folder again is watched again', async () => {
    await mkdir(join(dir, 'shape'));
    await startWatcher();
    await rm(join(dir, 'shape'), { recursive: true });
    await writeFile(join(dir, 'shape'), 'a file now');
    await until(() => settled.flat().includes('shape'));
    await rm(join(dir, 'shape'));
    await mkdir(join(dir, 'shape'));
    await until(() => settled.length > 1);
    settled = [];
    await writeFile(join(dir, 'shape', 'inside.txt'), 'i');
    await until(() => settled.flat().includes('shape/inside.txt'));
  });

  it('names the files of a folder moved in from outside, which no event named', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'wsync-watch-outside-'));
    try {
      await mkdir(join(outside, 'pack', 'deep'), { recursive: true });
      await writeFile(join(outside, 'pack', 'one.txt'), '1');
      await writeFile(join(outside, 'pack', 'deep', 'two.txt'), '2');
      await startWatcher();
      await rename(join(outside, 'pack'), join(dir, 'pack'));
      await until(() => settled.flat().includes('pack/deep/two.txt'));
      expect(settled.flat()).toEqual(expect.arrayContaining(['pack', 'pack/one.txt', 'pack/deep/two.txt']));
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
