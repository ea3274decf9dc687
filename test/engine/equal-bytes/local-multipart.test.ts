import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { multipartEtagsOfFile } from '../../../electron/engine/equal-bytes/local-multipart.js';
import { etagOfBytes } from '../../../emulator/etags.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsync-mp-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const md5 = (data: Buffer | string): Buffer => createHash('md5').update(data).digest();

describe('multipart etags of a local file', () => {
  it('match a vector computed with Python\'s hashlib (2500 × "a" in parts of 1024)', async () => {
    writeFileSync(join(dir, 'a'), 'a'.repeat(2500));
    expect(await multipartEtagsOfFile(join(dir, 'a'), [1024])).toEqual(['fb48b83ba285c2c46247364c82e14c9e-3']);
  });

  it('for several part sizes in one read, each as the emulator (written apart) makes it, across read-buffer boundaries', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 10)) & 0xff;
    writeFileSync(join(dir, 'b'), bytes);
    const sizes = [1024 * 1024, 700_001, 3 * 1024 * 1024];
    const whole = md5(bytes).toString('hex');
    const expected = sizes.map((partSize) => etagOfBytes({ kind: 'multipart', partSize }, 'k', bytes, whole));
    expect(await multipartEtagsOfFile(join(dir, 'b'), sizes)).toEqual(expected);
  });

  it('one part: the MD5 of the MD5, "-1" (an empty file too)', async () => {
    writeFileSync(join(dir, 'c'), 'hello');
    writeFileSync(join(dir, 'e'), '');
    expect(await multipartEtagsOfFile(join(dir, 'c'), [5 * 1024 * 1024])).toEqual([`${md5(md5('hello')).toString('hex')}-1`]);
    expect(await multipartEtagsOfFile(join(dir, 'e'), [1])).toEqual([`${md5(md5('')).toString('hex')}-1`]);
  });
});
