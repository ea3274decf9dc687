/**
 * Download (rows 3, 10, 12; the download half of 8): the client lands the verified bytes in the
 * folder's scratch, and the local file is checked right before the one rename that puts them in
 * place, the look that matters, since nothing at the path is touched until then. A remote that changed
 * while the bytes came (other size, other etag, its key gone) is a deferral, not a failure: the
 * next pass lists it again.
 */
import { isWsyncError } from '../../errors.js';
import { baseOf, type LocalEntry, type RemoteFile } from '../../model/trees.js';
import type { PlannedAction } from '../../plan/types.js';
import { deferred, done, ok, stop, type JobContext, type JobEffects, type JobOutcome, type Step } from './job.js';

/** Places `remote` at `path`; the bytes it moved. */
export async function downloadStep(
  ctx: JobContext,
  effects: JobEffects,
  path: string,
  remote: RemoteFile,
  expectLocal: LocalEntry | null,
): Promise<Step<number>> {
  let got;
  try {
    got = await ctx.transfer(path, 'download', remote.size, (onProgress) =>
      ctx.api.download({ ...remote, path: ctx.remotePath(remote.path) }, ctx.abs(path), {
        ...ctx.signalOpt(),
        tempDir: ctx.o.tmpDir,
        partialDir: ctx.o.partialDir,
        // The folders the rename changes are synced with the batch, before the base row lands.
        syncDirectory: false,
        // The one look that matters: nothing at the path is touched until this says yes.
        beforePlacing: () => ctx.localMatches(path, expectLocal),
        // And a save that lands after that look is never replaced (soak seed 600007's kind of race).
        replacing: expectLocal,
        onProgress,
      }),
    );
  } catch (err) {
    if (isWsyncError(err, 'conflict') && err.code === 'remote-changed') return stop(deferred('changed remotely during the download'));
    // The key listed is gone: the file was replaced (a new key) or removed since the listing.
    if (isWsyncError(err, 'not-found')) return stop(deferred('replaced or removed remotely since the listing'));
    throw err;
  }
  if (!got.placed) return stop(deferred('changed locally since the scan'));
  for (const dir of got.folders) effects.placedIn(dir);
  effects.putBase(baseOf(path, remote, got.local, got.md5));
  // What came over the network: a resumed download fetched only the rest.
  effects.bytesDownloaded += got.fetched;
  return ok(got.size);
}

export async function downloadJob(ctx: JobContext, effects: JobEffects, action: Extract<PlannedAction, { kind: 'download' }>): Promise<JobOutcome> {
  const down = await downloadStep(ctx, effects, action.path, action.remote, action.expectLocal);
  return down.ok ? done('downloaded', { bytes: down.value }) : down.outcome;
}
