/**
 * What the tray shows, as pure functions of every folder's status: the icon, the tooltip and the
 * menu. `tray.ts` turns the menu model into Electron's menu; tests read these as tables.
 */
import { baseName, bytesLeft, folderLabel, formatBytes, overallState, pendingFiles, plural } from '../shared/format.js';
import type { Activity, FolderStatus, SyncState } from '../shared/status.js';

export { overallState };

export type TrayIconName = SyncState;

export function trayIcon(statuses: readonly FolderStatus[]): TrayIconName {
  return overallState(statuses);
}

function sum(statuses: readonly FolderStatus[], pick: (s: FolderStatus) => number): number {
  return statuses.reduce((total, s) => total + pick(s), 0);
}

/** One line, e.g. "Syncing 12 files, 34 MB left". */
export function trayTooltip(statuses: readonly FolderStatus[]): string {
  if (statuses.length === 0) return 'wsync: no folder set up yet';
  const state = overallState(statuses);
  const inState = statuses.filter((s) => s.state === state);
  switch (state) {
    case 'syncing': {
      const files = sum(inState, pendingFiles) || sum(inState, (s) => s.transfers.length);
      const bytes = sum(inState, bytesLeft);
      return bytes > 0 ? `Syncing ${plural(files, 'file')}, ${formatBytes(bytes)} left` : `Syncing ${plural(files, 'file')}`;
    }
    case 'idle':
      return statuses.length === 1 ? 'Up to date' : `${plural(statuses.length, 'folder')} up to date`;
    case 'paused':
      return 'Syncing is paused';
    case 'offline':
      return `Offline: waiting for ${inState[0]?.server ?? 'the server'}`;
    case 'error': {
      const failing = sum(inState, (s) => s.errors.length);
      return failing > 0 ? `${plural(failing, 'file')} could not be synced` : (inState[0]?.message ?? 'Syncing stopped on an error');
    }
    case 'signed-out':
      return `Signed out of ${inState.map(folderLabel).join(', ')}: enter the API key again`;
    case 'needs-confirmation': {
      const held = sum(inState, (s) => s.heldDeletions.reduce((n, h) => n + h.paths.length, 0));
      return `${plural(held, 'deletion')} waiting for your confirmation`;
    }
  }
}

/**
 * The menu's first line: the tooltip without the progress figures, which change with every file
 * and would rebuild the whole menu each time (the tooltip is set on its own).
 */
export function trayHeadline(statuses: readonly FolderStatus[]): string {
  return overallState(statuses) === 'syncing' && statuses.length > 0 ? 'Syncing…' : trayTooltip(statuses);
}

export type TrayAction =
  | { type: 'open-folder'; folderId: string }
  | { type: 'show-window' }
  | { type: 'pause-all' }
  | { type: 'resume-all' }
  | { type: 'sync-now' }
  | { type: 'show-file'; folderId: string; path: string }
  | { type: 'preferences' }
  | { type: 'quit' };

export type TrayMenuItem =
  | { kind: 'action'; label: string; action: TrayAction; enabled: boolean }
  | { kind: 'label'; label: string }
  | { kind: 'submenu'; label: string; items: TrayMenuItem[] }
  | { kind: 'separator' };

const RECENT_LIMIT = 8;
/** Activities that leave a file the user can look at. */
const FILE_ACTIONS = new Set<Activity['action']>(['upload', 'download', 'rename-local', 'conflict', 'record-synced']);

export function recentFiles(statuses: readonly FolderStatus[]): { folderId: string; activity: Activity }[] {
  const seen = new Set<string>();
  return statuses
    .flatMap((s) => s.recent.filter((a) => FILE_ACTIONS.has(a.action)).map((activity) => ({ folderId: s.folderId, activity })))
    .sort((a, b) => b.activity.at.localeCompare(a.activity.at))
    .filter(({ folderId, activity }) => {
      const key = `${folderId}\0${activity.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, RECENT_LIMIT);
}

const action = (label: string, act: TrayAction, enabled = true): TrayMenuItem => ({ kind: 'action', label, action: act, enabled });

export function trayMenu(statuses: readonly FolderStatus[]): TrayMenuItem[] {
  const items: TrayMenuItem[] = [{ kind: 'label', label: trayHeadline(statuses) }, { kind: 'separator' }];

  if (statuses.length === 1 && statuses[0]) {
    items.push(action('Open folder', { type: 'open-folder', folderId: statuses[0].folderId }));
  } else if (statuses.length > 1) {
    items.push({
      kind: 'submenu',
      label: 'Open folder',
      items: statuses.map((s) => action(folderLabel(s), { type: 'open-folder', folderId: s.folderId })),
    });
  }
  items.push(action('Open status window', { type: 'show-window' }));

  const allPaused = statuses.length > 0 && statuses.every((s) => s.state === 'paused');
  items.push(
    allPaused
      ? action('Resume syncing', { type: 'resume-all' })
      : action('Pause syncing', { type: 'pause-all' }, statuses.length > 0),
  );
  const canSync = statuses.some((s) => s.state !== 'paused' && s.state !== 'signed-out');
  items.push(action('Sync now', { type: 'sync-now' }, canSync));

  const recent = recentFiles(statuses);
  items.push({
    kind: 'submenu',
    label: 'Recent files',
    items:
      recent.length === 0
        ? [{ kind: 'label', label: 'No recent files' }]
        : recent.map(({ folderId, activity }) =>
            action(baseName(activity.path), { type: 'show-file', folderId, path: activity.path }),
          ),
  });

  items.push({ kind: 'separator' }, action('Preferences…', { type: 'preferences' }), action('Quit wsync', { type: 'quit' }));
  return items;
}
