/** Rename local (row 13): the remote moved a file; the same bytes move on disk, no download. */
import { lstat, mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { removeEmptyParents } from '../../local/trash.js';
import { baseOf } from '../../model/trees.js';
import type { PlannedAction } from '../../plan/types.js';
import { deferred, done, type JobContext, type JobEffects, type JobOutcome } from './job.js';

export async function renameLocalJob(ctx: JobContext, effects: JobEffects, action: Extract<PlannedAction, { kind: 'rename-local' }>): Promise<JobOutcome> {
  const { from, to, local, remote } = action;
  if (!(await ctx.localMatches(from, local))) return deferred('changed locally since the scan');
  if (!(await ctx.localMatches(to, null))) return deferred(`${to} exists locally`);
  const target = ctx.abs(to);
  await mkdir(dirname(target), { recursive: true });
  await rename(ctx.abs(from), target);
  await removeEmptyParents(ctx.o.root, from);
  const placed = await lstat(target);
  effects.deleteBase(from);
  effects.putBase(baseOf(to, remote, placed, local.hash));
  return done('renamedLocal', { detail: `from ${from}` });
}
