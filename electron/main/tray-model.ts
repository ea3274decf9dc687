/**
 * What the tray shows, as pure functions of every folder's status: the icon, the tooltip and the
 * menu. `tray.ts` turns the menu model into Electron's menu; tests read these as tables.
 *
 * The menu holds no figure that ticks while files move (bytes, file counts, speeds): those are in
 * the tooltip and the popover, so that the menu is rebuilt only when a state or an action changes.
 */
import { baseName, countOf, folderName, formatBytes, formatDuration, overallProgress, overallState, plural } from '../shared/format.js';
import type { View } from '../shared/ipc-channels.js';
import type { Activity, FolderStatus, SyncState } from '../shared/status.js';

export { overallState };

export type TrayIconName = SyncState | 'not-set-up';

/** The syncing icon turns: `syncing.png` is its first frame, `syncing-1.png`… the others. */
export const SYNCING_FRAMES = 8;
/** How long each frame of the syncing icon shows. */
export const SYNCING_FRAME_MS = 150;

export function trayIcon(statuses: readonly FolderStatus[]): TrayIconName {
  return statuses.length === 0 ? 'not-set-up' : overallState(statuses);
}

/** The image name of one frame: frame 0 is the state's own image. */
export function trayIconFrame(name: TrayIconName, frame: number): string {
  if (name !== 'syncing') return name;
  const n = ((frame % SYNCING_FRAMES) + SYNCING_FRAMES) % SYNCING_FRAMES;
  return n === 0 ? 'syncing' : `syncing-${n}`;
}

export interface TrayContext {
  /** Set while every folder is paused by "Pause for 1 hour" or "Pause until tomorrow". */
  pausedUntil?: string | null;
  /** Wall-clock time for "Paused until 15:30" (the host's locale and zone). */
  formatTime?: (iso: string) => string;
  /** The tray reports no clicks (Linux app indicators): the menu opens the popover. */
  popoverInMenu?: boolean;
}

function sum(statuses: readonly FolderStatus[], pick: (s: FolderStatus) => number): number {
  return statuses.reduce((total, s) => total + pick(s), 0);
}

const heldCount = (s: FolderStatus): number => s.heldDeletions.reduce((n, h) => n + h.paths.length, 0);

/** Windows cuts tray tooltips at 127 characters. */
export const TOOLTIP_MAX = 127;

function clip(text: string): string {
  return text.length <= TOOLTIP_MAX ? text : `${text.slice(0, TOOLTIP_MAX - 1)}…`;
}

function named(inState: readonly FolderStatus[], fallback: string): string {
  const first = inState[0];
  return inState.length === 1 && first ? folderName(first) : `${inState.length} ${fallback}`;
}

/** One line, e.g. "Syncing 12 files, 34 MB left, about 4 minutes". */
export function trayTooltip(statuses: readonly FolderStatus[], context: TrayContext = {}): string {
  if (statuses.length === 0) return 'wsync: no folder set up yet';
  const state = overallState(statuses);
  const inState = statuses.filter((s) => s.state === state);
  switch (state) {
    case 'syncing': {
      const progress = overallProgress(statuses);
      const files = progress.files;
      if (files === 0) return 'Syncing…';
      const parts = [`Syncing ${countOf(files, 'file')}`];
      if (progress.bytesLeft > 0) parts.push(`${formatBytes(progress.bytesLeft)} left`);
      if (progress.secondsLeft !== null) parts.push(formatDuration(progress.secondsLeft));
      return clip(parts.join(', '));
    }
    case 'idle':
      return statuses.length === 1 ? 'Up to date' : `${plural(statuses.length, 'folder')} up to date`;
    case 'paused':
      return pausedLabel(context);
    case 'offline':
      return clip(`Offline: waiting for ${hostOf(inState[0]?.server ?? 'the server')}`);
    case 'error': {
      const failing = sum(inState, (s) => s.errors.length);
      return clip(failing > 0 ? `${countOf(failing, 'file')} couldn't sync` : (inState[0]?.message ?? 'Syncing stopped on an error'));
    }
    case 'signed-out':
      return clip(`Signed out of ${named(inState, 'folders')}: enter the API key again`);
    case 'needs-confirmation':
      return clip(`${countOf(sum(inState, heldCount), 'deletion')} waiting for your confirmation`);
  }
}

