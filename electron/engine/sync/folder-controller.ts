/**
 * Keeps one folder in step in the background: runs sync cycles when the watcher sees local
 * changes settle, when the remote poll is due, and when the user asks; pauses by aborting the
 * cycle in flight; publishes everything it knows through the status store.
 *
 * While the watcher is live, a poll first only lists the remote and compares it with the base: a
 * full cycle (a scan of every local file) runs only when the remote differs, or when something
 * local is still owed one (a change seen while a cycle could not run, files that failed).
 *
 * Cycles, conflict resolution and deletion decisions all run one at a time through `serial`, so
 * nothing touches the folder or the state database while a cycle is working on them.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Activity, Conflict, FolderStatus, HeldDeletions } from '../../shared/status.js';
import { ActivitySchema, FolderStatusSchema } from '../../shared/status.js';
import { WsyncError, isWsyncError, type ErrorKind } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { clearScratch, folderLayout } from '../local/folder-layout.js';
import { loadIgnoreMatcher } from '../local/ignore.js';
import { moveToTrash, trashBatchName } from '../local/trash.js';
import { StateDb } from '../state/state-db.js';
import type { StatusEvent } from '../status/events.js';
import { createStatusStore, type StatusStore } from '../status/status-store.js';
import { createTokenBucket, type TokenBucket } from '../transfer/throttle.js';
import { createLocalWatcher, type LocalWatcher, type LocalWatcherOptions } from '../watch/local-watcher.js';
import type { FilesApiClient } from '../api/client.js';
import type { BandwidthLimits, FolderController } from './controller.js';
import { engineCycle, engineRemoteCheck, type EngineCycleOptions } from './engine-cycle.js';
import type { RemoteComparison } from './remote-check.js';
import {
  DEFAULT_POLL_CONFIG,
  failureMeaning,
  initialPollState,
  nextPoll,
  type CycleOutcome,
  type PollConfig,
} from './scheduler.js';

/** What the controller hands one sync cycle. */
export interface CycleRequest {
  signal: AbortSignal;
  /** The user confirmed the held deletions: the mass-delete guard lets them through this once. */
  confirmDeletes: boolean;
  /** Progress, completed operations, conflicts and per-file errors (`file-error` / `file-ok`) as they happen. */
  onEvent: (event: StatusEvent) => void;
  /** Shared per direction, so the limit holds for the folder as a whole. */
  bandwidth: { upload: TokenBucket; download: TokenBucket };
  /** Paths still being written (the watcher has not seen them settle): leave them for a later cycle. */
  skip: (path: string) => boolean;
  logger: Logger;
}

export interface CycleFailure {
  path: string;
  kind: ErrorKind;
  message: string;
}

export interface CycleReport {
  /** Something was transferred, deleted, renamed or recorded on either side. */
  changed: boolean;
  held: HeldDeletions[];
  /** Files that could not be synced this cycle (the rest were); already reported through onEvent. */
  failures: CycleFailure[];
  /** Set when the cycle had nothing to do: the fingerprint of the listing it found (see RemoteCheckRequest). */
  quietListing?: string;
}

/** One sync cycle: scan, list, plan, execute. Throws for failures of the whole cycle. */
export type RunCycle = (request: CycleRequest) => Promise<CycleReport>;

export interface RemoteCheckRequest {
  signal: AbortSignal;
  bandwidth: CycleRequest['bandwidth'];
  /** Deletions waiting for the user: their paths' absence from the listing is no news. */
  held: readonly HeldDeletions[];
  /** Changes whenever the base may have changed (a full cycle ran, deletions were restored). */
  baseGeneration: number;
  /** The fingerprint of the listing the last full cycle found nothing to do against, if it did. */
  quietListing: string | undefined;
  logger: Logger;
}

/** A poll's cheap look: the remote listing against the base. Throws like a cycle (auth, offline). */
export type CheckRemote = (request: RemoteCheckRequest) => Promise<RemoteComparison>;

