/**
 * Carries out a plan: a pool of workers (p-queue), operations on one path in order, every
 * destructive step preceded by a fresh look at the side it touches, and the base written only
 * once the bytes are in place on both sides. Anything that changed since the plan was made is
 * left alone ("deferred") for the next pass to decide.
 */
import { randomUUID } from 'node:crypto';
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import PQueue from 'p-queue';
import { baseOf, UNKNOWN_LOCAL, type LocalEntry, type RemoteFile } from '../model/trees.js';
import { md5OfEtag } from '../model/etag.js';
import type { FilesApi } from '../api/types.js';
import { WsyncError, isWsyncError } from '../errors.js';
import type { ErrorKind } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import { actionPhase } from '../plan/order.js';
import type { Plan, PlannedAction } from '../plan/types.js';
import { sameStat } from '../local/scan.js';
import { folderLayout } from '../local/folder-layout.js';
import { moveToTrash, removeEmptyParents, trashBatchName } from '../local/trash.js';
import { BatchWriter } from '../state/batch-writer.js';
import type { IntentVersion, StateDb, StateWrite } from '../state/state-db.js';
import type { StatusEvent } from '../status/events.js';
import type { ActivityAction } from '../../shared/status.js';
import { toLocalRemote } from '../model/remote-paths.js';
import { etagProvesBytes, sameObject } from '../model/versions.js';
import { SyncedWrites } from './synced-writes.js';

export interface ExecutorOptions {
  root: string;
  /** The mirrored remote folder: '' or ending in '/'. Plan paths are relative to it. */
  prefix: string;
  api: FilesApi;
  db: StateDb;
  concurrency?: number;
  logger?: Logger;
  onEvent?: (event: StatusEvent) => void;
  now?: () => Date;
  /** Stops starting operations and aborts transfers in flight (they are journalled; nothing is half-done on disk). */
  signal?: AbortSignal;
}

export interface FileFailure {
  path: string;
  kind: ErrorKind;
  message: string;
  /** Attempts of the step that failed, as the API client made them (it is the only layer that retries). */
  attempts: number;
}

export interface Deferred {
  path: string;
  reason: string;
}

export interface ExecutionCounts {
  uploaded: number;
  downloaded: number;
  deletedRemote: number;
  deletedLocal: number;
  renamedLocal: number;
  movedRemote: number;
  recorded: number;
  forgotten: number;
  conflicts: number;
}

export interface ExecutionResult {
  counts: ExecutionCounts;
  conflicts: { path: string; copyPath: string }[];
  deferred: Deferred[];
  failed: FileFailure[];
  bytesUploaded: number;
  bytesDownloaded: number;
}

/** The relative paths an action may touch: its journal intent and its ordering key. */
export function pathsOf(action: PlannedAction): string[] {
  switch (action.kind) {
    case 'conflict':
      return [action.path, action.copyPath];
    case 'rename-local':
    case 'move-remote':
      return [action.from, action.to];
    default:
      return [action.path];
  }
}

/** The version a downloaded remote object brings: its MD5 is known only when the etag is one. */
function remoteVersion(remote: RemoteFile): IntentVersion {
  return {
    hash: md5OfEtag(remote.etag),
    remote: { key: remote.key, etag: remote.etag, size: remote.size },
  };
}

/** Per path, the version `action` moves there; recovery compares both sides against it after a crash. */
export function versionsOf(action: PlannedAction): Record<string, IntentVersion> {
  switch (action.kind) {
    case 'upload':
      return { [action.path]: { hash: action.local.hash } };
    case 'download':
      return { [action.path]: remoteVersion(action.remote) };
    case 'conflict':
      return { [action.copyPath]: { hash: action.local.hash }, [action.path]: remoteVersion(action.remote) };
    case 'move-remote':
      return { [action.to]: { hash: action.local.hash } };
    case 'rename-local':
      return { [action.to]: { hash: action.local.hash, remote: remoteVersion(action.remote).remote } };
    default:
      return {};
  }
}

