/** Wording shared by the tray, the notifications and the renderer, so that they say the same thing. */
import type { FolderStatus, SyncState } from './status.js';

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

/** Decimal units, as file managers show them: 34 MB, 1.2 GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const shown = value >= 100 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${UNITS[unit]}`;
}

export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Files still to transfer or delete for one folder. */
export function pendingFiles(status: FolderStatus): number {
  return status.pending.uploads + status.pending.downloads + status.pending.deletes;
}

/**
 * Bytes still to move for one folder. The engine takes a transfer's bytes off `pending.bytes`
 * when it completes, so the bytes already moved by transfers in flight are taken off here.
 */
export function bytesLeft(status: FolderStatus): number {
  return Math.max(0, status.pending.bytes - status.transfers.reduce((n, t) => n + t.bytesDone, 0));
}

export const STATE_LABEL: Record<SyncState, string> = {
  idle: 'Up to date',
  syncing: 'Syncing',
  paused: 'Paused',
  offline: 'Offline',
  error: 'Some files could not be synced',
  'signed-out': 'Signed out',
  'needs-confirmation': 'Waiting for your confirmation',
};

/** The basename of a relative path. */
export function baseName(path: string): string {
  const parts = path.split('/');
  const last = parts[parts.length - 1];
  return last === undefined || last === '' ? path : last;
}

/** How a folder pair is named to the user: its workspace (and prefix), e.g. "ws_demo/reports/". */
export function folderLabel(status: Pick<FolderStatus, 'workspace' | 'prefix'>): string {
  return status.prefix === '' ? status.workspace : `${status.workspace}/${status.prefix}`;
}

/** Most urgent first: the tray shows the state that most needs the user. */
const URGENCY: readonly SyncState[] = ['signed-out', 'needs-confirmation', 'error', 'offline', 'syncing', 'paused', 'idle'];

/** The state the tray and the window summarise every folder with. */
export function overallState(statuses: readonly FolderStatus[]): SyncState {
  if (statuses.length === 0) return 'idle';
  const present = new Set(statuses.map((s) => s.state));
  // One paused folder beside idle ones is not "everything paused": show paused only when all are.
  if (present.has('paused') && statuses.some((s) => s.state === 'idle')) present.delete('paused');
  return URGENCY.find((state) => present.has(state)) ?? 'idle';
}

/** How a folder pair is named to the user: the local folder's name ("Workspace"), never a workspace id. */
export function folderName(status: Pick<FolderStatus, 'dir' | 'workspace'>): string {
  const parts = status.dir.split(/[\\/]/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? status.workspace;
}

/** Where the folder syncs to, for a second line: "ws_demo/reports/ on files.example.com". */
export function folderRemote(status: Pick<FolderStatus, 'server' | 'workspace' | 'prefix'>): string {
  let host = status.server;
  const match = /^[a-z]+:\/\/([^/]+)/i.exec(status.server);
  if (match?.[1]) host = match[1];
  return `${folderLabel(status)} on ${host}`;
}

/**
 * Shortens a path in the middle so that the file name stays whole: "campaigns/2025/…/hero.png".
 * A name alone longer than `max` keeps its start and its extension: "a-very-long-na…me.png".
 */
export function shortenMiddle(path: string, max: number): string {
  if (Array.from(path).length <= max) return path;
  const slash = path.lastIndexOf('/');
  const name = Array.from(path.slice(slash + 1));
  if (slash >= 0 && name.length + 2 <= max) {
    const head = Array.from(path.slice(0, slash))
      .slice(0, max - name.length - 2)
      .join('');
    return `${head}…/${name.join('')}`;
  }
  // The name alone is too long: keep its start and its end, where the extension is.
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 6 ? name.length - dot : 0;
  const end = Math.min(max - 2, Math.max(ext + 3, Math.floor((max - 1) / 3)));
  return `${name.slice(0, max - 1 - end).join('')}…${name.slice(name.length - end).join('')}`;
}

/** "less than a minute", "about 4 minutes", "about 2 hours 10 minutes". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 60) return 'less than a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${plural(minutes, 'minute')}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours >= 24) return `about ${plural(Math.round(hours / 24), 'day')}`;
  return rest === 0 || hours >= 10 ? `about ${plural(hours, 'hour')}` : `about ${plural(hours, 'hour')} ${plural(rest, 'minute')}`;
}

/** Whole numbers with thousands separators, fixed to English so that wording and tests agree: 1,204. */
export function formatCount(count: number): string {
  return Math.round(count)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function countOf(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** What is left to do over every folder, and how fast it goes. */
export interface OverallProgress {
  /** Files still to upload, download or delete. */
  files: number;
  /** Of those, transfers running right now. */
  active: number;
  /** Waiting for a free transfer slot. */
  queued: number;
  bytesLeft: number;
  bytesPerSecond: number;
  /** Null while nothing moves (no speed yet, or only deletions left). */
  secondsLeft: number | null;
}

export function overallProgress(statuses: readonly FolderStatus[]): OverallProgress {
  const moving = statuses.filter((s) => s.state === 'syncing');
  const files = moving.reduce((n, s) => n + Math.max(pendingFiles(s), s.transfers.length), 0);
  const active = moving.reduce((n, s) => n + s.transfers.length, 0);
  const left = moving.reduce((n, s) => n + bytesLeft(s), 0);
  const speed = moving.reduce((n, s) => n + s.transfers.reduce((m, t) => m + t.bytesPerSecond, 0), 0);
  return {
    files,
    active,
    queued: Math.max(0, files - active),
    bytesLeft: left,
    bytesPerSecond: speed,
    secondsLeft: left > 0 && speed > 0 ? left / speed : null,
  };
}

/**
 * The share done of the sync under way: the bytes left are measured against the most that was
 * left since the folder started syncing. `total` is carried from one status to the next (0 at first).
 */
export function progressFraction(bytesLeftNow: number, total: number): { fraction: number; total: number } {
  const nextTotal = Math.max(total, bytesLeftNow);
  return { fraction: nextTotal === 0 ? 0 : 1 - bytesLeftNow / nextTotal, total: nextTotal };
}

/** One line about the work left, e.g. "12 files left · 34 MB · about 4 minutes". */
export function progressLine(progress: OverallProgress): string {
  const parts = [`${countOf(progress.files, 'file')} left`];
  if (progress.bytesLeft > 0) parts.push(formatBytes(progress.bytesLeft));
  if (progress.secondsLeft !== null) parts.push(formatDuration(progress.secondsLeft));
  return parts.join(' · ');
}
