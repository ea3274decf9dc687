/**
 * The three-step large upload and the download against the emulator's S3 mode: real SigV4
 * presigned URLs served by s3rver behind a signature check (a wrong Content-Type would be 403).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, type RunningS3 } from '../../emulator/s3rver.js';
import { startRig, WS, type ClientRig } from './support.js';

const md5 = (bytes: Buffer | string) => createHash('md5').update(bytes).digest('hex');

let s3: RunningS3;
let rig: ClientRig;
beforeAll(async () => {
  s3 = await startS3rver();
  rig = await startRig({ storage: s3.storage }, { largeUploadThreshold: 1000 });
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await rig?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await s3?.close();
});

describe('against S3 storage (s3rver, SigV4)', () => {
  const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 13) % 256));

  it('uploads through upload-url, a signed PUT to the bucket and upload-confirm; downloads it back', async () => {
    writeFileSync(join(rig.dir, 'big.bin'), bytes);
    const result = await rig.api.upload(join(rig.dir, 'big.bin'), 'bam/big.bin');
    expect(result.file).toMatchObject({ path: 'bam/big.bin', size: bytes.length, etag: md5(bytes) });
    expect(rig.emu.requests().map((r) => [r.kind, r.status])).toEqual([
      ['upload-url', 200],
      ['upload-confirm', 200],
    ]);
    expect((await rig.emu.admin.read(WS, 'bam/big.bin'))?.equals(bytes)).toBe(true);

    const listed = await rig.api.stat('bam/big.bin');
    if (listed === null) throw new Error('uploaded file not listed');
    const got = await rig.api.download(listed, join(rig.dir, 'back', 'big.bin'));
    expect(got.md5).toBe(md5(bytes));
    expect(readFileSync(join(rig.dir, 'back', 'big.bin')).equals(bytes)).toBe(true);
  });

  it('an expired SigV4 URL (403 from S3) is replaced by a fresh one, for the PUT and the GET', async () => {
    writeFileSync(join(rig.dir, 'e.bin'), bytes);
    rig.emu.resetCounters();
    rig.emu.faults.expiredUrls = true;
    let issued = 0;
    rig.emu.onRequest = (record) => {
      if ((record.kind === 'upload-url' || record.kind === 'download-url') && ++issued % 2 === 0) rig.emu.faults.expiredUrls = false;
    };
    await rig.api.upload(join(rig.dir, 'e.bin'), 'e.bin');
    expect(rig.emu.counters()).toMatchObject({ 'upload-url': 2, 'upload-confirm': 1 });

    rig.emu.faults.expiredUrls = true;
    const listed = await rig.api.stat('e.bin');
    if (listed === null) throw new Error('uploaded file not listed');
    await rig.api.download(listed, join(rig.dir, 'back', 'e.bin'));
    expect(rig.emu.counters()['download-url']).toBe(2);
    expect(readFileSync(join(rig.dir, 'back', 'e.bin')).equals(bytes)).toBe(true);
    expect(rig.log.lines.some((l) => l.includes('url-refused'))).toBe(true);
    expect(rig.log.lines.some((l) => l.includes('X-Amz-'))).toBe(false);
  });
});
