/**
 * Start-up recovery of a journal whose intents record the version each path was moving: a
 * transfer that finished before the crash is told apart from a user's edit made after it, on a
 * real state database and the emulator.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RemoteFile } from '../../../../electron/engine/model/trees.js';
import type { FilesApi } from '../../../../electron/engine/api/types.js';
import { StateDb } from '../../../../electron/engine/state/state-db.js';
import { createStateWriter } from '../../../../electron/engine/state/state-writer.js';
import { syncOnce as syncFolderOnce } from '../../../../electron/engine/sync/once/cycle.js';
import { recoverJournal } from '../../../../electron/engine/sync/once/recover.js';
import type { Emulator } from '../../../../emulator/types.js';
import { SyncRig } from '../../../support/sync-rig.js';

const WS = 'ws_demo';
let root: string;
let emu: Emulator;
let api: FilesApi;
let db: StateDb;

let rig: SyncRig;

beforeEach(async () => {
  rig = await SyncRig.open();
  ({ root, emu } = rig);
  api = rig.api();
  db = rig.state();
});
afterEach(() => rig.close());

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const write = (path: string, body: string) => writeFileSync(join(root, path), body);
const read = (path: string) => readFileSync(join(root, path), 'utf8');
async function remoteOf(path: string): Promise<RemoteFile> {
  const found = await api.stat(path);
  if (found === null) throw new Error(`${path} is not on the server`);
  return found;
}
const remoteBody = async (path: string) => (await emu.admin.read(WS, path))?.toString('utf8');
async function syncOnce() {
  db.close();
  const result = await syncFolderOnce({ root, server: emu.url, workspace: WS, api });
  db = StateDb.open(join(root, '.wsync/state.db'));
  return result;
}

describe('recoverJournal with recorded versions', () => {
  it('an upload that finished before the crash, then a local edit: the base is the uploaded version and the edit goes up with no conflict copy', async () => {
    write('a.txt', 'edited after the crash');
    await emu.admin.put(WS, 'a.txt', 'uploaded before the crash');
    db.beginIntents([{ op: 'upload', paths: ['a.txt'], versions: { 'a.txt': { hash: md5('uploaded before the crash') } } }]);

    const recovery = await recoverJournal(db, createStateWriter(db), api, root, '');

    expect(recovery.completed).toEqual(['a.txt']);
    const remote = await remoteOf('a.txt');
    expect(db.getBase('a.txt')).toEqual({
      path: 'a.txt',
      remoteKey: remote.key,
      etag: remote.etag,
      remoteSize: remote.size,
      localSize: -1,
      localMtimeMs: -1,
      localIno: -1,
      hash: md5('uploaded before the crash'),
    });
    expect(db.pendingIntents()).toEqual([]);
    const result = await syncOnce();
    expect(result.counts.uploaded).toBe(1);
    expect(result.inSync).toBe(true);
    expect(readdirSync(root).filter((n) => n !== '.wsync')).toEqual(['a.txt']);
    expect(await remoteBody('a.txt')).toBe('edited after the crash');
  });

  it('a download that finished before the crash, then a remote edit: the base is the downloaded version and the edit comes down with no conflict copy', async () => {
    await emu.admin.put(WS, 'b.txt', 'downloaded before the crash');
    const planned = await remoteOf('b.txt');
    write('b.txt', 'downloaded before the crash');
    db.beginIntents([
      {
        op: 'download',
        paths: ['b.txt'],
        versions: { 'b.txt': { hash: md5('downloaded before the crash'), remote: { key: planned.key, etag: planned.etag, size: planned.size } } },
      },
    ]);
    await emu.admin.put(WS, 'b.txt', 'edited remotely after the crash');

    const recovery = await recoverJournal(db, createStateWriter(db), api, root, '');

    expect(recovery.completed).toEqual(['b.txt']);
    expect(db.getBase('b.txt')).toMatchObject({
      remoteKey: planned.key,
      etag: planned.etag,
      remoteSize: planned.size,
      localSize: 'downloaded before the crash'.length,
      hash: md5('downloaded before the crash'),
    });
    const result = await syncOnce();
    expect(result.counts.downloaded).toBe(1);
    expect(result.inSync).toBe(true);
    expect(readdirSync(root).filter((n) => n !== '.wsync')).toEqual(['b.txt']);
    expect(read('b.txt')).toBe('edited remotely after the crash');
  });

  it('a download that never reached the disk leaves the base alone, even though the server holds the recorded version', async () => {
    await emu.admin.put(WS, 'c.txt', 'the planned download');
    const planned = await remoteOf('c.txt');
    write('c.txt', 'a local edit the download would have replaced');
    db.beginIntents([
      {
        op: 'download',
        paths: ['c.txt'],
        versions: { 'c.txt': { hash: md5('the planned download'), remote: { key: planned.key, etag: planned.etag, size: planned.size } } },
      },
    ]);

    const recovery = await recoverJournal(db, createStateWriter(db), api, root, '');

    expect(recovery.completed).toEqual([]);
    expect(db.getBase('c.txt')).toBeUndefined();
    expect(db.pendingIntents()).toEqual([]);
  });

  it('an upload that never reached the server leaves the base alone', async () => {
    write('d.txt', 'edited after the crash');
    await emu.admin.put(WS, 'd.txt', 'an older remote version');
    db.beginIntents([{ op: 'upload', paths: ['d.txt'], versions: { 'd.txt': { hash: md5('the planned upload') } } }]);

    const recovery = await recoverJournal(db, createStateWriter(db), api, root, '');

    expect(recovery.completed).toEqual([]);
    expect(db.getBase('d.txt')).toBeUndefined();
    expect(existsSync(join(root, 'd.txt'))).toBe(true);
  });
});
