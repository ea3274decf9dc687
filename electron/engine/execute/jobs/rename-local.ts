/**
 * Rename local (row 13): the remote moved a file; the same bytes move on disk, no download. The
 * base is written from the file that really moved, and only if it is the one planned.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { moveIfUnchanged } from '../../local/checked-move.js';
import { removeEmptyParents } from '../../local/trash.js';
import { baseOf } from '../../model/trees.js';
import type { PlannedAction } from '../../plan/types.js';
import { deferred, done, type JobContext, type JobEffects, type JobOutcome } from './job.js';

export async function renameLocalJob(
  ctx: JobContext,
  effects: JobEffects,
  action: Extract<PlannedAction, { kind: 'rename-local' }>,
): Promise<JobOutcome> {
  const { from, to, local, remote } = action;
  if (!(await ctx.localMatches(to, null))) return deferred(`${to} exists locally`);
  const target = ctx.abs(to);
  await mkdir(dirname(target), { recursive: true });
  const placed = await moveIfUnchanged(ctx.abs(from), target, local);
  if (placed === null) return deferred('changed locally since the scan');
  await removeEmptyParents(ctx.o.root, from);
  effects.deleteBase(from);
  effects.putBase(baseOf(to, remote, placed, local.hash));
  return done('renamedLocal', { detail: `from ${from}` });
}
