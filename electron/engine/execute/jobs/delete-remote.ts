/** Delete remote (row 4): only while the path is still gone locally and the remote still holds the version planned. */
import { sameObject } from '../../model/versions.js';
import type { PlannedAction } from '../../plan/types.js';
import { deferred, done, type JobContext, type JobEffects, type JobOutcome } from './job.js';

export async function deleteRemoteJob(
  ctx: JobContext,
  effects: JobEffects,
  action: Extract<PlannedAction, { kind: 'delete-remote' }>,
): Promise<JobOutcome> {
  const { path, remote } = action;
  if (!(await ctx.noFileAt(path))) return deferred('reappeared locally');
  const current = await ctx.statRemote(path);
  if (current !== null) {
    if (!sameObject(current, remote)) return deferred('changed remotely since the listing');
    await ctx.api.delete(remote.key, ctx.signalOpt());
  }
  effects.deleteBase(path);
  return done('deletedRemote');
}
