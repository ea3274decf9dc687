import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderTree, previewFirstSync } from '../../../electron/engine/onboarding/first-sync-preview.js';

const file = (path: string, size: number) => ({ key: path, path, size });

describe('the workspace folder tree', () => {
  it('counts files and bytes under every folder, the whole workspace first', () => {
    expect(
      folderTree([file('a.txt', 1), file('runs/1/x.vcf', 10), file('runs/1/y.vcf', 20), file('runs/2/z.bam', 100), file('docs/r.md', 5)]),
    ).toEqual([
      { path: '', files: 5, bytes: 136 },
      { path: 'docs/', files: 1, bytes: 5 },
      { path: 'runs/', files: 3, bytes: 130 },
      { path: 'runs/1/', files: 2, bytes: 30 },
      { path: 'runs/2/', files: 1, bytes: 100 },
    ]);
  });

  it('an empty workspace is one empty folder', () => {
    expect(folderTree([])).toEqual([{ path: '', files: 0, bytes: 0 }]);
  });
});

async function local(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wsync-preview-'));
  for (const [path, body] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), body);
  }
  return dir;
}

describe('the preview of a first sync', () => {
  const listing = { files: [file('runs/a.vcf', 1000), file('runs/b.vcf', 2000), file('runs/sub/c.vcf', 500), file('other/x', 9)], complete: true };

  it('into a folder that does not exist yet: everything under the prefix downloads', async () => {
    const dir = join(await local({}), 'New folder');
    const preview = await previewFirstSync(listing, 'runs/', dir);
    expect(preview).toMatchObject({
      remote: { files: 3, bytes: 3500 },
      local: { files: 0, bytes: 0, exists: false },
      download: { files: 3, bytes: 3500 },
      upload: { files: 0, bytes: 0 },
      both: 0,
      incomplete: false,
      syncedBefore: false,
    });
    expect(preview.freeBytes).toBeGreaterThan(0);
  });

  it('into a folder that holds files: they merge (uploads, and paths on both sides), ignored files left out', async () => {
    const dir = await local({ 'a.vcf': 'mine', 'notes.txt': 'hello', '.DS_Store': 'x', 'scratch/tmp.bin': '12345678' });
    await writeFile(join(dir, '.wsyncignore'), 'scratch/\n');
    const preview = await previewFirstSync({ ...listing, complete: false }, 'runs/', dir);
    expect(preview).toMatchObject({
      local: { files: 3, exists: true },
      download: { files: 2, bytes: 2500 },
      upload: { files: 2 },
      both: 1,
      incomplete: true,
    });
  });

  it('notices a folder wsync synced before', async () => {
    const dir = await local({ '.wsync/state.db': 'x' });
    expect((await previewFirstSync(listing, '', dir)).syncedBefore).toBe(true);
  });
});
