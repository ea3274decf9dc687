/**
 * What the window's commands do, behind the IPC validation: folder pairs and their keys, the
 * running controllers, preferences, and the few OS actions (open, reveal, pick a folder).
 */
import { mkdir, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ControllerApi, FolderEngine, WakeReason } from '../shared/engine-protocol.js';
import type { PublicSettings } from '../shared/ipc.js';
import { checkServerUrl } from '../shared/server-url.js';
import type { ExperienceCommand } from './experience-handlers.js';
import type { IpcHandlers } from './ipc-dispatch.js';
import type { LoginItem } from './login-item.js';
import type { ShellPort } from './ports.js';
import type { SecretStore } from './secret-store.js';
import { isProgram } from './open-policy.js';
import { newFolderId, withoutKey, type SettingsStore, type StoredFolder } from './settings-store.js';

export interface AppServiceDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  host: FolderEngine;
  loginItem: LoginItem;
  shell: ShellPort;
  platform: NodeJS.Platform;
  /** The update feed changed in the preferences. */
  onUpdateFeed?: (feedUrl: string | undefined) => void;
  pickFolder: () => Promise<string | null>;
  /** About: the app's version and platform. */
  about: { version: string; platform: string };
}

export class UserInputError extends Error {
  readonly kind = 'invalid-input';
}

/** The absolute path of `path` (relative, '/'-separated) inside `dir`; refuses anything outside it. */
export function resolveInside(dir: string, path: string): string {
  const absolute = resolve(dir, ...path.split('/'));
  const rel = relative(dir, absolute);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new UserInputError(`${path} is not inside the sync folder`);
  }
  return absolute;
}

const overlaps = (a: string, b: string): boolean => a === b || a.startsWith(`${b}${sep}`) || b.startsWith(`${a}${sep}`);

/** The core commands; the desktop experience's (issue 18) are in experience-handlers.ts. */
export type CoreHandlers = Omit<IpcHandlers, ExperienceCommand>;

export interface AppService {
  handlers: CoreHandlers;
  publicSettings(): Promise<PublicSettings>;
  /** Starts a saved folder again, with its saved key (after it moved). */
  restartFolder(id: string): Promise<void>;
  /** A folder wsync itself offered (onboarding's default) may be added like a picked one. */
  allowFolder(dir: string): void;
  /** Starts every saved folder pair. */
  startAll(): Promise<void>;
  pauseAll(): Promise<void>;
  resumeAll(): Promise<void>;
  syncNowAll(): Promise<void>;
  /** Resumed from sleep, network back, window shown: each running folder decides what that means. */
  wakeAll(reason: WakeReason): Promise<void>;
  folder(id: string): StoredFolder;
  /** Keeps an enabled login item pointing at the program as it runs now. */
  refreshLoginItem(): Promise<void>;
}