export interface FolderControllerOptions {
  id?: string;
  dir: string;
  server: string;
  workspace: string;
  prefix?: string;
  /** The sync cycle; by default the engine's (cycle.ts) with a client built by `api`. */
  runCycle?: RunCycle;
  /** Builds the Files API client, once for the controller's life (one client, one rate gate); its transfers should be paced by the given buckets. */
  api?: (bandwidth: CycleRequest['bandwidth']) => FilesApiClient;
  /** The polls' remote check; by default the engine's when the cycle is (none: every poll is a full cycle). */
  checkRemote?: CheckRemote;
  /** Transfers at once (the engine's default when absent). */
  concurrency?: number;
  poll?: Partial<PollConfig>;
  /** Full rescan as a safety net for missed events (default hourly). */
  rescanIntervalMs?: number;
  /** Rescan interval while live watching is impossible (watch limit reached; default 5 min). */
  fallbackScanIntervalMs?: number;
  /** Watcher tuning; `false` turns live watching off (periodic scans only). */
  watch?: Pick<LocalWatcherOptions, 'debounceMs' | 'stableMs' | 'createFsWatcher'> | false;
  /** Polls skipped while a local file is still being written, before one runs anyway. */
  maxSkippedPolls?: number;
  bandwidth?: BandwidthLimits;
  logger?: Logger;
}

type Reason = 'start' | 'poll' | 'local' | 'rescan' | 'sync-now' | 'confirm' | 'restore';

const URGENT: ReadonlySet<Reason> = new Set(['local', 'sync-now', 'confirm', 'restore', 'start']);

