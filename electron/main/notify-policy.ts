/**
 * Which desktop notifications the folders' statuses deserve: only what needs the user or what
 * they wait for (deletions held, conflicts, signed out, files that keep failing, a folder that
 * stopped, the first sync done), never routine transfers.
 *
 * Pure: `decideNotifications(memory, statuses, preferences, now)` answers the notifications and the
 * next memory. The memory is what was already said; it is saved across launches, so a folder
 * still signed out, or deletions still held, are not announced again at every start. Many files
 * failing alike are one notification ("200 files couldn't sync"), not one per file.
 */
import * as z from 'zod';
import { explainFileError, folderProblem, groupFileErrors, type FolderProblemKind } from '../shared/explain.js';
import { baseName, countOf, folderName } from '../shared/format.js';
import type { View } from '../shared/ipc-channels.js';
import type { NotificationKind, NotificationPreferences } from '../shared/ipc.js';
import type { FolderStatus } from '../shared/status.js';

export { NOTIFICATION_KINDS, type NotificationKind, type NotificationPreferences } from '../shared/ipc.js';

export type NotificationAction =
  | { type: 'show-view'; view: View }
  | { type: 'retry-all'; folderId: string }
  | { type: 'open-folder'; folderId: string }
  | { type: 'open-log'; folderId: string };

export interface AppNotification {
  folderId: string;
  kind: NotificationKind;
  title: string;
  body: string;
  /** Where clicking the notification takes the user. */
  view: View;
  /** Buttons, where the platform shows them (macOS); the first is the most useful. */
  actions: { label: string; action: NotificationAction }[];
}

/** A file is "failing" once the engine has given up on it this many times. */
export const FAILING_ATTEMPTS = 3;
/** Offline this long (not a blip) is worth telling. */
export const LONG_OFFLINE_MS = 30 * 60_000;
/** A server error must last this long before it is announced: one 503 heals by itself. */
export const LASTING_FAILURE_MS = 5 * 60_000;
/** Paths remembered per folder and kind; beyond this, older ones are forgotten first. */
const MEMORY_CAP = 5_000;

const FolderMemorySchema = z.object({
  /** Conflict copies already announced. */
  conflicts: z.array(z.string()),
  /** The held deletions already announced (each as `side:path`). */
  held: z.array(z.string()),
  signedOut: z.boolean(),
  /** Files already announced as failing. */
  failing: z.array(z.string()),
  /** The folder problem already announced, and when the current one began. */
  problem: z.string().nullable(),
  problemSince: z.string().nullable(),
  /**
   * 'pending' while the first sync of this folder runs, 'done' once it ended (or when the folder had
   * synced before it was first seen), 'unknown' for a folder first seen not running (signed out).
   */
  firstSync: z.enum(['pending', 'done', 'unknown']),
});
export type FolderMemory = z.infer<typeof FolderMemorySchema>;

export const NotifyMemorySchema = z.object({
  version: z.literal(1),
  folders: z.record(z.string(), FolderMemorySchema),
});
export type NotifyMemory = z.infer<typeof NotifyMemorySchema>;

export const EMPTY_MEMORY: NotifyMemory = { version: 1, folders: {} };

const VIEW: Record<NotificationKind, View> = {
  'held-deletions': 'overview',
  conflict: 'conflicts',
  'signed-out': 'overview',
  'failing-files': 'errors',
  'folder-problem': 'overview',
  'first-sync-complete': 'overview',
};

const cap = (list: string[]): string[] => (list.length > MEMORY_CAP ? list.slice(list.length - MEMORY_CAP) : list);

function freshMemory(status: FolderStatus): FolderMemory {
  return {
    conflicts: [],
    held: [],
    signedOut: false,
    failing: [],
    problem: null,
    problemSince: null,
    firstSync: firstSyncOf(status),
  };
}

/** A folder syncing that never finished a sync is in its first sync; one seen later is not. */
function firstSyncOf(status: FolderStatus): FolderMemory['firstSync'] {
  if (status.lastSyncAt !== null) return 'done';
  return status.state === 'syncing' ? 'pending' : 'unknown';
}

