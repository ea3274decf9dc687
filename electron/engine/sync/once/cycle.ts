/**
 * One sync cycle over a folder session: recover the journal, then scan, list, reconcile and
 * execute, again while something was left for a later pass (a file that changed under the
 * engine), and report what happened. `syncOnce` is the whole one-shot run (`wsync sync --once`):
 * the key checked, a session opened for the cycle and closed after it. The background controller
 * holds one session and runs many cycles in it.
 */
import { existsSync } from 'node:fs';
import { writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilesApi } from '../../api/types.js';
import { addCounts, executePlan, noCounts } from '../../execute/executor.js';
import { DEFAULT_BACKOFF_POLICY, FileBackoffs, type BackoffPolicy } from '../../execute/file-backoff.js';
import type { JobPoolFactory } from '../../execute/job-pool.js';
import type { Deferred, ExecutionCounts, FileFailure } from '../../execute/executor.js';
import type { ScanProblem } from '../../local/scan.js';
import type { Listing } from '../../model/trees.js';
import { silentLogger } from '../../logger.js';
import type { Logger } from '../../logger.js';
import type { LetLoopIn } from '../../model/slices.js';
import { STATE_DIR } from '../../model/state-folder.js';
import { DEFAULT_DELETE_GUARD } from '../../plan/delete-guard.js';
import { createProver, reconcileProving } from '../../equal-bytes/prove.js';
import type { DeleteGuardOptions, Plan, RefusedName } from '../../plan/types.js';
import type { StatusEvent } from '../../status/events.js';
import { pendingOf } from '../../status/pending.js';
import { outcomeOfCycle, outcomeOfStop, recordRunOutcome, type RunOutcome } from '../../status/saved-status.js';
import { bindingOf, openFolderSession, type FolderSession, type FolderSessionOptions } from './folder-session.js';
import { recoverJournal } from './recover.js';
import type { RecoveryResult } from './recover.js';
import { gatherTrees, startListing, type PendingListing } from './trees.js';

export interface CycleOptions {
  api: FilesApi;
  concurrency?: number;
  confirmDeletes?: boolean;
  deleteGuard?: DeleteGuardOptions;
  /** Passes per cycle while files changed under the engine (default 3). */
  maxPasses?: number;
  logger?: Logger;
  /** Progress, completed operations, conflicts, held deletions and per-file errors as they happen. */
  onEvent?: (event: StatusEvent) => void;
  now?: () => Date;
  /** Cancels the cycle: no new operation starts, transfers in flight are aborted. */
  signal?: AbortSignal;
  /**
   * Paths to leave alone this cycle (a file the watcher sees still being written): left out of
   * all three trees, like unreadable ones, so nothing is done to them until a later cycle.
   */
  skip?: (path: string) => boolean;
  /** Per-file back-off across cycles (execute/file-backoff.ts); a zero base delay retries failed files every cycle. */
  fileBackoff?: Partial<BackoffPolicy>;
  /** Files in back-off are tried now all the same (the user asked to retry). */
  retryFailedNow?: boolean;
  /** The first pass's listing, begun by the caller beside the session's opening. */
  listing?: PendingListing;
  /**
   * How planning lets the event loop in between its slices (default model/slices.ts letLoopIn:
   * setImmediate), so the signal is heard inside a long plan; a test passes its own to act there.
   */
  betweenPlanSlices?: LetLoopIn;
  /** The order ready jobs get a worker (execute/job-pool.ts; default first in, first out). */
  jobPool?: JobPoolFactory;
}

