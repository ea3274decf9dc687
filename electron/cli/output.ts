/**
 * What the CLI prints: a plan for `--dry-run`, a summary after a cycle, one line per problem, and
 * the same facts as one JSON object for `--json`. Pure formatting of engine results.
 */
import type { CycleResult } from '../engine/sync/once/cycle.js';
import type { Plan, PlannedAction } from '../engine/plan/types.js';
import { formatTime, showPath } from './text.js';

export { showPath };

function actionTarget(a: PlannedAction): string {
  switch (a.kind) {
    case 'rename-local':
    case 'move-remote':
      return `${showPath(a.from)} -> ${showPath(a.to)}`;
    case 'conflict':
      return `${showPath(a.path)} (local copy: ${showPath(a.copyPath)})`;
    default:
      return showPath(a.path);
  }
}

/** One row per action: the decision-table row, the action, the path(s). */
export function formatPlan(plan: Plan): string[] {
  const lines = plan.actions.map((a) => `row ${String(a.decision).padStart(2)}  ${a.kind.padEnd(13)} ${actionTarget(a)}`);
  if (lines.length === 0) lines.push('nothing to do');
  for (const h of plan.held) {
    lines.push(`held: ${heldWhat(h.side, h.paths.length)} (of ${h.syncedCount} synced files; needs --confirm-deletes)`);
  }
  for (const r of plan.refused) lines.push(`refused ${r.side} name ${JSON.stringify(r.path)}: ${r.reason}`);
  return lines;
}

export function formatSummary(r: CycleResult): string[] {
  const c = r.counts;
  const parts = [
    `${c.uploaded} uploaded`,
    `${c.downloaded} downloaded`,
    `${c.deletedRemote} deleted remotely`,
    `${c.deletedLocal} moved to .wsync/trash`,
    `${c.renamedLocal} renamed locally`,
    `${c.movedRemote} moved remotely`,
    `${c.conflicts} conflict(s)`,
  ];
  const lines = [`${r.inSync ? 'in sync' : 'not fully in sync'}: ${parts.join(', ')}`];
  for (const k of r.conflicts) lines.push(`conflict: ${showPath(k.path)}: your local version is kept as ${showPath(k.copyPath)}`);
  return lines;
}

/** `side` is where the deletions would happen: the other side is where the files went missing. */
function heldWhat(side: 'local' | 'remote', n: number): string {
  return side === 'remote'
    ? `deleting ${n} file(s) on the server that were deleted locally`
    : `deleting ${n} local file(s) that were deleted on the server`;
}

/** The kind, the attempts the step really made, and when a file in back-off is tried again. */
function failureFacts(f: CycleResult['failed'][number]): string {
  const next = f.nextAttemptAt === undefined ? '' : `next attempt after ${formatTime(f.nextAttemptAt)}`;
  if (f.attempts === 0) return `${f.kind}; failed ${f.failedCycles ?? 1} time(s) in a row, not tried this run${next === '' ? '' : `, ${next}`}`;
  return `${f.kind}, ${f.attempts} attempt(s)${next === '' ? '' : `; ${next}`}`;
}

/** Lines for stderr: everything the user must know about or act on. */
export function formatProblems(r: CycleResult): string[] {
  const lines: string[] = [];
  for (const f of r.failed) lines.push(`could not sync ${showPath(f.path)}: ${f.message} (${failureFacts(f)})`);
  for (const d of r.deferred) lines.push(`not synced yet ${showPath(d.path)}: ${d.reason}`);
  for (const u of r.unreadable) lines.push(`could not read ${showPath(u.path === '' ? '.' : u.path)}: ${u.message}`);
  for (const x of r.refused) lines.push(`refused ${x.side} name ${JSON.stringify(x.path)}: ${x.reason}`);
  for (const s of r.symlinks.firstSeen) lines.push(`skipped symbolic link ${showPath(s)} (links are never followed or uploaded)`);
  for (const h of r.held) {
    lines.push(
      `held back ${heldWhat(h.side, h.paths.length)} (of ${h.syncedCount} synced files); ` +
        'nothing was deleted. Run again with --confirm-deletes to let them go ahead:',
      ...h.paths.slice(0, 20).map((p) => `  ${showPath(p)}`),
      ...(h.paths.length > 20 ? [`  ... and ${h.paths.length - 20} more`] : []),
    );
  }
  return lines;
}

export function toJson(r: CycleResult, exitCode: number, dryRun: boolean): unknown {
  return {
    exitCode,
    dryRun,
    inSync: r.inSync,
    firstSync: r.firstSync,
    passes: r.passes,
    counts: r.counts,
    bytesUploaded: r.bytesUploaded,
    bytesDownloaded: r.bytesDownloaded,
    conflicts: r.conflicts,
    failed: r.failed,
    deferred: r.deferred,
    held: r.held,
    refused: r.refused,
    unreadable: r.unreadable,
    symlinks: r.symlinks.all,
    recovered: r.recovery,
    ...(dryRun ? { plan: r.plan.actions.map((a) => ({ ...a })) } : {}),
  };
}
