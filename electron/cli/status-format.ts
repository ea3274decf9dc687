/**
 * How the CLI shows a FolderStatus: the `status` report, and the line of one completed
 * operation (watch prints those too). Pure functions of the status.
 */
import type { Activity, FolderStatus } from '../shared/status.js';
import { STATE_LABEL, folderLabel, formatBytes, plural } from '../shared/format.js';
import type { FolderReport } from './folder-report.js';
import { formatTime, showPath } from './text.js';

function ago(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

export function stateLine(status: FolderStatus): string {
  return `${STATE_LABEL[status.state]}${status.message ? `: ${status.message}` : ''}`;
}

function pendingLine(status: FolderStatus): string | null {
  const p = status.pending;
  const parts = [
    p.uploads ? `${p.uploads} to upload` : '',
    p.downloads ? `${p.downloads} to download` : '',
    p.deletes ? `${p.deletes} to delete` : '',
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return `${parts.join(', ')}${p.bytes ? ` (${formatBytes(p.bytes)})` : ''}`;
}

/** `2026-11-27 14:03:12  download      docs/a.txt`; the decision-table row only when asked for. */
export function activityLine(a: Activity, options: { verbose?: boolean } = {}): string {
  const row = options.verbose === true ? `  [row ${a.decision}]` : '';
  return `${formatTime(a.at)}  ${a.action.padEnd(13)} ${showPath(a.path)}${a.detail ? ` (${a.detail})` : ''}${row}`;
}

export interface StatusReportOptions {
  now?: number;
  recentLimit?: number;
  /** Show the decision-table row of each recent operation. */
  verbose?: boolean;
}

const LIST_LIMIT = 10;

function listed(label: string, paths: readonly string[]): string[] {
  const shown = paths.slice(0, LIST_LIMIT).map((p) => `            ${label} ${showPath(p)}`);
  return paths.length > LIST_LIMIT ? [...shown, `            … and ${paths.length - LIST_LIMIT} more`] : shown;
}

/** The `status` command's report. */
export function formatStatusReport(report: FolderReport, options: StatusReportOptions = {}): string[] {
  const { status } = report;
  const now = options.now ?? Date.now();
  const run = report.lastRun;
  const lines = [
    `Folder:     ${status.dir}`,
    `Workspace:  ${folderLabel(status)} on ${status.server}`,
    `State:      ${report.headline}`,
    `Engine:     ${report.engine === null ? 'none running' : `running${report.engine.pid === null ? '' : ` (pid ${report.engine.pid})`}`}`,
    `Last sync:  ${status.lastSyncAt ? `${formatTime(status.lastSyncAt)} (${ago(status.lastSyncAt, now)})` : 'never'}`,
  ];
  if (run !== null && run.result !== 'synced') lines.push(`Last run:   ${run.result} at ${formatTime(run.finishedAt)} (${ago(run.finishedAt, now)})`);
  lines.push(`Synced:     ${plural(report.syncedFiles, 'file')}`);
  const local = report.localChanges;
  if (local !== null && local.added.length + local.modified.length + local.deleted.length > 0) {
    lines.push(
      'Local:      changed since the last sync:',
      ...listed('edited ', local.modified),
      ...listed('new    ', local.added),
      ...listed('deleted', local.deleted),
    );
  }
  const pending = pendingLine(status);
  if (pending) lines.push(`Pending:    ${pending}`);
  for (const h of status.heldDeletions) {
    lines.push(`Held:       ${plural(h.paths.length, `${h.side} deletion`)} (of ${h.syncedCount} synced files) wait for confirmation`);
  }
  for (const c of status.conflicts) lines.push(`Conflict:   ${showPath(c.path)} (your version: ${showPath(c.conflictCopy)})`);
  for (const e of status.errors) {
    const next = e.nextAttemptAt === undefined ? '' : `; next attempt after ${formatTime(e.nextAttemptAt)}`;
    lines.push(`Error:      ${showPath(e.path)}: ${e.message} (${e.kind}, ${plural(e.attempts, 'attempt')}${next})`);
  }
  for (const d of run?.deferred ?? []) lines.push(`Not synced: ${showPath(d.path)}: ${d.reason}`);
  for (const r of run?.refused ?? []) lines.push(`Refused:    ${r.side} name ${JSON.stringify(r.path)}: ${r.reason}`);
  for (const u of run?.unreadable ?? []) lines.push(`Unreadable: ${showPath(u.path === '' ? '.' : u.path)}: ${u.message}`);
  const recent = status.recent.slice(0, options.recentLimit ?? 10);
  if (recent.length > 0) {
    lines.push('Recent:');
    for (const a of recent) lines.push(`  ${activityLine(a, { verbose: options.verbose === true })}`);
  }
  return lines;
}

/** Completed operations newer than `afterId`, oldest first. */
export function newActivity(status: FolderStatus, afterId: number): Activity[] {
  return status.recent.filter((a) => a.id > afterId).sort((a, b) => a.id - b.id);
}