export interface CycleResult {
  /** True when both sides were equal at the end (nothing failed, deferred, held or refused). */
  inSync: boolean;
  passes: number;
  /** True when no base rows existed (a new folder, one that lost `.wsync/`, or one just re-bound). */
  firstSync: boolean;
  /** The plan of the first pass (what `--dry-run` prints). */
  plan: Plan;
  counts: ExecutionCounts;
  bytesUploaded: number;
  bytesDownloaded: number;
  conflicts: { path: string; copyPath: string }[];
  failed: FileFailure[];
  /** Changed under the engine during the last pass: the next cycle takes them up. */
  deferred: Deferred[];
  held: Plan['held'];
  refused: RefusedName[];
  unreadable: ScanProblem[];
  /** Every symbolic link skipped, and those reported for the first time. */
  symlinks: { all: string[]; firstSeen: string[] };
  recovery: RecoveryResult;
  /** False when the server may hold more than it listed: no remote deletion was inferred then. */
  listingComplete: boolean;
  /**
   * The remote as the first pass listed it (whole paths, nothing left out), or null before a pass:
   * a host that finds the cycle had nothing to do can recognise the same listing later without
   * reading the base again.
   */
  listed: Listing | null;
}

/** Whether this file system tells `A` from `a`, found with a probe file in `.wsync/`. */
async function isCaseInsensitive(stateDir: string): Promise<boolean> {
  const probe = join(stateDir, 'CaseProbe');
  await writeFile(probe, '');
  try {
    return existsSync(join(stateDir, 'caseprobe'));
  } finally {
    await unlink(probe);
  }
}

