/**
 * Upload (rows 2, 9, 11; the upload half of 8 and 14): only if the disk still holds what was
 * planned and the remote still holds what was expected (the contract's fresh look, since the API
 * has no conditional write). The base is recorded once the remote holds the bytes; a file that
 * changed while it went up is recorded with local fields that match nothing, and deferred, so the
 * next pass uploads the newer bytes without a false conflict.
 */
import type { Stats } from 'node:fs';
import { md5File } from '../../local/hash.js';
import { sameStat } from '../../local/scan.js';
import { baseOf, UNKNOWN_LOCAL, type LocalEntry, type RemoteFile } from '../../model/trees.js';
import { toLocalRemote } from '../../model/remote-paths.js';
import { etagProvesBytes, sameObject } from '../../model/versions.js';
import type { PlannedAction } from '../../plan/types.js';
import { deferred, done, ok, stop, type JobContext, type JobEffects, type JobOutcome, type Step } from './job.js';

export interface Uploaded {
  /** Bytes sent (0 when the remote already held these very bytes). */
  size: number;
  sent: boolean;
}

const CHANGED_WHILE_SENDING = 'changed while uploading; will upload again once stable';

export async function uploadStep(
  ctx: JobContext,
  effects: JobEffects,
  path: string,
  planned: LocalEntry,
  expectRemote: RemoteFile | null,
): Promise<Step<Uploaded>> {
  const before = await ctx.statLocal(path);
  if (before === null) return stop(deferred('removed locally since the scan'));
  if (!sameStat(before, planned)) return stop(deferred('changed locally since the scan'));
  const current = await ctx.statRemote(path);
  if (!sameObject(current, expectRemote)) {
    const hash = current !== null && current.size === planned.size ? await hashOf(ctx, path, planned, before) : planned.hash;
    if (current !== null && etagProvesBytes(current, hash, planned.size)) {
      // Someone put the very same bytes there meanwhile (row 7 after all): nothing to send.
      effects.putBase(baseOf(path, current, before, hash));
      return ok({ size: 0, sent: false });
    }
    return stop(deferred('changed remotely since the listing'));
  }
  let sent;
  try {
    sent = await ctx.transfer(path, 'upload', planned.size, (onProgress) =>
      ctx.api.upload(ctx.abs(path), ctx.remotePath(path), {
        ...ctx.signalOpt(),
        // The scan's hash of the very file checked above (same size, mtime, inode): not hashed twice.
        // A new large file the scan left unhashed ('') is hashed as it goes: one pass over its bytes.
        ...(planned.hash === '' ? {} : { md5: planned.hash }),
        onProgress,
      }),
    );
  } catch (err) {
    // An upload that broke because the file was being written is not a failure: it goes up again once stable.
    const now = await ctx.statLocal(path);
    if (now === null || !sameStat(now, before)) return stop(deferred(CHANGED_WHILE_SENDING));
    throw err;
  }
  const stored = toLocalRemote(sent.file, ctx.o.prefix);
  effects.bytesUploaded += stored.size;
  const after = await ctx.statLocal(path);
  // Hashed as it was sent, the MD5 is of the bytes read, which the server's etag confirmed (api/upload.ts).
  const stable = after !== null && sameStat(after, before) && (planned.hash === '' || sent.md5 === planned.hash);
  // The remote now holds our bytes either way. A file that changed meanwhile keeps local fields
  // that match nothing, so the next scan rehashes it and uploads the newer bytes (no false conflict).
  effects.putBase(baseOf(path, stored, stable ? after : UNKNOWN_LOCAL, sent.md5));
  if (expectRemote !== null && expectRemote.key !== stored.key) await dropOldKey(ctx, path, expectRemote.key);
  if (!stable) return stop(deferred(CHANGED_WHILE_SENDING));
  return ok({ size: stored.size, sent: true });
}

/**
 * The MD5 of the file planned: the scan's, or for a new large file it left to be hashed as it is
 * sent, read now ('' if it changed meanwhile). Only a file that turned up at the path since the
 * listing needs it before sending.
 */
async function hashOf(ctx: JobContext, path: string, planned: LocalEntry, before: Stats): Promise<string> {
  if (planned.hash !== '') return planned.hash;
  let hash: string;
  try {
    hash = await md5File(ctx.abs(path), ctx.o.signal);
  } catch (err) {
    if (ctx.o.signal?.aborted === true) throw err;
    // Gone or unreadable since the stat: the job is deferred, the next scan reports what it finds.
    return '';
  }
  const now = await ctx.statLocal(path);
  return now !== null && sameStat(now, before) ? hash : '';
}

/** After a replace that changed the key: delete the old key only if the listing still shows it. */
async function dropOldKey(ctx: JobContext, path: string, oldKey: string): Promise<void> {
  const listing = await ctx.api.list(ctx.remotePath(path), ctx.signalOpt());
  if (listing.files.some((f) => f.key === oldKey)) await ctx.api.delete(oldKey, ctx.signalOpt());
}

export async function uploadJob(ctx: JobContext, effects: JobEffects, action: Extract<PlannedAction, { kind: 'upload' }>): Promise<JobOutcome> {
  const up = await uploadStep(ctx, effects, action.path, action.local, action.expectRemote);
  if (!up.ok) return up.outcome;
  return done(up.value.sent ? 'uploaded' : 'recorded', { bytes: up.value.size });
}
