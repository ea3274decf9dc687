/**
 * A one-shot sync stopped mid-download (what Ctrl-C in `sync --once` does: the cycle's signal
 * fires) leaves a resumable partial and nothing else; the next run fetches only the rest, which
 * the emulator's records show (one ranged GET, answered 206) and the client's byte count agrees.
 * A partial of a version the server no longer holds (removed, or replaced between runs) is
 * never resumed into the file and is dropped by the next run that completes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { partialSlot } from '../../../electron/engine/api/partials.js';
import { isWsyncError } from '../../../electron/engine/errors.js';
import { folderLayout } from '../../../electron/engine/local/folder-layout.js';
import { syncOnce } from '../../../electron/engine/sync/once/cycle.js';
import { createTokenBucket } from '../../../electron/engine/transfer/throttle.js';
import type { Emulator } from '../../../emulator/types.js';
import { SyncRig } from '../../support/sync-rig.js';

const WS = 'ws_demo';
const SIZE = 4_000_000;
const body = Buffer.from(Array.from({ length: SIZE }, (_, i) => (i * 13 + (i >> 11)) % 253));
let rig: SyncRig;
let root: string;
let emu: Emulator;

beforeEach(async () => {
  rig = await SyncRig.open();
  ({ root, emu } = rig);
});
afterEach(() => rig.close());

const list = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

it('a sync stopped mid-download resumes on the next run and fetches only the rest', async () => {
  await emu.admin.put(WS, 'a-small.txt', 'done before the stop');
  await emu.admin.put(WS, 'data/big.bin', body);
  const layout = folderLayout(root);

  // Run 1: slow enough to stop in the middle; stopped once 1.5 MB of big.bin are in.
  const slow = rig.api({ bandwidth: { download: createTokenBucket(2_000_000) } });
  const stop = new AbortController();
  const stopped = await syncOnce({
    root,
    server: emu.url,
    workspace: WS,
    api: slow,
    concurrency: 1,
    signal: stop.signal,
    onEvent: (e) => {
      if (e.type === 'transfer-progress' && e.bytesDone >= 1_500_000) stop.abort();
    },
  }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(isWsyncError(stopped, 'cancelled')).toBe(true);
  const remote = emu.admin.list(WS).find((f) => f.path === 'data/big.bin');
  const slot = partialSlot(layout.partial, { key: remote?.key ?? '', etag: remote?.etag, size: SIZE });
  if (slot === null) throw new Error('no slot');
  const kept = statSync(slot.path).size;
  expect(kept).toBeGreaterThanOrEqual(1_500_000);
  expect(kept).toBeLessThan(SIZE);
  // The partial and its record, and nothing else: no half file in the folder, nothing in tmp/.
  expect(list(layout.partial)).toEqual([`${slot.name}.partial`, `${slot.name}.partial.json`].sort());
  expect(list(layout.tmp)).toEqual([]);
  expect(existsSync(join(root, 'data', 'big.bin'))).toBe(false);
  expect(readFileSync(join(root, 'a-small.txt'), 'utf8')).toBe('done before the stop');

  // Run 2: the same version is still there, so only the rest comes.
  emu.resetCounters();
  const api = rig.api();
  const result = await syncOnce({ root, server: emu.url, workspace: WS, api });
  expect(result.inSync).toBe(true);
  expect(result.counts.downloaded).toBe(1);
  expect(result.bytesDownloaded).toBe(SIZE - kept);
  expect(
    emu
      .requests()
      .filter((r) => r.kind === 'storage-get')
      .map((r) => r.status),
  ).toEqual([206]);
  expect(
    createHash('md5')
      .update(readFileSync(join(root, 'data', 'big.bin')))
      .digest('hex'),
  ).toBe(createHash('md5').update(body).digest('hex'));
  expect(list(layout.partial)).toEqual([]);
});

it('a partial of a version the remote no longer holds is dropped by the next run that completes', async () => {
  await emu.admin.put(WS, 'big.bin', body);
  const slow = rig.api({ bandwidth: { download: createTokenBucket(2_000_000) } });
  const stop = new AbortController();
  await syncOnce({
    root,
    server: emu.url,
    workspace: WS,
    api: slow,
    signal: stop.signal,
    onEvent: (e) => {
      if (e.type === 'transfer-progress' && e.bytesDone >= 500_000) stop.abort();
    },
  }).catch(() => undefined);
  expect(list(folderLayout(root).partial)).toHaveLength(2);
  await emu.admin.remove(WS, 'big.bin');
  const result = await syncOnce({ root, server: emu.url, workspace: WS, api: rig.api() });
  expect(result.inSync).toBe(true);
  expect(list(folderLayout(root).partial)).toEqual([]);
});

it('a file replaced on the server between runs is fetched whole in its new version, and the old partial is dropped', async () => {
  await emu.admin.put(WS, 'big.bin', body);
  const slow = rig.api({ bandwidth: { download: createTokenBucket(2_000_000) } });
  const stop = new AbortController();
  await syncOnce({
    root,
    server: emu.url,
    workspace: WS,
    api: slow,
    signal: stop.signal,
    onEvent: (e) => {
      if (e.type === 'transfer-progress' && e.bytesDone >= 500_000) stop.abort();
    },
  }).catch(() => undefined);
  const oldPartials = list(folderLayout(root).partial);
  expect(oldPartials).toHaveLength(2);
  // Same size, other bytes: a new etag, so none of the kept bytes may end up in the file.
  const replaced = Buffer.from(body).reverse();
  await emu.admin.put(WS, 'big.bin', replaced);
  emu.resetCounters();
  const result = await syncOnce({ root, server: emu.url, workspace: WS, api: rig.api() });
  expect(result.inSync).toBe(true);
  expect(result.bytesDownloaded).toBe(SIZE);
  expect(
    emu
      .requests()
      .filter((r) => r.kind === 'storage-get')
      .map((r) => r.status),
  ).toEqual([200]);
  expect(readFileSync(join(root, 'big.bin')).equals(replaced)).toBe(true);
  expect(list(folderLayout(root).partial)).toEqual([]);
});
