/**
 * The temporary file a download lands in: named so the scanner ignores it (`*.wsync-tmp`),
 * appended to in order, then fsynced and renamed over the destination in one step. Whatever goes
 * wrong, it is removed: nothing partial is ever left at the destination or beside it.
 *
 * Appends are gathered into large writes, one in flight while the next gathers, so the network
 * never waits on the disk for each socket-sized chunk. A large file is also flushed to disk every
 * few dozen MB while it downloads, so the fsync before the rename finds little left to write.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { moveIfUnchanged, placeWithoutReplacing, type FileIdentity } from '../local/checked-move.js';
import { TEMP_SUFFIX } from '../local/ignore.js';

/** Room left for the random part and suffix within a 255-byte file name. */
const MAX_BASE_CHARS = 100;

/** Bytes gathered before a write goes out: at most twice this is held per download. */
export const WRITE_BATCH_BYTES = 1024 * 1024;
/** Written bytes not yet flushed to disk before a background flush starts. */
const BACKGROUND_SYNC_BYTES = 64 * 1024 * 1024;

/** Random per process, then counted: unique names without a call for random bytes per file. */
const NAME_PREFIX = randomBytes(4).toString('hex');
let nameCounter = 0;

export function tempPathFor(destination: string, tempDir?: string): string {
  const base = basename(destination).slice(0, MAX_BASE_CHARS);
  nameCounter += 1;
  return join(tempDir ?? dirname(destination), `.${base}.${NAME_PREFIX}${nameCounter.toString(36)}${TEMP_SUFFIX}`);
}

export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The parents of the folders `mkdir -p dir` made, `first` being the topmost it made (what mkdir returns). */
function foldersMade(dir: string, first: string | undefined): string[] {
  const parents: string[] = [];
  for (let made = dir; first !== undefined; made = dirname(made)) {
    parents.push(dirname(made));
    if (made === first || dirname(made) === made) break;
  }
  return parents;
}

function isNoEntry(err: unknown): boolean {
  return (err as { code?: unknown }).code === 'ENOENT';
}

/** `buffers` written at `position`, however many calls the kernel takes to accept them. */
async function writeAll(handle: FileHandle, buffers: Buffer[], position: number): Promise<void> {
  let rest = buffers;
  let at = position;
  while (rest.length > 0) {
    let { bytesWritten } = await handle.writev(rest, at);
    at += bytesWritten;
    const left: Buffer[] = [];
    for (const buffer of rest) {
      if (bytesWritten >= buffer.length) bytesWritten -= buffer.length;
      else {
        left.push(bytesWritten === 0 ? buffer : buffer.subarray(bytesWritten));
        bytesWritten = 0;
      }
    }
    rest = left;
  }
}

export interface CommitOptions {
  /**
   * fsync the folders whose entries the rename changed (default true). A caller that syncs each
   * folder once for many files turns it off and owns that step (Committed.folders).
   */
  syncDirectory?: boolean;
  /** Asked once the bytes are durable, right before the rename: false leaves the destination alone. */
  beforePlacing?: () => boolean | Promise<boolean>;
  /**
   * What the caller last saw at the destination (null: nothing). Given, the placement never
   * replaces anything else, even what a user saves there between that look and the rename: the
   * file seen is moved aside only if it is still that file, and the new one goes in only where
   * nothing is (a hard link cannot replace). Not given: whatever is there is replaced.
   */
  replacing?: FileIdentity | null;
}

export interface Committed {
  placed: boolean;
  /** The file's size, mtime and inode as it was renamed into place (renames keep them). */
  local: { size: number; mtimeMs: number; ino: number };
  /** The destination's folder, and the parent of each folder created for it: to fsync before anything relies on the file. */
  folders: string[];
}

export class TempFile {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes handed to the kernel or on their way there. */
  private flushedTo = 0;
  private writing: Promise<void> | null = null;
  private syncing: Promise<void> | null = null;
  private syncedTo = 0;
  /** A background flush's failure, kept for commit: a later fsync may not report it again. */
  private syncError: unknown = null;

  private constructor(
    readonly path: string,
    private handle: FileHandle | null,
  ) {}

  /** Bytes accepted so far, in order from the start (on disk once `flush` resolves). */
  position = 0;

