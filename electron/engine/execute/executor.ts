/**
 * Carries out a plan, and only schedules: the planner's phases in order (moves, transfers,
 * deletions), operations on one path one after another, a pool of workers (job-pool.ts) across paths
 * sized by what they move (concurrency.ts), and cancellation. Each operation is its own job (jobs/), which takes the fresh looks, moves the
 * bytes and ends with an outcome; the executor records the outcome and hands the job's effects to
 * the folder's one writer, with the journal intent finished in the same transaction.
 */
import { mkdir } from 'node:fs/promises';
import type { LocalEntry, RemoteFile } from '../model/trees.js';
import { md5OfEtag } from '../model/etag.js';
import type { FilesApi } from '../api/types.js';
import { WsyncError, isWsyncError } from '../errors.js';
import type { ErrorKind } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import { actionPhase } from '../plan/order.js';
import type { Plan, PlannedAction } from '../plan/types.js';
import { folderLayout } from '../local/folder-layout.js';
import { trashBatchName } from '../local/trash.js';
import type { FileBackoff, IntentVersion, StateWrite } from '../state/state-db.js';
import type { StatusEvent } from '../status/events.js';
import { ErrorKindSchema, type ActivityAction } from '../../shared/status.js';
import { partialSlot, prunePartials } from '../api/partials.js';
import type { FileBackoffs } from './file-backoff.js';
import { FreshLooks, lookedAt } from './fresh-looks.js';
import { concurrencyFor, DEFAULT_CONCURRENCY, isLargeTransfer, LARGE_TRANSFER_BYTES } from './concurrency.js';
import { fifoJobPool, type JobPoolFactory } from './job-pool.js';
import { JobContext, JobEffects, runJob, type JobOutcome } from './jobs/index.js';
import type { StateWriter } from '../state/state-writer.js';

export interface ExecutorOptions {
  root: string;
  /** The mirrored remote folder: '' or ending in '/'. Plan paths are relative to it. */
  prefix: string;
  api: FilesApi;
  /** The folder's one durable writer: intents, base rows, activity. */
  writer: StateWriter;
  /** Operations at once, at most (default DEFAULT_CONCURRENCY); large transfers are fewer within it. */
  concurrency?: number;
  /** The listing the plan was made from (folder-relative): lets the fresh looks share listings where that saves requests. */
  listed?: readonly RemoteFile[];
  logger?: Logger;
  onEvent?: (event: StatusEvent) => void;
  now?: () => Date;
  /** Stops starting operations and aborts transfers in flight (they are journalled; nothing is half-done on disk). */
  signal?: AbortSignal;
  /** Per-file back-off across cycles: files still in back-off are not tried (none when absent). */
  backoff?: FileBackoffs;
  /** The order ready jobs get a worker (default first in, first out). */
  pool?: JobPoolFactory;
}