function hostOf(server: string): string {
  return /^[a-z]+:\/\/([^/]+)/i.exec(server)?.[1] ?? server;
}

function pausedLabel(context: TrayContext): string {
  if (context.pausedUntil) {
    const time = context.formatTime ? context.formatTime(context.pausedUntil) : context.pausedUntil;
    return `Syncing is paused until ${time}`;
  }
  return 'Syncing is paused';
}

export type PauseLength = 'one-hour' | 'tomorrow' | 'until-resumed';

export type TrayAction =
  | { type: 'open-folder'; folderId: string }
  | { type: 'show-window' }
  | { type: 'show-view'; view: View }
  | { type: 'show-popover' }
  | { type: 'pause-all'; length: PauseLength }
  | { type: 'resume-all' }
  | { type: 'sync-now' }
  | { type: 'pause-folder'; folderId: string }
  | { type: 'resume-folder'; folderId: string }
  | { type: 'sync-folder'; folderId: string }
  | { type: 'show-file'; folderId: string; path: string }
  | { type: 'quit' };

export type TrayMenuItem =
  | { kind: 'action'; label: string; action: TrayAction; enabled: boolean }
  | { kind: 'label'; label: string }
  | { kind: 'submenu'; label: string; items: TrayMenuItem[] }
  | { kind: 'separator' };

const RECENT_LIMIT = 8;
/** Activities that moved bytes to a file the user can look at ("already in sync" moved nothing). */
const MOVED = new Set<Activity['action']>(['upload', 'download', 'rename-local', 'move-remote', 'conflict']);

