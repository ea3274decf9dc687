/**
 * Hosts one FolderController per folder pair and merges their statuses into one list for the
 * tray, the notifications and the window. Status changes are batched per tick so that several
 * folders changing together reach the listeners once.
 */
import { createStatusStore } from '../engine/status/status-store.js';
import type { BandwidthLimits, FolderController } from '../engine/sync/controller.js';
import type { FolderStatus, SyncState } from '../shared/status.js';

export interface FolderRuntime {
  id: string;
  server: string;
  workspace: string;
  dir: string;
  prefix: string;
  apiKey: string;
  bandwidth: BandwidthLimits;
}

export type ControllerFactory = (folder: FolderRuntime) => Promise<FolderController> | FolderController;

type Identity = Omit<FolderRuntime, 'apiKey' | 'bandwidth'>;

/** The status of a folder whose engine could not start: the reason is shown where the status would be. */
export function unavailableStatus(folder: Identity, state: SyncState, message: string): FolderStatus {
  const store = createStatusStore({ folderId: folder.id, dir: folder.dir, server: folder.server, workspace: folder.workspace, prefix: folder.prefix });
  store.apply({ type: 'state', state, message });
  return store.snapshot();
}

export class UnknownFolderError extends Error {
  readonly kind = 'not-found';
  constructor(id: string) {
    super(`No folder pair with id ${id} is running`);
  }
}

interface Hosted {
  controller?: FolderController;
  unsubscribe?: () => void;
  placeholder?: FolderStatus;
}

export interface EngineHostOptions {
  createController: ControllerFactory;
  onChange: (statuses: FolderStatus[]) => void;
  /** Called when a controller fails to start or stop; the folder shows the error. */
  onError?: (folderId: string, err: unknown) => void;
}

export class EngineHost {
  private readonly folders = new Map<string, Hosted>();
  private scheduled = false;

  constructor(private readonly options: EngineHostOptions) {}

  statuses(): FolderStatus[] {
    return [...this.folders.values()].flatMap((h) => (h.controller ? [h.controller.snapshot()] : h.placeholder ? [h.placeholder] : []));
  }

  controller(id: string): FolderController {
    const controller = this.folders.get(id)?.controller;
    if (!controller) throw new UnknownFolderError(id);
    return controller;
  }

  /** The controllers that are running (not the folders shown as unavailable). */
  running(): FolderController[] {
    return [...this.folders.values()].flatMap((h) => (h.controller ? [h.controller] : []));
  }

  ids(): string[] {
    return [...this.folders.keys()];
  }

  async start(folder: FolderRuntime): Promise<void> {
    await this.stop(folder.id);
    const hosted: Hosted = {};
    this.folders.set(folder.id, hosted);
    try {
      const controller = await this.options.createController(folder);
      hosted.controller = controller;
      hosted.unsubscribe = controller.subscribe(() => this.changed());
      await controller.start();
    } catch (err) {
      hosted.unsubscribe?.();
      delete hosted.controller;
      hosted.placeholder = unavailableStatus(folder, 'error', `Could not start syncing: ${err instanceof Error ? err.message : String(err)}`);
      this.options.onError?.(folder.id, err);
    }
    this.changed();
  }

  /** A folder that cannot run (e.g. its key cannot be decrypted) still shows, with the reason. */
  showUnavailable(folder: Identity, state: SyncState, message: string): void {
    this.folders.set(folder.id, { placeholder: unavailableStatus(folder, state, message) });
    this.changed();
  }

  async stop(id: string): Promise<void> {
    const hosted = this.folders.get(id);
    if (!hosted) return;
    this.folders.delete(id);
    hosted.unsubscribe?.();
    try {
      await hosted.controller?.stop();
    } catch (err) {
      this.options.onError?.(id, err);
    }
    this.changed();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.ids().map((id) => this.stop(id)));
  }

  setBandwidth(limits: BandwidthLimits): void {
    for (const hosted of this.folders.values()) hosted.controller?.setBandwidth(limits);
  }

  private changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.options.onChange(this.statuses());
    });
  }
}
