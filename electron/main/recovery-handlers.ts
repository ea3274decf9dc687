/**
 * The window's recovery commands: the wsync trash of each folder (browse, restore, empty) and the
 * conflict choices beyond "keep one" (keep both, compare versions). The engine does the work in
 * the folder's controller, one thing at a time with its cycles; this checks input and routes.
 */
import type { ControllerApi, FolderEngine } from '../shared/engine-protocol.js';
import { resolveInside } from './app-service.js';
import type { IpcHandlers } from './ipc-dispatch.js';
import type { ShellPort } from './ports.js';
import type { StoredFolder } from './settings-store.js';

export type RecoveryCommand = 'getTrash' | 'restoreFromTrash' | 'emptyTrash' | 'showTrashItem' | 'keepBoth' | 'conflictVersions' | 'retryAll';

export interface RecoveryDeps {
  folder: (id: string) => StoredFolder;
  host: FolderEngine;
  shell: ShellPort;
  now?: () => Date;
}

const DAY_MS = 86_400_000;

/** The ISO time before which trashed files are old enough to delete for good. */
export function trashCutoff(days: number, now: Date): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

/** A folder that is not running (signed out) has a trash all the same, but wsync cannot touch the folder then. */
function running(host: FolderEngine, folderId: string): ControllerApi {
  try {
    return host.controller(folderId);
  } catch {
    throw Object.assign(new Error('This folder is not syncing right now (signed out or stopped): sign in again to use its trash.'), {
      kind: 'not-found',
    });
  }
}

export function createRecoveryHandlers(deps: RecoveryDeps): Pick<IpcHandlers, RecoveryCommand> {
  const now = deps.now ?? (() => new Date());
  const { host } = deps;
  return {
    getTrash: ({ folderId }) => running(host, folderId).listTrash(),
    restoreFromTrash: ({ folderId, ids }) => running(host, folderId).restoreFromTrash(ids),
    emptyTrash: ({ folderId, olderThanDays }) =>
      running(host, folderId).emptyTrash(olderThanDays === null ? null : trashCutoff(olderThanDays, now())),
    async showTrashItem({ folderId, id }) {
      deps.shell.showItemInFolder(await host.tools().trashItemFile(deps.folder(folderId).dir, id));
    },
    keepBoth: ({ folderId, path }) => {
      resolveInside(deps.folder(folderId).dir, path);
      return running(host, folderId).keepBoth(path);
    },
    conflictVersions: ({ folderId, path }) => {
      resolveInside(deps.folder(folderId).dir, path);
      return running(host, folderId).conflictVersions(path);
    },
    retryAll: ({ folderId }) => running(host, folderId).retryAll(),
  };
}

export interface TrashJanitorOptions {
  controllers: () => ControllerApi[];
  retentionDays: () => number;
  now?: () => Date;
  /** Calls `tick` every `ms`; returns a stop function. */
  every?: (ms: number, tick: () => void) => () => void;
  onError?: (err: unknown) => void;
}

/** Empties what has been in each folder's trash longer than the retention: on `sweep()`, then daily. */
export function startTrashJanitor(options: TrashJanitorOptions): { sweep(): Promise<void>; stop(): void } {
  const now = options.now ?? (() => new Date());
  const sweep = async (): Promise<void> => {
    const cutoff = trashCutoff(options.retentionDays(), now());
    for (const controller of options.controllers()) {
      await controller.emptyTrash(cutoff).catch((err: unknown) => options.onError?.(err));
    }
  };
  const every =
    options.every ??
    ((ms: number, tick: () => void) => {
      const timer = setInterval(tick, ms);
      timer.unref();
      return () => clearInterval(timer);
    });
  const stop = every(DAY_MS, () => void sweep());
  return { sweep, stop };
}
