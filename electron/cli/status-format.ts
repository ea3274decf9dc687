/**
 * How the CLI shows a FolderStatus: the `status` report, and the line of one completed
 * operation (watch prints those too). Pure functions of the status.
 */
import type { Activity, FolderStatus } from '../shared/status.js';
import { STATE_LABEL, folderLabel, formatBytes, plural } from '../shared/format.js';
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

export interface StatusReportExtras {
  /** Files recorded as synced in the state database. */
  syncedFiles?: number;
  /** The pid of a running engine holding the folder, if any. */
  runningPid?: number | null;
  now?: number;
  recentLimit?: number;
  /** Show the decision-table row of each recent operation. */
  verbose?: boolean;
}

/** The `status` command's report. */
export function formatStatusReport(status: FolderStatus, extras: StatusReportExtras = {}): string[] {
  const now = extras.now ?? Date.now();
  const lines = [
    `Folder:     ${status.dir}`,
    `Workspace:  ${folderLabel(status)} on ${status.server}`,
    `State:      ${stateLine(status)}${extras.runningPid ? ` (engine running, pid ${extras.runningPid})` : extras.runningPid === null ? ' (no engine running; last known)' : ''}`,
    `Last sync:  ${status.lastSyncAt ? `${formatTime(status.lastSyncAt)} (${ago(status.lastSyncAt, now)})` : 'never'}`,
  ];
  if (extras.syncedFiles !== undefined) lines.push(`Synced:     ${plural(extras.syncedFiles, 'file')}`);
  const pending = pendingLine(status);
  if (pending) lines.push(`Pending:    ${pending}`);
  for (const h of status.heldDeletions) {
    lines.push(
      `Held:       ${plural(h.paths.length, `${h.side} deletion`)} (of ${h.syncedCount} synced files) wait for confirmation`,
    );
  }
  for (const c of status.conflicts) lines.push(`Conflict:   ${showPath(c.path)} (your version: ${showPath(c.conflictCopy)})`);
  for (const e of status.errors) {
    lines.push(`Error:      ${showPath(e.path)}: ${e.message} (${e.kind}, ${plural(e.attempts, 'attempt')})`);
  }
  const recent = status.recent.slice(0, extras.recentLimit ?? 10);
  if (recent.length > 0) {
    lines.push('Recent:');
    for (const a of recent) lines.push(`  ${activityLine(a, { verbose: extras.verbose === true })}`);
  }
  return lines;
}

/** Completed operations newer than `afterId`, oldest first. */
export function newActivity(status: FolderStatus, afterId: number): Activity[] {
  return status.recent.filter((a) => a.id > afterId).sort((a, b) => a.id - b.id);
}
