/**
 * Equal bytes proved by reading before a conflict copy is made: the plan is made again with the
 * proofs (row 7 for equal bytes, row 8 for different ones, nothing for what could not be read).
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EtagStyle } from '../../../emulator/index.js';
import type { FilesApi } from '../../../electron/engine/api/types.js';
import { WsyncError } from '../../../electron/engine/errors.js';
import { createProver, reconcileProving, type Prover } from '../../../electron/engine/equal-bytes/prove.js';
import { DEFAULT_DELETE_GUARD } from '../../../electron/engine/plan/delete-guard.js';
import type { LocalEntry } from '../../../electron/engine/model/trees.js';
import type { ReconcileInput } from '../../../electron/engine/plan/types.js';
import { md5, SyncRig } from '../../support/sync-rig.js';

let rig: SyncRig | undefined;
let root: string;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function localFile(path: string, body: string | Buffer): LocalEntry {
  writeFileSync(join(root, path), body);
  const st = statSync(join(root, path));
  return { path, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, hash: md5(body) };
}

/** An emulator with `remote` stored, a first-sync input with `local` on disk, and a counting client. */
async function setUp(
  etags: EtagStyle,
  remote: Record<string, string | Buffer>,
  local: Record<string, string | Buffer>,
): Promise<{ input: ReconcileInput; api: FilesApi; reads: string[] }> {
  rig = await SyncRig.open({ emulator: { etags } });
  root = rig.root;
  for (const [path, body] of Object.entries(remote)) await rig.remote.insert(path, body);
  const client = rig.api();
  const reads: string[] = [];
  const api: FilesApi = { ...client, hashRemote: (file, o) => (reads.push(file.path), client.hashRemote(file, o)) };
  const input: ReconcileInput = {
    local: Object.entries(local).map(([path, body]) => localFile(path, body)),
    remote: await client.list(),
    base: [],
    now: new Date('2024-05-06T07:08:09Z'),
    options: { caseInsensitiveFs: false, platform: 'linux', deleteGuard: DEFAULT_DELETE_GUARD, confirmDeletes: false },
  };
  return { input, api, reads };
}

const rows = (actions: { kind: string; decision: number; path?: string; from?: string }[]): string[] =>
  actions.map((a) => `${a.decision} ${a.kind} ${a.path ?? a.from}`);

describe('reconcileProving', () => {
  it('multipart etags: equal bytes proved from the local file alone (row 7), others read remotely and conflicted (row 8)', async () => {
    const same = Buffer.alloc(2500, 7);
    const { input, api, reads } = await setUp(
      { kind: 'multipart', partSize: 1024 },
      { 'same.bin': same, 'other.bin': Buffer.alloc(2500, 1) },
      { 'same.bin': same, 'other.bin': Buffer.alloc(2500, 2) },
    );
    const proven = await reconcileProving(input, createProver({ root, api }));
    expect(rows(proven.plan.actions)).toEqual(['8 conflict other.bin', '7 record same.bin']);
    expect(reads).toEqual(['other.bin']);
    expect(proven.plan.actions.find((a) => a.kind === 'conflict')).not.toHaveProperty('bytesUnproven');
  });

  it('SSE-KMS etags: equal bytes read remotely and recorded (row 7)', async () => {
    const { input, api, reads } = await setUp({ kind: 'kms' }, { 'a.txt': 'alpha', 'b.txt': 'bravo' }, { 'a.txt': 'alpha', 'b.txt': 'BRAVO' });
    const plain = (await reconcileProving(input, async () => ({ proofs: new Map(), failed: [], deferred: [] }))).plan;
    expect(plain.actions.map((a) => a.kind === 'conflict' && a.bytesUnproven === true)).toEqual([true, true]);
    const proven = await reconcileProving(input, createProver({ root, api }));
    expect(rows(proven.plan.actions)).toEqual(['7 record a.txt', '8 conflict b.txt']);
    expect(reads.sort()).toEqual(['a.txt', 'b.txt']);
  });

  it('a file changed locally since the scan is left for the next pass, and nothing is planned for it', async () => {
    const { input, api } = await setUp({ kind: 'kms' }, { 'a.txt': 'alpha' }, { 'a.txt': 'alpha' });
    writeFileSync(join(root, 'a.txt'), 'alpha, edited');
    const proven = await reconcileProving(input, createProver({ root, api }));
    expect(proven.plan.actions).toEqual([]);
    expect(proven.deferred).toEqual([{ path: 'a.txt', reason: 'changed locally since the scan' }]);
  });

  it('a server that fails the read: reported as failed, nothing planned for that path, no conflict copy', async () => {
    const { input, api } = await setUp({ kind: 'kms' }, { 'a.txt': 'alpha' }, { 'a.txt': 'alpha' });
    const failing: FilesApi = { ...api, hashRemote: async () => Promise.reject(new WsyncError('transient', 'storage is down')) };
    const proven = await reconcileProving(input, createProver({ root, api: failing }));
    expect(proven.plan.actions).toEqual([]);
    expect(proven.failed).toEqual([{ path: 'a.txt', kind: 'transient', message: 'storage is down', attempts: 1 }]);
  });

  it('a proof for other bytes than the ones planned is ignored: the conflict stays unproven', async () => {
    const { input } = await setUp({ kind: 'kms' }, { 'a.txt': 'alpha' }, { 'a.txt': 'alpha' });
    const stale: Prover = async () => ({
      proofs: new Map([['a.txt', { hash: md5('other'), remote: 'x', verdict: 'same' as const }]]),
      failed: [],
      deferred: [],
    });
    const proven = await reconcileProving(input, stale);
    expect(proven.plan.actions).toMatchObject([{ kind: 'conflict', decision: 8, bytesUnproven: true }]);
  });

  it('nothing to prove: one plan, no reads', async () => {
    const { input, api, reads } = await setUp({ kind: 'md5' }, { 'a.txt': 'alpha' }, { 'a.txt': 'alpha' });
    const proven = await reconcileProving(input, createProver({ root, api }));
    expect(rows(proven.plan.actions)).toEqual(['7 record a.txt']);
    expect(reads).toEqual([]);
  });
});