export function createFolderController(options: FolderControllerOptions): FolderController {
  const id = options.id ?? randomUUID();
  const logger = options.logger ?? silentLogger;
  const pollConfig: PollConfig = { ...DEFAULT_POLL_CONFIG, ...options.poll };
  const rescanIntervalMs = options.rescanIntervalMs ?? 3_600_000;
  const fallbackScanIntervalMs = options.fallbackScanIntervalMs ?? 300_000;
  const maxSkippedPolls = options.maxSkippedPolls ?? 3;
  // One client for the controller's life, so its rate gate (a server's "slow down") outlives a cycle.
  const engine = options.api === undefined ? options : { ...options, api: oneClient(options.api) };
  const runCycle = options.runCycle ?? defaultCycle(engine, logger);
  const checkRemote = options.checkRemote ?? (options.runCycle ? undefined : defaultCheck(engine, logger));
  const store: StatusStore = createStatusStore({
    folderId: id,
    dir: options.dir,
    server: options.server,
    workspace: options.workspace,
    prefix: options.prefix ?? '',
  });
  const bandwidth = {
    upload: createTokenBucket(options.bandwidth?.uploadBps ?? 0),
    download: createTokenBucket(options.bandwidth?.downloadBps ?? 0),
  };

  let started = false;
  let stopped = false;
  let paused = false;
  let signedOut = false;
  let db: StateDb | null = null;
  let watcher: LocalWatcher | null = null;
  let pollState = initialPollState(pollConfig);
  let pollTimer: NodeJS.Timeout | null = null;
  let rescanTimer: NodeJS.Timeout | null = null;
  let skippedPolls = 0;
  let abort: AbortController | null = null;
  let tail: Promise<void> = Promise.resolve();
  let queued: { reason: Reason; done: Promise<void> } | null = null;
  let confirmNext = false;
  /** Something local may be unsynced (seen while no cycle could take it, or it failed): polls run full cycles. */
  let fullCycleOwed = true;
  let baseGeneration = 0;
  let quietListing: string | undefined;
  /** A lasting condition worth showing while idle (e.g. live watching is off). */
  let standingNotice: string | undefined;
  const openTransfers = new Set<string>();

  const active = (): boolean => started && !stopped && !paused && !signedOut;

  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = tail.then(task);
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  function clearTimer(timer: NodeJS.Timeout | null): null {
    if (timer) clearTimeout(timer);
    return null;
  }

  function schedulePoll(delayMs: number): void {
    pollTimer = clearTimer(pollTimer);
    if (!active()) return;
    pollTimer = setTimeout(onPollDue, delayMs);
  }

  function onPollDue(): void {
    pollTimer = null;
    if (watcher && watcher.unsettled > 0 && skippedPolls < maxSkippedPolls) {
      // A file is still being written: its settling triggers the cycle; polling now would catch it half-done.
      skippedPolls += 1;
      schedulePoll(pollConfig.intervalMs);
      return;
    }
    void request('poll');
  }

  function scheduleRescan(): void {
    rescanTimer = clearTimer(rescanTimer);
    if (stopped || signedOut) return;
    const every = watcher === null || watcher.degraded ? Math.min(rescanIntervalMs, fallbackScanIntervalMs) : rescanIntervalMs;
    rescanTimer = setTimeout(() => {
      void request('rescan');
      scheduleRescan();
    }, every);
    rescanTimer.unref();
  }

  function request(reason: Reason): Promise<void> {
    if (queued) {
      if (URGENT.has(reason)) queued.reason = reason;
      return queued.done;
    }
    const entry: { reason: Reason; done: Promise<void> } = { reason, done: Promise.resolve() };
    queued = entry;
    entry.done = serial(async () => {
      if (queued === entry) queued = null;
      if (!active()) return;
      await runOnce(entry.reason);
    });
    return entry.done;
  }

  function onCycleEvent(event: StatusEvent): void {
    if (event.type === 'transfer-start') openTransfers.add(event.id);
    if (event.type === 'transfer-end') openTransfers.delete(event.id);
    const working =
      event.type === 'transfer-start' ||
      event.type === 'completed' ||
      (event.type === 'pending' && event.pending.uploads + event.pending.downloads + event.pending.deletes > 0);
    if (working && store.state !== 'syncing') store.apply({ type: 'state', state: 'syncing' });
    store.apply(event);
  }

  function endOpenTransfers(): void {
    for (const transferId of openTransfers) store.apply({ type: 'transfer-end', id: transferId });
    openTransfers.clear();
  }

  async function runOnce(reason: Reason): Promise<void> {
    pollTimer = clearTimer(pollTimer);
    skippedPolls = 0;
    const controller = new AbortController();
    abort = controller;
    const confirmDeletes = confirmNext;
    confirmNext = false;
    let outcome: CycleOutcome;
    let full = false;
    try {
      let report = reason === 'poll' ? await quietPoll(controller.signal) : null;
      if (report === null) {
        logger.debug({ reason }, 'sync cycle starting');
        full = true;
        // The scan sees every local change made before this point; later ones owe the next cycle.
        fullCycleOwed = false;
        quietListing = undefined;
        report = await runCycle({
          signal: controller.signal,
          confirmDeletes,
          onEvent: onCycleEvent,
          bandwidth,
          skip: (path) => watcher?.isSettling(path) ?? false,
          logger,
        });
        if (report.failures.length > 0) fullCycleOwed = true;
        quietListing = report.quietListing;
      }
      endOpenTransfers();
      if (controller.signal.aborted) {
        if (full) fullCycleOwed = true;
        return; // paused or stopped mid-cycle: whoever aborted sets the state
      }
      store.apply({ type: 'pending', pending: { uploads: 0, downloads: 0, deletes: 0, bytes: 0 } });
      store.apply({ type: 'held', held: report.held });
      forgetSettledProblems(report);
      store.apply({ type: 'synced', at: new Date().toISOString() });
      if (report.held.length > 0) {
        const count = report.held.reduce((n, h) => n + h.paths.length, 0);
        store.apply({ type: 'state', state: 'needs-confirmation', message: `${count} deletions are waiting for your confirmation` });
      } else if (report.failures.length > 0) {
        const n = report.failures.length;
        store.apply({ type: 'state', state: 'error', message: `${n} ${n === 1 ? 'file' : 'files'} could not be synced` });
      } else {
        store.apply({ type: 'state', state: 'idle', message: standingNotice });
      }
      outcome = report.changed ? { kind: 'changed' } : URGENT.has(reason) ? { kind: 'sync-now' } : { kind: 'unchanged' };
    } catch (err) {
      endOpenTransfers();
      if (full) fullCycleOwed = true;
      if (controller.signal.aborted) return; // paused or stopped: whoever aborted sets the state
      const meaning = failureMeaning(err);
      logger.warn({ reason, kind: isWsyncError(err) ? err.kind : 'unknown', message: meaning.message }, 'sync cycle failed');
      store.apply({ type: 'state', state: meaning.state, message: meaning.message });
      if (meaning.state === 'signed-out') {
        signedOut = true;
        pollTimer = clearTimer(pollTimer);
        persistStatus();
        return;
      }
      outcome = { kind: 'failed', retryAfterMs: meaning.retryAfterMs };
    } finally {
      if (abort === controller) abort = null;
      if (full) baseGeneration += 1;
    }
    const decision = nextPoll(pollState, outcome, pollConfig, Math.random());
    pollState = decision.state;
    schedulePoll(decision.delayMs);
    persistStatus();
  }

  /**
   * The report of a poll that found the remote as the base left it, or null when a full cycle must
   * run. Held deletions and file errors stay as the last full cycle left them.
   */
  async function quietPoll(signal: AbortSignal): Promise<CycleReport | null> {
    if (!checkRemote || fullCycleOwed || watcher === null || watcher.degraded) return null;
    const snap = store.snapshot();
    const comparison = await checkRemote({ signal, bandwidth, held: snap.heldDeletions, baseGeneration, quietListing, logger });
    if (!comparison.decidable || comparison.differences.length > 0) {
      logger.debug({ differences: comparison.differences.length, decidable: comparison.decidable }, 'the remote changed');
      return null;
    }
    logger.debug({}, 'poll: the remote is as last synced');
    return {
      changed: false,
      held: snap.heldDeletions,
      failures: snap.errors.map((e) => ({ path: e.path, kind: e.kind, message: e.message })),
    };
  }

  /** Errors of files that no longer fail, and conflicts whose copy the user removed, are over. */
  function forgetSettledProblems(report: CycleReport): void {
    const failing = new Set(report.failures.map((f) => f.path));
    const snap = store.snapshot();
    for (const e of snap.errors) if (!failing.has(e.path)) store.apply({ type: 'file-ok', path: e.path });
    for (const c of snap.conflicts) {
      if (!existsSync(join(options.dir, c.conflictCopy))) store.apply({ type: 'conflict-resolved', path: c.path });
    }
  }

  function persistStatus(): void {
    if (!db) return;
    const snap = store.snapshot();
    try {
      db.setMeta({ lastStatus: JSON.stringify({ ...snap, transfers: [] }), ...(snap.lastSyncAt ? { lastSyncAt: snap.lastSyncAt } : {}) });
    } catch (err) {
      logger.warn({ message: (err as Error).message }, 'could not save the folder status');
    }
  }

  function loadHistory(): void {
    if (!db) return;
    const recent: Activity[] = [];
    for (const row of db.recentActivity()) {
      const parsed = ActivitySchema.safeParse({ ...row, detail: row.detail ?? undefined });
      if (parsed.success) recent.push(parsed.data);
    }
    store.apply({ type: 'history', recent, lastSyncAt: db.getMeta('lastSyncAt') ?? null });
    // Conflicts wait for the user across restarts; the first cycle drops those already dealt with.
    const saved = FolderStatusSchema.safeParse(parseJson(db.getMeta('lastStatus')));
    if (saved.success) for (const conflict of saved.data.conflicts) store.apply({ type: 'conflict', conflict });
  }

  async function startWatcher(): Promise<void> {
    if (options.watch === false) return;
    const ignore = await loadIgnoreMatcher(options.dir);
    watcher = createLocalWatcher({
      dir: options.dir,
      ignore: (rel) => ignore.ignores(rel),
      debounceMs: options.watch?.debounceMs,
      stableMs: options.watch?.stableMs,
      createFsWatcher: options.watch?.createFsWatcher,
      fallbackScanMinutes: Math.max(1, Math.round(fallbackScanIntervalMs / 60_000)),
      logger,
      onSettled: (paths) => {
        logger.debug({ count: paths.length }, 'local changes settled');
        fullCycleOwed = true;
        void request('local');
      },
      onLimit: (report) => {
        standingNotice = report.message;
        if (store.state === 'idle') store.apply({ type: 'state', state: 'idle', message: standingNotice });
        scheduleRescan();
      },
    });
    await watcher.start();
  }

  /** Waits for the cycle in flight, then runs `task` with the folder to itself. */
  function exclusive(task: () => Promise<void>): Promise<void> {
    return serial(task);
  }

  function conflictAt(path: string): Conflict | undefined {
    return store.snapshot().conflicts.find((c) => c.path === path);
  }

  return {
    id,
    snapshot: () => store.snapshot(),
    subscribe: (listener: (status: FolderStatus) => void) => store.subscribe(listener),

    async start() {
      if (started) return;
      started = true;
      db = StateDb.open(folderLayout(options.dir).stateDb);
      loadHistory();
      await startWatcher();
      scheduleRescan();
      // The first cycle may be a long initial sync: start returns once the folder is being watched.
      // Until it ends, nothing is known to be up to date.
      store.apply({ type: 'state', state: 'syncing' });
      void request('start');
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      pollTimer = clearTimer(pollTimer);
      rescanTimer = clearTimer(rescanTimer);
      abort?.abort();
      await tail;
      await clearStagedDownloads(options.dir, logger);
      await watcher?.close();
      watcher = null;
      if (store.state === 'syncing') {
        store.apply({ type: 'state', state: 'paused', message: 'Stopped before the sync finished; it resumes when wsync runs again' });
      }
      store.flush();
      persistStatus();
      db?.close();
      db = null;
    },

    async pause() {
      if (paused || stopped) return;
      paused = true;
      pollTimer = clearTimer(pollTimer);
      abort?.abort();
      await tail;
      await clearStagedDownloads(options.dir, logger);
      if (!signedOut) store.apply({ type: 'state', state: 'paused' });
      persistStatus();
    },

    resume() {
      if (!paused || stopped) return;
      paused = false;
      if (signedOut) return;
      store.apply({ type: 'state', state: 'idle', message: standingNotice });
      pollState = initialPollState(pollConfig);
      void request('sync-now');
    },

    syncNow() {
      if (!active()) return;
      void request('sync-now');
    },

    async confirmDeletions() {
      if (store.snapshot().heldDeletions.length === 0) return;
      confirmNext = true;
      await request('confirm');
    },

    async restoreDeletions() {
      await exclusive(async () => {
        const held = store.snapshot().heldDeletions;
        if (held.length === 0 || !db) return;
        // Without a base row the surviving copy counts as new (rows 11 and 12), so the next cycle
        // copies it back to the side it was deleted from instead of deleting it.
        db.apply(held.flatMap((h) => h.paths.map((path) => ({ kind: 'delete-base' as const, path }))));
        baseGeneration += 1;
        quietListing = undefined;
        store.apply({ type: 'held', held: [] });
        logger.info({ count: held.reduce((n, h) => n + h.paths.length, 0) }, 'held deletions restored');
      });
      await request('restore');
    },

    retry(path: string) {
      if (!active()) return;
      logger.info({ path }, 'retry requested');
      // The user's retry is not held back by the file's back-off (execute/file-backoff.ts).
      exclusive(async () => db?.apply([{ kind: 'delete-backoff', path }])).catch((err: unknown) =>
        logger.warn({ path, message: (err as Error).message }, 'could not clear the back-off'),
      );
      void request('sync-now');
    },

    async resolveConflict(path: string, keep: 'local' | 'remote') {
      await exclusive(async () => {
        const conflict = conflictAt(path);
        if (!conflict) return;
        const batch = trashBatchName(new Date());
        if (keep === 'remote') {
          await moveToTrashIfPresent(options.dir, conflict.conflictCopy, batch);
        } else {
          await moveToTrashIfPresent(options.dir, conflict.path, batch);
          await mkdir(dirname(join(options.dir, conflict.path)), { recursive: true });
          await rename(join(options.dir, conflict.conflictCopy), join(options.dir, conflict.path));
        }
        store.apply({ type: 'conflict-resolved', path });
        logger.info({ path, keep }, 'conflict resolved');
      });
      if (active()) await request('sync-now');
    },

    setBandwidth(limits: BandwidthLimits) {
      bandwidth.upload.setRate(limits.uploadBps);
      bandwidth.download.setRate(limits.downloadBps);
    },
  };
}