export interface FileFailure {
  path: string;
  kind: ErrorKind;
  message: string;
  /** Attempts of the step that failed, as the API client made them (it is the only layer that retries); 0: not tried (in back-off). */
  attempts: number;
  /** Cycles in a row this file failed, and when it is tried again (ISO), when it is in back-off. */
  failedCycles?: number;
  nextAttemptAt?: string;
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

/** Nothing done yet: where an execution's counts start, and a cycle's total over its passes. */
export function noCounts(): ExecutionCounts {
  return {
    uploaded: 0,
    downloaded: 0,
    deletedRemote: 0,
    deletedLocal: 0,
    renamedLocal: 0,
    movedRemote: 0,
    recorded: 0,
    forgotten: 0,
    conflicts: 0,
  };
}

/** Adds one execution's counts to a running total (a cycle's passes). */
export function addCounts(total: ExecutionCounts, more: ExecutionCounts): void {
  for (const k of Object.keys(more) as (keyof ExecutionCounts)[]) total[k] += more[k];
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

/** The version an upload brings: its MD5, unless the scan left it to be hashed as it is sent. */
function localVersion(local: LocalEntry): IntentVersion {
  return local.hash === '' ? {} : { hash: local.hash };
}

/** Per path, the version `action` moves there; recovery compares both sides against it after a crash. */
export function versionsOf(action: PlannedAction): Record<string, IntentVersion> {
  switch (action.kind) {
    case 'upload':
      return { [action.path]: localVersion(action.local) };
    case 'download':
      return { [action.path]: remoteVersion(action.remote) };
    case 'conflict':
      return { [action.copyPath]: localVersion(action.local), [action.path]: remoteVersion(action.remote) };
    case 'move-remote':
      return { [action.to]: localVersion(action.local) };
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

function toFailure(path: string, err: unknown): FileFailure {
  if (isWsyncError(err)) return { path, kind: err.kind, message: err.message, attempts: err.attempts ?? 1 };
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return { path, kind: typeof code === 'string' ? 'local-io' : 'fatal', message, attempts: 1 };
}

/** The path an action's activity, errors and deferrals are reported under. */
function reportedPath(action: PlannedAction): string {
  return action.kind === 'rename-local' || action.kind === 'move-remote' ? action.to : action.path;
}

export async function executePlan(plan: Plan, options: ExecutorOptions): Promise<ExecutionResult> {
  return new Executor(options).run(plan);
}

class Executor {
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly emit: (event: StatusEvent) => void;
  private ctx: JobContext;
  private readonly result: ExecutionResult = {
    counts: noCounts(),
    conflicts: [],
    deferred: [],
    failed: [],
    bytesUploaded: 0,
    bytesDownloaded: 0,
  };
  private fatal: unknown = undefined;

  constructor(private readonly o: ExecutorOptions) {
    this.logger = o.logger ?? silentLogger;
    this.now = o.now ?? (() => new Date());
    this.emit = o.onEvent ?? (() => undefined);
    this.ctx = new JobContext({
      root: o.root,
      prefix: o.prefix,
      api: o.api,
      // Downloads are staged there before the final rename: the same file system.
      tmpDir: folderLayout(o.root).tmp,
      partialDir: folderLayout(o.root).partial,
      trashBatch: trashBatchName(this.now()),
      signal: o.signal,
      now: this.now,
      emit: this.emit,
    });
  }

  async run(plan: Plan): Promise<ExecutionResult> {
    const backoff = this.o.backoff;
    const stale = backoff?.forgetUnplanned(new Set(plan.actions.map(reportedPath))) ?? [];
    if (stale.length > 0) this.o.writer.add(stale);
    const at = this.now().getTime();
    const actions = plan.actions.filter((action) => {
      const held = backoff?.holding(reportedPath(action), action, at);
      if (held !== undefined) this.holdBack(action, held);
      return held === undefined;
    });
    if (actions.length === 0) {
      await this.o.writer.drain();
      await this.prunePartials(plan);
      return this.result;
    }
    await mkdir(this.ctx.o.tmpDir, { recursive: true });
    const looks = new FreshLooks({
      api: this.o.api,
      prefix: this.o.prefix,
      planned: actions.flatMap(lookedAt),
      listed: this.o.listed,
      signal: this.o.signal,
      now: () => this.now().getTime(),
    });
    this.ctx = new JobContext({ ...this.ctx.o, looks });
    const ids = this.o.writer.beginIntents(actions.map((a) => ({ op: a.kind, paths: pathsOf(a), versions: versionsOf(a) })));
    const ceiling = Math.max(1, Math.floor(this.o.concurrency ?? DEFAULT_CONCURRENCY));
    const pool = this.o.pool ?? fifoJobPool;
    const queue = pool(ceiling);
    // A large transfer takes one of these first, then one of the pool's slots: small ones keep
    // running beside the few large ones.
    const large = fifoJobPool(concurrencyFor(LARGE_TRANSFER_BYTES, ceiling));
    const tails = new Map<string, Promise<void>>();
    const schedule = (action: PlannedAction, id: number): Promise<void> => {
      const paths = pathsOf(action);
      const before = Promise.all(paths.map((p) => tails.get(p) ?? Promise.resolve()));
      const start = () => queue.run(() => this.perform(action, id), action);
      const run = before.then(() => (isLargeTransfer(action) ? large.run(start, action) : start()));
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
      await this.o.writer.drain();
    }
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the job's own fatal failure as it was caught
    if (this.fatal !== undefined) throw this.fatal;
    await this.prunePartials(plan);
    return this.result;
  }

  /**
   * Partials of versions this plan no longer downloads are never resumed: dropped once a pass has
   * run to its end. An interrupted pass (Ctrl-C, pause, a refused key) keeps them for the next run.
   */
  private async prunePartials(plan: Plan): Promise<void> {
    if (this.o.signal?.aborted === true) return;
    const wanted = new Set<string>();
    for (const action of plan.actions) {
      if (action.kind !== 'download' && action.kind !== 'conflict') continue;
      const slot = partialSlot(this.ctx.o.partialDir, action.remote);
      if (slot !== null) wanted.add(slot.name);
    }
    // Ages are read from file times, which are the system clock's.
    const removed = await prunePartials(this.ctx.o.partialDir, wanted, Date.now());
    if (removed > 0) this.logger.debug({ removed }, 'dropped partial downloads no longer wanted');
  }

  private async perform(action: PlannedAction, intentId: number): Promise<void> {
    if (this.o.signal?.aborted) this.fatal ??= new WsyncError('cancelled', 'sync cancelled');
    if (this.fatal !== undefined) {
      this.o.writer.add([{ kind: 'finish-intent', id: intentId }]);
      return;
    }
    const effects = new JobEffects();
    const outcome = await runJob(this.ctx, effects, action, (conflict) => {
      this.result.conflicts.push(conflict);
      this.result.counts.conflicts++;
    });
    this.result.bytesUploaded += effects.bytesUploaded;
    this.result.bytesDownloaded += effects.bytesDownloaded;
    const writes: StateWrite[] = [...effects.writes, ...this.record(action, outcome), { kind: 'finish-intent', id: intentId }];
    this.o.writer.add(writes, effects.dirs);
  }

  /** A file still in back-off: not tried, reported with its last failure and its next attempt. */
  private holdBack(action: PlannedAction, held: FileBackoff): void {
    const path = reportedPath(action);
    const nextAttemptAt = new Date(held.nextAttemptAt).toISOString();
    const kind = ErrorKindSchema.safeParse(held.kind).data ?? 'fatal';
    this.result.failed.push({ path, kind, message: held.message, attempts: 0, failedCycles: held.failures, nextAttemptAt });
    this.logger.info({ path, decision: action.decision, failures: held.failures, nextAttemptAt }, 'still failing: not tried before its next attempt');
    this.emit({ type: 'file-error', path, kind, message: held.message, attempts: held.failures, nextAttemptAt });
  }

  /** Counts and reports the outcome; the writes it leaves (activity, back-off), if any. */
  private record(action: PlannedAction, outcome: JobOutcome): StateWrite[] {
    const path = reportedPath(action);
    const at = this.now().getTime();
    switch (outcome.status) {
      case 'done': {
        if (outcome.tally !== null) this.result.counts[outcome.tally]++;
        const writes: StateWrite[] = [];
        // Row 1 records only refresh metadata (a touched file): bookkeeping, not activity.
        const activity = action.decision === 1 ? null : ACTIVITY[action.kind];
        if (activity !== null) {
          const when = new Date(at).toISOString();
          const { detail, bytes } = outcome;
          writes.push({ kind: 'activity', record: { path, action: activity, decision: action.decision, at: when, detail } });
          this.emit({ type: 'completed', operation: { path, action: activity, decision: action.decision, at: when, detail, bytes } });
        }
        this.emit({ type: 'file-ok', path });
        return [...writes, ...(this.o.backoff?.after(path, action, { done: true }, at).writes ?? [])];
      }
      case 'deferred':
        this.result.deferred.push({ path, reason: outcome.reason });
        this.logger.info({ path, decision: action.decision, reason: outcome.reason }, 'left for the next pass');
        return [];
      case 'failed': {
        const err = outcome.error;
        // Not the file's doing, and no other file would fare better: the pass stops. A rate-limited
        // error reaches here only when the server asked for a longer pause than a call waits.
        if (isWsyncError(err, 'auth') || isWsyncError(err, 'cancelled') || isWsyncError(err, 'rate-limited') || this.o.signal?.aborted === true) {
          this.fatal ??= err;
          return [];
        }
        const failure = toFailure(path, err);
        const next = this.o.backoff?.after(path, action, { failed: failure }, at);
        if (next?.entry !== undefined) {
          failure.failedCycles = next.entry.failures;
          failure.nextAttemptAt = new Date(next.entry.nextAttemptAt).toISOString();
        }
        this.result.failed.push(failure);
        this.logger.warn(
          {
            path,
            decision: action.decision,
            kind: failure.kind,
            attempts: failure.attempts,
            err: failure.message,
            nextAttemptAt: failure.nextAttemptAt,
          },
          'file not synced',
        );
        this.emit({
          type: 'file-error',
          path,
          kind: failure.kind,
          message: failure.message,
          ...(next?.entry === undefined ? {} : { attempts: next.entry.failures, nextAttemptAt: failure.nextAttemptAt }),
        });
        return next?.writes ?? [];
      }
    }
  }
}
