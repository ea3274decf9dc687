/**
 * Keeps one folder in step in the background: runs sync cycles when the watcher sees local
 * changes settle, when the remote poll is due, and when the user asks; pauses by aborting the
 * cycle in flight; publishes everything it knows through the status store.
 *
 * While the watcher is live, a poll first only lists the remote and compares it with the base: a
 * full cycle (a scan of every local file) runs only when the remote differs, or when something
 * local is still owed one (a change seen while a cycle could not run, files that failed). A full
 * cycle whose listing was found quiet against the base it left hands that listing to the next
 * poll, which then recognises its pages instead of comparing them again.
 *
 * The controller holds the folder's session (lock, state database and its one writer, binding)
 * from start to stop, so no other engine (a second `watch`, a `sync --once`, the app) can take the
 * folder between cycles. Cycles, conflict resolution and deletion decisions all run one at a time
 * through `serial`, so nothing touches the folder or the state database while a cycle is working
 * on them. Which state the folder shows is decided in status/folder-state.ts.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Conflict, FolderStatus } from '../../../shared/status.js';
import { after, systemClock, type Clock } from '../../clock.js';
import { WsyncError, isWsyncError } from '../../errors.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { FilesApiClient } from '../../api/client.js';
import { abortListenersFor } from '../../execute/concurrency.js';
import { clearScratch } from '../../local/folder-layout.js';
import { loadIgnoreMatcher } from '../../local/ignore.js';
import { moveToTrash } from '../../local/trash.js';
import { createRecoveryActions } from '../../recovery/recovery-actions.js';
import { conflictTrashBatch } from '../../recovery/trash-browser.js';
import type { StatusEvent } from '../../status/events.js';
import { savedActivity, savedStatus, statusToSave } from '../../status/saved-status.js';
import { failureMeaning, idle, PAUSED, showsWork, stateAfterCycle, STOPPED_MID_SYNC, SYNCING } from '../../status/folder-state.js';
import { createStatusStore, type StatusStore } from '../../status/status-store.js';
import { createTokenBucket } from '../../transfer/throttle.js';
import { createLocalWatcher, type LocalWatcher, type LocalWatcherOptions } from '../../watch/local-watcher.js';
import { openFolderSession, type FolderSession } from '../once/folder-session.js';
import { engineCycle, engineRemoteCheck, type EnginePortsOptions } from './engine-ports.js';
import { initialPollState, nextPoll, pollConfig as pollConfigOf, type PollConfig, type PollCost, type PollOutcome } from './poll-budget.js';
import type { BandwidthLimits, CheckRemote, CycleFailure, CycleReport, CycleRequest, FolderController, RunCycle } from './ports.js';
import type { QuietListing } from './remote-check.js';
import { wakeAction, type WakeReason } from './wake-policy.js';

export interface FolderControllerOptions {
  id?: string;
  dir: string;
  server: string;
  workspace: string;
  prefix?: string;
  /** The user asked to bind the folder anew (`--rebind`): a base of another binding is dropped, not refused. */
  rebind?: boolean;
  /** The sync cycle; by default the engine's (once/cycle.ts) with a client built by `api`. */
  runCycle?: RunCycle;
  /** Builds the Files API client, once for the controller's life (one client, one rate gate); its transfers should be paced by the given buckets. */
  api?: (bandwidth: CycleRequest['bandwidth']) => FilesApiClient;
  /** The polls' remote check; by default the engine's when the cycle is (none: every poll is a full cycle). */
  checkRemote?: CheckRemote;
  /** Transfers at once (the engine's default when absent). */
  concurrency?: number;
  /** Per-file back-off across cycles (execute/file-backoff.ts); the default when absent. */
  fileBackoff?: EnginePortsOptions['fileBackoff'];
  /** Poll bounds and budget (poll-budget.ts); `minIntervalMs` is the user's "poll at most this often". */
  poll?: Partial<PollConfig>;
  /** Full rescan as a safety net for missed events (default hourly). */
  rescanIntervalMs?: number;
  /** Rescan interval while live watching is impossible (watch limit reached; default 5 min). */
  fallbackScanIntervalMs?: number;
  /** Watcher tuning; `false` turns live watching off (periodic scans only). */
  watch?: Pick<LocalWatcherOptions, 'settle' | 'openWatch' | 'clock'> | false;
  /** Polls skipped while a local file is still being written, before one runs anyway. */
  maxSkippedPolls?: number;
  bandwidth?: BandwidthLimits;
  logger?: Logger;
  /** Time for the polls, rescans and status times (and the watcher's, unless `watch.clock` says otherwise). */
  clock?: Clock;
  /** CPU time this process has used, in ms: what a poll cost (tests pass their own). */
  cpuTime?: () => number;
}

