/** Delete local (row 5): to `.wsync/trash/`, never unlinked, and only while the file is still the one planned. */
import { sameStat } from '../../local/scan.js';
import { moveToTrashIfUnchanged, removeEmptyParents } from '../../local/trash.js';
import type { PlannedAction } from '../../plan/types.js';
import { deferred, done, type JobContext, type JobEffects, type JobOutcome } from './job.js';

export async function deleteLocalJob(
  ctx: JobContext,
  effects: JobEffects,
  action: Extract<PlannedAction, { kind: 'delete-local' }>,
): Promise<JobOutcome> {
  const { path, local } = action;
  const st = await ctx.statLocal(path);
  let where: string | null = null;
  if (st !== null) {
    if (!st.isFile() || !sameStat(st, local)) return deferred('changed locally since the scan');
    where = await moveToTrashIfUnchanged(ctx.o.root, path, ctx.o.trashBatch, local);
    if (where === null) return deferred('changed locally while it was being moved to the trash');
    await removeEmptyParents(ctx.o.root, path);
  }
  effects.deleteBase(path);
  return done('deletedLocal', where === null ? {} : { detail: `moved to ${where}` });
}