  /** Parents of the folders made for this file (beside its destination when no tempDir was given): their entries changed. */
  private madeFolders: string[] = [];

  /** Told each time a prefix of the file is durable (fsynced): a resumable download records it. Must not throw. */
  onDurable: ((bytes: number) => Promise<void> | void) | null = null;

  /**
   * The file at `path` kept from an earlier run, its first `resumeFrom` bytes trusted (anything
   * after them is cut off), or a new one when there is none.
   */
  static async resume(path: string, resumeFrom: number): Promise<TempFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r+');
    } catch (err) {
      if (!isNoEntry(err)) throw err;
      await mkdir(dirname(path), { recursive: true });
      handle = await open(path, 'wx');
    }
    const temp = new TempFile(path, handle);
    const size = (await handle.stat()).size;
    const keep = Math.min(size, Math.max(0, resumeFrom));
    if (size !== keep) await handle.truncate(keep);
    temp.position = keep;
    temp.flushedTo = keep;
    temp.syncedTo = keep;
    return temp;
  }

  static async create(destination: string, tempDir?: string): Promise<TempFile> {
    const path = tempPathFor(destination, tempDir);
    try {
      return new TempFile(path, await open(path, 'wx'));
    } catch (err) {
      if (!isNoEntry(err)) throw err;
      const first = await mkdir(dirname(path), { recursive: true });
      const temp = new TempFile(path, await open(path, 'wx'));
      temp.madeFolders = foldersMade(dirname(path), first);
      return temp;
    }
  }

  async append(chunk: Buffer): Promise<void> {
    this.openHandle();
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.position += chunk.length;
    if (this.pendingBytes >= WRITE_BATCH_BYTES) await this.writeOut();
  }

  /** Every accepted byte written; rethrows a failed background write. */
  async flush(): Promise<void> {
    if (this.pendingBytes > 0) await this.writeOut();
    await this.settle();
  }

  async truncate(): Promise<void> {
    await this.settle();
    await this.syncing;
    // Nothing is trusted any more, before anything is cut.
    await this.onDurable?.(0);
    this.pending = [];
    this.pendingBytes = 0;
    await this.openHandle().truncate(0);
    this.flushedTo = 0;
    this.syncedTo = 0;
    this.position = 0;
  }

  /**
   * fsync, stat, close, then (unless `beforePlacing` says no) rename over `destination` (or, given
   * `replacing`, place it without replacing anything but that), creating its folder if needed, and
   * fsync the folders whose entries changed (unless told not to).
   */
  async commit(destination: string, options: CommitOptions = {}): Promise<Committed> {
    // Read before the rename: what lands at the destination, and nothing a user writes there after.
    const { size, mtimeMs, ino } = await this.closeDurably(async (handle) => {
      await handle.sync();
      return handle.stat();
    });
    if (options.beforePlacing !== undefined && !(await options.beforePlacing())) {
      await unlink(this.path).catch(() => undefined);
      return { placed: false, local: { size, mtimeMs, ino }, folders: [] };
    }
    // Each folder made for the file is an entry in its parent, which must be durable too.
    const folders = [dirname(destination), ...this.madeFolders.filter((dir) => dir !== dirname(destination))];
    const { replacing } = options;
    let placed = false;
    let aside: string | null = null;
    try {
      if (replacing === undefined) placed = await this.placing(() => this.renameTo(destination).then(() => true), destination, folders);
      else {
        if (replacing !== null)
          aside = (await moveIfUnchanged(destination, `${this.path}.replaced`, replacing)) === null ? null : `${this.path}.replaced`;
        if (replacing === null || aside !== null) placed = await this.placing(() => this.placeAlone(destination), destination, folders);
      }
    } finally {
      // The version the new bytes replace (the one the caller saw, checked): gone, as a rename would leave it.
      if (aside !== null) await unlink(aside).catch(() => undefined);
    }
    if (!placed) {
      await unlink(this.path).catch(() => undefined);
      return { placed: false, local: { size, mtimeMs, ino }, folders: [] };
    }
    if (options.syncDirectory !== false) await Promise.all(folders.map((dir) => fsyncDirectory(dir).catch(() => undefined)));
    return { placed: true, local: { size, mtimeMs, ino }, folders };
  }

  /** Flushes, fsyncs and closes the file, leaving it in place; the bytes that are durable. */
  async keep(): Promise<number> {
    await this.closeDurably((handle) => handle.datasync());
    this.syncedTo = this.position;
    await this.onDurable?.(this.position);
    return this.position;
  }

  /** Every accepted byte written and synced (by `sync`), then the file closed; a background flush's failure is thrown. */
  private async closeDurably<T>(sync: (handle: FileHandle) => Promise<T>): Promise<T> {
    await this.flush();
    await this.syncing;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the fsync's own failure as it was caught
    if (this.syncError !== null) throw this.syncError;
    const handle = this.openHandle();
    const synced = await sync(handle);
    await handle.close();
    this.handle = null;
    return synced;
  }

  /** Closes and removes the file; never throws (it runs on the way out of a failure). */
  async discard(): Promise<void> {
    await this.settle().catch(() => undefined);
    await this.syncing;
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
    await unlink(this.path).catch(() => undefined);
  }

  /** Runs `place`, creating the destination's folder (and noting the folders made) if it is missing. */
  private async placing(place: () => Promise<boolean>, destination: string, folders: string[]): Promise<boolean> {
    try {
      return await place();
    } catch (err) {
      if (!isNoEntry(err)) throw err;
      folders.push(...foldersMade(dirname(destination), await mkdir(dirname(destination), { recursive: true })));
      return place();
    }
  }

  /** Moves the file to `destination` unless something is there; false leaves both alone. */
  private async placeAlone(destination: string): Promise<boolean> {
    try {
      return await placeWithoutReplacing(this.path, destination);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EXDEV') throw err;
      // tempDir on another volume: copy beside the destination first, so the last step stays on one volume.
      const beside = tempPathFor(destination);
      await copyFile(this.path, beside);
      const copy = await open(beside, 'r+');
      await copy.sync();
      await copy.close();
      const placed = await placeWithoutReplacing(beside, destination).catch(async (e: unknown) => {
        await unlink(beside).catch(() => undefined);
        throw e;
      });
      await unlink(placed ? this.path : beside).catch(() => undefined);
      return placed;
    }
  }

  private async renameTo(destination: string): Promise<void> {
    try {
      await rename(this.path, destination);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EXDEV') throw err;
      // tempDir on another volume: copy beside the destination first, so the last step is a rename.
      const beside = tempPathFor(destination);
      try {
        await copyFile(this.path, beside);
        const copy = await open(beside, 'r+');
        await copy.sync();
        await copy.close();
        await rename(beside, destination);
      } catch (copyErr) {
        await unlink(beside).catch(() => undefined);
        throw copyErr;
      }
      await unlink(this.path).catch(() => undefined);
    }
  }

  /** Sends what is gathered; waits first for the write before it, so at most one is in flight. */
  private async writeOut(): Promise<void> {
    await this.settle();
    const buffers = this.pending;
    const at = this.flushedTo;
    this.pending = [];
    this.flushedTo += this.pendingBytes;
    this.pendingBytes = 0;
    const handle = this.openHandle();
    const write = writeAll(handle, buffers, at);
    // Observed at the next settle(); until then a failure must not count as unhandled.
    write.catch(() => undefined);
    this.writing = write;
    if (this.syncing === null && this.flushedTo - this.syncedTo >= BACKGROUND_SYNC_BYTES) this.syncInBackground(handle, write);
  }

  private syncInBackground(handle: FileHandle, after: Promise<void>): void {
    const upTo = this.flushedTo;
    this.syncing = after
      .then(() => handle.datasync())
      .then(
        async () => {
          this.syncedTo = Math.max(this.syncedTo, upTo);
          await this.onDurable?.(upTo);
        },
        (err: unknown) => {
          this.syncError ??= err;
        },
      )
      .finally(() => {
        this.syncing = null;
      });
  }

  private async settle(): Promise<void> {
    const write = this.writing;
    if (write === null) return;
    try {
      await write;
    } finally {
      if (this.writing === write) this.writing = null;
    }
  }

  private openHandle(): FileHandle {
    if (this.handle === null) throw new Error('temporary file already closed');
    return this.handle;
  }
}
