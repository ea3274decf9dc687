/**
 * The planner's side of equal bytes without MD5 etags (invariant 4): a conflict the listing cannot
 * prove is marked `bytesUnproven`, and a proof read later (equal-bytes/prove.ts) decides it, but
 * only for the very bytes and remote version it was made for, and never against what the listing
 * already proves.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BaseEntry, LocalEntry, RemoteFile } from '../../../electron/engine/model/trees.js';
import { objectToken } from '../../../electron/engine/model/versions.js';
import { DEFAULT_DELETE_GUARD } from '../../../electron/engine/plan/delete-guard.js';
import { reconcile } from '../../../electron/engine/plan/reconcile.js';
import type { ByteProof, ReconcileInput } from '../../../electron/engine/plan/types.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const MULTIPART = `${md5('parts')}-2`;
const KMS_LIKE = md5('not these bytes');

const local = (content: string): LocalEntry => ({ path: 'a.bin', size: content.length, mtimeMs: 2, ino: 7, hash: md5(content) });
const remote = (size: number, etag: string | undefined, key = 'k/a.bin'): RemoteFile => ({
  key,
  path: 'a.bin',
  size,
  ...(etag === undefined ? {} : { etag }),
});

function plan(l: LocalEntry, r: RemoteFile, proof?: Partial<ByteProof> & Pick<ByteProof, 'verdict'>, base: BaseEntry[] = []) {
  const input: ReconcileInput = {
    local: [l],
    remote: { files: [r], complete: true },
    base,
    now: new Date('2024-05-06T07:08:09Z'),
    ...(proof === undefined ? {} : { proofs: new Map([['a.bin', { hash: l.hash, remote: objectToken(r), ...proof }]]) }),
    options: { caseInsensitiveFs: false, platform: 'linux', deleteGuard: DEFAULT_DELETE_GUARD, confirmDeletes: false },
  };
  return reconcile(input).actions.map((a) => `${a.decision} ${a.kind}${a.kind === 'conflict' && a.bytesUnproven === true ? ' (unproven)' : ''}`);
}

describe('proofs of equal bytes in the plan (first sync, same size)', () => {
  it.each([
    ['a multipart etag', MULTIPART],
    ['a 32-hex etag that is no MD5 of these bytes (SSE-KMS looks so)', KMS_LIKE],
    ['no etag at all', undefined],
  ])('%s: a conflict marked unproven; proved same → row 7, proved different → row 8, unreadable → left alone', (_name, etag) => {
    const l = local('same size');
    const r = remote(l.size, etag);
    expect(plan(l, r)).toEqual(['8 conflict (unproven)']);
    expect(plan(l, r, { verdict: 'same' })).toEqual(['7 record']);
    expect(plan(l, r, { verdict: 'different' })).toEqual(['8 conflict']);
    expect(plan(l, r, { verdict: 'failed' })).toEqual([]);
  });

  it('a proof made for other local bytes or another remote version counts for nothing', () => {
    const l = local('same size');
    const r = remote(l.size, MULTIPART);
    expect(plan(l, r, { verdict: 'same', hash: md5('older bytes') })).toEqual(['8 conflict (unproven)']);
    expect(plan(l, r, { verdict: 'same', remote: objectToken(remote(l.size, `${md5('other')}-2`)) })).toEqual(['8 conflict (unproven)']);
    expect(plan(l, r, { verdict: 'failed', remote: objectToken(remote(l.size, MULTIPART, 'k/other-key')) })).toEqual(['8 conflict (unproven)']);
  });

  it('what the listing proves is never overruled by a proof: other sizes differ, an equal MD5 etag is the same', () => {
    const l = local('same size');
    expect(plan(l, remote(l.size + 1, MULTIPART), { verdict: 'same' })).toEqual(['8 conflict']);
    expect(plan(l, remote(l.size, md5('same size')), { verdict: 'different' })).toEqual(['7 record']);
    expect(plan(l, remote(l.size, md5('same size')), { verdict: 'failed' })).toEqual(['7 record']);
  });

  it('both sides changed since the base, the remote to a multipart etag: proved by reading too', () => {
    const l = local('edited h');
    const r = remote(l.size, MULTIPART, 'k/a.bin#2');
    const base: BaseEntry = {
      path: 'a.bin',
      remoteKey: 'k/a.bin',
      etag: md5('original'),
      remoteSize: 8,
      localSize: 8,
      localMtimeMs: 1,
      localIno: 7,
      hash: md5('original'),
    };
    expect(plan(l, r, undefined, [base])).toEqual(['8 conflict (unproven)']);
    expect(plan(l, r, { verdict: 'same' }, [base])).toEqual(['7 record']);
  });

  it('the remote still at the base version with a multipart etag: the base proves it, no proof asked', () => {
    const l = local('edited h');
    const r = remote(l.size, MULTIPART);
    const base: BaseEntry = {
      path: 'a.bin',
      remoteKey: 'k/a.bin',
      etag: MULTIPART,
      remoteSize: l.size,
      localSize: l.size,
      localMtimeMs: 1,
      localIno: 7,
      hash: md5('original'),
    };
    expect(plan(l, r, undefined, [base])).toEqual(['2 upload']);
  });
});
