import { describe, expect, it } from 'vitest';
import { candidatePartSizes, encryptionHidesMd5, multipartEtag } from '../../../electron/engine/model/etag.js';
import type { LocalEntry, RemoteFile } from '../../../electron/engine/model/trees.js';
import { sameBytes } from '../../../electron/engine/model/versions.js';

const MiB = 1024 * 1024;
const MD5 = '0cc175b9c0f1b6a831c399e269772661';
const local = (over: Partial<LocalEntry> = {}): LocalEntry => ({ path: 'a', size: 1, mtimeMs: 1, ino: 1, hash: MD5, ...over });
const remote = (over: Partial<RemoteFile> = {}): RemoteFile => ({ key: 'k', path: 'a', size: 1, etag: MD5, ...over });

describe('S3 multipart etags', () => {
  it.each([
    ['fb48b83ba285c2c46247364c82e14c9e-3', { digest: 'fb48b83ba285c2c46247364c82e14c9e', parts: 3 }],
    ['"FB48B83BA285C2C46247364C82E14C9E-10000"', { digest: 'fb48b83ba285c2c46247364c82e14c9e', parts: 10000 }],
  ])('reads %s', (etag, parsed) => {
    expect(multipartEtag(etag)).toEqual(parsed);
  });

  it.each([MD5, `${MD5}-0`, `${MD5}-`, `${MD5}-100000`, 'abc-3', 'opaque'])('%s is no multipart etag', (etag) => {
    expect(multipartEtag(etag)).toBeUndefined();
  });

  it('part sizes that give the listed part count, tool defaults first', () => {
    // 20 MiB in 3 parts: 8 MiB (AWS CLI) fits; 5 MiB gives 4 parts and does not.
    expect(candidatePartSizes(20 * MiB, 3)[0]).toBe(8 * MiB);
    expect(candidatePartSizes(20 * MiB, 3)).not.toContain(5 * MiB);
    // 20 MiB in 4 parts: 5 MiB (rclone, lib-storage) and the even split both fit.
    expect(candidatePartSizes(20 * MiB, 4)).toContain(5 * MiB);
    for (const size of [20 * MiB, 20 * MiB + 1, 123_456_789]) {
      for (const parts of [2, 3, 4, 7, 16]) {
        for (const p of candidatePartSizes(size, parts)) expect(Math.ceil(size / p), `${size} / ${p}`).toBe(parts);
      }
    }
  });

  it("small part sizes (the emulator's tests) are found by the smallest power of two", () => {
    expect(candidatePartSizes(200_000, 4)).toContain(65_536);
    expect(candidatePartSizes(2500, 3)).toContain(1024);
  });

  it('one part fits any size; no part size gives more parts than bytes', () => {
    expect(candidatePartSizes(12345, 1)).toEqual([12345]);
    expect(candidatePartSizes(0, 1)).toEqual([1]);
    expect(candidatePartSizes(3, 5)).toEqual([]);
  });

  it('at most eight candidates: each costs an MD5 pass over the local file', () => {
    expect(candidatePartSizes(10 * 1024 * MiB, 2).length).toBeLessThanOrEqual(8);
  });
});

describe('storage encryption that makes an etag no MD5 (S3: SSE-KMS, SSE-C)', () => {
  it.each([
    [{ serverSide: 'aws:kms' }, true],
    [{ serverSide: 'aws:kms:dsse' }, true],
    [{ serverSide: 'AWS:KMS' }, true],
    [{ customerAlgorithm: 'AES256' }, true],
    [{ serverSide: 'AES256' }, false],
    [{}, false],
  ])('%j → %s', (encryption, hides) => {
    expect(encryptionHidesMd5(encryption)).toBe(hides);
  });
});

describe('sameBytes without a base (a first sync)', () => {
  it('a plain-MD5 etag equal to the local MD5 proves the same bytes', () => {
    expect(sameBytes(local(), remote(), undefined)).toBe('same');
  });
  it('a plain-MD5-looking etag that differs proves nothing: an SSE-KMS etag looks the same', () => {
    expect(sameBytes(local(), remote({ etag: 'ffffffffffffffffffffffffffffffff' }), undefined)).toBe('unproven');
  });
  it('a multipart etag proves nothing on its own', () => {
    expect(sameBytes(local(), remote({ etag: `${MD5}-2` }), undefined)).toBe('unproven');
  });
  it('a size mismatch proves different bytes, whatever the etag', () => {
    expect(sameBytes(local(), remote({ size: 2, etag: `${MD5}-2` }), undefined)).toBe('different');
    expect(sameBytes(local(), remote({ size: 2 }), undefined)).toBe('different');
  });
});
