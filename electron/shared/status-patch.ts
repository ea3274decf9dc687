/**
 * Status changes as patches: what crosses a process boundary (engine → main, main → window) is
 * the fields of a folder's status that changed, with `recent` sent as the activities added in
 * front, instead of the whole status with its 300 activities on every change.
 * Pure functions of data, free of zod and Node, so the sandboxed preload can apply patches too.
 */
import type { Activity, FolderStatus, SyncState } from './status.js';

type Fields = Omit<FolderStatus, 'recent' | 'message'>;

export interface StatusPatch {
  /** Fields replaced whole (all of them in a folder's first patch). */
  set?: Partial<Fields>;
  /** `message` changes on its own: a string sets it, null clears it. */
  message?: string | null;
  /** `recent` either replaced whole, or these activities put in front and the list cut to `length`. */
  recent?: { replace: Activity[] } | { prepend: Activity[]; length: number };
}

const FIELDS = [
  'folderId',
  'dir',
  'server',
  'workspace',
  'prefix',
  'state',
  'pending',
  'transfers',
  'lastSyncAt',
  'conflicts',
  'errors',
  'heldDeletions',
] as const satisfies readonly (keyof Fields)[];

/** Equal as data. Snapshots share unchanged arrays, so the reference test usually decides. */
function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function recentPatch(prev: readonly Activity[], next: readonly Activity[]): StatusPatch['recent'] | undefined {
  if (prev === next) return undefined;
  const head = prev[0];
  if (head === undefined) return next.length === 0 ? undefined : { replace: [...next] };
  const at = next.findIndex((a) => a.id === head.id);
  if (at < 0) return { replace: [...next] };
  // Everything after the new head must be the old list, cut: anything else is sent whole.
  const kept = next.length - at;
  if (kept > prev.length) return { replace: [...next] };
  for (let i = 0; i < kept; i++) if (!same(next[at + i], prev[i])) return { replace: [...next] };
  if (at === 0 && kept === prev.length) return undefined;
  return { prepend: next.slice(0, at), length: next.length };
}

/** What turns `prev` into `next`, or null when they are equal. No `prev`: the whole status. */
export function diffStatus(prev: FolderStatus | undefined, next: FolderStatus): StatusPatch | null {
  const patch: StatusPatch = {};
  const set: Partial<Record<keyof Fields, unknown>> = {};
  let changed = false;
  for (const field of FIELDS) {
    if (prev === undefined || !same(prev[field], next[field])) {
      set[field] = next[field];
      changed = true;
    }
  }
  if (changed) patch.set = set as Partial<Fields>;
  if (prev === undefined ? next.message !== undefined : prev.message !== next.message) patch.message = next.message ?? null;
  const recent = prev === undefined ? { replace: [...next.recent] } : recentPatch(prev.recent, next.recent);
  if (recent) patch.recent = recent;
  return patch.set || patch.message !== undefined || patch.recent ? patch : null;
}

export class StatusPatchError extends Error {}

/** `prev` with `patch` applied; a first patch (no `prev`) must carry every field. */
export function applyStatusPatch(prev: FolderStatus | undefined, patch: StatusPatch): FolderStatus {
  const base: Partial<FolderStatus> = prev ? { ...prev } : {};
  Object.assign(base, patch.set);
  if (patch.message === null) delete base.message;
  else if (patch.message !== undefined) base.message = patch.message;
  if (patch.recent) {
    base.recent = 'replace' in patch.recent ? patch.recent.replace : [...patch.recent.prepend, ...(prev?.recent ?? [])].slice(0, patch.recent.length);
  }
  for (const field of FIELDS) {
    if (!(field in base)) throw new StatusPatchError(`a status patch for a new folder lacks ${field}`);
  }
  base.recent ??= [];
  return base as FolderStatus;
}

/** Every folder's status at once, or the changes since the last update the receiver applied. */
export type StatusUpdate = { full: true; statuses: FolderStatus[] } | { full: false; order: string[]; patches: Record<string, StatusPatch> };

/** The update that turns `prev` (null: the receiver has nothing yet) into `next`; null when nothing changed. */
export function statusUpdate(prev: readonly FolderStatus[] | null, next: readonly FolderStatus[]): StatusUpdate | null {
  if (prev === null) return { full: true, statuses: [...next] };
  const before = new Map(prev.map((s) => [s.folderId, s]));
  const patches: Record<string, StatusPatch> = {};
  let changed = prev.length !== next.length || prev.some((s, i) => s.folderId !== next[i]?.folderId);
  for (const status of next) {
    const patch = diffStatus(before.get(status.folderId), status);
    if (patch) {
      patches[status.folderId] = patch;
      changed = true;
    }
  }
  return changed ? { full: false, order: next.map((s) => s.folderId), patches } : null;
}

/** The statuses after `update`; a patch update without a previous full one cannot be applied. */
export function applyStatusUpdate(prev: readonly FolderStatus[] | null, update: StatusUpdate): FolderStatus[] {
  if (update.full) return [...update.statuses];
  if (prev === null) throw new StatusPatchError('a status patch arrived before the first full status');
  const before = new Map(prev.map((s) => [s.folderId, s]));
  return update.order.map((id) => {
    const patch = update.patches[id];
    const status = patch ? applyStatusPatch(before.get(id), patch) : before.get(id);
    if (!status) throw new StatusPatchError(`no status for folder ${id}`);
    return status;
  });
}

/** The status of a folder whose engine is not running it, with the reason shown where the status would be. */
export function placeholderStatus(
  folder: { id: string; dir: string; server: string; workspace: string; prefix: string },
  state: SyncState,
  message: string,
): FolderStatus {
  return {
    folderId: folder.id,
    dir: folder.dir,
    server: folder.server,
    workspace: folder.workspace,
    prefix: folder.prefix,
    state,
    message,
    pending: { uploads: 0, downloads: 0, deletes: 0, bytes: 0 },
    transfers: [],
    lastSyncAt: null,
    recent: [],
    conflicts: [],
    errors: [],
    heldDeletions: [],
  };
}
