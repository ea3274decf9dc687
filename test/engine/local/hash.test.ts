import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { md5File } from '../../../electron/engine/local/hash.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsync-hash-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const bytesOf = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + (i >> 8)) & 0xff));

describe('md5File', () => {
  it.each([0, 1, 4096, 256 * 1024, 256 * 1024 + 1, 3 * 1024 * 1024 + 7])('hashes a file of %i bytes to the MD5 of its bytes', async (size) => {
    const bytes = bytesOf(size);
    writeFileSync(join(dir, 'f'), bytes);
    expect(await md5File(join(dir, 'f'))).toBe(md5(bytes));
  });

  it('fails for a missing file with ENOENT, so the scan can tell a deleted file from an unreadable one', async () => {
    await expect(md5File(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('does not start when its signal is already aborted', async () => {
    writeFileSync(join(dir, 'f'), 'x');
    const stop = new AbortController();
    stop.abort(new Error('stopped'));
    await expect(md5File(join(dir, 'f'), stop.signal)).rejects.toThrow('stopped');
  });
});