export function createAppService(deps: AppServiceDeps): AppService {
  const { settings, secrets, host } = deps;

  function folder(id: string): StoredFolder {
    const found = settings.get().folders.find((f) => f.id === id);
    if (!found) throw Object.assign(new Error(`No folder pair with id ${id}`), { kind: 'not-found' });
    return found;
  }

  /**
   * A pair saved before the server rule held (server-url.ts) is not started: shown with its error,
   * its key never decrypted nor sent. The app has no way to allow plain HTTP, so the way out is
   * adding the folder again with its https:// address.
   */
  function refusedServer(stored: StoredFolder): string | null {
    const checked = checkServerUrl(stored.server);
    if (checked.ok) return null;
    if (checked.problem === 'insecure-http') {
      return `This folder's server uses plain http://, which the app refuses: ${checked.message}. Remove the folder and add it again with its https:// address.`;
    }
    return `This folder's saved server address cannot be used: ${checked.message}. Remove the folder and add it again.`;
  }

  async function startFolder(stored: StoredFolder): Promise<void> {
    const refused = refusedServer(stored);
    if (refused !== null) {
      host.showUnavailable(stored, 'error', refused);
      return;
    }
    let apiKey: string;
    try {
      const decrypted = await secrets.decrypt(stored.apiKeyEncrypted);
      apiKey = decrypted.apiKey;
      if (decrypted.reEncrypt) {
        const apiKeyEncrypted = await secrets.encrypt(apiKey);
        await settings.update((s) => ({ ...s, folders: s.folders.map((f) => (f.id === stored.id ? { ...f, apiKeyEncrypted } : f)) }));
      }
    } catch {
      host.showUnavailable(stored, 'signed-out', 'The saved API key could not be read on this computer: enter it again.');
      return;
    }
    await host.start({ ...withoutKey(stored), apiKey, bandwidth: settings.get().bandwidth });
  }

  /** Folders the user chose in the folder dialog: the only ones a new pair may sync (see addFolder). */
  const picked = new Set<string>();

  async function publicSettings(): Promise<PublicSettings> {
    const current = settings.get();
    const warning = settings.warning;
    return {
      folders: current.folders.map(({ id, server, workspace, dir, prefix }) => ({ id, server, workspace, dir, prefix })),
      bandwidth: current.bandwidth,
      // What the OS will do, which the user may have changed outside wsync.
      startAtLogin: await deps.loginItem.isEnabled().catch(() => current.startAtLogin),
      ...(current.updateFeedUrl ? { updateFeedUrl: current.updateFeedUrl } : {}),
      keyStorage: await secrets.describe(),
      ...(warning ? { settingsWarning: warning } : {}),
      notifications: current.notifications,
      trashRetentionDays: current.trashRetentionDays,
      proxy: current.proxy,
      pausedUntil: current.pausedUntil,
      about: deps.about,
    };
  }

  async function checkLocalFolder(dir: string): Promise<string> {
    if (!isAbsolute(dir)) throw new UserInputError('Choose a local folder by its full path');
    const normalised = resolve(dir);
    const clash = settings.get().folders.find((f) => overlaps(resolve(f.dir), normalised));
    if (clash) throw new UserInputError(`${normalised} overlaps the folder already synced with ${clash.workspace}`);
    await mkdir(normalised, { recursive: true });
    if (!(await stat(normalised)).isDirectory()) throw new UserInputError(`${normalised} is not a folder`);
    return normalised;
  }

  async function openPath(path: string): Promise<void> {
    const failure = await deps.shell.openPath(path);
    if (failure) throw new Error(failure);
  }

  async function eachRunning(command: (controller: ControllerApi) => Promise<void>): Promise<void> {
    await Promise.all(host.running().map(command));
  }

  const handlers: CoreHandlers = {
    getStatus: async () => host.statuses(),
    getSettings: publicSettings,
    async addFolder(input) {
      // A page that was tampered with (or DevTools) must not pair an arbitrary folder with a server.
      if (!isAbsolute(input.dir) || !picked.has(resolve(input.dir))) {
        throw new UserInputError('Choose the local folder with “Choose…”: wsync syncs only a folder picked in the folder dialog');
      }
      const dir = await checkLocalFolder(input.dir);
      const stored: StoredFolder = {
        id: newFolderId(),
        server: input.server.replace(/\/+$/, ''),
        workspace: input.workspace,
        dir,
        prefix: input.prefix,
        apiKeyEncrypted: await secrets.encrypt(input.apiKey),
      };
      await settings.update((s) => ({ ...s, folders: [...s.folders, stored] }));
      picked.delete(dir);
      await host.start({ ...withoutKey(stored), apiKey: input.apiKey, bandwidth: settings.get().bandwidth });
      return withoutKey(stored);
    },
    async removeFolder({ folderId }) {
      folder(folderId);
      await host.stop(folderId);
      await settings.update((s) => ({ ...s, folders: s.folders.filter((f) => f.id !== folderId) }));
    },
    async replaceApiKey({ folderId, apiKey }) {
      folder(folderId);
      const apiKeyEncrypted = await secrets.encrypt(apiKey);
      await settings.update((s) => ({ ...s, folders: s.folders.map((f) => (f.id === folderId ? { ...f, apiKeyEncrypted } : f)) }));
      await host.start({ ...withoutKey(folder(folderId)), apiKey, bandwidth: settings.get().bandwidth });
    },
    async updatePreferences({ bandwidth, startAtLogin, updateFeedUrl, notifications, trashRetentionDays, proxy }) {
      if (startAtLogin !== undefined) await deps.loginItem.setEnabled(startAtLogin);
      await settings.update((s) => {
        const next = {
          ...s,
          bandwidth: bandwidth ?? s.bandwidth,
          startAtLogin: startAtLogin ?? s.startAtLogin,
          notifications: notifications ? { ...s.notifications, ...notifications } : s.notifications,
          trashRetentionDays: trashRetentionDays ?? s.trashRetentionDays,
          proxy: proxy ?? s.proxy,
        };
        if (updateFeedUrl === null) delete next.updateFeedUrl;
        else if (updateFeedUrl !== undefined) next.updateFeedUrl = updateFeedUrl;
        return next;
      });
      if (bandwidth) await host.setBandwidth(bandwidth);
      if (updateFeedUrl !== undefined) deps.onUpdateFeed?.(updateFeedUrl ?? undefined);
      return publicSettings();
    },
    testConnection: (input) => host.testConnection(input),
    async pickFolder() {
      const dir = await deps.pickFolder();
      if (dir !== null) picked.add(resolve(dir));
      return dir;
    },
    pause: ({ folderId }) => host.controller(folderId).pause(),
    resume: ({ folderId }) => host.controller(folderId).resume(),
    syncNow: ({ folderId }) => host.controller(folderId).syncNow(),
    confirmDeletions: ({ folderId }) => host.controller(folderId).confirmDeletions(),
    restoreDeletions: ({ folderId }) => host.controller(folderId).restoreDeletions(),
    retry: ({ folderId, path }) => host.controller(folderId).retry(path),
    resolveConflict: ({ folderId, path, keep }) => {
      resolveInside(folder(folderId).dir, path);
      return host.controller(folderId).resolveConflict(path, keep);
    },
    async openFile({ folderId, path }) {
      const absolute = resolveInside(folder(folderId).dir, path);
      // A program from the workspace is never started by a click in wsync: it is shown in its folder.
      if (await isProgram(absolute, deps.platform)) deps.shell.showItemInFolder(absolute);
      else await openPath(absolute);
    },
    showInFolder: async ({ folderId, path }) => deps.shell.showItemInFolder(resolveInside(folder(folderId).dir, path)),
    openFolder: ({ folderId }) => openPath(folder(folderId).dir),
  };

  return {
    handlers,
    folder,
    publicSettings,
    restartFolder: (id) => startFolder(folder(id)),
    allowFolder: (dir) => void picked.add(resolve(dir)),
    async startAll() {
      // One folder that cannot start (its engine call failed) does not keep the others from starting.
      const folders = settings.get().folders;
      const started = await Promise.allSettled(folders.map(startFolder));
      started.forEach((outcome, i) => {
        const stored = folders[i];
        if (outcome.status === 'rejected' && stored) {
          host.showUnavailable(
            stored,
            'error',
            `Could not start syncing: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`,
          );
        }
      });
    },
    refreshLoginItem: () => deps.loginItem.refresh(),
    pauseAll: () => eachRunning((c) => c.pause()),
    resumeAll: () => eachRunning((c) => c.resume()),
    syncNowAll: () => eachRunning((c) => c.syncNow()),
    wakeAll: (reason) => eachRunning((c) => c.wake(reason)),
  };
}
