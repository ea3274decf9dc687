/**
 * Move (row 14): the API has no rename, so the new path is uploaded first and the old one deleted
 * only after that upload succeeded: a crash in between leaves both, never neither.
 */
import { sameObject } from '../../model/versions.js';
import type { PlannedAction } from '../../plan/types.js';
import { deferred, done, type JobContext, type JobEffects, type JobOutcome } from './job.js';
import { uploadStep } from './upload.js';

export async function moveJob(ctx: JobContext, effects: JobEffects, action: Extract<PlannedAction, { kind: 'move-remote' }>): Promise<JobOutcome> {
  const { from, to, local, oldRemote } = action;
  const up = await uploadStep(ctx, effects, to, { ...local, path: to }, null);
  if (!up.ok) return up.outcome;
  if (!(await ctx.noFileAt(from))) return deferred(`${from} reappeared locally`);
  const current = await ctx.statRemote(from);
  if (current !== null) {
    if (!sameObject(current, oldRemote)) return deferred(`${from} changed remotely; kept`);
    await ctx.api.delete(oldRemote.key, ctx.signalOpt());
  }
  effects.deleteBase(from);
  return done('movedRemote', { detail: `from ${from}`, bytes: up.value.size });
}
