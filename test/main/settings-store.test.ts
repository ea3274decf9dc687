import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, openSettingsStore } from '../../electron/main/settings-store.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'wsync-settings-'));
const folder = { id: 'abc', server: 'https://s', workspace: 'ws', dir: '/tmp/x', prefix: '', apiKeyEncrypted: 'AAAA' };

describe('settings store', () => {
  it('starts from defaults when there is no file yet', async () => {
    const store = await openSettingsStore(await tempDir());
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.warning).toBeUndefined();
  });

  it('persists updates as JSON that a new store reads back', async () => {
    const dir = await tempDir();
    const store = await openSettingsStore(dir);
    await store.update((s) => ({ ...s, startAtLogin: true, folders: [folder] }));
    await store.update((s) => ({ ...s, bandwidth: { uploadBps: 1000, downloadBps: 0 } }));
    const again = await openSettingsStore(dir);
    expect(again.get()).toEqual({ ...DEFAULT_SETTINGS, startAtLogin: true, folders: [folder], bandwidth: { uploadBps: 1000, downloadBps: 0 } });
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toEqual(again.get());
  });

  it('reads a file written before the notification, trash, proxy and pause settings existed, with their defaults', async () => {
    const dir = await tempDir();
    const old = { version: 1, startAtLogin: false, folders: [folder], bandwidth: { uploadBps: 0, downloadBps: 0 } };
    await writeFile(join(dir, 'settings.json'), JSON.stringify(old));
    const store = await openSettingsStore(dir);
    expect(store.warning).toBeUndefined();
    expect(store.get()).toEqual({ ...old, notifications: {}, trashRetentionDays: 30, proxy: { mode: 'system' }, pausedUntil: null });
  });

  it('sets aside a file that does not fit the schema and starts from defaults with a warning', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ version: 1, folders: [{ id: '../x' }] }));
    const store = await openSettingsStore(dir);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.warning).toMatch(/could not be read/);
    expect((await readdir(dir)).filter((f) => f.startsWith('settings.json.invalid-'))).toHaveLength(1);
  });

  it('sets aside a file that is not JSON', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'settings.json'), '{ truncated');
    expect((await openSettingsStore(dir)).warning).toMatch(/kept as/);
  });

  it('rejects an update that would break the schema, keeping the old settings', async () => {
    const store = await openSettingsStore(await tempDir());
    await expect(store.update((s) => ({ ...s, bandwidth: { uploadBps: -1, downloadBps: 0 } }))).rejects.toThrow();
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('writes concurrent updates in order, the last one winning on disk', async () => {
    const dir = await tempDir();
    const store = await openSettingsStore(dir);
    await Promise.all([1, 2, 3, 4].map((n) => store.update((s) => ({ ...s, bandwidth: { uploadBps: n, downloadBps: n } }))));
    expect((JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')) as { bandwidth: unknown }).bandwidth).toEqual({
      uploadBps: 4,
      downloadBps: 4,
    });
  });
});