/** A read-only session (no writer) plans and stops: a dry run. */
export async function runCycle(session: FolderSession, options: CycleOptions): Promise<CycleResult> {
  const { root, layout, state, writer } = session;
  const prefix = session.binding.prefix;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const platform = process.platform;
  const emit = options.onEvent ?? (() => undefined);
  let firstListing: PendingListing | null = options.listing ?? startListing(options.api, prefix, options.signal);
  const startedAt = now();
  const startedFirst = !state.hasBase();
  /** What `wsync status` reads back (status/saved-status.ts); never in the way of the cycle's own result. */
  const record = async (outcome: RunOutcome): Promise<void> => {
    if (writer === null) return;
    await recordRunOutcome(layout, outcome).catch((err: unknown) =>
      logger.warn({ message: (err as Error).message }, 'could not record the run outcome'),
    );
  };

  try {
    const caseInsensitiveFs = writer === null ? platform === 'darwin' || platform === 'win32' : await isCaseInsensitive(layout.stateDir);
    const recovery = writer !== null ? await recoverJournal(state, writer, options.api, root, prefix) : { intents: 0, completed: [], forgotten: [] };
    if (recovery.intents > 0) {
      logger.info({ ...recovery }, 'recovered unfinished operations');
      // Older than the base recovery wrote: a file recovery found on the server could be missing
      // from it, and would then read as deleted there.
      firstListing.stop();
      firstListing = null;
    }
    const firstSync = !state.hasBase();

    const result: CycleResult = {
      inSync: false,
      passes: 0,
      firstSync,
      plan: { actions: [], refused: [], held: [] },
      counts: noCounts(),
      bytesUploaded: 0,
      bytesDownloaded: 0,
      conflicts: [],
      failed: [],
      deferred: [],
      held: [],
      refused: [],
      unreadable: [],
      symlinks: { all: [], firstSeen: [] },
      recovery,
      listingComplete: true,
      listed: null,
    };
    const backoff =
      writer === null
        ? undefined
        : new FileBackoffs(state.fileBackoffs(), { ...DEFAULT_BACKOFF_POLICY, ...options.fileBackoff }, options.retryFailedNow === true);
    const maxPasses = writer === null ? 1 : Math.max(1, options.maxPasses ?? 3);
    for (let pass = 1; pass <= maxPasses; pass++) {
      options.signal?.throwIfAborted();
      const listing = firstListing ?? startListing(options.api, prefix, options.signal);
      firstListing = null;
      const trees = await gatherTrees(root, prefix, listing, state, platform, options.skip ?? (() => false));
      // Equal bytes the listing cannot show (multipart and SSE-KMS etags) are proved by reading first.
      const proven = await reconcileProving(
        {
          local: trees.local,
          remote: trees.remote,
          base: trees.base,
          now: now(),
          options: {
            caseInsensitiveFs,
            platform,
            deleteGuard: options.deleteGuard ?? DEFAULT_DELETE_GUARD,
            confirmDeletes: options.confirmDeletes === true,
          },
        },
        createProver({
          root,
          api: options.api,
          signal: options.signal,
          ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        }),
        { signal: options.signal, ...(options.betweenPlanSlices === undefined ? {} : { between: options.betweenPlanSlices }) },
      );
      const plan = proven.plan;
      result.failed.push(...proven.failed);
      result.passes = pass;
      if (pass === 1) {
        result.plan = plan;
        result.listed = trees.listed;
        result.symlinks = { all: trees.symlinks, firstSeen: writer !== null ? writer.firstNotices('symlink', trees.symlinks) : trees.symlinks };
      }
      result.held = plan.held;
      result.refused = plan.refused;
      result.unreadable = trees.unreadable;
      result.listingComplete = trees.remote.complete;
      if (plan.held.length > 0) emit({ type: 'held', held: plan.held });
      if (writer === null) break;
      emit({ type: 'pending', pending: pendingOf(plan) });
      const executed = await executePlan(plan, {
        root,
        prefix,
        api: options.api,
        writer,
        listed: trees.remote.files,
        ...(backoff === undefined ? {} : { backoff }),
        logger,
        now,
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.jobPool === undefined ? {} : { pool: options.jobPool }),
        ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      addCounts(result.counts, executed.counts);
      result.bytesUploaded += executed.bytesUploaded;
      result.bytesDownloaded += executed.bytesDownloaded;
      result.conflicts.push(...executed.conflicts);
      result.failed.push(...executed.failed);
      result.deferred = [...proven.deferred, ...executed.deferred];
      if (result.deferred.length === 0) break;
      logger.info({ pass, deferred: result.deferred.length }, 'files changed during the pass; another pass');
    }
    result.inSync =
      writer !== null &&
      result.failed.length === 0 &&
      result.deferred.length === 0 &&
      result.held.length === 0 &&
      result.refused.length === 0 &&
      result.unreadable.length === 0;
    if (writer !== null) {
      const at = now().toISOString();
      writer.setMeta({ lastSyncAt: at });
      if (result.inSync) emit({ type: 'synced', at });
    }
    await record(outcomeOfCycle(result, { startedAt, finishedAt: now() }));
    return result;
  } catch (err) {
    const interrupted = options.signal?.aborted === true;
    await record(
      outcomeOfStop(
        { interrupted, message: err instanceof Error ? err.message : String(err), firstSync: startedFirst },
        { startedAt, finishedAt: now() },
      ),
    );
    throw err;
  } finally {
    // Not taken up (the cycle failed before its first pass): stopped, its outcome ignored.
    firstListing?.stop();
  }
}

export type SyncOnceOptions = Omit<FolderSessionOptions, 'readOnly'> &
  Omit<CycleOptions, 'listing'> & {
    /** Plan only: nothing is transferred, and nothing is created under root. */
    dryRun?: boolean;
    /** The caller's own first request has just proved the key (the CLI's server check): not asked again. */
    keyProven?: boolean;
  };

/** `wsync sync --once`: one cycle in a session of its own. */
export async function syncOnce(options: SyncOnceOptions): Promise<CycleResult> {
  const { root, server, workspace, prefix, rebind, dryRun, keyProven, writerLater, ...cycle } = options;
  const remotePrefix = bindingOf({ server, workspace, prefix }).prefix;
  // Any request proves the key before anything is created on disk: a refused key changes nothing.
  if (keyProven !== true) await cycle.api.stat(`${remotePrefix}${STATE_DIR}/auth-check`);
  // The first pass's listing starts now, beside the session's opening: it mostly waits on the
  // server, and nothing before the scan changes the remote.
  const listing = startListing(cycle.api, remotePrefix, cycle.signal);
  let session: FolderSession;
  try {
    session = await openFolderSession({ root, server, workspace, prefix, rebind, readOnly: dryRun === true, writerLater });
  } catch (err) {
    listing.stop();
    throw err;
  }
  try {
    return await runCycle(session, { ...cycle, listing });
  } finally {
    await session.close();
  }
}
