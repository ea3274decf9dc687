/**
 * Help when something is wrong: copy an error's details, open a folder's log, create a debug
 * archive, check for updates; and the folder settings kept in the folder (`.wsyncignore`) or
 * changing where it is (move). The file work is the engine's (its `toolCalls`).
 */
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { FolderEngine } from '../shared/engine-protocol.js';
import type { UpdateCheck } from '../shared/ipc.js';
import { UserInputError } from './app-service.js';
import type { IpcHandlers } from './ipc-dispatch.js';
import type { ClipboardPort, DialogPort, SaveDialogPort, ShellPort } from './ports.js';
import { withoutKey, type SettingsStore, type StoredFolder } from './settings-store.js';

export type SupportCommand = 'copyText' | 'openLog' | 'createDebugArchive' | 'checkForUpdates' | 'getIgnoreRules' | 'setIgnoreRules' | 'moveFolder';

export interface SupportDeps {
  settings: SettingsStore;
  host: FolderEngine;
  folder: (id: string) => StoredFolder;
  /** Starts a folder again (after its place changed). */
  restartFolder: (id: string) => Promise<void>;
  publicSettings: () => Promise<unknown>;
  shell: ShellPort;
  clipboard: ClipboardPort;
  dialog: DialogPort & SaveDialogPort;
  about: { version: string; platform: string };
  /** electron-updater's check, where the build has a feed. */
  checkForUpdates?: () => Promise<UpdateCheck>;
  homeDir?: string;
  now?: () => Date;
}

const overlaps = (a: string, b: string): boolean => a === b || a.startsWith(`${b}${sep}`) || b.startsWith(`${a}${sep}`);

export function createSupportHandlers(deps: SupportDeps): Pick<IpcHandlers, SupportCommand> {
  const now = deps.now ?? (() => new Date());
  const { host } = deps;
  return {
    async copyText({ text }) {
      deps.clipboard.writeText(text);
    },
    async openLog({ folderId }) {
      const files = await host.tools().folderFiles(deps.folder(folderId).dir);
      // The log file, or its folder when it is not there yet (a folder that never ran).
      if ((await deps.shell.openPath(files.log)) === '') return;
      const failure = await deps.shell.openPath(files.logs);
      if (failure) throw new Error(`The log could not be opened: ${failure}`);
    },
    async createDebugArchive() {
      const day = now().toISOString().slice(0, 10);
      const choice = await deps.dialog.showSaveDialog({
        title: 'Save the debug archive',
        defaultPath: join(deps.homeDir ?? homedir(), `wsync-debug-${day}.tar.gz`),
        filters: [{ name: 'Archive', extensions: ['gz'] }],
      });
      if (choice.canceled || !choice.filePath) return null;
      return host.tools().createDebugArchive({
        destination: choice.filePath,
        about: { ...deps.about, createdAt: now().toISOString() },
        settings: await deps.publicSettings(),
        folders: deps.settings.get().folders.map((f) => ({ id: f.id, dir: f.dir })),
      });
    },
    async checkForUpdates() {
      if (!deps.checkForUpdates) {
        return { state: 'not-configured', message: 'This build has no update feed: updates come with your package manager or a new download.' };
      }
      try {
        return await deps.checkForUpdates();
      } catch (err) {
        return { state: 'failed', message: err instanceof Error ? err.message : String(err) };
      }
    },
    getIgnoreRules: async ({ folderId }) => ({ text: await host.tools().readIgnoreRules(deps.folder(folderId).dir) }),
    async setIgnoreRules({ folderId, text }) {
      await host.tools().writeIgnoreRules(deps.folder(folderId).dir, text);
      // Each cycle reads the rules afresh: the next one keeps to them. A folder not running
      // (signed out) keeps to them when it starts.
      try {
        await host.controller(folderId).syncNow();
      } catch {
        // Not running: nothing to tell.
      }
    },
    async moveFolder({ folderId }) {
      const stored = deps.folder(folderId);
      const picked = await deps.dialog.showOpenDialog({
        title: `Move “${basename(stored.dir)}” into…`,
        properties: ['openDirectory', 'createDirectory'],
        defaultPath: dirname(stored.dir),
      });
      const parent = picked.canceled ? undefined : picked.filePaths[0];
      if (!parent) return null;
      const target = join(resolve(parent), basename(stored.dir));
      if (resolve(target) === resolve(stored.dir)) return null;
      const clash = deps.settings.get().folders.find((f) => f.id !== folderId && overlaps(resolve(f.dir), resolve(target)));
      if (clash) throw new UserInputError(`${target} overlaps the folder already synced with ${clash.workspace}`);
      await host.stop(folderId);
      try {
        await mkdir(dirname(target), { recursive: true });
        await host.tools().relocateFolder(stored.dir, target);
      } catch (err) {
        await deps.restartFolder(folderId);
        throw err;
      }
      await deps.settings.update((s) => ({ ...s, folders: s.folders.map((f) => (f.id === folderId ? { ...f, dir: target } : f)) }));
      await deps.restartFolder(folderId);
      return withoutKey(deps.folder(folderId));
    },
  };
}
