/**
 * What every job shares: the context it runs in (the folder, the client, the signal, the status
 * events), the effects it leaves for the state writer, and the outcome it ends with. A job never
 * writes the state database and never signals by throwing: it ends done, deferred (something
 * changed under it; the next pass decides again) or failed (with the error the user sees).
 */
import { randomUUID } from 'node:crypto';
import { lstatSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { FilesApi, TransferProgress } from '../../api/types.js';
import { sameStat } from '../../local/scan.js';
import type { BaseEntry, LocalEntry, RemoteFile } from '../../model/trees.js';
import { toLocalRemote } from '../../model/remote-paths.js';
import type { StateWrite } from '../../state/state-db.js';
import type { StatusEvent } from '../../status/events.js';

/** The counters a finished job adds one to (see ExecutionCounts). */
export type Tally = 'uploaded' | 'downloaded' | 'deletedRemote' | 'deletedLocal' | 'renamedLocal' | 'movedRemote' | 'recorded' | 'forgotten';

export type JobOutcome =
  /** `tally` null: counted elsewhere (a conflict is counted when its copy is made). */
  | { status: 'done'; tally: Tally | null; detail?: string | undefined; bytes?: number | undefined }
  | { status: 'deferred'; reason: string }
  | { status: 'failed'; error: unknown };

export const done = (tally: Tally | null, extra: { detail?: string | undefined; bytes?: number | undefined } = {}): JobOutcome => ({
  status: 'done',
  tally,
  ...extra,
});
export const deferred = (reason: string): JobOutcome => ({ status: 'deferred', reason });
export const failed = (error: unknown): JobOutcome => ({ status: 'failed', error });

/** A step of a job that moves something: the bytes it moved, or the outcome that ends the job. */
export type Step<T> = { ok: true; value: T } | { ok: false; outcome: JobOutcome };
export const ok = <T>(value: T): Step<T> => ({ ok: true, value });
export const stop = (outcome: JobOutcome): Step<never> => ({ ok: false, outcome });

/**
 * What a job leaves behind for the folder's one writer: state writes (all in one transaction,
 * with the job's journal intent finished) and the folders new files were renamed into, which are
 * fsynced before those writes land. Kept whatever the outcome: an upload that succeeded before
 * its conflict's download was deferred still records its base row.
 */
export class JobEffects {
  readonly writes: StateWrite[] = [];
  readonly dirs = new Set<string>();
  bytesUploaded = 0;
  bytesDownloaded = 0;

  putBase(entry: BaseEntry): void {
    this.writes.push({ kind: 'put-base', entry });
  }

  deleteBase(path: string): void {
    this.writes.push({ kind: 'delete-base', path });
  }

  placedIn(dir: string): void {
    this.dirs.add(dir);
  }
}

export interface JobContextOptions {
  root: string;
  /** The mirrored remote folder: '' or ending in '/'. Plan paths are relative to it. */
  prefix: string;
  api: FilesApi;
  /** Scratch on the folder's file system: staged downloads wait there for their final rename. */
  tmpDir: string;
  /** Partial downloads kept across runs, resumed when the same version is downloaded again. */
  partialDir: string;
  /** The trash batch of this run (`.wsync/trash/<batch>/`). */
  trashBatch: string;
  signal?: AbortSignal | undefined;
  now: () => Date;
  emit: (event: StatusEvent) => void;
  /** Where the fresh looks come from (shared listings where they save requests); default: one exact look each. */
  looks?: { at(path: string): Promise<RemoteFile | null> } | undefined;
}

/** The folder, the client and the events, with the few looks every job takes. */
export class JobContext {
  constructor(readonly o: JobContextOptions) {}

  get api(): FilesApi {
    return this.o.api;
  }

  abs(path: string): string {
    return join(this.o.root, path);
  }

  remotePath(path: string): string {
    return this.o.prefix + path;
  }

  signalOpt(): { signal?: AbortSignal } {
    return this.o.signal === undefined ? {} : { signal: this.o.signal };
  }

  /** The fresh look at the remote right before a job overwrites or deletes there (fresh-looks.ts). */
  async statRemote(path: string): Promise<RemoteFile | null> {
    if (this.o.looks !== undefined) return this.o.looks.at(path);
    const file = await this.o.api.stat(this.remotePath(path), this.signalOpt());
    return file === null ? null : toLocalRemote(file, this.o.prefix);
  }

  async statLocal(path: string): Promise<Stats | null> {
    return statOrNull(this.abs(path));
  }

  /** The disk still holds `expect` at `path` (null: nothing there). */
  async localMatches(path: string, expect: LocalEntry | null): Promise<boolean> {
    const st = await this.statLocal(path);
    return expect === null ? st === null : st !== null && st.isFile() && sameStat(st, expect);
  }

  /** No file is at `path` now: nothing, or a folder (a file replaced by a folder of its name). */
  async noFileAt(path: string): Promise<boolean> {
    const st = await this.statLocal(path);
    return st === null || st.isDirectory();
  }

  /** Runs a transfer between its start and end events, with progress in between. */
  async transfer<T>(
    path: string,
    direction: 'upload' | 'download',
    bytesTotal: number,
    run: (onProgress: (p: TransferProgress) => void) => Promise<T>,
  ): Promise<T> {
    const id = randomUUID();
    this.o.emit({ type: 'transfer-start', id, path, direction, bytesTotal });
    try {
      return await run((p) => this.o.emit({ type: 'transfer-progress', id, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal }));
    } finally {
      this.o.emit({ type: 'transfer-end', id });
    }
  }
}

/**
 * What is at `file` now, or null. Synchronous, like the scan's stats: one lstat takes microseconds
 * on a warm tree, and most of these find nothing (a new download), which the promise form would
 * report by building an error.
 */
export async function statOrNull(file: string): Promise<Stats | null> {
  try {
    return lstatSync(file, { throwIfNoEntry: false }) ?? null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw err;
  }
}
