/**
 * Download (rows 3, 10, 12; the download half of 8): the client lands the verified bytes in the
 * folder's scratch, then the local file is checked right before the final rename replaces it, the
 * one look that matters, since nothing at the path is touched until then. A remote that changed
 * while the bytes came (other size, other etag, its key gone) is a deferral, not a failure: the
 * next pass lists it again.
 */
import { randomUUID } from 'node:crypto';
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isWsyncError } from '../../errors.js';
import { baseOf, type LocalEntry, type RemoteFile } from '../../model/trees.js';
import type { PlannedAction } from '../../plan/types.js';
import { deferred, done, ok, stop, type JobContext, type JobEffects, type JobOutcome, type Step } from './job.js';

/** Most downloads land in a folder that exists: its parent is created only when the rename says so. */
async function renameCreatingParent(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
  }
}

/** Places `remote` at `path`; the bytes it moved. */
export async function downloadStep(ctx: JobContext, effects: JobEffects, path: string, remote: RemoteFile, expectLocal: LocalEntry | null): Promise<Step<number>> {
  const staged = join(ctx.o.tmpDir, `${randomUUID()}.download`);
  let got;
  try {
    got = await ctx.transfer(path, 'download', remote.size, (onProgress) =>
      ctx.api.download({ ...remote, path: ctx.remotePath(remote.path) }, staged, {
        ...ctx.signalOpt(),
        tempDir: ctx.o.tmpDir,
        partialDir: ctx.o.partialDir,
        // The staged file is renamed again below; its final folder is synced with the batch.
        syncDirectory: false,
        onProgress,
      }),
    );
  } catch (err) {
    if (isWsyncError(err, 'conflict') && err.code === 'remote-changed') return stop(deferred('changed remotely during the download'));
    // The key listed is gone: the file was replaced (a new key) or removed since the listing.
    if (isWsyncError(err, 'not-found')) return stop(deferred('replaced or removed remotely since the listing'));
    throw err;
  }
  const abs = ctx.abs(path);
  try {
    if (!(await ctx.localMatches(path, expectLocal))) {
      await rm(staged, { force: true });
      return stop(deferred('changed locally since the scan'));
    }
    await renameCreatingParent(staged, abs);
  } catch (err) {
    await rm(staged, { force: true });
    throw err;
  }
  effects.placedIn(dirname(abs));
  const placed = await lstat(abs);
  effects.putBase(baseOf(path, remote, placed, got.md5));
  // What came over the network: a resumed download fetched only the rest.
  effects.bytesDownloaded += got.fetched;
  return ok(got.size);
}

export async function downloadJob(ctx: JobContext, effects: JobEffects, action: Extract<PlannedAction, { kind: 'download' }>): Promise<JobOutcome> {
  const down = await downloadStep(ctx, effects, action.path, action.remote, action.expectLocal);
  return down.ok ? done('downloaded', { bytes: down.value }) : down.outcome;
}
