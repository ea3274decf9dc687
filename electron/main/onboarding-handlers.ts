/**
 * Onboarding's steps after "connect": the workspace's folders to choose from, the local folder
 * offered by default, and the preview of what the first sync will do.
 */
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { FolderEngine } from '../shared/engine-protocol.js';
import type { IpcHandlers } from './ipc-dispatch.js';
import { UserInputError } from './app-service.js';

export type OnboardingCommand = 'browseRemote' | 'previewSync' | 'suggestLocalFolder';

export interface OnboardingDeps {
  host: FolderEngine;
  homeDir: string;
  /** Local folders already synced: a suggestion never reuses one. */
  syncedDirs: () => string[];
  /** A folder wsync itself suggested may be added like one the folder dialog returned. */
  allowFolder: (dir: string) => void;
}

async function isFreeName(path: string, taken: readonly string[]): Promise<boolean> {
  if (taken.some((dir) => resolve(dir) === resolve(path))) return false;
  try {
    return (await readdir(path)).length === 0;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** A name for the local folder: the workspace folder's own name, else the workspace's. */
function localName(workspace: string, prefix: string): string {
  const segments = prefix.split('/').filter((s) => s !== '');
  const name = segments[segments.length - 1] ?? workspace;
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return name.replace(/[<>:"\\|?*\u0000-\u001f]/g, '_');
}

export function createOnboardingHandlers(deps: OnboardingDeps): Pick<IpcHandlers, OnboardingCommand> {
  return {
    browseRemote: (connection) => deps.host.browseRemote(connection),
    async previewSync({ dir, ...connection }) {
      if (!isAbsolute(dir)) throw new UserInputError('Choose a local folder by its full path');
      return deps.host.previewSync({ ...connection, dir: resolve(dir) });
    },
    async suggestLocalFolder({ workspace, prefix }) {
      const base = join(deps.homeDir, 'wsync', localName(workspace, prefix));
      const taken = deps.syncedDirs();
      for (let n = 1; n < 100; n++) {
        const candidate = n === 1 ? base : `${base} ${n}`;
        if (await isFreeName(candidate, taken)) {
          deps.allowFolder(candidate);
          return candidate;
        }
      }
      deps.allowFolder(base);
      return base;
    },
  };
}
