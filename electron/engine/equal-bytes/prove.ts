/**
 * Equal bytes proved by reading, where the listing cannot tell (invariant 4: equal bytes never make
 * a conflict copy). A local file and a remote file of the same size whose etag is no plain MD5 of
 * the local bytes (an S3 multipart etag, an SSE-KMS etag, a first sync onto an existing copy)
 * would otherwise become a conflict copy:
 * 1. a multipart etag is recomputed from the local file for the part sizes that give its part
 *    count: a match proves the same bytes, with nothing downloaded;
 * 2. otherwise the remote file's MD5 comes from a streamed read that writes nothing (or from the
 *    storage's headers alone, where they show the etag is the MD5).
 * The plan is then made again with what was proved: row 7 for the same bytes, row 8 for others.
 */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilesApi } from '../api/types.js';
import { isWsyncError } from '../errors.js';
import type { Deferred, FileFailure } from '../execute/executor.js';
import { sameStat } from '../local/scan.js';
import { candidatePartSizes, multipartEtag } from '../model/etag.js';
import type { LocalEntry, RemoteFile } from '../model/trees.js';
import { objectToken } from '../model/versions.js';
import { drive, type DriveOptions } from '../model/slices.js';
import { reconcileInSlices } from '../plan/reconcile.js';
import type { ByteProof, Plan, ReconcileInput } from '../plan/types.js';
import { multipartEtagsOfFile } from './local-multipart.js';

export interface ProofRequest {
  path: string;
  local: LocalEntry;
  remote: RemoteFile;
}

export interface Proved {
  proofs: Map<string, ByteProof>;
  /** Could not be compared (the server or the disk failed): left alone this cycle. */
  failed: FileFailure[];
  /** Changed locally since the scan: the next pass decides again. */
  deferred: Deferred[];
}

export type Prover = (requests: ProofRequest[]) => Promise<Proved>;

export interface ProverOptions {
  root: string;
  api: Pick<FilesApi, 'hashRemote'>;
  signal?: AbortSignal | undefined;
  /** Comparisons at once (each reads a file, or the server). */
  concurrency?: number;
}

type Outcome = { verdict: 'same' | 'different' } | { verdict: 'failed'; failure: FileFailure } | { verdict: 'deferred'; reason: string };

async function unchanged(abs: string, local: LocalEntry): Promise<boolean> {
  try {
    const st = await lstat(abs);
    return st.isFile() && sameStat(st, local);
  } catch {
    return false;
  }
}

/** Whether the local file's multipart etag for some part size that fits is the remote's. */
async function localMultipartMatches(abs: string, local: LocalEntry, remote: RemoteFile, signal: AbortSignal | undefined): Promise<boolean> {
  const multipart = multipartEtag(remote.etag);
  if (multipart === undefined) return false;
  const sizes = candidatePartSizes(local.size, multipart.parts);
  if (sizes.length === 0) return false;
  const etags = await multipartEtagsOfFile(abs, sizes, signal);
  return etags.includes(`${multipart.digest}-${multipart.parts}`);
}

async function proveOne(options: ProverOptions, request: ProofRequest): Promise<Outcome> {
  const { path, local, remote } = request;
  const abs = join(options.root, path);
  if (!(await unchanged(abs, local))) return { verdict: 'deferred', reason: 'changed locally since the scan' };
  try {
    // A miss proves nothing: the part size may be one no rule guesses, or the object SSE-KMS.
    if (await localMultipartMatches(abs, local, remote, options.signal)) {
      return (await unchanged(abs, local)) ? { verdict: 'same' } : { verdict: 'deferred', reason: 'changed locally while compared' };
    }
    const hashed = await options.api.hashRemote(remote, options.signal === undefined ? {} : { signal: options.signal });
    if (hashed.md5 === undefined) return { verdict: 'different' };
    return { verdict: hashed.md5.toLowerCase() === local.hash.toLowerCase() ? 'same' : 'different' };
  } catch (err) {
    if (options.signal?.aborted === true || isWsyncError(err, 'auth') || isWsyncError(err, 'cancelled')) throw err;
    if (isWsyncError(err, 'conflict')) return { verdict: 'deferred', reason: 'changed remotely since the listing' };
    if (isWsyncError(err)) return { verdict: 'failed', failure: { path, kind: err.kind, message: err.message, attempts: err.attempts ?? 1 } };
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { verdict: 'deferred', reason: 'removed locally since the scan' };
    return {
      verdict: 'failed',
      failure: { path, kind: 'local-io', message: `cannot read ${path} to compare it: ${(err as Error).message}`, attempts: 1 },
    };
  }
}

export function createProver(options: ProverOptions): Prover {
  return async (requests) => {
    const proved: Proved = { proofs: new Map(), failed: [], deferred: [] };
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let request = requests[next++]; request !== undefined; request = requests[next++]) {
        const outcome = await proveOne(options, request);
        const key = { hash: request.local.hash, remote: objectToken(request.remote) };
        if (outcome.verdict === 'failed') proved.failed.push(outcome.failure);
        else if (outcome.verdict === 'deferred') proved.deferred.push({ path: request.path, reason: outcome.reason });
        proved.proofs.set(request.path, {
          ...key,
          verdict: outcome.verdict === 'same' || outcome.verdict === 'different' ? outcome.verdict : 'failed',
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, options.concurrency ?? 4), requests.length) }, worker));
    proved.failed.sort((a, b) => (a.path < b.path ? -1 : 1));
    proved.deferred.sort((a, b) => (a.path < b.path ? -1 : 1));
    return proved;
  };
}

export interface ProvenPlan {
  plan: Plan;
  failed: FileFailure[];
  deferred: Deferred[];
}

/**
 * Plans, proves what the plan could not tell (conflicts marked `bytesUnproven`), and plans again
 * with the proofs. Most cycles have nothing to prove and plan once. Each plan is made in slices
 * (plan/reconcile.ts reconcileInSlices) with the event loop let in between them, so a pause or a
 * stop is heard while a large tree is planned: once `slicing.signal` aborts, no further slice runs
 * and this rejects with its reason, before anything was proved or done.
 */
export async function reconcileProving(input: ReconcileInput, prove: Prover, slicing: DriveOptions = {}): Promise<ProvenPlan> {
  const plan = await drive(reconcileInSlices(input), slicing);
  const requests: ProofRequest[] = [];
  for (const a of plan.actions)
    if (a.kind === 'conflict' && a.bytesUnproven === true) requests.push({ path: a.path, local: a.local, remote: a.remote });
  if (requests.length === 0) return { plan, failed: [], deferred: [] };
  const proved = await prove(requests);
  return { plan: await drive(reconcileInSlices({ ...input, proofs: proved.proofs }), slicing), failed: proved.failed, deferred: proved.deferred };
}
