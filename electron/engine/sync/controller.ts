/**
 * What a host (the desktop main process, the CLI's watch mode) drives for one folder pair.
 */
import type { FolderStatus } from '../../shared/status.js';

export interface BandwidthLimits {
  /** Bytes per second; 0 = unlimited. */
  uploadBps: number;
  downloadBps: number;
}

export interface FolderController {
  readonly id: string;
  snapshot(): FolderStatus;
  /** Called on every status change; returns an unsubscribe function. */
  subscribe(listener: (status: FolderStatus) => void): () => void;
  start(): Promise<void>;
  /** Finishes or abandons transfers safely, closes the database. */
  stop(): Promise<void>;
  pause(): Promise<void>;
  resume(): void;
  syncNow(): void;
  /** Lets deletions held by the mass-delete guard go ahead. */
  confirmDeletions(): Promise<void>;
  /** Brings the held files back from the other side instead of deleting them. */
  restoreDeletions(): Promise<void>;
  retry(path: string): void;
  /** Keeps one version of a conflict: `remote` drops the conflict copy, `local` puts it back at path. */
  resolveConflict(path: string, keep: 'local' | 'remote'): Promise<void>;
  setBandwidth(limits: BandwidthLimits): void;
}
