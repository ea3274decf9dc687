/**
 * Cancellation through an AbortSignal: mid-download, mid-upload, during a retry wait, and before
 * anything starts. Each ends in a `cancelled` error and leaves nothing half-written.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../../electron/engine/transfer/throttle.js';
import { expectKind, startRig, WS, type ClientRig } from './support.js';

let rig: ClientRig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => {
  await rig.close();
});

const SIZE = 2_000_000;
/** Slow enough that the transfer is surely still running when the test aborts it. */
const slow = () => createTokenBucket(200_000);

describe('cancellation', () => {
  it('mid-download: cancelled, nothing at the destination, no temp file beside it or in tempDir', async () => {
    await rig.emu.admin.put(WS, 'big.bin', Buffer.alloc(SIZE, 1));
    const file = await rig.api.stat('big.bin');
    if (file === null) throw new Error('seeded file missing');
    const api = rig.client({ bandwidth: { download: slow() } });
    for (const tempDir of [undefined, join(rig.dir, 'tmp')]) {
      const controller = new AbortController();
      const out = join(rig.dir, tempDir === undefined ? 'out' : 'out2');
      const done = api.download(file, join(out, 'big.bin'), {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.bytesDone > 0) controller.abort();
        },
        ...(tempDir === undefined ? {} : { tempDir }),
      });
      await expectKind(done, 'cancelled');
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
      if (tempDir !== undefined) expect(readdirSync(tempDir)).toEqual([]);
    }
  });

  it('mid-upload: cancelled, and the server keeps nothing', async () => {
    writeFileSync(join(rig.dir, 'up.bin'), Buffer.alloc(SIZE, 2));
    const api = rig.client({ bandwidth: { upload: slow() } });
    const controller = new AbortController();
    const done = api.upload(join(rig.dir, 'up.bin'), 'up.bin', {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesDone > 0) controller.abort();
      },
    });
    await expectKind(done, 'cancelled');
    expect(rig.emu.admin.list(WS)).toEqual([]);
  });

  it('during a Retry-After wait of a JSON call: cancelled without the retry', async () => {
    rig.emu.faults.failNth = 1;
    rig.emu.faults.failNthStatus = 429;
    rig.emu.faults.retryAfterSeconds = 60;
    const controller = new AbortController();
    rig.emu.onRequest = () => {
      setTimeout(() => controller.abort(), 100);
    };
    await expectKind(rig.api.list('', { signal: controller.signal }), 'cancelled');
    expect(rig.emu.requests().map((r) => r.kind)).toEqual(['list']);
  });

  it('during a Retry-After wait in the upload loop: cancelled without the retry', async () => {
    writeFileSync(join(rig.dir, 'u.txt'), 'u');
    rig.emu.faults.failNth = 1;
    rig.emu.faults.failNthStatus = 429;
    rig.emu.faults.retryAfterSeconds = 60;
    const controller = new AbortController();
    rig.emu.onRequest = () => {
      setTimeout(() => controller.abort(), 100);
    };
    await expectKind(rig.api.upload(join(rig.dir, 'u.txt'), 'u.txt', { signal: controller.signal }), 'cancelled');
    expect(rig.emu.requests().map((r) => r.kind)).toEqual(['upload']);
  });

  it('an already-aborted signal sends nothing', async () => {
    writeFileSync(join(rig.dir, 'u.txt'), 'u');
    const signal = AbortSignal.abort();
    await expectKind(rig.api.upload(join(rig.dir, 'u.txt'), 'u.txt', { signal }), 'cancelled');
    await expectKind(rig.api.download({ key: 'k', path: 'p', size: 1 }, join(rig.dir, 'p'), { signal }), 'cancelled');
    await expectKind(rig.api.list('', { signal }), 'cancelled');
    await expectKind(rig.api.delete('k', { signal }), 'cancelled');
    expect(rig.emu.requests()).toEqual([]);
  });
});
