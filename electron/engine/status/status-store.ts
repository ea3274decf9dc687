/**
 * Holds one folder's FolderStatus and folds engine events into it. Snapshots are plain,
 * serialisable copies; listeners hear every change, with byte-progress changes coalesced so
 * that a fast transfer does not flood the tray, the renderer or the terminal.
 */
import type { Activity, FileError, FolderStatus, SyncState, Transfer } from '../../shared/status.js';
import type { StatusEvent } from './events.js';

export interface StatusIdentity {
  folderId: string;
  dir: string;
  server: string;
  workspace: string;
  prefix: string;
}

export interface StatusStoreOptions {
  /** How many completed operations `recent` keeps (newest first). */
  recentLimit?: number;
  /** Progress-only changes are published at most this often. */
  progressIntervalMs?: number;
  /** Speed is measured over this trailing window. */
  speedWindowMs?: number;
  now?: () => number;
  /** Earlier activity (newest first), e.g. read back from the state database. */
  recent?: Activity[];
  lastSyncAt?: string | null;
}

export interface StatusStore {
  snapshot(): FolderStatus;
  subscribe(listener: (status: FolderStatus) => void): () => void;
  apply(event: StatusEvent): void;
  /** Publishes any coalesced progress change now and stops the timer. */
  flush(): void;
  readonly state: SyncState;
}

interface Sample {
  at: number;
  bytes: number;
}

interface LiveTransfer {
  transfer: Transfer;
  samples: Sample[];
}

const frozen = <T extends object>(value: T): T => Object.freeze(value);

