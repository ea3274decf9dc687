import { describe, expect, it } from 'vitest';
import type { BaseEntry, RemoteFile } from '../../../electron/engine/model/trees.js';
import { etagProvesBytes, objectToken, remoteEqualsBase, sameObject, sameVersion, versionKey } from '../../../electron/engine/model/versions.js';

const MD5 = '0cc175b9c0f1b6a831c399e269772661';
const file = (over: Partial<RemoteFile> = {}): RemoteFile => ({ key: 'k1', path: 'a.txt', size: 1, etag: MD5, ...over });
const base = (over: Partial<BaseEntry> = {}): BaseEntry => ({
  path: 'a.txt',
  remoteKey: 'k1',
  etag: MD5,
  remoteSize: 1,
  localSize: 1,
  localMtimeMs: 1,
  localIno: 1,
  hash: MD5,
  ...over,
});

describe('the one definition of "same version"', () => {
  it.each([
    ['same etag and size', file(), file(), true],
    ['same etag and size under another key (the bytes did not change)', file(), file({ key: 'k2' }), true],
    ['quoted and bare spellings of one etag', file({ etag: `"${MD5}"` }), file(), true],
    ['another etag', file(), file({ etag: 'ffffffffffffffffffffffffffffffff' }), false],
    ['another size', file(), file({ size: 2 }), false],
    ['an etag on one side only', file(), file({ etag: undefined }), false],
    ['no etags: key and size', file({ etag: undefined }), file({ etag: undefined }), true],
    ['no etags: another key', file({ etag: undefined }), file({ etag: undefined, key: 'k2' }), false],
    ['no etags: another modification time', file({ etag: undefined, lastModified: 'a' }), file({ etag: undefined, lastModified: 'b' }), false],
    ['no etags: a modification time on one side only says nothing', file({ etag: undefined, lastModified: 'a' }), file({ etag: undefined }), true],
  ])('%s', (_name, a, b, same) => {
    expect(sameVersion(a, b)).toBe(same);
    expect(sameVersion(b, a)).toBe(same);
  });

  it('the planner, the executor and the poll read it the same way: a base row is its remote version', () => {
    expect(remoteEqualsBase(file({ key: 'moved' }), base())).toBe(true);
    expect(remoteEqualsBase(file({ size: 2 }), base())).toBe(false);
    expect(remoteEqualsBase(file({ etag: undefined }), base({ etag: undefined }))).toBe(true);
    expect(remoteEqualsBase(file({ etag: undefined, key: 'k2' }), base({ etag: undefined }))).toBe(false);
  });

  it('the same object is the same version under the same key; nothing matches only nothing', () => {
    expect(sameObject(file(), file())).toBe(true);
    expect(sameObject(file(), file({ key: 'k2' }))).toBe(false);
    expect(sameObject(null, null)).toBe(true);
    expect(sameObject(file(), null)).toBe(false);
    expect(sameObject(null, file())).toBe(false);
  });

  it('object tokens are equal exactly for the same object', () => {
    expect(objectToken(file())).toBe(objectToken(file({ etag: `"${MD5}"`, lastModified: 'x' })));
    for (const other of [file({ key: 'k2' }), file({ size: 2 }), file({ etag: undefined }), file({ etag: 'x' })]) {
      expect(objectToken(other)).not.toBe(objectToken(file()));
    }
  });

  it('a version key needs an etag (it is compared across paths)', () => {
    expect(versionKey(file())).toBe(versionKey(file({ key: 'other', path: 'b.txt' })));
    expect(versionKey(file({ etag: undefined }))).toBeUndefined();
  });

  it('only a plain-MD5 etag proves which bytes a remote file holds', () => {
    expect(etagProvesBytes(file(), MD5, 1)).toBe(true);
    expect(etagProvesBytes(file({ etag: MD5.toUpperCase() }), MD5)).toBe(true);
    expect(etagProvesBytes(file(), MD5, 2)).toBe(false);
    expect(etagProvesBytes(file({ etag: `${MD5}-2` }), MD5, 1)).toBe(false);
    expect(etagProvesBytes(file({ etag: undefined }), MD5, 1)).toBe(false);
  });
});