export function recentFiles(statuses: readonly FolderStatus[]): { folderId: string; activity: Activity }[] {
  const seen = new Set<string>();
  return statuses
    .flatMap((s) => s.recent.filter((a) => MOVED.has(a.action)).map((activity) => ({ folderId: s.folderId, activity })))
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

/** Short state words for the menu, where each folder has one line. */
const MENU_STATE: Record<SyncState, string> = {
  idle: 'Up to date',
  syncing: 'Syncing…',
  paused: 'Paused',
  offline: 'Offline',
  error: 'Needs attention',
  'signed-out': 'Signed out',
  'needs-confirmation': 'Waiting for you',
};

/** The first line: the overall state in words, without figures that tick. */
function headline(statuses: readonly FolderStatus[], context: TrayContext): string {
  if (statuses.length === 0) return 'No folder set up yet';
  const state = overallState(statuses);
  if (state === 'paused') return pausedLabel(context);
  if (state === 'syncing') return 'Syncing…';
  if (state === 'idle') return 'Everything is up to date';
  return MENU_STATE[state];
}

/** One action for each thing that waits for the user, most urgent first. */
export function attentionItems(statuses: readonly FolderStatus[]): TrayMenuItem[] {
  const items: TrayMenuItem[] = [];
  const several = statuses.length > 1;
  for (const s of statuses.filter((f) => f.state === 'signed-out')) {
    items.push(action(`Sign in to ${folderName(s)} again…`, { type: 'show-view', view: 'overview' }));
  }
  for (const s of statuses.filter((f) => heldCount(f) > 0)) {
    const where = several ? ` in ${folderName(s)}` : '';
    items.push(action(`Review ${countOf(heldCount(s), 'deletion')}${where}…`, { type: 'show-view', view: 'overview' }));
  }
  const conflicts = sum(statuses, (s) => s.conflicts.length);
  if (conflicts > 0) items.push(action(`Resolve ${countOf(conflicts, 'conflict')}…`, { type: 'show-view', view: 'conflicts' }));
  const failing = sum(statuses, (s) => s.errors.length);
  if (failing > 0) items.push(action(`${countOf(failing, 'file')} couldn't sync…`, { type: 'show-view', view: 'errors' }));
  for (const s of statuses.filter((f) => f.state === 'error' && f.errors.length === 0)) {
    items.push(action(`${folderName(s)} stopped syncing…`, { type: 'show-view', view: 'errors' }));
  }
  return items;
}

function folderItems(s: FolderStatus): TrayMenuItem[] {
  const id = s.folderId;
  const items: TrayMenuItem[] = [action('Open folder', { type: 'open-folder', folderId: id })];
  if (s.state === 'signed-out') {
    items.push(action('Sign in again…', { type: 'show-view', view: 'overview' }));
  } else if (s.state === 'paused') {
    items.push(action('Resume syncing', { type: 'resume-folder', folderId: id }));
  } else {
    items.push(action('Pause syncing', { type: 'pause-folder', folderId: id }), action('Sync now', { type: 'sync-folder', folderId: id }));
  }
  return items;
}

export function trayMenu(statuses: readonly FolderStatus[], context: TrayContext = {}): TrayMenuItem[] {
  const items: TrayMenuItem[] = [{ kind: 'label', label: headline(statuses, context) }];
  if (statuses.length === 0) {
    // Settings too: behind a proxy, it must be set before the first connection can work.
    items.push(
      action('Set up wsync…', { type: 'show-window' }),
      { kind: 'separator' },
      action('Settings…', { type: 'show-view', view: 'settings' }),
      action('Quit wsync', { type: 'quit' }),
    );
    return items;
  }
  items.push(...attentionItems(statuses), { kind: 'separator' });

  for (const s of statuses) {
    items.push({ kind: 'submenu', label: `${folderName(s)} — ${MENU_STATE[s.state]}`, items: folderItems(s) });
  }
  items.push({ kind: 'separator' });
  if (context.popoverInMenu) items.push(action('Show status', { type: 'show-popover' }));
  items.push(action('Open wsync', { type: 'show-window' }));

  const running = statuses.filter((s) => s.state !== 'signed-out');
  const allPaused = running.length > 0 && running.every((s) => s.state === 'paused');
  if (allPaused) {
    items.push(action('Resume syncing', { type: 'resume-all' }));
  } else {
    items.push({
      kind: 'submenu',
      label: 'Pause syncing',
      items: [
        action('For 1 hour', { type: 'pause-all', length: 'one-hour' }),
        action('Until tomorrow', { type: 'pause-all', length: 'tomorrow' }),
        action('Until I resume', { type: 'pause-all', length: 'until-resumed' }),
      ],
    });
  }
  const canSync = statuses.some((s) => s.state !== 'paused' && s.state !== 'signed-out');
  items.push(action('Sync now', { type: 'sync-now' }, canSync));

  const recent = recentFiles(statuses);
  items.push({
    kind: 'submenu',
    label: 'Recent files',
    items:
      recent.length === 0
        ? [{ kind: 'label', label: 'No files synced yet' }]
        : recent.map(({ folderId, activity }) => action(baseName(activity.path), { type: 'show-file', folderId, path: activity.path })),
  });

  items.push({ kind: 'separator' }, action('Settings…', { type: 'show-view', view: 'settings' }), action('Quit wsync', { type: 'quit' }));
  return items;
}

/**
 * When "Pause for 1 hour" and "Pause until tomorrow" end: an hour from now, or the start of the
 * next day in the host's time zone (`startOfTomorrow`, given so that tests fix the zone).
 */
export function pauseDeadline(length: PauseLength, now: Date, startOfTomorrow: (now: Date) => Date = localStartOfTomorrow): Date | null {
  switch (length) {
    case 'one-hour':
      return new Date(now.getTime() + 3_600_000);
    case 'tomorrow':
      return startOfTomorrow(now);
    case 'until-resumed':
      return null;
  }
}

function localStartOfTomorrow(now: Date): Date {
  const next = new Date(now);
  next.setHours(24, 0, 0, 0);
  return next;
}