const ACTIVITY: Record<PlannedAction['kind'], ActivityAction | null> = {
  upload: 'upload',
  download: 'download',
  'delete-remote': 'delete-remote',
  'delete-local': 'delete-local',
  forget: null,
  record: 'record-synced',
  conflict: 'conflict',
  'rename-local': 'rename-local',
  'move-remote': 'move-remote',
};

class DeferError extends Error {}

async function statOrNull(file: string): Promise<Stats | null> {
  try {
    return await lstat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw err;
  }
}


function toFailure(path: string, err: unknown): FileFailure {
  if (isWsyncError(err)) return { path, kind: err.kind, message: err.message, attempts: err.attempts ?? 1 };
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return { path, kind: typeof code === 'string' ? 'local-io' : 'fatal', message, attempts: 1 };
}

/** Most downloads land in a folder that exists: its parent is created only when the rename says so. */
async function renameCreatingParent(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
  }
}

export async function executePlan(plan: Plan, options: ExecutorOptions): Promise<ExecutionResult> {
  return new Executor(options).run(plan);
}

class Executor {
  private readonly o: Required<Omit<ExecutorOptions, 'onEvent' | 'signal'>> & Pick<ExecutorOptions, 'onEvent' | 'signal'>;
  private readonly writer: BatchWriter;
  private readonly synced: SyncedWrites;
  private readonly tmpDir: string;
  private readonly trashBatch: string;
  private readonly result: ExecutionResult = {
    counts: { uploaded: 0, downloaded: 0, deletedRemote: 0, deletedLocal: 0, renamedLocal: 0, movedRemote: 0, recorded: 0, forgotten: 0, conflicts: 0 },
    conflicts: [],
    deferred: [],
    failed: [],
    bytesUploaded: 0,
    bytesDownloaded: 0,
  };
  private fatal: unknown = undefined;

  constructor(options: ExecutorOptions) {
    this.o = {
      ...options,
      concurrency: options.concurrency ?? 4,
      logger: options.logger ?? silentLogger,
      now: options.now ?? (() => new Date()),
    };
    this.writer = new BatchWriter(options.db);
    this.synced = new SyncedWrites(this.writer);
    // Downloads land there before the final rename: the same file system.
    this.tmpDir = folderLayout(options.root).tmp;
    this.trashBatch = trashBatchName(this.o.now());
  }

  async run(plan: Plan): Promise<ExecutionResult> {
    const actions = plan.actions;
    if (actions.length === 0) return this.result;
    await mkdir(this.tmpDir, { recursive: true });
    const ids = this.o.db.beginIntents(actions.map((a) => ({ op: a.kind, paths: pathsOf(a), versions: versionsOf(a) })));
    const queue = new PQueue({ concurrency: Math.max(1, this.o.concurrency) });
    const tails = new Map<string, Promise<void>>();
    const schedule = (action: PlannedAction, id: number): Promise<void> => {
      const paths = pathsOf(action);
      const before = Promise.all(paths.map((p) => tails.get(p)));
      const run = before.then(() => queue.add(() => this.perform(action, id)));
      const tail = run.then(() => undefined);
      for (const p of paths) tails.set(p, tail);
      return tail;
    };
    try {
      // The planner's phases (plan/order.ts): moves, then transfers, then deletions; each phase
      // starts once every action of the one before has ended.
      const phases = [...new Set(actions.map(actionPhase))].sort((a, b) => a - b);
      for (const phase of phases) {
        await Promise.all(actions.flatMap((a, i) => (actionPhase(a) === phase ? [schedule(a, ids[i] as number)] : [])));
      }
    } finally {
      await this.synced.drain();
      this.writer.flush();
    }
    if (this.fatal !== undefined) throw this.fatal;
    return this.result;
  }

