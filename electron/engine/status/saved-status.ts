/**
 * What a folder keeps of its status between runs, in one place:
 * - in the state database: the last FolderStatus a background controller saved (meta `lastStatus`),
 *   the time of the last sync and the activity rows; the controller writes them and reads them back
 *   at start;
 * - in `.wsync/last-run.json` (layout.lastRun): the outcome of the last sync cycle that ran in the
 *   folder, whoever ran it (`sync --once`, watch, the app), so that `wsync status` can tell "up to
 *   date" from "3 files failed", "2 deletions wait", "stopped half-way" without asking the server.
 *   Written at the end of every cycle while the folder is held; read with validation (the file is
 *   ours, but a crash or another version may have left anything there).
 * `wsync status` reads all of it. (Owners: the module and its state-database part e1, the run
 * outcome c.)
 */
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import * as z from 'zod';
import { ActivitySchema, ErrorKindSchema, FolderStatusSchema, HeldDeletionsSchema, type Activity, type FolderStatus } from '../../shared/status.js';
import type { Deferred, ExecutionCounts, FileFailure } from '../execute/executor.js';
import type { FolderLayout } from '../local/folder-layout.js';
import type { ScanProblem } from '../local/scan.js';
import type { Plan, PlannedAction, RefusedName } from '../plan/types.js';
import type { MetaKey, StateReader } from '../state/state-db.js';
import { pendingOf } from './pending.js';

/** The recent activity rows that still read as activity (newest first). */
export function savedActivity(state: StateReader): Activity[] {
  return state
    .recentActivity()
    .map((row) => ActivitySchema.safeParse({ ...row, detail: row.detail ?? undefined }))
    .flatMap((r) => (r.success ? [r.data] : []));
}

/** The status last saved, or null when none was, or it no longer reads as one. */
export function savedStatus(state: StateReader): FolderStatus | null {
  const text = state.getMeta('lastStatus');
  if (text === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const saved = FolderStatusSchema.safeParse(value);
  return saved.success ? saved.data : null;
}

/** The meta values that save `status` (transfers in flight are not worth keeping). */
export function statusToSave(status: FolderStatus): Partial<Record<MetaKey, string>> {
  return { lastStatus: JSON.stringify({ ...status, transfers: [] }), ...(status.lastSyncAt ? { lastSyncAt: status.lastSyncAt } : {}) };
}

const PendingSchema = z.object({
  uploads: z.number().int().nonnegative(),
  downloads: z.number().int().nonnegative(),
  deletes: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
});

export const RunOutcomeSchema = z.object({
  version: z.literal(1),
  startedAt: z.string(),
  finishedAt: z.string(),
  /**
   * synced: both sides equal. partial: some files failed, changed meanwhile, were refused or
   * unreadable. held: deletions wait for confirmation. failed: the cycle stopped on an error.
   * interrupted: stopped by the user (Ctrl-C, pause, quit) before the end.
   */
  result: z.enum(['synced', 'partial', 'held', 'failed', 'interrupted']),
  /** The cycle began with no synced files: a first sync (which did or did not finish). */
  firstSync: z.boolean(),
  /** Why a failed cycle stopped, in words. */
  message: z.string().optional(),
  failed: z.array(
    z.object({
      path: z.string(),
      kind: ErrorKindSchema,
      message: z.string(),
      attempts: z.number().int().nonnegative(),
      nextAttemptAt: z.string().optional(),
    }),
  ),
  deferred: z.array(z.object({ path: z.string(), reason: z.string() })),
  held: z.array(HeldDeletionsSchema),
  refused: z.array(z.object({ path: z.string(), side: z.enum(['local', 'remote']), reason: z.string() })),
  unreadable: z.array(z.object({ path: z.string(), message: z.string() })),
  /** Work the cycle planned and left undone (failed or deferred operations). */
  pending: PendingSchema,
  counts: z.record(z.string(), z.number()),
});
export type RunOutcome = z.infer<typeof RunOutcomeSchema>;

/** What a cycle that reached its end hands over (CycleResult's fields, without the engine types). */
export interface FinishedCycle {
  inSync: boolean;
  firstSync: boolean;
  plan: Plan;
  counts: ExecutionCounts;
  failed: readonly FileFailure[];
  deferred: readonly Deferred[];
  held: Plan['held'];
  refused: readonly RefusedName[];
  unreadable: readonly ScanProblem[];
}

function pathsOf(a: PlannedAction): string[] {
  return a.kind === 'rename-local' || a.kind === 'move-remote' ? [a.from, a.to] : [a.path];
}

export function outcomeOfCycle(cycle: FinishedCycle, times: { startedAt: Date; finishedAt: Date }): RunOutcome {
  const stuck = new Set([...cycle.failed.map((f) => f.path), ...cycle.deferred.map((d) => d.path)]);
  const left = cycle.plan.actions.filter((a) => pathsOf(a).some((p) => stuck.has(p)));
  const result = cycle.held.length > 0 ? 'held' : cycle.inSync ? 'synced' : 'partial';
  return {
    version: 1,
    startedAt: times.startedAt.toISOString(),
    finishedAt: times.finishedAt.toISOString(),
    result,
    firstSync: cycle.firstSync,
    failed: cycle.failed.map((f) => ({
      path: f.path,
      kind: f.kind,
      message: f.message,
      attempts: f.attempts,
      ...(f.nextAttemptAt === undefined ? {} : { nextAttemptAt: f.nextAttemptAt }),
    })),
    deferred: cycle.deferred.map((d) => ({ path: d.path, reason: d.reason })),
    held: cycle.held.map((h) => ({ side: h.side, paths: [...h.paths], syncedCount: h.syncedCount })),
    refused: cycle.refused.map((r) => ({ path: r.path, side: r.side, reason: r.reason })),
    unreadable: cycle.unreadable.map((u) => ({ path: u.path, message: u.message })),
    pending: pendingOf({ actions: left, refused: [], held: [] }),
    counts: { ...cycle.counts },
  };
}

/** A cycle that did not reach its end: stopped by the user, or by an error. */
export function outcomeOfStop(
  how: { interrupted: boolean; message: string; firstSync: boolean },
  times: { startedAt: Date; finishedAt: Date },
): RunOutcome {
  return {
    version: 1,
    startedAt: times.startedAt.toISOString(),
    finishedAt: times.finishedAt.toISOString(),
    result: how.interrupted ? 'interrupted' : 'failed',
    firstSync: how.firstSync,
    message: how.message,
    failed: [],
    deferred: [],
    held: [],
    refused: [],
    unreadable: [],
    pending: { uploads: 0, downloads: 0, deletes: 0, bytes: 0 },
    counts: {},
  };
}

/**
 * Replaces the record by rename, so a reader never sees half of one. Not fsynced: the record is a
 * report, and a power cut that loses it leaves status saying the last run is unknown.
 */
export async function recordRunOutcome(layout: FolderLayout, outcome: RunOutcome): Promise<void> {
  const temp = `${layout.lastRun}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(outcome)}\n`);
  await rename(temp, layout.lastRun);
}

/** The last record, or null when there is none (or none this version can read). */
export function readRunOutcome(layout: FolderLayout): RunOutcome | null {
  let text: string;
  try {
    text = readFileSync(layout.lastRun, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = RunOutcomeSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
