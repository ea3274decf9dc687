/**
 * Conflict copy (row 8): the remote keeps the name. The local version is renamed to the copy's
 * name, uploaded, and only then is the remote version downloaded to the name, so the local bytes
 * are on the server before anything replaces them.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { moveIfUnchanged } from '../../local/checked-move.js';
import type { PlannedAction } from '../../plan/types.js';
import { deferred, done, type JobContext, type JobEffects, type JobOutcome } from './job.js';
import { downloadStep } from './download.js';
import { uploadStep } from './upload.js';

export type ConflictReport = (conflict: { path: string; copyPath: string }) => void;

export async function conflictCopyJob(
  ctx: JobContext,
  effects: JobEffects,
  action: Extract<PlannedAction, { kind: 'conflict' }>,
  copied: ConflictReport,
): Promise<JobOutcome> {
  const { path, copyPath, local, remote } = action;
  if (!(await ctx.localMatches(copyPath, null))) return deferred(`${copyPath} exists already`);
  await mkdir(dirname(ctx.abs(copyPath)), { recursive: true });
  if ((await moveIfUnchanged(ctx.abs(path), ctx.abs(copyPath), local)) === null) return deferred('changed locally since the scan');
  copied({ path, copyPath });
  ctx.o.emit({ type: 'conflict', conflict: { path, conflictCopy: copyPath, at: ctx.o.now().toISOString() } });
  const up = await uploadStep(ctx, effects, copyPath, { ...local, path: copyPath }, null);
  if (!up.ok) return up.outcome;
  const down = await downloadStep(ctx, effects, path, remote, null);
  if (!down.ok) return down.outcome;
  return done(null, { detail: `local version kept as ${copyPath}`, bytes: up.value.size + down.value });
}
