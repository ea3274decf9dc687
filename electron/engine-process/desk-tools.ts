/**
 * The engine side of the desktop screens' tools (engine-protocol.ts `toolCalls`, and onboarding's
 * `browseRemote` / `previewSync`): file operations about a folder by its directory, which the main
 * process cannot do itself because it imports nothing from the engine.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilesApi } from '../engine/api/types.js';
import { IGNORE_FILE, TEMP_SUFFIX } from '../engine/local/ignore.js';
import { folderLayout } from '../engine/local/folder-layout.js';
import { relocateFolder } from '../engine/local/relocate.js';
import { folderTree, previewFirstSync } from '../engine/onboarding/first-sync-preview.js';
import { entryFile } from '../engine/recovery/trash-browser.js';
import type { Served, ToolCalls } from '../shared/engine-protocol.js';
import type { BrowseResult } from '../shared/ipc.js';
import type { SyncPreview } from '../shared/recovery.js';
import type { FolderStatus } from '../shared/status.js';
import { CONNECTION_TIMEOUT_MS, connectionFailure, type FilesApiFactory } from './connection-test.js';
import { createDebugArchive } from './debug-archive.js';

export interface DeskToolsDeps {
  statuses: () => FolderStatus[];
  /** Every API key the engine holds: none may reach the debug archive. */
  secrets: () => string[];
}

export function deskTools(deps: DeskToolsDeps): Served<ToolCalls> {
  return {
    folderFiles(dir) {
      const layout = folderLayout(dir);
      return { log: join(layout.logs, 'wsync.log'), logs: layout.logs, trash: layout.trash, ignoreRules: join(dir, IGNORE_FILE) };
    },
    trashItemFile: (dir, id) => entryFile(dir, id).file,
    async readIgnoreRules(dir) {
      try {
        return await readFile(join(dir, IGNORE_FILE), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
        throw err;
      }
    },
    async writeIgnoreRules(dir, text) {
      const file = join(dir, IGNORE_FILE);
      const body = text === '' || text.endsWith('\n') ? text : `${text}\n`;
      // Written whole and renamed: a cycle reading the rules meanwhile sees the old or the new ones.
      // The temporary name matches the built-in ignore pattern for wsync's own temporary files.
      const temp = `${file}.${process.pid}${TEMP_SUFFIX}`;
      await writeFile(temp, body);
      await rename(temp, file);
    },
    relocateFolder: (from, to) => relocateFolder(from, to),
    createDebugArchive: (request) =>
      createDebugArchive({
        destination: request.destination,
        about: request.about,
        settings: request.settings,
        statuses: deps.statuses(),
        folders: request.folders,
        secrets: deps.secrets(),
      }),
  };
}

interface Probe {
  server: string;
  workspace: string;
  apiKey: string;
}

export async function browseRemote(openApi: FilesApiFactory, connection: Probe): Promise<BrowseResult> {
  try {
    const listing = await openApi(connection).list('', { signal: AbortSignal.timeout(CONNECTION_TIMEOUT_MS) });
    return { ok: true, folders: folderTree(listing.files), complete: listing.complete };
  } catch (err) {
    return connectionFailure(err, connection);
  }
}

export async function previewSync(
  openApi: FilesApiFactory,
  { prefix, dir, ...connection }: Probe & { prefix: string; dir: string },
): Promise<SyncPreview> {
  const api: FilesApi = openApi(connection);
  const listing = await api.list(prefix, { signal: AbortSignal.timeout(CONNECTION_TIMEOUT_MS) });
  return previewFirstSync(listing, prefix, dir);
}
