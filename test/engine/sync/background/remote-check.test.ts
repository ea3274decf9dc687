import { describe, expect, it } from 'vitest';

import type { BaseEntry, RemoteFile } from '../../../../electron/engine/model/trees.js';
import { baseDigest, compareRemote, listingDigest, VersionDigest, type RemoteDifference } from '../../../../electron/engine/sync/background/remote-check.js';

const MD5_A = '0cc175b9c0f1b6a831c399e269772661';
const MD5_B = '92eb5ffee6ae2fec3ad71c777531578f';

function base(path: string, etag: string | undefined, remoteSize = 1, remoteKey = `k/${path}`): BaseEntry {
  return { path, remoteKey, etag, remoteSize, localSize: remoteSize, localMtimeMs: 1, localIno: 1, hash: MD5_A };
}
function remote(path: string, etag: string | undefined, size = 1, key = `k/${path}`): RemoteFile {
  return { path, key, etag, size };
}

interface Row {
  name: string;
  files: RemoteFile[];
  base: BaseEntry[];
  complete?: boolean;
  held?: string[];
  differences: RemoteDifference[];
  decidable: boolean;
}

const rows: Row[] = [
  { name: 'same files, same etags and sizes: nothing', files: [remote('a', MD5_A)], base: [base('a', MD5_A)], differences: [], decidable: true },
  { name: 'an etag in quotes is the same etag', files: [remote('a', `"${MD5_A}"`)], base: [base('a', MD5_A)], differences: [], decidable: true },
  { name: 'a new etag: changed', files: [remote('a', MD5_B)], base: [base('a', MD5_A)], differences: [{ path: 'a', kind: 'changed' }], decidable: true },
  { name: 'same etag, new size: changed', files: [remote('a', MD5_A, 2)], base: [base('a', MD5_A, 1)], differences: [{ path: 'a', kind: 'changed' }], decidable: true },
  { name: 'same version under a new key: changed (a cycle records the key)', files: [remote('a', MD5_A, 1, 'k2')], base: [base('a', MD5_A, 1, 'k1')], differences: [{ path: 'a', kind: 'changed' }], decidable: true },
  { name: 'no etags on either side, same key and size: nothing', files: [remote('a', undefined)], base: [base('a', undefined)], differences: [], decidable: true },
  { name: 'an etag where the base had none: changed', files: [remote('a', MD5_A)], base: [base('a', undefined)], differences: [{ path: 'a', kind: 'changed' }], decidable: true },
  { name: 'listed but not in the base: added', files: [remote('a', MD5_A), remote('n', MD5_B)], base: [base('a', MD5_A)], differences: [{ path: 'n', kind: 'added' }], decidable: true },
  { name: 'in the base but not listed: removed', files: [], base: [base('a', MD5_A)], differences: [{ path: 'a', kind: 'removed' }], decidable: true },
  { name: 'not listed but its deletion is held already: nothing', files: [], base: [base('a', MD5_A)], held: ['a'], differences: [], decidable: true },
  { name: 'a held path that changed remotely is still a change', files: [remote('a', MD5_B)], base: [base('a', MD5_A)], held: ['a'], differences: [{ path: 'a', kind: 'changed' }], decidable: true },
  { name: 'a partial listing: a missing file is no news (no cycle infers a deletion from it either)', files: [remote('a', MD5_A)], base: [base('a', MD5_A), base('b', MD5_A)], complete: false, differences: [], decidable: true },
  { name: 'a partial listing still shows added and changed files', files: [remote('a', MD5_B), remote('n', MD5_A)], base: [base('a', MD5_A), base('b', MD5_A)], complete: false, differences: [{ path: 'a', kind: 'changed' }, { path: 'n', kind: 'added' }], decidable: true },
  { name: 'a path listed twice is for a full cycle to judge', files: [remote('a', MD5_A), remote('a', MD5_A)], base: [base('a', MD5_A)], differences: [], decidable: false },
  { name: 'empty on both sides: nothing', files: [], base: [], differences: [], decidable: true },
];

describe('compareRemote: the remote listing against the base', () => {
  it.each(rows)('$name', (row) => {
    const result = compareRemote({ files: row.files, complete: row.complete ?? true }, row.base, new Set(row.held ?? []));
    expect(result).toEqual({ differences: row.differences, decidable: row.decidable });
  });
});

describe('listingDigest and baseDigest: one fingerprint for a sequence of remote versions', () => {
  const listed = [remote('a', MD5_A), remote('b/c', MD5_B, 7), remote('d', undefined, 3)];
  const digest = listingDigest(listed);

  it("is the base's fingerprint when the base holds the same versions in the same order, whatever the etag's quoting", () => {
    expect(baseDigest([base('a', `"${MD5_A}"`), base('b/c', MD5_B, 7), base('d', undefined, 3)])).toBe(digest);
  });

  it('is the same taken file by file as over the whole sequence (a listing is fingerprinted page by page)', () => {
    const streamed = new VersionDigest();
    for (const f of listed) streamed.add(f.path, f);
    expect(streamed.digest()).toBe(digest);
  });

  it.each([
    ['a new etag', [remote('a', MD5_B), listed[1], listed[2]]],
    ['a new size', [remote('a', MD5_A, 2), listed[1], listed[2]]],
    ['a new key', [remote('a', MD5_A, 1, 'other'), listed[1], listed[2]]],
    ['an etag where there was none', [listed[0], listed[1], remote('d', 'e1', 3)]],
    ['a missing file', [listed[0], listed[1]]],
    ['an extra file', [...listed, remote('e', MD5_A)]],
    ['a file listed twice', [...listed, listed[0]]],
    ['another order (the caller then compares row by row)', [listed[1], listed[0], listed[2]]],
  ] as [string, RemoteFile[]][])('changes with %s', (_name, files) => {
    expect(listingDigest(files)).not.toBe(digest);
  });
});
