/**
 * Hosts one FolderController per folder pair and merges their statuses into one list. The engine
 * process serves it to the main process (engine-server.ts); the renderer's e2e harness runs it in
 * its own process. Status changes are batched per tick, so several folders changing together
 * reach the listeners once.
 */
import type { BandwidthLimits, FolderController } from '../engine/sync/background/ports.js';
import {
  CONTROLLER_METHODS,
  type ControllerApi,
  type ControllerCalls,
  type FolderEngine,
  type Remote,
  type ToolCalls,
  TOOL_METHODS,
  type FolderSpec,
  type Served,
} from '../shared/engine-protocol.js';
import { placeholderStatus } from '../shared/status-patch.js';
import type { FolderStatus, SyncState } from '../shared/status.js';
import { createConnectionTester, type ConnectionTester, type FilesApiFactory } from './connection-test.js';
import { browseRemote, deskTools, previewSync } from './desk-tools.js';

export type FolderRuntime = FolderSpec & { apiKey: string };

export type ControllerFactory = (folder: FolderRuntime) => Promise<FolderController> | FolderController;

export class UnknownFolderError extends Error {
  readonly kind = 'not-found';
  constructor(id: string) {
    super(`No folder pair with id ${id} is running`);
  }
}

/** The controller as the protocol's table describes it (the assignment proves it implements every method). */
export function controllerApi(controller: FolderController): ControllerApi {
  const served: Served<ControllerCalls> = controller;
  const api: Partial<Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const method of CONTROLLER_METHODS) {
    const fn = served[method] as (...args: unknown[]) => unknown;
    api[method] = async (...args) => fn.apply(controller, args);
  }
  return api as ControllerApi;
}

interface Hosted {
  controller?: FolderController;
  api?: ControllerApi;
  unsubscribe?: () => void;
  placeholder?: FolderStatus;
}

export interface FolderHostOptions {
  createController: ControllerFactory;
  openFilesApi: FilesApiFactory;
  /** Called when a controller fails to start or stop; the folder shows the error. */
  onError?: (folderId: string, err: unknown) => void;
}

export class FolderHost implements FolderEngine {
  private readonly folders = new Map<string, Hosted>();
  private readonly listeners = new Set<() => void>();
  private scheduled = false;
  private readonly tester: ConnectionTester;
  /** The keys of the folders started, for the debug archive to scrub. */
  private readonly keys = new Map<string, string>();

  constructor(private readonly options: FolderHostOptions) {
    this.tester = createConnectionTester(options.openFilesApi);
  }

  statuses(): FolderStatus[] {
    return [...this.folders.values()].flatMap((h) => (h.controller ? [h.controller.snapshot()] : h.placeholder ? [h.placeholder] : []));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  controller(id: string): ControllerApi {
    const api = this.folders.get(id)?.api;
    if (!api) throw new UnknownFolderError(id);
    return api;
  }

  /** The controllers that are running (not the folders shown as unavailable). */
  running(): ControllerApi[] {
    return [...this.folders.values()].flatMap((h) => (h.api ? [h.api] : []));
  }

  ids(): string[] {
    return [...this.folders.keys()];
  }

  async start(folder: FolderRuntime): Promise<void> {
    await this.stop(folder.id);
    this.keys.set(folder.id, folder.apiKey);
    const hosted: Hosted = {};
    this.folders.set(folder.id, hosted);
    try {
      const controller = await this.options.createController(folder);
      hosted.controller = controller;
      hosted.api = controllerApi(controller);
      hosted.unsubscribe = controller.subscribe(() => this.changed());
      await controller.start();
    } catch (err) {
      hosted.unsubscribe?.();
      delete hosted.controller;
      delete hosted.api;
      hosted.placeholder = placeholderStatus(folder, 'error', `Could not start syncing: ${err instanceof Error ? err.message : String(err)}`);
      this.options.onError?.(folder.id, err);
    }
    this.changed();
  }

  showUnavailable(folder: Omit<FolderSpec, 'bandwidth'>, state: SyncState, message: string): void {
    this.folders.set(folder.id, { placeholder: placeholderStatus(folder, state, message) });
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

  async setBandwidth(limits: BandwidthLimits): Promise<void> {
    for (const hosted of this.folders.values()) hosted.controller?.setBandwidth(limits);
  }

  testConnection(connection: { server: string; workspace: string; prefix: string; apiKey: string }) {
    return this.tester(connection);
  }

  browseRemote(connection: { server: string; workspace: string; apiKey: string }) {
    return browseRemote(this.options.openFilesApi, connection);
  }

  previewSync(connection: { server: string; workspace: string; prefix: string; apiKey: string; dir: string }) {
    return previewSync(this.options.openFilesApi, connection);
  }

  /** The tools served as the protocol's calls (the in-process host calls them directly). */
  served() {
    return deskTools({ statuses: () => this.statuses(), secrets: () => [...this.keys.values()] });
  }

  tools(): Remote<ToolCalls> {
    const served = this.served() as unknown as Record<string, (...args: unknown[]) => unknown>;
    const api: Partial<Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
    for (const method of TOOL_METHODS) api[method] = async (...args) => (served[method] as (...a: unknown[]) => unknown)(...args);
    return api as Remote<ToolCalls>;
  }

  private changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      for (const listener of [...this.listeners]) listener();
    });
  }
}
