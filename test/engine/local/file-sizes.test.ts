import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileSizes } from '../../../electron/engine/local/file-sizes.js';
import { createIgnoreMatcher } from '../../../electron/engine/local/ignore.js';

let root = '';
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function folder(files: Record<string, string>): Promise<string> {
  root = await mkdtemp(join(tmpdir(), 'wsync-file-sizes-'));
  for (const [path, body] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), body);
  }
  return root;
}

const sorted = (files: { path: string; size: number }[]) => [...files].sort((a, b) => (a.path < b.path ? -1 : 1));

describe('the files under a folder with their sizes', () => {
  it('lists every regular file at any depth by its relative path, and no folder', async () => {
    const dir = await folder({ 'a.txt': 'abc', 'docs/b.txt': 'hello', 'docs/deep/c.bin': '' });
    expect(sorted(await fileSizes(dir))).toEqual([
      { path: 'a.txt', size: 3 },
      { path: 'docs/b.txt', size: 5 },
      { path: 'docs/deep/c.bin', size: 0 },
    ]);
  });

  it('leaves out what the ignore rules ignore, and does not enter an ignored folder', async () => {
    const dir = await folder({ 'keep.txt': 'k', 'skip.log': 'x', 'build/out.txt': 'o', 'src/build.txt': 'b' });
    const ignore = createIgnoreMatcher('*.log\nbuild/\n');
    expect(sorted(await fileSizes(dir, ignore)).map((f) => f.path)).toEqual(['keep.txt', 'src/build.txt']);
  });

  it('does not follow or list a symbolic link', async () => {
    const dir = await folder({ 'real/file.txt': 'r' });
    await symlink(join(dir, 'real'), join(dir, 'linked'));
    await symlink(join(dir, 'real', 'file.txt'), join(dir, 'link.txt'));
    expect((await fileSizes(dir)).map((f) => f.path)).toEqual(['real/file.txt']);
  });

  it('finds nothing in a folder that is not there', async () => {
    const dir = await folder({});
    expect(await fileSizes(join(dir, 'missing'))).toEqual([]);
  });
});