/** The engine's cycle and remote check, for a controller given a client instead of a cycle. */
function engineOptions(options: FolderControllerOptions, logger: Logger): EngineCycleOptions | null {
  if (!options.api) return null;
  return {
    root: options.dir,
    server: options.server,
    workspace: options.workspace,
    api: options.api,
    logger,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  };
}

function oneClient(make: NonNullable<FolderControllerOptions['api']>): NonNullable<FolderControllerOptions['api']> {
  let client: FilesApiClient | undefined;
  return (bandwidth) => (client ??= make(bandwidth));
}

function defaultCycle(options: FolderControllerOptions, logger: Logger): RunCycle {
  const engine = engineOptions(options, logger);
  if (engine === null) throw new WsyncError('fatal', 'createFolderController needs either runCycle or api', { code: 'USAGE' });
  return engineCycle(engine);
}

function defaultCheck(options: FolderControllerOptions, logger: Logger): CheckRemote | undefined {
  const engine = engineOptions(options, logger);
  return engine === null ? undefined : engineRemoteCheck(engine);
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Downloads abandoned by an aborted cycle are never resumed from scratch: leave nothing partial behind. */
async function clearStagedDownloads(dir: string, logger: Logger): Promise<void> {
  const removed = await clearScratch(folderLayout(dir));
  if (removed > 0) logger.debug({ count: removed }, 'removed abandoned partial downloads');
}

async function moveToTrashIfPresent(dir: string, path: string, batch: string): Promise<void> {
  try {
    await moveToTrash(dir, path, batch);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

