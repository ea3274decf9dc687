/**
 * The cycle plans through reconcileProving, in slices with the event loop let in between (setImmediate):
 * a message that arrives while a large tree is planned (a pause, a stop, a status request from main)
 * is served before the plan is done, and an abort heard there ends planning before anything is
 * proved or done. Probed by the order of events on the loop, never by elapsed time.
 */
import { createHash } from 'node:crypto';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { reconcileProving, type Prover, type ProofRequest } from '../../../electron/engine/equal-bytes/prove.js';
import type { LocalEntry, RemoteFile } from '../../../electron/engine/model/trees.js';
import { objectToken } from '../../../electron/engine/model/versions.js';
import { DEFAULT_DELETE_GUARD } from '../../../electron/engine/plan/delete-guard.js';
import type { ReconcileInput } from '../../../electron/engine/plan/types.js';

const md5 = (data: string): string => createHash('md5').update(data).digest('hex');
const PATHS = 30_000;

/** A first sync onto a copy already on both sides (a second computer): every path is row 7, one of them unproven (a multipart etag). */
function firstSyncOfCopies(): ReconcileInput {
  const local: LocalEntry[] = [];
  const files: RemoteFile[] = [];
  for (let i = 0; i < PATHS; i++) {
    const path = `run${i % 100}/sample${i}.vcf`;
    const body = `v${i}`;
    local.push({ path, size: body.length, mtimeMs: 1_700_000_000_000, ino: i + 1, hash: md5(body) });
    files.push({ key: `key/${path}`, path, size: body.length, etag: i === 1234 ? `${md5('parts')}-2` : md5(body) });
  }
  const options = { caseInsensitiveFs: false, platform: 'linux' as const, deleteGuard: DEFAULT_DELETE_GUARD, confirmDeletes: false };
  return { local, remote: { files, complete: true }, base: [], now: new Date('2024-05-06T07:08:09Z'), options };
}

function countingProver(): { prover: Prover; asked: ProofRequest[][] } {
  const asked: ProofRequest[][] = [];
  const prover: Prover = async (requests) => {
    asked.push(requests);
    return {
      proofs: new Map(requests.map((r) => [r.path, { hash: r.local.hash, remote: objectToken(r.remote), verdict: 'same' as const }])),
      failed: [],
      deferred: [],
    };
  };
  return { prover, asked };
}

/** Turns of the event loop until `done` settles: an immediate that schedules the next. */
function countTurns(done: Promise<unknown>): () => number {
  let turns = 0;
  let settled = false;
  void done.finally(() => (settled = true)).catch(() => undefined);
  const turn = (): void => {
    if (settled) return;
    turns++;
    setImmediate(turn);
  };
  setImmediate(turn);
  return () => turns;
}

describe('planning in slices (reconcileProving)', () => {
  it(`serves a message that arrives while ${PATHS.toLocaleString('en')} paths are planned, before the plan is done`, async () => {
    const input = firstSyncOfCopies();
    const { prover, asked } = countingProver();
    const { port1, port2 } = new MessageChannel();
    const served: string[] = [];
    let planned = false;
    port2.on('message', (message: string) => served.push(`${message} while ${planned ? 'done' : 'planning'}`));
    port1.postMessage('pause');

    const planning = reconcileProving(input, prover).then((result) => {
      planned = true;
      return result;
    });
    const turns = countTurns(planning);
    // The first slice ran in this turn: the message waits for the loop.
    expect(served).toEqual([]);
    const { plan } = await planning;
    port1.close();

    expect(served).toEqual(['pause while planning']);
    // The loop turned between many slices, not once at the end.
    expect(turns()).toBeGreaterThan(10);
    expect(asked.map((requests) => requests.map((r) => r.path))).toEqual([['run34/sample1234.vcf']]);
    expect(plan.actions).toHaveLength(PATHS);
    expect(plan.actions.every((a) => a.kind === 'record' && a.decision === 7)).toBe(true);
  });

  it('stops at the next slice once its signal aborts: it rejects with the reason, and nothing is proved', async () => {
    const input = firstSyncOfCopies();
    const { prover, asked } = countingProver();
    const abort = new AbortController();
    const reason = new Error('paused by the user');
    const { port1, port2 } = new MessageChannel();
    // The engine process aborts the cycle when main's pause message comes in.
    port2.on('message', () => abort.abort(reason));
    port1.postMessage('pause');

    const planning = reconcileProving(input, prover, { signal: abort.signal });
    await expect(planning).rejects.toBe(reason);
    port1.close();
    expect(abort.signal.aborted).toBe(true);
    expect(asked).toEqual([]);
  });
});
