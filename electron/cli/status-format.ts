/**
 * How the CLI shows a FolderStatus: a report for `status`, a live frame for `watch` on a
 * terminal, and one line per new completed operation when piped. Pure functions of the status.
 */
import type { Activity, FolderStatus } from '../shared/status.js';
import { STATE_LABEL, folderLabel, formatBytes, formatSpeed, plural } from '../shared/format.js';

/** Ordinary names plainly; anything with control characters or quotes escaped, never raw to a terminal. */
function showPath(path: string): string {
  return /^[\p{L}\p{N}\p{P}\p{S} ]+$/u.test(path) && !path.includes('"') ? path : JSON.stringify(path);
}

const ARROW = { upload: '↑', download: '↓' } as const;

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

export function activityLine(a: Activity): string {
  const when = a.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return `${when}  ${a.action.padEnd(13)} ${showPath(a.path)}${a.detail ? ` (${a.detail})` : ''}  [row ${a.decision}]`;
}

export interface StatusReportExtras {
  /** Files recorded as synced in the state database. */
  syncedFiles?: number;
  /** The pid of a running engine holding the folder, if any. */
  runningPid?: number | null;
  now?: number;
  recentLimit?: number;
}

/** The `status` command's report. */
export function formatStatusReport(status: FolderStatus, extras: StatusReportExtras = {}): string[] {
  const now = extras.now ?? Date.now();
  const lines = [
    `Folder:     ${status.dir}`,
    `Workspace:  ${folderLabel(status)} on ${status.server}`,
    `State:      ${stateLine(status)}${extras.runningPid ? ` (engine running, pid ${extras.runningPid})` : extras.runningPid === null ? ' (no engine running; last known)' : ''}`,
    `Last sync:  ${status.lastSyncAt ? `${status.lastSyncAt} (${ago(status.lastSyncAt, now)})` : 'never'}`,
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
    for (const a of recent) lines.push(`  ${activityLine(a)}`);
  }
  return lines;
}

function bar(fraction: number, width: number): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

function fit(text: string, columns: number): string {
  return text.length < columns ? text : `${text.slice(0, Math.max(0, columns - 2))}…`;
}

/** Tracks a cycle's total so the overall bar can move forward as pending work shrinks. */
export interface LiveProgress {
  frame(status: FolderStatus, columns: number): string[];
}

export function createLiveProgress(maxTransfers = 5): LiveProgress {
  let total = 0;
  return {
    frame(status, columns) {
      const inFlight = status.transfers.reduce((n, t) => n + t.bytesDone, 0);
      const remaining = status.pending.bytes;
      if (status.state !== 'syncing') total = 0;
      else total = Math.max(total, remaining);
      const lines = [fit(`wsync  ${folderLabel(status)} <-> ${status.dir}  ${stateLine(status)}`, columns)];
      if (status.state === 'syncing') {
        const done = total === 0 ? 0 : Math.min(1, (total - remaining + inFlight) / total);
        const speed = status.transfers.reduce((n, t) => n + t.bytesPerSecond, 0);
        const pending = pendingLine(status) ?? 'finishing';
        lines.push(fit(`${bar(done, 30)} ${Math.floor(done * 100)}%  ${formatSpeed(speed)}  ${pending}`, columns));
        for (const t of status.transfers.slice(0, maxTransfers)) {
          const pct = t.bytesTotal > 0 ? Math.floor((100 * t.bytesDone) / t.bytesTotal) : 100;
          lines.push(
            fit(`  ${ARROW[t.direction]} ${showPath(t.path)}  ${formatBytes(t.bytesDone)} / ${formatBytes(t.bytesTotal)} ${pct}%  ${formatSpeed(t.bytesPerSecond)}`, columns),
          );
        }
        if (status.transfers.length > maxTransfers) lines.push(`  … and ${status.transfers.length - maxTransfers} more`);
      } else if (status.lastSyncAt) {
        lines.push(fit(`last sync ${status.lastSyncAt}`, columns));
      }
      for (const h of status.heldDeletions) {
        lines.push(fit(`held: ${plural(h.paths.length, `${h.side} deletion`)} wait for confirmation`, columns));
      }
      if (status.errors.length > 0) lines.push(fit(`${plural(status.errors.length, 'file')} could not be synced`, columns));
      return lines;
    },
  };
}

/** Completed operations newer than `afterId`, oldest first. */
export function newActivity(status: FolderStatus, afterId: number): Activity[] {
  return status.recent.filter((a) => a.id > afterId).sort((a, b) => a.id - b.id);
}
