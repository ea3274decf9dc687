/**
 * Which desktop notifications a status change deserves: only what needs the user (a conflict copy
 * made, deletions held, signed out, a file that keeps failing), never routine transfers.
 * Pure: compares each folder's previous status with its next one.
 */
import { baseName, folderLabel, plural } from '../shared/format.js';
import type { View } from '../shared/ipc-channels.js';
import type { FolderStatus } from '../shared/status.js';

export interface AppNotification {
  folderId: string;
  kind: 'conflict' | 'held-deletions' | 'signed-out' | 'failing-file';
  title: string;
  body: string;
  /** Where clicking the notification takes the user. */
  view: View;
}

const VIEW: Record<AppNotification['kind'], View> = {
  conflict: 'conflicts',
  'held-deletions': 'overview',
  'signed-out': 'overview',
  'failing-file': 'errors',
};

/** A file is "failing" once the engine has given up on it this many times. */
export const FAILING_ATTEMPTS = 3;

function heldCount(status: FolderStatus): number {
  return status.heldDeletions.reduce((n, h) => n + h.paths.length, 0);
}

function forFolder(prev: FolderStatus | undefined, next: FolderStatus): AppNotification[] {
  const out: AppNotification[] = [];
  const where = folderLabel(next);
  const note = (kind: AppNotification['kind'], title: string, body: string): void => {
    out.push({ folderId: next.folderId, kind, title, body, view: VIEW[kind] });
  };

  if (next.state === 'signed-out' && prev?.state !== 'signed-out') {
    note('signed-out', `Signed out of ${where}`, 'Syncing stopped. Open wsync and enter the API key again.');
  }

  const held = heldCount(next);
  if (held > 0 && held > (prev ? heldCount(prev) : 0)) {
    // `side` is where the deletions would be applied, the other side from where the files went.
    const side = next.heldDeletions[0]?.side === 'remote' ? 'in your folder' : 'in the workspace';
    note(
      'held-deletions',
      `${plural(held, 'deletion')} waiting for you`,
      `${plural(held, 'file')} were deleted ${side}. Open wsync to confirm or restore them.`,
    );
  }

  // The first status of a folder is a baseline: conflicts and errors from a previous run were
  // already announced then.
  if (prev) {
    const known = new Set(prev.conflicts.map((c) => c.conflictCopy));
    const fresh = next.conflicts.filter((c) => !known.has(c.conflictCopy));
    if (fresh.length === 1 && fresh[0]) {
      note(
        'conflict',
        `Conflict in ${baseName(fresh[0].path)}`,
        `Both sides changed it. Your version was kept as "${baseName(fresh[0].conflictCopy)}".`,
      );
    } else if (fresh.length > 1) {
      note('conflict', `${plural(fresh.length, 'conflict')} in ${where}`, 'Both sides changed these files. Open wsync to keep one version.');
    }

    const before = new Map(prev.errors.map((e) => [e.path, e.attempts]));
    for (const error of next.errors) {
      if (error.attempts >= FAILING_ATTEMPTS && (before.get(error.path) ?? 0) < FAILING_ATTEMPTS) {
        note('failing-file', `${baseName(error.path)} keeps failing`, error.message);
      }
    }
  }
  return out;
}

export function notificationsFor(prev: readonly FolderStatus[], next: readonly FolderStatus[]): AppNotification[] {
  const previous = new Map(prev.map((s) => [s.folderId, s]));
  return next.flatMap((status) => forFolder(previous.get(status.folderId), status));
}
