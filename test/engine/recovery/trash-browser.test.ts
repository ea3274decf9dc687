import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveToTrash, trashBatchName } from '../../../electron/engine/local/trash.js';
import {
  conflictTrashBatch,
  emptyTrash,
  listTrash,
  parseBatch,
  restoredName,
  restoreFromTrash,
} from '../../../electron/engine/recovery/trash-browser.js';

async function folder(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'wsync-trash-'));
  for (const [path, body] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), body);
  }
  return root;
}

const MARCH = new Date('2025-03-01T08:00:00.000Z');
const APRIL = new Date('2025-04-02T09:30:00.000Z');

describe('the wsync trash', () => {
  it.each([
    ['2025-03-01T08-00-00-000Z', '2025-03-01T08:00:00.000Z', 'deleted-in-workspace'],
    ['2025-03-01T08-00-00-000Z-conflict', '2025-03-01T08:00:00.000Z', 'conflict-resolution'],
  ])('reads the batch %s as made at %s (%s)', (name, at, origin) => {
    expect(parseBatch(name)).toEqual({ at: new Date(at), origin });
  });

  it.each(['notes', '2025-03-01', '../2025-03-01T08-00-00-000Z'])('ignores a folder %s that wsync did not make', (name) => {
    expect(parseBatch(name)).toBeNull();
  });

  it('lists what the engine and conflict resolutions moved there, newest first, with sizes and why', async () => {
    const root = await folder({ 'photos/a.jpg': 'aaaa', 'b.txt': 'bb', 'plan.txt': 'theirs' });
    await moveToTrash(root, 'photos/a.jpg', trashBatchName(MARCH));
    await moveToTrash(root, 'b.txt', trashBatchName(MARCH));
    await moveToTrash(root, 'plan.txt', conflictTrashBatch(APRIL));
    const listing = await listTrash(root);
    expect(listing.entries.map((e) => [e.path, e.size, e.trashedAt, e.origin])).toEqual([
      ['plan.txt', 6, APRIL.toISOString(), 'conflict-resolution'],
      ['b.txt', 2, MARCH.toISOString(), 'deleted-in-workspace'],
      ['photos/a.jpg', 4, MARCH.toISOString(), 'deleted-in-workspace'],
    ]);
    expect([listing.totalFiles, listing.totalBytes, listing.truncated]).toEqual([3, 12, false]);
    expect(listing.location).toBe(join(root, '.wsync', 'trash'));
  });

  it('an empty or missing trash lists nothing', async () => {
    expect((await listTrash(await folder({}))).entries).toEqual([]);
  });

  it('cuts a long list to the newest, and counts everything', async () => {
    const root = await folder(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.txt`, 'x'])));
    for (let i = 0; i < 5; i++) await moveToTrash(root, `f${i}.txt`, trashBatchName(new Date(MARCH.getTime() + i * 1000)));
    const listing = await listTrash(root, 2);
    expect(listing.entries.map((e) => e.path)).toEqual(['f4.txt', 'f3.txt']);
    expect([listing.totalFiles, listing.truncated]).toEqual([5, true]);
  });

  it('restores a file to where it was, creating its folders, and leaves no empty batch behind', async () => {
    const root = await folder({ 'photos/2024/a.jpg': 'aaaa' });
    await moveToTrash(root, 'photos/2024/a.jpg', trashBatchName(MARCH));
    const [entry] = (await listTrash(root)).entries;
    expect(await restoreFromTrash(root, [entry?.id ?? ''])).toEqual([{ id: entry?.id, path: 'photos/2024/a.jpg', renamed: false }]);
    expect(await readFile(join(root, 'photos', '2024', 'a.jpg'), 'utf8')).toBe('aaaa');
    expect(existsSync(join(root, '.wsync', 'trash', trashBatchName(MARCH)))).toBe(false);
    expect((await listTrash(root)).entries).toEqual([]);
  });

  it('never overwrites: a name taken now gets "(restored)", then "(restored 2)"', async () => {
    const root = await folder({ 'plan.txt': 'old' });
    await moveToTrash(root, 'plan.txt', trashBatchName(MARCH));
    await writeFile(join(root, 'plan.txt'), 'new');
    await writeFile(join(root, 'plan (restored).txt'), 'earlier restore');
    const [entry] = (await listTrash(root)).entries;
    expect(await restoreFromTrash(root, [entry?.id ?? ''])).toEqual([{ id: entry?.id, path: 'plan (restored 2).txt', renamed: true }]);
    expect(await readFile(join(root, 'plan.txt'), 'utf8')).toBe('new');
    expect(await readFile(join(root, 'plan (restored 2).txt'), 'utf8')).toBe('old');
  });

  it.each([
    ['report.pdf', 1, 'report (restored).pdf'],
    ['a/b/.bashrc', 2, 'a/b/.bashrc (restored 2)'],
    ['archive.tar.gz', 1, 'archive.tar (restored).gz'],
  ])('names the restored copy of %s (%i) %s', (path, n, expected) => {
    expect(restoredName(path, n)).toBe(expected);
  });

  it.each([
    '../../etc/passwd',
    '2025-03-01T08-00-00-000Z/../../x',
    '2025-03-01T08-00-00-000Z/a/../../../x',
    'nobatch/x',
    '2025-03-01T08-00-00-000Z/',
  ])('refuses an id that is not an item of the trash: %s', async (id) => {
    const root = await folder({});
    await expect(restoreFromTrash(root, [id])).rejects.toThrow(/not an item of the wsync trash/);
  });

  it('an item restored or emptied meanwhile is skipped', async () => {
    const root = await folder({});
    expect(await restoreFromTrash(root, [`${trashBatchName(MARCH)}/gone.txt`])).toEqual([]);
  });

  it('empties only what is older than the cut-off, or everything', async () => {
    const root = await folder({ 'old.txt': '1234', 'new.txt': '12' });
    await moveToTrash(root, 'old.txt', trashBatchName(MARCH));
    await moveToTrash(root, 'new.txt', trashBatchName(APRIL));
    expect(await emptyTrash(root, new Date('2025-04-01T00:00:00Z'))).toEqual({ files: 1, bytes: 4 });
    expect((await listTrash(root)).entries.map((e) => e.path)).toEqual(['new.txt']);
    expect(await emptyTrash(root, null)).toEqual({ files: 1, bytes: 2 });
    expect((await listTrash(root)).entries).toEqual([]);
  });
});
