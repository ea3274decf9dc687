/**
 * One OS watch per folder of a sync folder's tree (fs.watch on the folder: inotify on Linux, a
 * directory handle on Windows, FSEvents on macOS), opened before the folder is read, so what is
 * written in it is either in that read or raises an event.
 *
 * Hand-written instead of chokidar, which opens the same watches: chokidar's crawl lstats every
 * entry it reads (its readdirp always asks for stats), and for 100,000 files those requests left
 * the watching engine's main heap at 75 MB, where a read of file types alone leaves 9 MB (the
 * bench's scenario 5, README). Nothing here stats a file.
 */
import type { Dirent } from 'node:fs';
import { watch } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** An open watch on one folder. */
export interface FolderWatch {
  close(): void;
}

/**
 * Opens a watch on `folder`: `onChange` gets the name of the entry in it that changed (null when
 * the OS does not say), `onError` what goes wrong after it opened. Throws when it cannot open.
 */
export type OpenFolderWatch = (folder: string, onChange: (name: string | null) => void, onError: (err: unknown) => void) => FolderWatch;

export const openFsWatch: OpenFolderWatch = (folder, onChange, onError) => {
  const handle = watch(folder, { persistent: true }, (_event, name) => onChange(name));
  handle.on('error', onError);
  return handle;
};

export interface FolderWatchesOptions {
  /** Whether to leave this folder (and what is under it) unwatched. */
  ignored: (abs: string) => boolean;
  /** An entry of a watched folder changed: its absolute path (the folder's own when unnamed). */
  onChange: (abs: string) => void;
  /** A watch could not be opened or failed: the caller decides whether live watching goes on. */
  onError: (err: unknown, folder: string) => void;
  open?: OpenFolderWatch;
}

export interface FolderWatches {
  /**
   * Watches `folder` and every folder under it not watched yet, each before it is read. Resolves
   * with the absolute paths of what is under `folder` (files and folders) when `list` is set.
   * A watch follows its folder's inode, not its path: a folder made again at a path (`rm -r x;
   * mkdir x`) needs unwatchTree() first, or it keeps the old folder's silent watch.
   */
  watchTree(folder: string, list: boolean): Promise<string[]>;
  /** Closes the watches of `folder` and of every folder under it. */
  unwatchTree(folder: string): void;
  closeAll(): void;
  readonly size: number;
}

export function createFolderWatches(options: FolderWatchesOptions): FolderWatches {
  const open = options.open ?? openFsWatch;
  const watches = new Map<string, FolderWatch>();
  let closed = false;

  /** Opens the folder's watch unless it has one; false when it could not be opened. */
  function ensureWatched(folder: string): boolean {
    if (watches.has(folder)) return true;
    try {
      const handle = open(
        folder,
        (name) => options.onChange(name === null ? folder : join(folder, name)),
        (err) => options.onError(err, folder),
      );
      watches.set(folder, handle);
      return true;
    } catch (err) {
      options.onError(err, folder);
      return false;
    }
  }

  function unwatch(top: string): void {
    // A folder is watched only after its parent is: nothing under an unwatched folder is.
    if (!watches.has(top)) return;
    const under = top + sep;
    for (const [folder, handle] of watches) {
      if (folder !== top && !folder.startsWith(under)) continue;
      handle.close();
      watches.delete(folder);
    }
  }

  return {
    async watchTree(top, list) {
      const found: string[] = [];
      const folders = [top];
      for (let folder = folders.pop(); folder !== undefined && !closed; folder = folders.pop()) {
        if (!ensureWatched(folder)) continue;
        let entries: Dirent[];
        try {
          entries = await readdir(folder, { withFileTypes: true });
        } catch {
          continue; // gone or unreadable since: its parent's watch names it when that changes
        }
        for (const entry of entries) {
          const abs = join(folder, entry.name);
          if (options.ignored(abs)) continue;
          if (list) found.push(abs);
          // A symbolic link is not followed: isDirectory() is false for it.
          if (entry.isDirectory()) folders.push(abs);
        }
      }
      return found;
    },
    unwatchTree: unwatch,
    closeAll() {
      closed = true;
      for (const handle of watches.values()) handle.close();
      watches.clear();
    },
    get size() {
      return watches.size;
    },
  };
}