/** When a problem has lasted long enough to be worth a notification. */
function problemDue(kind: FolderProblemKind, since: string, now: Date): boolean {
  const lasted = now.getTime() - Date.parse(since);
  if (kind === 'offline') return lasted >= LONG_OFFLINE_MS;
  if (kind === 'server-error' || kind === 'slow-down' || kind === 'failed') return lasted >= LASTING_FAILURE_MS;
  return true;
}

function forFolder(memory: FolderMemory, status: FolderStatus, now: Date): { notes: Omit<AppNotification, 'view'>[]; memory: FolderMemory } {
  const notes: Omit<AppNotification, 'view'>[] = [];
  const id = status.folderId;
  const name = folderName(status);
  const next: FolderMemory = { ...memory };
  if (memory.firstSync === 'unknown') next.firstSync = firstSyncOf(status);

  // Signed out: once, until the folder signs in again.
  if (status.state === 'signed-out') {
    if (!memory.signedOut) {
      notes.push({
        folderId: id,
        kind: 'signed-out',
        title: `Signed out of ${name}`,
        body: 'Syncing stopped because the server no longer accepts the API key. Enter it again to go on.',
        actions: [{ label: 'Sign in', action: { type: 'show-view', view: 'overview' } }],
      });
    }
    next.signedOut = true;
  } else if (status.state !== 'paused') {
    next.signedOut = false;
  }

  // Held deletions: when paths are held that were not announced yet.
  const held = status.heldDeletions.flatMap((h) => h.paths.map((p) => `${h.side}:${p}`));
  const knownHeld = new Set(memory.held);
  const newlyHeld = held.filter((h) => !knownHeld.has(h));
  if (newlyHeld.length > 0) {
    const count = held.length;
    // `side` is where the deletions would be applied, the other side from where the files went.
    const fromFolder = status.heldDeletions[0]?.side === 'remote';
    notes.push({
      folderId: id,
      kind: 'held-deletions',
      title: `${countOf(count, 'file')} deleted ${fromFolder ? `in ${name}` : 'in the workspace'}`,
      body: fromFolder
        ? 'wsync has not deleted them from the workspace yet. Review them to delete them there too, or to bring them back.'
        : 'wsync has not deleted them from this computer yet. Review them to move them to the wsync trash, or to put them back.',
      actions: [{ label: 'Review', action: { type: 'show-view', view: 'overview' } }],
    });
  }
  next.held = cap(held);

  // Conflicts: the ones not announced yet, as one notification.
  const knownConflicts = new Set(memory.conflicts);
  const fresh = status.conflicts.filter((c) => !knownConflicts.has(c.conflictCopy));
  const onlyFresh = fresh[0];
  if (fresh.length === 1 && onlyFresh) {
    notes.push({
      folderId: id,
      kind: 'conflict',
      title: `${baseName(onlyFresh.path)} was changed in two places`,
      body: `Both versions are kept: yours is "${baseName(onlyFresh.conflictCopy)}". Choose which to keep, or keep both.`,
      actions: [{ label: 'Show', action: { type: 'show-view', view: 'conflicts' } }],
    });
  } else if (fresh.length > 1) {
    notes.push({
      folderId: id,
      kind: 'conflict',
      title: `${countOf(fresh.length, 'file')} changed in two places`,
      body: `Both versions of each are kept in ${name}. Choose which to keep, or keep both.`,
      actions: [{ label: 'Show', action: { type: 'show-view', view: 'conflicts' } }],
    });
  }
  next.conflicts = cap(status.conflicts.map((c) => c.conflictCopy));

  // Files that keep failing: once one has failed FAILING_ATTEMPTS times, one notification for it and
  // every other file failing now that was not announced yet (they fail alike, a cycle apart), by main cause.
  const knownFailing = new Set(memory.failing);
  const unannounced = status.errors.filter((e) => !knownFailing.has(e.path));
  const crossed = unannounced.some((e) => e.attempts >= FAILING_ATTEMPTS);
  const problem = folderProblem(status);
  const announced = crossed ? unannounced : [];
  if (announced.length > 0 && problem?.kind !== 'disk-full') {
    const [main] = groupFileErrors(announced);
    const first = announced[0];
    const explanation = main?.explanation ?? (first ? explainFileError(first) : undefined);
    const title = announced.length === 1 && first ? `${baseName(first.path)} couldn't sync` : `${countOf(announced.length, 'file')} couldn't sync`;
    const reason = announced.length === 1 ? (explanation?.sentence ?? '') : (explanation?.many ?? '');
    notes.push({
      folderId: id,
      kind: 'failing-files',
      title,
      body: `${reason} ${explanation?.fix ?? ''}`.trim(),
      actions: [
        { label: 'Retry all', action: { type: 'retry-all', folderId: id } },
        { label: 'Show', action: { type: 'show-view', view: 'errors' } },
      ],
    });
  }
  // Paths that no longer fail are forgotten, so that failing again later is news again.
  const stillFailing = new Set(status.errors.map((e) => e.path));
  next.failing = cap([...memory.failing.filter((p) => stillFailing.has(p)), ...announced.map((e) => e.path)]);

  // A problem of the whole folder (signed out is announced above), once it has lasted.
  const kind = problem && problem.kind !== 'signed-out' ? problem.kind : null;
  if (kind === null) {
    next.problem = null;
    next.problemSince = null;
  } else {
    const since =
      memory.problemSince !== null && (memory.problem === kind || memory.problem === `pending:${kind}`) ? memory.problemSince : now.toISOString();
    next.problemSince = since;
    if (memory.problem === kind) {
      next.problem = kind;
    } else if (problemDue(kind, since, now) && problem) {
      notes.push({
        folderId: id,
        kind: 'folder-problem',
        title: kind === 'offline' ? `${name} has been offline for a while` : `${name}: ${problemTitle(kind)}`,
        body: `${problem.sentence} ${problem.fix}`,
        actions: [
          { label: 'Show', action: { type: 'show-view', view: 'overview' } },
          { label: 'Open log', action: { type: 'open-log', folderId: id } },
        ],
      });
      next.problem = kind;
    } else {
      next.problem = `pending:${kind}`;
    }
  }

  // The first sync of a folder: announced when it ends.
  if (next.firstSync === 'pending' && status.lastSyncAt !== null && (status.state === 'idle' || status.state === 'error')) {
    next.firstSync = 'done';
    notes.push({
      folderId: id,
      kind: 'first-sync-complete',
      title: `${name} is ready`,
      body:
        status.errors.length === 0
          ? 'The first sync finished: your files are on this computer and stay in step from now on.'
          : `The first sync finished, but ${countOf(status.errors.length, 'file')} couldn't sync.`,
      actions: [{ label: 'Open folder', action: { type: 'open-folder', folderId: id } }],
    });
  }
  return { notes, memory: next };
}

