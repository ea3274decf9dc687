/**
 * The background part's ports: what a host (the desktop engine process, the CLI's watch mode)
 * drives for one folder pair, and what the controller plugs in for a sync cycle and a poll's
 * cheap remote look. Tests and the model checker swap the cycle and the check without mocking
 * modules; the engine's own implementations are in engine-ports.ts.
 */
import type { FolderStatus, HeldDeletions } from '../../../shared/status.js';
import type { ErrorKind } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { StatusEvent } from '../../status/events.js';
import type { TokenBucket } from '../../transfer/throttle.js';
import type { FolderSession } from '../once/folder-session.js';
import type { RecoveryActions } from '../../recovery/recovery-actions.js';
import type { QuietListing, RemoteCheckResult } from './remote-check.js';
import type { WakeReason } from './wake-policy.js';

export interface BandwidthLimits {
  /** Bytes per second; 0 = unlimited. */
  uploadBps: number;
  downloadBps: number;
}

/** The recovery commands (trash, keep both, conflict versions) come from recovery/recovery-actions.ts. */
export interface FolderController extends RecoveryActions {
  readonly id: string;
  snapshot(): FolderStatus;
  /** Called on every status change; returns an unsubscribe function. */
  subscribe(listener: (status: FolderStatus) => void): () => void;
  /**
   * Opens the folder's session (lock, state, binding) and starts watching. Rejects when the
   * folder cannot be taken: another engine holds it (code LOCKED) or it is bound elsewhere
   * (BOUND_ELSEWHERE); nothing then runs.
   */
  start(): Promise<void>;
  /** Finishes or abandons transfers safely, closes the session. */
  stop(): Promise<void>;
  pause(): Promise<void>;
  resume(): void;
  syncNow(): void;
  /** Lets deletions held by the mass-delete guard go ahead. */
  confirmDeletions(): Promise<void>;
  /** Brings the held files back from the other side instead of deleting them. */
  restoreDeletions(): Promise<void>;
  retry(path: string): void;
  /** Retries every file that failed, none held back by its back-off. */
  retryAll(): void;
  /** Keeps one version of a conflict: `remote` drops the conflict copy, `local` puts it back at path. */
  resolveConflict(path: string, keep: 'local' | 'remote'): Promise<void>;
  setBandwidth(limits: BandwidthLimits): void;
  /** Resumed from sleep, network back, window shown, reload asked: what it does is wake-policy.ts's. */
  wake(reason: WakeReason): void;
}

/** What the controller hands one sync cycle. */
export interface CycleRequest {
  /** The folder's session, held by the controller for its whole life. */
  session: FolderSession;
  signal: AbortSignal;
  /** The user confirmed the held deletions: the mass-delete guard lets them through this once. */
  confirmDeletes: boolean;
  /** Progress, completed operations, conflicts and per-file errors (`file-error` / `file-ok`) as they happen. */
  onEvent: (event: StatusEvent) => void;
  /** Shared per direction, so the limit holds for the folder as a whole. */
  bandwidth: { upload: TokenBucket; download: TokenBucket };
  /** Paths still being written (the watcher has not seen them settle): leave them for a later cycle. */
  skip: (path: string) => boolean;
  logger: Logger;
}

export interface CycleFailure {
  path: string;
  kind: ErrorKind;
  message: string;
  /** When the file is tried again (ISO), when it is in per-file back-off; absent: the next cycle tries it. */
  nextAttemptAt?: string;
}

export interface CycleReport {
  /** Something was transferred, deleted, renamed or recorded on either side. */
  changed: boolean;
  held: HeldDeletions[];
  /** Files that could not be synced this cycle (the rest were); already reported through onEvent. */
  failures: CycleFailure[];
  /** The cycle's listing, found quiet against the base the cycle left (see RemoteCheckRequest.quietListing). */
  quietListing?: QuietListing | undefined;
}

/** One sync cycle: scan, list, plan, execute. Throws for failures of the whole cycle. */
export type RunCycle = (request: CycleRequest) => Promise<CycleReport>;

export interface RemoteCheckRequest {
  session: FolderSession;
  signal: AbortSignal;
  bandwidth: CycleRequest['bandwidth'];
  /** Deletions waiting for the user: their paths' absence from the listing is no news. */
  held: readonly HeldDeletions[];
  /** Changes whenever the base may have changed (a full cycle ran, deletions were restored). */
  baseGeneration: number;
  /** What the full cycle that left this generation's base handed over: its listing, found quiet against that base. */
  quietListing?: QuietListing | undefined;
  logger: Logger;
}

/** A poll's cheap look: the remote listing against the base, and what listing it took. Throws like a cycle (auth, offline). */
export type CheckRemote = (request: RemoteCheckRequest) => Promise<RemoteCheckResult>;