  private async perform(action: PlannedAction, intentId: number): Promise<void> {
    if (this.o.signal?.aborted) this.fatal ??= new WsyncError('cancelled', 'sync cancelled');
    if (this.fatal !== undefined) {
      this.synced.add([{ kind: 'finish-intent', id: intentId }]);
      return;
    }
    const path = action.kind === 'rename-local' || action.kind === 'move-remote' ? action.to : action.path;
    const writes: StateWrite[] = [];
    const placedIn = new Set<string>();
    try {
      const moved = await this.dispatch(action, writes, placedIn);
      // Row 1 records only refresh metadata (a touched file): bookkeeping, not activity.
      const activity = action.decision === 1 ? null : ACTIVITY[action.kind];
      if (activity !== null) {
        const at = this.o.now().toISOString();
        writes.push({ kind: 'activity', record: { path, action: activity, decision: action.decision, at, detail: moved.detail } });
        this.o.onEvent?.({
          type: 'completed',
          operation: { path, action: activity, decision: action.decision, at, detail: moved.detail, bytes: moved.bytes },
        });
      }
      this.o.onEvent?.({ type: 'file-ok', path });
    } catch (err) {
      if (err instanceof DeferError) {
        this.result.deferred.push({ path, reason: err.message });
        this.o.logger.info({ path, decision: action.decision, reason: err.message }, 'left for the next pass');
      } else if (isWsyncError(err, 'auth') || isWsyncError(err, 'cancelled') || this.o.signal?.aborted === true) {
        this.fatal ??= err;
      } else {
        const failure = toFailure(path, err);
        this.result.failed.push(failure);
        this.o.logger.warn({ path, decision: action.decision, kind: failure.kind, err: failure.message }, 'file not synced');
        this.o.onEvent?.({ type: 'file-error', path, kind: failure.kind, message: failure.message });
      }
    } finally {
      writes.push({ kind: 'finish-intent', id: intentId });
      this.synced.add(writes, placedIn);
    }
  }

  /** `placedIn` collects the folders new files were renamed into: fsynced before `writes` land. */
  private async dispatch(action: PlannedAction, writes: StateWrite[], placedIn: Set<string>): Promise<{ detail?: string; bytes?: number }> {
    const c = this.result.counts;
    switch (action.kind) {
      case 'upload': {
        const up = await this.upload(action.path, action.local, action.expectRemote, writes);
        if (up.sent) c.uploaded++;
        else c.recorded++;
        return { bytes: up.size };
      }
      case 'download': {
        const size = await this.download(action.path, action.remote, action.expectLocal, writes, placedIn);
        c.downloaded++;
        return { bytes: size };
      }
      case 'delete-remote':
        await this.deleteRemote(action.path, action.remote, writes);
        c.deletedRemote++;
        return {};
      case 'delete-local': {
        const where = await this.deleteLocal(action.path, action.local, writes);
        c.deletedLocal++;
        return where === null ? {} : { detail: `moved to ${where}` };
      }
      case 'forget':
        writes.push({ kind: 'delete-base', path: action.path });
        c.forgotten++;
        return {};
      case 'record':
        writes.push({ kind: 'put-base', entry: baseOf(action.path, action.remote, action.local, action.local.hash) });
        c.recorded++;
        return {};
      case 'conflict':
        return this.conflict(action, writes, placedIn);
      case 'rename-local':
        await this.renameLocal(action.from, action.to, action.local, action.remote, writes);
        c.renamedLocal++;
        return { detail: `from ${action.from}` };
      case 'move-remote': {
        const up = await this.moveRemote(action.from, action.to, action.local, action.oldRemote, writes);
        c.movedRemote++;
        return { detail: `from ${action.from}`, bytes: up };
      }
    }
  }

  private signalOpt(): { signal?: AbortSignal } {
    return this.o.signal === undefined ? {} : { signal: this.o.signal };
  }

  private remotePath(path: string): string {
    return this.o.prefix + path;
  }

  private async statRemote(path: string): Promise<RemoteFile | null> {
    const file = await this.o.api.stat(this.remotePath(path), this.signalOpt());
    return file === null ? null : toLocalRemote(file, this.o.prefix);
  }