type Cancel = () => void;

type Reason = 'start' | 'poll' | 'local' | 'rescan' | 'sync-now' | 'confirm' | 'restore';

const URGENT: ReadonlySet<Reason> = new Set(['local', 'sync-now', 'confirm', 'restore', 'start']);

export function createFolderController(options: FolderControllerOptions): FolderController {
  const id = options.id ?? randomUUID();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const pollConfig: PollConfig = pollConfigOf(options.poll);
  const cpuTime = options.cpuTime ?? processCpuMs;
  const rescanIntervalMs = options.rescanIntervalMs ?? 3_600_000;
  const fallbackScanIntervalMs = options.fallbackScanIntervalMs ?? 300_000;
  const maxSkippedPolls = options.maxSkippedPolls ?? 3;
  // One client for the controller's life, so its rate gate (a server's "slow down") outlives a cycle.
  const client = options.api === undefined ? undefined : oneClient(options.api);
  const engine = client === undefined ? options : { ...options, api: client };
  const runCycle = options.runCycle ?? defaultCycle(engine, logger);
  const checkRemote = options.checkRemote ?? (options.runCycle ? undefined : defaultCheck(engine, logger));
  const store: StatusStore = createStatusStore(
    {
      folderId: id,
      dir: options.dir,
      server: options.server,
      workspace: options.workspace,
      prefix: options.prefix ?? '',
    },
    { now: () => clock.now() },
  );
  const bandwidth = {
    upload: createTokenBucket(options.bandwidth?.uploadBps ?? 0),
    download: createTokenBucket(options.bandwidth?.downloadBps ?? 0),
  };

  let started = false;
  let stopped = false;
  let paused = false;
  let signedOut = false;
  let session: FolderSession | null = null;
  let watcher: LocalWatcher | null = null;
  let pollState = initialPollState();
  let pollTimer: Cancel | null = null;
  let rescanTimer: Cancel | null = null;
  let skippedPolls = 0;
  let abort: AbortController | null = null;
  let tail: Promise<void> = Promise.resolve();
  let queued: { reason: Reason; done: Promise<void> } | null = null;
  let confirmNext = false;
  /** Something local may be unsynced (seen while no cycle could take it, or it failed): polls run full cycles. */
  let fullCycleOwed = true;
  /** Failed files all in back-off: polls stay quiet until the earliest is due (epoch ms), then one full cycle tries them. */
  let retryDueAt: number | null = null;
  let baseGeneration = 0;
  /** The last full cycle's listing, found quiet against the base it left: the next poll need not compare it again. */
  let handedOver: { generation: number; listing: QuietListing } | null = null;
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

  function clearTimer(timer: Cancel | null): null {
    timer?.();
    return null;
  }

  function schedulePoll(delayMs: number): void {
    pollTimer = clearTimer(pollTimer);
    if (!active()) return;
    pollTimer = after(clock, delayMs, onPollDue);
  }

  function onPollDue(): void {
    pollTimer = null;
    if (watcher && watcher.unsettled > 0 && skippedPolls < maxSkippedPolls) {
      // A file is still being written: its settling triggers the cycle; polling now would catch it half-done.
      skippedPolls += 1;
      schedulePoll(pollConfig.minIntervalMs);
      return;
    }
    void request('poll');
  }

  function scheduleRescan(): void {
    rescanTimer = clearTimer(rescanTimer);
    if (stopped || signedOut) return;
    const every = watcher === null || watcher.degraded ? Math.min(rescanIntervalMs, fallbackScanIntervalMs) : rescanIntervalMs;
    rescanTimer = after(clock, every, () => {
      void request('rescan');
      scheduleRescan();
    });
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
    if (showsWork(event) && store.state !== 'syncing') store.apply({ type: 'state', ...SYNCING });
    store.apply(event);
  }

  function endOpenTransfers(): void {
    for (const transferId of openTransfers) store.apply({ type: 'transfer-end', id: transferId });
    openTransfers.clear();
  }

  async function runOnce(reason: Reason): Promise<void> {
    pollTimer = clearTimer(pollTimer);
    if (session === null) return;
    skippedPolls = 0;
    const controller = new AbortController();
    // Every operation in flight listens on this one signal: Node's default of 10 would warn of a leak at the default concurrency of 16.
    setMaxListeners(abortListenersFor(options.concurrency), controller.signal);
    abort = controller;
    const confirmDeletes = confirmNext;
    confirmNext = false;
    let outcome: PollOutcome;
    let full = false;
    let quietListing: QuietListing | undefined;
    try {
      const cycleStart = { cpuMs: cpuTime(), at: clock.now() };
      const poll = reason === 'poll' ? await quietPoll(session, controller.signal) : null;
      let report = poll?.report ?? null;
      let cost = poll?.cost;
      if (report === null) {
        logger.debug({ reason }, 'sync cycle starting');
        full = true;
        // The scan sees every local change made before this point; later ones owe the next cycle.
        fullCycleOwed = false;
        retryDueAt = null;
        report = await runCycle({
          session,
          signal: controller.signal,
          confirmDeletes,
          onEvent: onCycleEvent,
          bandwidth,
          skip: (path) => watcher?.isSettling(path) ?? false,
          logger,
        });
        quietListing = report.quietListing;
        if (report.failures.length > 0) {
          retryDueAt = earliestRetry(report.failures);
          if (retryDueAt === null) fullCycleOwed = true;
        }
        // A poll that had to be a full cycle (no live watching) and found nothing: that was its cost.
        if (reason === 'poll' && poll === null && !report.changed) cost = costSince(cycleStart, { pages: 0, bytes: 0, steady: true });
      }
      endOpenTransfers();
      if (controller.signal.aborted) {
        if (full) fullCycleOwed = true;
        return; // paused or stopped mid-cycle: whoever aborted sets the state
      }
      store.apply({ type: 'pending', pending: { uploads: 0, downloads: 0, deletes: 0, bytes: 0 } });
      store.apply({ type: 'held', held: report.held });
      forgetSettledProblems(report);
      store.apply({ type: 'synced', at: new Date(clock.now()).toISOString() });
      store.apply({ type: 'state', ...stateAfterCycle(report, standingNotice) });
      outcome = { kind: 'ok', cost };
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
      if (full) {
        baseGeneration += 1;
        handedOver = quietListing === undefined ? null : { generation: baseGeneration, listing: quietListing };
      }
    }
    const decision = nextPoll(pollState, outcome, pollConfig, {
      rateLimitedForMs: client?.(bandwidth).rateLimitedForMs() ?? 0,
      jitter: Math.random(),
    });
    pollState = decision.state;
    if (outcome.kind === 'ok' && outcome.cost !== undefined) {
      const { cpuMs, pages, bytes, wallMs, steady } = outcome.cost;
      logger.debug({ cpuMs: Math.round(cpuMs), pages, bytes, wallMs, steady, nextPollMs: decision.delayMs, bound: decision.reason }, 'poll cost');
    }
    schedulePoll(decision.delayMs);
    persistStatus();
  }

  function costSince(start: { cpuMs: number; at: number }, listing: Pick<PollCost, 'pages' | 'bytes' | 'steady'>): PollCost {
    return { cpuMs: cpuTime() - start.cpuMs, wallMs: clock.now() - start.at, ...listing };
  }

  /**
   * A poll's look at the remote and what it cost: the report when it found the remote as the base
   * left it, null when a full cycle must run (held deletions and file errors stay as the last full
   * cycle left them). Null without a look when a full cycle is owed anyway.
   */
  async function quietPoll(open: FolderSession, signal: AbortSignal): Promise<{ report: CycleReport | null; cost: PollCost } | null> {
    if (!checkRemote || fullCycleOwed || watcher === null || watcher.degraded) return null;
    if (retryDueAt !== null && clock.now() >= retryDueAt) return null;
    const snap = store.snapshot();
    const start = { cpuMs: cpuTime(), at: clock.now() };
    const quietListing = handedOver?.generation === baseGeneration ? handedOver.listing : undefined;
    const comparison = await checkRemote({ session: open, signal, bandwidth, held: snap.heldDeletions, baseGeneration, quietListing, logger });
    const cost = costSince(start, { pages: comparison.pages, bytes: comparison.bytes, steady: comparison.reused });
    if (!comparison.decidable || comparison.differences.length > 0) {
      logger.debug({ differences: comparison.differences.length, decidable: comparison.decidable }, 'the remote changed');
      return { report: null, cost };
    }
    logger.debug({}, 'poll: the remote is as last synced');
    const failures = snap.errors.map((e) => ({ path: e.path, kind: e.kind, message: e.message }));
    return { report: { changed: false, held: snap.heldDeletions, failures }, cost };
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
    if (!session?.writer) return;
    const snap = store.snapshot();
    try {
      session.writer.setMeta(statusToSave(snap));
    } catch (err) {
      logger.warn({ message: (err as Error).message }, 'could not save the folder status');
    }
  }

  function loadHistory(state: FolderSession['state']): void {
    store.apply({ type: 'history', recent: savedActivity(state), lastSyncAt: state.getMeta('lastSyncAt') ?? null });
    // Conflicts wait for the user across restarts; the first cycle drops those already dealt with.
    for (const conflict of savedStatus(state)?.conflicts ?? []) store.apply({ type: 'conflict', conflict });
  }

  async function startWatcher(): Promise<void> {
    if (options.watch === false) return;
    const ignore = await loadIgnoreMatcher(options.dir);
    watcher = createLocalWatcher({
      dir: options.dir,
      ignore: (rel) => ignore.ignores(rel),
      settle: options.watch?.settle,
      openWatch: options.watch?.openWatch,
      clock: options.watch?.clock ?? clock,
      fallbackScanMinutes: Math.max(1, Math.round(fallbackScanIntervalMs / 60_000)),
      logger,
      onSettled: (paths) => {
        logger.debug({ count: paths.length }, 'local changes settled');
        fullCycleOwed = true;
        void request('local');
      },
      onLimit: (report) => {
        standingNotice = report.message;
        if (store.state === 'idle') store.apply({ type: 'state', ...idle(standingNotice) });
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

  // The desktop screens' commands (issue 18), one at a time with the cycles.
  const openApi = engine.api;
  const recovery = createRecoveryActions({
    dir: options.dir,
    exclusive: serial,
    conflictAt,
    conflictSettled(path) {
      store.apply({ type: 'conflict-resolved', path });
      persistStatus();
    },
    changed() {
      fullCycleOwed = true;
      if (active()) void request('local');
    },
    ...(openApi ? { statRemote: (path: string) => openApi(bandwidth).stat(path) } : {}),
  });

  return {
    id,
    ...recovery,
    snapshot: () => store.snapshot(),
    subscribe: (listener: (status: FolderStatus) => void) => store.subscribe(listener),

    async start() {
      if (started) return;
      started = true;
      try {
        session = await openFolderSession({
          root: options.dir,
          server: options.server,
          workspace: options.workspace,
          prefix: options.prefix,
          rebind: options.rebind,
        });
      } catch (err) {
        // Held by another engine or bound elsewhere: nothing runs, and the host says why.
        stopped = true;
        rescanTimer = clearTimer(rescanTimer);
        store.apply({ type: 'state', state: 'error', message: err instanceof Error ? err.message : String(err) });
        throw err;
      }
      loadHistory(session.state);
      await startWatcher();
      scheduleRescan();
      // The first cycle may be a long initial sync: start returns once the folder is being watched.
      // Until it ends, nothing is known to be up to date.
      store.apply({ type: 'state', ...SYNCING });
      void request('start');
    },

    async stop() {
      if (stopped && session === null) return;
      stopped = true;
      pollTimer = clearTimer(pollTimer);
      rescanTimer = clearTimer(rescanTimer);
      abort?.abort();
      await tail;
      await watcher?.close();
      watcher = null;
      if (store.state === 'syncing') store.apply({ type: 'state', ...STOPPED_MID_SYNC });
      store.flush();
      persistStatus();
      // Closing the session empties the scratch folder too: nothing partial is left behind.
      await session?.close();
      session = null;
    },

    async pause() {
      if (paused || stopped) return;
      paused = true;
      pollTimer = clearTimer(pollTimer);
      abort?.abort();
      await tail;
      if (session !== null) await clearStagedDownloads(session, logger);
      if (!signedOut) store.apply({ type: 'state', ...PAUSED });
      persistStatus();
    },

    resume() {
      if (!paused || stopped) return;
      paused = false;
      if (signedOut) return;
      store.apply({ type: 'state', ...idle(standingNotice) });
      pollState = { ...pollState, consecutiveFailures: 0 };
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
        if (held.length === 0 || !session?.writer) return;
        // Without a base row the surviving copy counts as new (rows 11 and 12), so the next cycle
        // copies it back to the side it was deleted from instead of deleting it.
        await session.writer.commit(held.flatMap((h) => h.paths.map((path) => ({ kind: 'delete-base' as const, path }))));
        baseGeneration += 1;
        store.apply({ type: 'held', held: [] });
        logger.info({ count: held.reduce((n, h) => n + h.paths.length, 0) }, 'held deletions restored');
      });
      await request('restore');
    },

    retry(path: string) {
      if (!active()) return;
      logger.info({ path }, 'retry requested');
      // The user's retry is not held back by the file's back-off (execute/file-backoff.ts).
      exclusive(async () => session?.writer?.commit([{ kind: 'delete-backoff', path }])).catch((err: unknown) =>
        logger.warn({ path, message: (err as Error).message }, 'could not clear the back-off'),
      );
      void request('sync-now');
    },

    retryAll() {
      if (!active()) return;
      const paths = store.snapshot().errors.map((e) => e.path);
      logger.info({ count: paths.length }, 'retry of every failing file requested');
      // "Retry all" (issue 18): no failing file is held back by its back-off.
      exclusive(async () => session?.writer?.commit(paths.map((path) => ({ kind: 'delete-backoff' as const, path })))).catch((err: unknown) =>
        logger.warn({ message: (err as Error).message }, 'could not clear the back-offs'),
      );
      void request('sync-now');
    },

    async resolveConflict(path: string, keep: 'local' | 'remote') {
      await exclusive(async () => {
        const conflict = conflictAt(path);
        if (!conflict) return;
        const batch = conflictTrashBatch(new Date(clock.now()));
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

    wake(reason: WakeReason) {
      const lastSync = Date.parse(store.snapshot().lastSyncAt ?? '');
      const action = wakeAction(reason, {
        state: store.state,
        active: active(),
        sinceSyncMs: Number.isFinite(lastSync) ? clock.now() - lastSync : Number.POSITIVE_INFINITY,
        serverWaitMs: client?.(bandwidth).rateLimitedForMs() ?? 0,
        floorMs: pollConfig.minIntervalMs,
      });
      logger.info({ reason, action: action.do, why: action.why }, 'woken');
      if (action.do === 'nothing') return;
      // A wake starts the back-off afresh: the network that failed may be a new one now.
      pollState = { ...pollState, consecutiveFailures: 0 };
      if (action.do === 'poll') {
        void request('poll');
        return;
      }
      // Reload: a new watcher reads the ignore rules again (a folder they now let in gets watched), then a full cycle.
      void exclusive(async () => {
        if (!active()) return;
        await watcher?.close();
        watcher = null;
        await startWatcher();
        fullCycleOwed = true;
      })
        .catch((err: unknown) => logger.warn({ message: (err as Error).message }, 'could not restart the watcher'))
        .then(() => request('sync-now'));
    },
  };
}

/** The engine's cycle and remote check, for a controller given a client instead of a cycle. */
function engineOptions(options: FolderControllerOptions, logger: Logger): EnginePortsOptions | null {
  if (!options.api) return null;
  return {
    api: options.api,
    logger,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.fileBackoff === undefined ? {} : { fileBackoff: options.fileBackoff }),
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

/** When the first of these failed files is tried again, or null when one of them is not in back-off (the next cycle tries it). */
function earliestRetry(failures: readonly CycleFailure[]): number | null {
  let earliest = Infinity;
  for (const f of failures) {
    const at = f.nextAttemptAt === undefined ? NaN : Date.parse(f.nextAttemptAt);
    if (Number.isNaN(at)) return null;
    earliest = Math.min(earliest, at);
  }
  return earliest === Infinity ? null : earliest;
}

function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Downloads abandoned by an aborted cycle are never resumed from scratch: leave nothing partial behind. */
async function clearStagedDownloads(session: FolderSession, logger: Logger): Promise<void> {
  const removed = await clearScratch(session.layout);
  if (removed > 0) logger.debug({ count: removed }, 'removed abandoned partial downloads');
}

async function moveToTrashIfPresent(dir: string, path: string, batch: string): Promise<void> {
  try {
    await moveToTrash(dir, path, batch);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
