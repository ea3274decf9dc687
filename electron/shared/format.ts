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
  return parts[parts.length - 1] || path;
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

