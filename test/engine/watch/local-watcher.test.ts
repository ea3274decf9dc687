import { mkdtemp, mkdir, rename, rm, writeFile, appendFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watch } from 'chokidar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
    debounceMs: 50,
    stableMs: 300,
    onSettled: (paths) => {
      settled.push(paths.sort());
      void stat(join(dir, 'slow.bin')).then((s) => sizesAtSettle.push(s.size), () => sizesAtSettle.push(-1));
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

  it('a file written slowly over several seconds settles once, after the last write', async () => {
    await startWatcher({ stableMs: 1500 });
    const chunk = Buffer.alloc(10_000, 7);
    for (let i = 0; i < 8; i += 1) {
      await appendFile(join(dir, 'slow.bin'), chunk);
      await sleep(300);
    }
    await until(() => settled.length > 0);
    await sleep(1700);
    expect(settled).toEqual([['slow.bin']]);
    await until(() => sizesAtSettle.length > 0);
    expect(sizesAtSettle[0]).toBe(80_000);
  });

  it('ignores its own state folder', async () => {
    await startWatcher();
    await mkdir(join(dir, '.wsync', 'tmp'), { recursive: true });
    await writeFile(join(dir, '.wsync', 'tmp', 'x.part'), 'partial');
    await writeFile(join(dir, 'real.txt'), 'r');
    await until(() => settled.length > 0);
    expect(settled.flat()).toEqual(['real.txt']);
  });

  it('applies the caller\'s ignore rule', async () => {
    await startWatcher({ ignore: (rel) => rel.endsWith('.swp') });
    await writeFile(join(dir, 'x.swp'), 's');
    await writeFile(join(dir, 'y.txt'), 'y');
    await until(() => settled.length > 0);
    expect(settled.flat()).toEqual(['y.txt']);
  });

  it('a watch limit error (ENOSPC) stops live watching and reports the sysctl fix', async () => {
    const reports: WatchLimitReport[] = [];
    let raise: (() => void) | null = null;
    await startWatcher({
      onLimit: (r) => reports.push(r),
      createFsWatcher: (d, o) => {
        const fsw = watch(d, o);
        raise = () => fsw.emit('error', Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' }));
        return fsw;
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
});

describe('local watcher: what is still settling', () => {
  it('names a file being written, and files under a folder being created, until they settle', async () => {
    await startWatcher({ stableMs: 1000 });
    await mkdir(join(dir, 'incoming'));
    await writeFile(join(dir, 'incoming', 'part.bin'), 'x');
    await until(() => watcher?.isSettling('incoming/part.bin') === true);
    expect(watcher?.isSettling('other.txt')).toBe(false);
    await until(() => settled.length > 0);
    expect(watcher?.isSettling('incoming/part.bin')).toBe(false);
  });
});
