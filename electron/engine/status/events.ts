/**
 * What the engine reports while it works. The status store folds these into a FolderStatus; the
 * one-cycle engine, the watcher and the controller each emit the few that concern them.
 */
import type { Activity, ActivityAction, Conflict, HeldDeletions, SyncState } from '../../shared/status.js';
import type { ErrorKind } from '../errors.js';
import type { Decision } from '../plan/types.js';

export interface PendingCounts {
  uploads: number;
  downloads: number;
  deletes: number;
  bytes: number;
}

export interface CompletedOperation {
  /** The activity row's id when it was persisted first; otherwise the store numbers it. */
  id?: number | undefined;
  path: string;
  action: ActivityAction;
  decision: Decision;
  detail?: string | undefined;
  /** ISO time; the store's clock when absent. */
  at?: string | undefined;
  /** Bytes this operation moved, taken off the pending byte count. */
  bytes?: number | undefined;
}

export type StatusEvent =
  | { type: 'state'; state: SyncState; message?: string | undefined }
  | { type: 'pending'; pending: PendingCounts }
  | { type: 'transfer-start'; id: string; path: string; direction: 'upload' | 'download'; bytesTotal: number }
  | { type: 'transfer-progress'; id: string; bytesDone: number; bytesTotal?: number | undefined }
  | { type: 'transfer-end'; id: string }
  | { type: 'completed'; operation: CompletedOperation }
  | { type: 'conflict'; conflict: Conflict }
  | { type: 'conflict-resolved'; path: string }
  /** `attempts`: cycles in a row the file failed, and `nextAttemptAt` (ISO) its next try, when it is in back-off. */
  | { type: 'file-error'; path: string; kind: ErrorKind; message: string; attempts?: number | undefined; nextAttemptAt?: string | undefined }
  | { type: 'file-ok'; path: string }
  | { type: 'held'; held: HeldDeletions[] }
  | { type: 'synced'; at: string }
  /** What an earlier run left in the state database (newest first), read back at start. */
  | { type: 'history'; recent: Activity[]; lastSyncAt: string | null };
