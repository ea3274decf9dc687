/**
 * One job per operation (Nextcloud's PropagateDownloadFile, PropagateUploadFileNG, ...): the
 * executor hands each planned action to its job and reads the outcome. An error a job did not
 * expect (a refused request, a full disk) ends it as failed here, at the job's boundary.
 */
import type { PlannedAction } from '../../plan/types.js';
import { conflictCopyJob, type ConflictReport } from './conflict-copy.js';
import { deleteLocalJob } from './delete-local.js';
import { deleteRemoteJob } from './delete-remote.js';
import { downloadJob } from './download.js';
import { failed, type JobContext, type JobEffects, type JobOutcome } from './job.js';
import { moveJob } from './move.js';
import { forgetJob, recordJob } from './record.js';
import { renameLocalJob } from './rename-local.js';
import { uploadJob } from './upload.js';

export { JobContext, JobEffects, type JobContextOptions, type JobOutcome, type Tally } from './job.js';

function start(ctx: JobContext, effects: JobEffects, action: PlannedAction, copied: ConflictReport): Promise<JobOutcome> | JobOutcome {
  switch (action.kind) {
    case 'upload':
      return uploadJob(ctx, effects, action);
    case 'download':
      return downloadJob(ctx, effects, action);
    case 'delete-remote':
      return deleteRemoteJob(ctx, effects, action);
    case 'delete-local':
      return deleteLocalJob(ctx, effects, action);
    case 'rename-local':
      return renameLocalJob(ctx, effects, action);
    case 'move-remote':
      return moveJob(ctx, effects, action);
    case 'conflict':
      return conflictCopyJob(ctx, effects, action, copied);
    case 'record':
      return recordJob(effects, action);
    case 'forget':
      return forgetJob(effects, action);
  }
}

export async function runJob(ctx: JobContext, effects: JobEffects, action: PlannedAction, copied: ConflictReport): Promise<JobOutcome> {
  try {
    return await start(ctx, effects, action, copied);
  } catch (err) {
    return failed(err);
  }
}