  /**
   * Uploads `path` if the disk still holds what was planned and the remote still holds what was
   * expected. Records the base only when the file did not change while it was sent.
   */
  private async upload(
    path: string,
    planned: LocalEntry,
    expectRemote: RemoteFile | null,
    writes: StateWrite[],
  ): Promise<{ size: number; sent: boolean }> {
    const abs = join(this.o.root, path);
    const before = await statOrNull(abs);
    if (before === null) throw new DeferError('removed locally since the scan');
    if (!sameStat(before, planned)) throw new DeferError('changed locally since the scan');
    const current = await this.statRemote(path);
    if (!sameObject(current, expectRemote)) {
      if (current !== null && etagProvesBytes(current, planned.hash, planned.size)) {
        // Someone put the very same bytes there meanwhile (row 7 after all): nothing to send.
        writes.push({ kind: 'put-base', entry: baseOf(path, current, before, planned.hash) });
        return { size: 0, sent: false };
      }
      throw new DeferError('changed remotely since the listing');
    }
    const id = randomUUID();
    this.o.onEvent?.({ type: 'transfer-start', id, path, direction: 'upload', bytesTotal: planned.size });
    let sent;
    try {
      sent = await this.o.api.upload(abs, this.remotePath(path), {
        ...this.signalOpt(),
        // The scan's hash of the very file checked above (same size, mtime, inode): not hashed twice.
        md5: planned.hash,
        onProgress: (p) => this.o.onEvent?.({ type: 'transfer-progress', id, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal }),
      });
    } catch (err) {
      // An upload that broke because the file was being written is not a failure: it goes up again once stable.
      const now = await statOrNull(abs);
      if (now === null || !sameStat(now, before)) throw new DeferError('changed while uploading; will upload again once stable');
      throw err;
    } finally {
      this.o.onEvent?.({ type: 'transfer-end', id });
    }
    const stored = toLocalRemote(sent.file, this.o.prefix);
    this.result.bytesUploaded += stored.size;
    const after = await statOrNull(abs);
    const stable = after !== null && sameStat(after, before) && sent.md5 === planned.hash;
    // The remote now holds our bytes either way. A file that changed meanwhile keeps local fields
    // that match nothing, so the next scan rehashes it and uploads the newer bytes (no false conflict).
    writes.push({ kind: 'put-base', entry: baseOf(path, stored, stable ? after : UNKNOWN_LOCAL, sent.md5) });
    if (expectRemote !== null && expectRemote.key !== stored.key) await this.dropOldKey(path, expectRemote.key);
    if (!stable) throw new DeferError('changed while uploading; will upload again once stable');
    return { size: stored.size, sent: true };
  }

  /** After a replace that changed the key: delete the old key only if the listing still shows it. */
  private async dropOldKey(path: string, oldKey: string): Promise<void> {
    const listing = await this.o.api.list(this.remotePath(path), this.signalOpt());
    if (listing.files.some((f) => f.key === oldKey)) await this.o.api.delete(oldKey, this.signalOpt());
  }

  private async localMatches(path: string, expect: LocalEntry | null): Promise<boolean> {
    const st = await statOrNull(join(this.o.root, path));
    return expect === null ? st === null : st !== null && st.isFile() && sameStat(st, expect);
  }

  /**
   * Downloads into `.wsync/tmp` (the client verifies and renames atomically there), then checks
   * the local file right before the final rename replaces it: the one look that matters, since
   * nothing at the path is touched until then.
   */
  private async download(path: string, remote: RemoteFile, expectLocal: LocalEntry | null, writes: StateWrite[], placedIn: Set<string>): Promise<number> {
    const staged = join(this.tmpDir, `${randomUUID()}.download`);
    const id = randomUUID();
    this.o.onEvent?.({ type: 'transfer-start', id, path, direction: 'download', bytesTotal: remote.size });
    let got;
    try {
      got = await this.o.api.download({ ...remote, path: this.remotePath(remote.path) }, staged, {
        ...this.signalOpt(),
        tempDir: this.tmpDir,
        // The staged file is renamed again below; its final folder is synced with the batch.
        syncDirectory: false,
        onProgress: (p) => this.o.onEvent?.({ type: 'transfer-progress', id, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal }),
      });
    } finally {
      this.o.onEvent?.({ type: 'transfer-end', id });
    }
    const abs = join(this.o.root, path);
    try {
      if (!(await this.localMatches(path, expectLocal))) throw new DeferError('changed locally since the scan');
      await renameCreatingParent(staged, abs);
    } catch (err) {
      await rm(staged, { force: true });
      throw err;
    }
    placedIn.add(dirname(abs));
    const placed = await lstat(abs);
    writes.push({ kind: 'put-base', entry: baseOf(path, remote, placed, got.md5) });
    this.result.bytesDownloaded += got.size;
    return got.size;
  }