export function createStatusStore(identity: StatusIdentity, options: StatusStoreOptions = {}): StatusStore {
  const recentLimit = options.recentLimit ?? 300;
  const progressIntervalMs = options.progressIntervalMs ?? 100;
  const speedWindowMs = options.speedWindowMs ?? 3000;
  const now = options.now ?? Date.now;

  let state: SyncState = 'idle';
  let message: string | undefined;
  const pending = { uploads: 0, downloads: 0, deletes: 0, bytes: 0 };
  const transfers = new Map<string, LiveTransfer>();
  let lastSyncAt: string | null = options.lastSyncAt ?? null;
  let recent: Activity[] = frozen((options.recent ?? []).slice(0, recentLimit).map((a) => frozen({ ...a })));
  let nextActivityId = recent.reduce((max, a) => Math.max(max, a.id), 0) + 1;
  const conflicts = new Map<string, FolderStatus['conflicts'][number]>();
  const errors = new Map<string, FileError>();
  let held: FolderStatus['heldDeletions'] = [];

  const listeners = new Set<(status: FolderStatus) => void>();
  let progressTimer: NodeJS.Timeout | null = null;

  // A snapshot is built once per change, not once per listener or per call, and shares what did not
  // change: `recent` (300 activities) is replaced, never edited, so it is handed out as it is; the
  // conflict and error lists are rebuilt only when theirs changed. Snapshots are frozen: a reader
  // that tried to change one would throw rather than change the store.
  let cached: FolderStatus | null = null;
  let conflictList: FolderStatus['conflicts'] | null = null;
  let errorList: FolderStatus['errors'] | null = null;

  function snapshot(): FolderStatus {
    conflictList ??= frozen([...conflicts.values()].map((c) => frozen({ ...c })));
    errorList ??= frozen([...errors.values()].map((e) => frozen({ ...e })));
    cached ??= frozen({
      ...identity,
      state,
      ...(message === undefined ? {} : { message }),
      pending: frozen({ ...pending }),
      transfers: frozen([...transfers.values()].map((t) => frozen({ ...t.transfer }))),
      lastSyncAt,
      recent,
      conflicts: conflictList,
      errors: errorList,
      heldDeletions: held,
    });
    return cached;
  }

  function publish(): void {
    if (progressTimer) {
      clearTimeout(progressTimer);
      progressTimer = null;
    }
    if (listeners.size === 0) return;
    const status = snapshot();
    for (const listener of [...listeners]) listener(status);
  }

  function publishSoon(): void {
    if (progressTimer) return;
    progressTimer = setTimeout(publish, progressIntervalMs);
    progressTimer.unref();
  }

  function speedOf(live: LiveTransfer): number {
    const first = live.samples[0];
    const last = live.samples[live.samples.length - 1];
    if (!first || !last || last.at <= first.at) return live.transfer.bytesPerSecond;
    return Math.max(0, Math.round(((last.bytes - first.bytes) * 1000) / (last.at - first.at)));
  }

  function iso(ms: number): string {
    return new Date(ms).toISOString();
  }

  function apply(event: StatusEvent): void {
    cached = null;
    if (event.type === 'conflict' || event.type === 'conflict-resolved') conflictList = null;
    if (event.type === 'file-error' || event.type === 'file-ok' || event.type === 'completed') errorList = null;
    switch (event.type) {
      case 'state':
        if (event.state === state && event.message === message) return;
        state = event.state;
        message = event.message;
        break;
      case 'pending':
        Object.assign(pending, event.pending);
        break;
      case 'transfer-start':
        transfers.set(event.id, {
          transfer: {
            id: event.id,
            path: event.path,
            direction: event.direction,
            bytesDone: 0,
            bytesTotal: event.bytesTotal,
            bytesPerSecond: 0,
          },
          samples: [{ at: now(), bytes: 0 }],
        });
        break;
      case 'transfer-progress': {
        const live = transfers.get(event.id);
        if (!live) return;
        const at = now();
        live.transfer.bytesDone = Math.max(0, event.bytesDone);
        if (event.bytesTotal !== undefined) live.transfer.bytesTotal = event.bytesTotal;
        live.samples.push({ at, bytes: live.transfer.bytesDone });
        while (live.samples.length > 2 && (live.samples[0]?.at ?? at) < at - speedWindowMs) live.samples.shift();
        live.transfer.bytesPerSecond = speedOf(live);
        publishSoon();
        return;
      }
      case 'transfer-end':
        if (!transfers.delete(event.id)) return;
        break;
      case 'completed': {
        const op = event.operation;
        const id = op.id ?? nextActivityId;
        nextActivityId = Math.max(nextActivityId, id + 1);
        const activity: Activity = {
          id,
          at: op.at ?? iso(now()),
          path: op.path,
          action: op.action,
          decision: op.decision,
          ...(op.detail === undefined ? {} : { detail: op.detail }),
          ...(op.bytes === undefined ? {} : { bytes: op.bytes }),
        };
        recent = frozen([frozen(activity), ...recent].slice(0, recentLimit));
        if (op.action === 'upload' || op.action === 'move-remote' || op.action === 'conflict') {
          pending.uploads = Math.max(0, pending.uploads - 1);
        }
        if (op.action === 'download' || op.action === 'conflict') pending.downloads = Math.max(0, pending.downloads - 1);
        if (op.action === 'delete-local' || op.action === 'delete-remote') pending.deletes = Math.max(0, pending.deletes - 1);
        if (op.bytes) pending.bytes = Math.max(0, pending.bytes - op.bytes);
        errors.delete(op.path);
        break;
      }
      case 'conflict':
        conflicts.set(event.conflict.path, { ...event.conflict });
        break;
      case 'conflict-resolved':
        if (!conflicts.delete(event.path)) return;
        break;
      case 'file-error': {
        const previous = errors.get(event.path);
        errors.set(event.path, {
          path: event.path,
          kind: event.kind,
          message: event.message,
          at: iso(now()),
          attempts: event.attempts ?? (previous?.attempts ?? 0) + 1,
          ...(event.nextAttemptAt === undefined ? {} : { nextAttemptAt: event.nextAttemptAt }),
        });
        break;
      }
      case 'file-ok':
        if (!errors.delete(event.path)) return;
        break;
      case 'held':
        held = frozen(event.held.map((h) => frozen({ ...h, paths: frozen([...h.paths]) })));
        break;
      case 'synced':
        lastSyncAt = event.at;
        break;
      case 'history': {
        const known = new Set(recent.map((a) => a.id));
        recent = frozen(
          [...recent, ...event.recent.filter((a) => !known.has(a.id)).map((a) => frozen({ ...a }))].sort((a, b) => b.id - a.id).slice(0, recentLimit),
        );
        nextActivityId = recent.reduce((max, a) => Math.max(max, a.id), nextActivityId - 1) + 1;
        lastSyncAt ??= event.lastSyncAt;
        break;
      }
    }
    publish();
  }

  return {
    snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    apply,
    flush() {
      if (progressTimer) publish();
    },
    get state() {
      return state;
    },
  };
}
