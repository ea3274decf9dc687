/**
 * Uploads handed the MD5 the scan already computed: the bytes are not hashed again, and the
 * server's etag still catches bytes that are not the ones hashed (multipart and three-step).
 * A file cut short while it is read fails, whether read in one piece or streamed.
 */
import { createHash } from 'node:crypto';
import { truncateSync, utimesSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectKind, startRig, WS, type ClientRig } from './support.js';

const md5 = (bytes: Buffer | string) => createHash('md5').update(bytes).digest('hex');

let rig: ClientRig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => {
  await rig.close();
});

describe.each([
  ['multipart', () => rig.api],
  ['three-step', () => rig.client({ largeUploadThreshold: 10 })],
])('upload with a known MD5 (%s)', (flow, api) => {
  it('sends the file and returns the given MD5, which the server confirms', async () => {
    const bytes = Buffer.alloc(300_000, 0x41);
    const result = await api().upload(rig.file('a.bin', bytes), 'a.bin', { md5: md5(bytes) });
    expect(result.md5).toBe(md5(bytes));
    expect(result.file.etag).toBe(md5(bytes));
    expect((await rig.emu.admin.read(WS, 'a.bin'))?.equals(bytes)).toBe(true);
  });

  it('a hash that is not of the bytes sent fails with md5-mismatch while the file is unchanged', async () => {
    const file = rig.file('b.bin', 'the bytes on disk');
    // Storage's answer to the PUT is checked first, and counts as damage on the way (retried).
    const kind = flow === 'multipart' ? 'invalid-response' : 'transient';
    const err = await expectKind(api().upload(file, 'b.bin', { md5: md5('other bytes') }), kind);
    expect(err.code).toBe('md5-mismatch');
  });

  it('when the file changed while it was sent, reports the MD5 of what the server received', async () => {
    const file = rig.file('c.bin', 'new bytes, same length');
    let touched = false;
    const result = await api().upload(file, 'c.bin', {
      md5: md5('old bytes, same length'),
      onProgress: () => {
        // A write during the upload: the mtime moves on (the content here is already the new one).
        if (!touched) utimesSync(file, new Date(), new Date(Date.now() + 5000));
        touched = true;
      },
    });
    expect(result.md5).toBe(md5('new bytes, same length'));
    expect(result.file.etag).toBe(md5('new bytes, same length'));
  });
});

describe.each([
  ['small (one read)', 1000],
  ['larger (streamed)', 200_000],
])('upload of a %s file that shrinks once the upload started', (_label, size) => {
  it('fails with changed-during-upload instead of sending a cut file', async () => {
    const file = rig.file('shrinks.bin', Buffer.alloc(size, 0x42));
    let cut = false;
    const err = await expectKind(
      rig.api.upload(file, 'shrinks.bin', {
        onProgress: () => {
          // The first report comes before the first read: the file is shorter than it was stat'ed.
          if (!cut) truncateSync(file, size / 2);
          cut = true;
        },
      }),
      'local-io',
    );
    expect(err.code).toBe('changed-during-upload');
    expect(rig.emu.admin.list(WS)).toEqual([]);
  });
});
