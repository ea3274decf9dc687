/** Bookkeeping with no transfer: record (rows 1 and 7, same bytes on both sides) and forget (row 6, gone from both). */
import { baseOf } from '../../model/trees.js';
import type { PlannedAction } from '../../plan/types.js';
import { done, type JobEffects, type JobOutcome } from './job.js';

export function recordJob(effects: JobEffects, action: Extract<PlannedAction, { kind: 'record' }>): JobOutcome {
  effects.putBase(baseOf(action.path, action.remote, action.local, action.local.hash));
  return done('recorded');
}

export function forgetJob(effects: JobEffects, action: Extract<PlannedAction, { kind: 'forget' }>): JobOutcome {
  effects.deleteBase(action.path);
  return done('forgotten');
}