  private async deleteRemote(path: string, remote: RemoteFile, writes: StateWrite[]): Promise<void> {
    if (!(await this.localMatches(path, null))) throw new DeferError('reappeared locally');
    const current = await this.statRemote(path);
    if (current !== null) {
      if (!sameObject(current, remote)) throw new DeferError('changed remotely since the listing');
      await this.o.api.delete(remote.key, this.signalOpt());
    }
    writes.push({ kind: 'delete-base', path });
  }

  /** Moves the file to `.wsync/trash/`; returns where it went (null when it was already gone). */
  private async deleteLocal(path: string, planned: LocalEntry, writes: StateWrite[]): Promise<string | null> {
    const st = await statOrNull(join(this.o.root, path));
    let where: string | null = null;
    if (st !== null) {
      if (!st.isFile() || !sameStat(st, planned)) throw new DeferError('changed locally since the scan');
      where = await moveToTrash(this.o.root, path, this.trashBatch);
      await removeEmptyParents(this.o.root, path);
    }
    writes.push({ kind: 'delete-base', path });
    return where;
  }

  /** The remote keeps the name; the local version is renamed to the copy, uploaded, then the remote is fetched. */
  private async conflict(
    action: Extract<PlannedAction, { kind: 'conflict' }>,
    writes: StateWrite[],
    placedIn: Set<string>,
  ): Promise<{ detail: string; bytes: number }> {
    const { path, copyPath, local, remote } = action;
    if (!(await this.localMatches(path, local))) throw new DeferError('changed locally since the scan');
    if (!(await this.localMatches(copyPath, null))) throw new DeferError(`${copyPath} exists already`);
    await mkdir(dirname(join(this.o.root, copyPath)), { recursive: true });
    await rename(join(this.o.root, path), join(this.o.root, copyPath));
    this.result.conflicts.push({ path, copyPath });
    this.result.counts.conflicts++;
    this.o.onEvent?.({ type: 'conflict', conflict: { path, conflictCopy: copyPath, at: this.o.now().toISOString() } });
    const up = await this.upload(copyPath, { ...local, path: copyPath }, null, writes);
    const down = await this.download(path, remote, null, writes, placedIn);
    return { detail: `local version kept as ${copyPath}`, bytes: up.size + down };
  }

  private async renameLocal(from: string, to: string, planned: LocalEntry, remote: RemoteFile, writes: StateWrite[]): Promise<void> {
    if (!(await this.localMatches(from, planned))) throw new DeferError('changed locally since the scan');
    if (!(await this.localMatches(to, null))) throw new DeferError(`${to} exists locally`);
    const target = join(this.o.root, to);
    await mkdir(dirname(target), { recursive: true });
    await rename(join(this.o.root, from), target);
    await removeEmptyParents(this.o.root, from);
    const placed = await lstat(target);
    writes.push({ kind: 'delete-base', path: from }, { kind: 'put-base', entry: baseOf(to, remote, placed, planned.hash) });
  }

  /** Uploads the new path first, so a crash in between leaves both, then deletes the old one. */
  private async moveRemote(from: string, to: string, planned: LocalEntry, oldRemote: RemoteFile, writes: StateWrite[]): Promise<number> {
    const up = await this.upload(to, { ...planned, path: to }, null, writes);
    if (!(await this.localMatches(from, null))) throw new DeferError(`${from} reappeared locally`);
    const current = await this.statRemote(from);
    if (current !== null) {
      if (!sameObject(current, oldRemote)) throw new DeferError(`${from} changed remotely; kept`);
      await this.o.api.delete(oldRemote.key, this.signalOpt());
    }
    writes.push({ kind: 'delete-base', path: from });
    return up.size;
  }
}

