/**
 * hashRemote: the MD5 of a stored file, from the storage headers where they vouch for the etag,
 * otherwise from a streamed read that writes nothing.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../../emulator/types.js';
import type { RemoteFile } from '../../../electron/engine/model/trees.js';
import { startRig, WS, type ClientRig } from './support.js';

const md5 = (data: string): string => createHash('md5').update(data).digest('hex');

let rig: ClientRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function stored(options: Partial<EmulatorOptions>, path: string, body: string): Promise<{ rig: ClientRig; file: RemoteFile }> {
  rig = await startRig(options);
  await rig.emu.admin.put(WS, path, body);
  const file = (await rig.api.list()).files.find((f) => f.path === path);
  if (file === undefined) throw new Error('not listed');
  return { rig, file };
}

describe('hashRemote', () => {
  it('plain MD5 storage: the headers vouch for the etag, so one byte is all that is read', async () => {
    const { rig, file } = await stored({}, 'a.txt', 'x'.repeat(100_000));
    rig.emu.resetCounters();
    expect(await rig.api.hashRemote(file)).toEqual({ md5: md5('x'.repeat(100_000)), from: 'etag' });
    expect(rig.emu.counters()['storage-get']).toBe(1);
  });

  it('SSE-KMS storage: the etag is no MD5, so the bytes are read and hashed, and nothing is written', async () => {
    const { rig, file } = await stored({ etags: { kind: 'kms' } }, 'k.txt', 'kms bytes');
    expect(file.etag).not.toBe(md5('kms bytes'));
    const before = readdirSync(rig.dir, { recursive: true }).length;
    expect(await rig.api.hashRemote(file)).toEqual({ md5: md5('kms bytes'), from: 'bytes' });
    expect(readdirSync(rig.dir, { recursive: true }).length).toBe(before);
    expect(await rig.api.hashRemote(file, { readBody: false })).toEqual({ md5: undefined, from: 'etag' });
  });

  it('multipart etags: read and hashed', async () => {
    const { rig, file } = await stored({ etags: { kind: 'multipart', partSize: 1024 } }, 'm.bin', 'a'.repeat(2500));
    expect(file.etag).toBe('fb48b83ba285c2c46247364c82e14c9e-3');
    expect(await rig.api.hashRemote(file)).toEqual({ md5: md5('a'.repeat(2500)), from: 'bytes' });
  });

  it('an empty file needs no request', async () => {
    const { rig, file } = await stored({}, 'empty', '');
    rig.emu.resetCounters();
    expect(await rig.api.hashRemote(file)).toEqual({ md5: md5(''), from: 'size' });
    expect(rig.emu.requests()).toEqual([]);
  });

  it('an expired presigned URL is replaced and the read carries on', async () => {
    const { rig, file } = await stored({ etags: { kind: 'kms' } }, 'k.txt', 'kms bytes');
    const emu = rig.emu;
    emu.faults.expiredUrls = true;
    // The first URL is issued expired; its refused GET turns the fault off for the next one.
    emu.onRequest = (request) => {
      if (request.kind === 'storage-get') emu.faults.expiredUrls = false;
    };
    rig.emu.resetCounters();
    expect((await rig.api.hashRemote(file)).md5).toBe(md5('kms bytes'));
    expect(rig.emu.counters()['download-url']).toBe(2);
  });

  it('a file that grew since it was listed is no proof of anything: a conflict error', async () => {
    const { rig, file } = await stored({ etags: { kind: 'kms' } }, 'k.txt', 'kms bytes');
    await expect(rig.api.hashRemote({ ...file, size: file.size - 2 })).rejects.toMatchObject({ kind: 'conflict', code: 'remote-changed' });
  });
});
