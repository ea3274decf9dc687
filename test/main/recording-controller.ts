import type { BandwidthLimits, FolderController } from '../../electron/engine/sync/background/ports.js';
import type { ConflictVersions, Emptied, Restored, TrashListing } from '../../electron/shared/recovery.js';
import type { WakeReason } from '../../electron/shared/engine-protocol.js';
import type { FolderStatus } from '../../electron/shared/status.js';
import type { FolderRuntime } from '../../electron/engine-process/folder-host.js';
import { status } from './status-fixture.js';

/**
 * A FolderController double for the host's routing tests: it records what the host asked and lets
 * the test publish statuses. The desktop e2e tests (test/app) drive the real controller.
 */
export class RecordingController implements FolderController {
  readonly calls: string[] = [];
  private current: FolderStatus;
  private readonly listeners = new Set<(s: FolderStatus) => void>();

  constructor(
    readonly runtime: FolderRuntime,
    private readonly failStart = false,
  ) {
    this.current = status({ folderId: runtime.id, dir: runtime.dir, workspace: runtime.workspace, server: runtime.server, prefix: runtime.prefix });
  }
  get id(): string {
    return this.runtime.id;
  }
  publish(change: Partial<FolderStatus>): void {
    this.current = { ...this.current, ...change };
    for (const l of this.listeners) l(this.current);
  }
  snapshot(): FolderStatus {
    return this.current;
  }
  subscribe(listener: (s: FolderStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async start(): Promise<void> {
    this.calls.push('start');
    if (this.failStart) throw new Error('folder is locked by another wsync');
  }
  async stop(): Promise<void> {
    this.calls.push('stop');
  }
  async pause(): Promise<void> {
    this.calls.push('pause');
  }
  resume(): void {
    this.calls.push('resume');
  }
  syncNow(): void {
    this.calls.push('syncNow');
  }
  async confirmDeletions(): Promise<void> {
    this.calls.push('confirmDeletions');
  }
  async restoreDeletions(): Promise<void> {
    this.calls.push('restoreDeletions');
  }
  retry(path: string): void {
    this.calls.push(`retry ${path}`);
  }
  retryAll(): void {
    this.calls.push('retryAll');
  }
  async resolveConflict(path: string, keep: 'local' | 'remote'): Promise<void> {
    this.calls.push(`resolveConflict ${path} ${keep}`);
  }
  wake(reason: WakeReason): void {
    this.calls.push(`wake ${reason}`);
  }
  setBandwidth(limits: BandwidthLimits): void {
    this.calls.push(`setBandwidth ${limits.uploadBps}/${limits.downloadBps}`);
  }
  /** What listTrash answers (the test sets it). */
  trash: TrashListing = { entries: [], totalFiles: 0, totalBytes: 0, truncated: false, location: '/trash' };
  async listTrash(): Promise<TrashListing> {
    this.calls.push('listTrash');
    return this.trash;
  }
  async restoreFromTrash(ids: readonly string[]): Promise<Restored[]> {
    this.calls.push(`restoreFromTrash ${ids.join(',')}`);
    return ids.map((id) => ({ id, path: id.slice(id.indexOf('/') + 1), renamed: false }));
  }
  async emptyTrash(olderThan: string | null): Promise<Emptied> {
    this.calls.push(`emptyTrash ${olderThan ?? 'all'}`);
    return { files: 0, bytes: 0 };
  }
  async keepBoth(path: string): Promise<void> {
    this.calls.push(`keepBoth ${path}`);
  }
  async conflictVersions(path: string): Promise<ConflictVersions> {
    this.calls.push(`conflictVersions ${path}`);
    const conflict = this.current.conflicts.find((c) => c.path === path);
    return {
      workspace: { path, size: 1200, modifiedAt: '2025-03-04T09:15:00.000Z' },
      yours: { path: conflict?.conflictCopy ?? path, size: 1450, modifiedAt: '2025-03-04T10:02:00.000Z' },
    };
  }
}
