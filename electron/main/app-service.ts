/**
 * What the window's commands do, behind the IPC validation: folder pairs and their keys, the
 * running controllers, preferences, and the few OS actions (open, reveal, pick a folder).
 */
import { mkdir, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { PublicSettings } from '../shared/ipc.js';
import type { ConnectionTester } from './connection-test.js';
import type { EngineHost } from './engine-host.js';
import type { IpcHandlers } from './ipc-dispatch.js';
import type { LoginItem } from './login-item.js';
import type { ShellPort } from './ports.js';
import type { SecretStore } from './secret-store.js';
import { newFolderId, type SettingsStore, type StoredFolder } from './settings-store.js';

export interface AppServiceDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  host: EngineHost;
  loginItem: LoginItem;
  shell: ShellPort;
  pickFolder: () => Promise<string | null>;
  testConnection: ConnectionTester;
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

export interface AppService {
  handlers: IpcHandlers;
  /** Starts every saved folder pair. */
  startAll(): Promise<void>;
  pauseAll(): Promise<void>;
  resumeAll(): void;
  syncNowAll(): void;
  folder(id: string): StoredFolder;
}

export function createAppService(deps: AppServiceDeps): AppService {
  const { settings, secrets, host } = deps;

  function folder(id: string): StoredFolder {
    const found = settings.get().folders.find((f) => f.id === id);
    if (!found) throw Object.assign(new Error(`No folder pair with id ${id}`), { kind: 'not-found' });
    return found;
  }

  async function startFolder(stored: StoredFolder): Promise<void> {
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
    await host.start({ ...stored, apiKey, bandwidth: settings.get().bandwidth });
  }

  async function publicSettings(): Promise<PublicSettings> {
    const current = settings.get();
    const warning = settings.warning;
    return {
      folders: current.folders.map(({ id, server, workspace, dir, prefix }) => ({ id, server, workspace, dir, prefix })),
      bandwidth: current.bandwidth,
      startAtLogin: current.startAtLogin,
      keyStorage: await secrets.describe(),
      ...(warning ? { settingsWarning: warning } : {}),
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

  const handlers: IpcHandlers = {
    getStatus: async () => host.statuses(),
    getSettings: publicSettings,
    async addFolder(input) {
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
      await host.start({ ...stored, apiKey: input.apiKey, bandwidth: settings.get().bandwidth });
      const { apiKeyEncrypted: _secret, ...shown } = stored;
      return shown;
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
      await host.start({ ...folder(folderId), apiKey, bandwidth: settings.get().bandwidth });
    },
    async updatePreferences({ bandwidth, startAtLogin }) {
      if (startAtLogin !== undefined) await deps.loginItem.setEnabled(startAtLogin);
      await settings.update((s) => ({ ...s, bandwidth: bandwidth ?? s.bandwidth, startAtLogin: startAtLogin ?? s.startAtLogin }));
      if (bandwidth) host.setBandwidth(bandwidth);
      return publicSettings();
    },
    testConnection: (input) => deps.testConnection(input),
    pickFolder: () => deps.pickFolder(),
    pause: async ({ folderId }) => host.controller(folderId).pause(),
    resume: async ({ folderId }) => host.controller(folderId).resume(),
    syncNow: async ({ folderId }) => host.controller(folderId).syncNow(),
    confirmDeletions: ({ folderId }) => host.controller(folderId).confirmDeletions(),
    restoreDeletions: ({ folderId }) => host.controller(folderId).restoreDeletions(),
    retry: async ({ folderId, path }) => host.controller(folderId).retry(path),
    resolveConflict: ({ folderId, path, keep }) => {
      resolveInside(folder(folderId).dir, path);
      return host.controller(folderId).resolveConflict(path, keep);
    },
    openFile: ({ folderId, path }) => openPath(resolveInside(folder(folderId).dir, path)),
    showInFolder: async ({ folderId, path }) => deps.shell.showItemInFolder(resolveInside(folder(folderId).dir, path)),
    openFolder: ({ folderId }) => openPath(folder(folderId).dir),
  };

  return {
    handlers,
    folder,
    async startAll() {
      await Promise.all(settings.get().folders.map(startFolder));
    },
    async pauseAll() {
      await Promise.all(host.running().map((c) => c.pause()));
    },
    resumeAll() {
      for (const controller of host.running()) controller.resume();
    },
    syncNowAll() {
      for (const controller of host.running()) controller.syncNow();
    },
  };
}