function problemTitle(kind: FolderProblemKind): string {
  switch (kind) {
    case 'disk-full':
      return 'the disk is full';
    case 'folder-missing':
      return 'the folder is missing';
    case 'watch-limit':
      return 'changes are checked every few minutes';
    case 'server-error':
      return 'the server is having problems';
    case 'slow-down':
      return 'the server asked to slow down';
    default:
      return 'syncing stopped';
  }
}

export interface NotificationDecision {
  notifications: AppNotification[];
  memory: NotifyMemory;
}

export function decideNotifications(
  memory: NotifyMemory,
  statuses: readonly FolderStatus[],
  preferences: NotificationPreferences,
  now: Date,
): NotificationDecision {
  // Folders not in this list keep what was said about them: at start-up they report one by one.
  const folders: NotifyMemory['folders'] = { ...memory.folders };
  const notifications: AppNotification[] = [];
  for (const status of statuses) {
    const result = forFolder(memory.folders[status.folderId] ?? freshMemory(status), status, now);
    folders[status.folderId] = result.memory;
    for (const note of result.notes) {
      // A kind turned off is still remembered, so turning it on later does not replay old news.
      if (preferences[note.kind] !== false) notifications.push({ ...note, view: VIEW[note.kind] });
    }
  }
  return { notifications, memory: { version: 1, folders } };
}

/** The memory without a folder that was removed. */
export function forgetFolder(memory: NotifyMemory, folderId: string): NotifyMemory {
  const folders = Object.fromEntries(Object.entries(memory.folders).filter(([id]) => id !== folderId));
  return { version: 1, folders };
}
