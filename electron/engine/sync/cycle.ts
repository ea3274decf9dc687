/**
 * One sync cycle for one folder: lock, open the state, recover the journal, then scan, list,
 * reconcile and execute, again while something was left for a later pass (a file that changed
 * under the engine), and report what happened. Hosts (the CLI, the desktop controller) call this.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import type { BaseEntry, Listing, LocalEntry, RemoteFile } from '../model/trees.js';
import type { FilesApi } from '../api/types.js';
import { WsyncError } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import { executePlan } from '../execute/executor.js';
import { syncedStateWriter } from '../execute/synced-writes.js';
import { DEFAULT_BACKOFF_POLICY, FileBackoffs, type BackoffPolicy } from '../execute/file-backoff.js';
import type { Deferred, ExecutionCounts, FileFailure } from '../execute/executor.js';
import { toLocalRemote } from '../model/remote-paths.js';
import { loadIgnoreMatcher } from '../local/ignore.js';
import type { IgnoreMatcher } from '../local/ignore.js';
import { acquireFolderLock } from '../local/lock.js';
import type { FolderLock } from '../local/lock.js';
import { refuseNestedFolder } from '../local/nested-folders.js';
import { checkPrefix } from '../validate/prefix.js';
import { scanFolder } from '../local/scan.js';
import type { ScanProblem, ScanResult } from '../local/scan.js';
import { clearScratch, folderLayout } from '../local/folder-layout.js';
import { DEFAULT_DELETE_GUARD } from '../plan/delete-guard.js';
import { STATE_DIR } from '../model/state-folder.js';
import { unsafePathReason } from '../plan/names.js';
import { reconcile } from '../plan/reconcile.js';
import type { DeleteGuardOptions, Plan, Platform, RefusedName } from '../plan/types.js';
import { StateDb } from '../state/state-db.js';
import type { StatusEvent } from '../status/events.js';
import { pendingOf } from '../status/pending.js';
import { recoverJournal } from './recover.js';
import type { RecoveryResult } from './recover.js';

export interface CycleOptions {
  /** Absolute path of the local folder. */
  root: string;
  server: string;
  workspace: string;
  /** The remote folder mirrored into root ('' = the whole workspace). */
  prefix?: string;
  api: FilesApi;
  concurrency?: number;
  /** Plan only: nothing is transferred, and nothing is created under root. */
  dryRun?: boolean;
  confirmDeletes?: boolean;
  deleteGuard?: DeleteGuardOptions;
  /** Passes per cycle while files changed under the engine (default 3). */
  maxPasses?: number;
  logger?: Logger;
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
}

export interface CycleResult {
  /** True when both sides were equal at the end (nothing failed, deferred, held or refused). */
  inSync: boolean;
  passes: number;
  /** True when no base rows existed (a new folder, or one that lost `.wsync/`). */
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

const emptyCounts = (): ExecutionCounts => ({
  uploaded: 0,
  downloaded: 0,
  deletedRemote: 0,
  deletedLocal: 0,
  renamedLocal: 0,
  movedRemote: 0,
  recorded: 0,
  forgotten: 0,
  conflicts: 0,
});

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

const under = (path: string, problem: ScanProblem): boolean =>
  problem.path === '' || path === problem.path || (problem.path.endsWith('/') && path.startsWith(problem.path));

interface Trees {
  local: LocalEntry[];
  remote: Listing;
  /** The listing as the server gave it. */
  listed: Listing;
  base: BaseEntry[];
  symlinks: string[];
  unreadable: ScanProblem[];
}

/** Base rows read per page: between pages the listing's answers are taken in. */
const BASE_PAGE = 5000;

async function readBase(db: StateDb | null): Promise<Map<string, BaseEntry>> {
  const byPath = new Map<string, BaseEntry>();
  if (db === null) return byPath;
  for (let after = ''; ; ) {
    const page = db.basePage(after, BASE_PAGE);
    for (const entry of page) byPath.set(entry.path, entry);
    const last = page[page.length - 1];
    if (page.length < BASE_PAGE || last === undefined) return byPath;
    after = last.path;
    await setImmediate();
  }
}

/** A listing under way; `stop` aborts it and whatever else was given its signal. */
interface PendingListing {
  result: Promise<Listing>;
  signal: AbortSignal;
  stop: () => void;
}

function startListing(api: FilesApi, prefix: string, signal: AbortSignal | undefined): PendingListing {
  const stop = new AbortController();
  const both = signal === undefined ? stop.signal : AbortSignal.any([signal, stop.signal]);
  const result = api.list(prefix, { signal: both });
  // Handled from the start: it may fail before anyone awaits it (during the base read, say).
  result.catch(() => undefined);
  return { result, signal: both, stop: () => stop.abort() };
}

/**
 * The three trees for one pass. Ignored names are left out of all three (so an ignored file is
 * neither uploaded, downloaded nor deleted), except unsafe remote names, which the planner reports.
 * A path the scan could not read is left out of all three: unknown is not deleted. So is a path
 * the caller asked to skip. The listing, already under way, runs beside the base read and the
 * scan: it mostly waits on the server. If anything fails, the rest is stopped before the error is
 * passed on.
 */
async function gatherTrees(
  root: string,
  prefix: string,
  pending: PendingListing,
  db: StateDb | null,
  platform: Platform,
  skip: (path: string) => boolean,
): Promise<Trees> {
  const listing = pending.result;
  const both = pending.signal;
  let scanning: Promise<ScanResult> | undefined;
  try {
    const ignore: IgnoreMatcher = await loadIgnoreMatcher(root);
    const baseByPath = await readBase(db);
    scanning = existsSync(root)
      ? scanFolder(root, { ignore, base: (p) => baseByPath.get(p), signal: both })
      : Promise.resolve({ entries: [], symlinks: [], unreadable: [], hashed: 0 });
    const [scan, remote] = await Promise.all([scanning, listing]);
    const known = (path: string) => !skip(path) && !scan.unreadable.some((u) => under(path, u));
    const remoteFiles: RemoteFile[] = [];
    for (const file of remote.files) {
      if (!file.path.startsWith(prefix)) continue;
      const local = toLocalRemote(file, prefix);
      if ((!ignore.ignores(local.path) || unsafePathReason(local.path, platform) !== null) && known(local.path)) remoteFiles.push(local);
    }
    const base: BaseEntry[] = [];
    for (const entry of baseByPath.values()) if (!ignore.ignores(entry.path) && known(entry.path)) base.push(entry);
    return {
      local: scan.entries.filter((e) => known(e.path)),
      remote: { files: remoteFiles, complete: remote.complete },
      listed: remote,
      base,
      symlinks: scan.symlinks,
      unreadable: scan.unreadable,
    };
  } catch (err) {
    pending.stop();
    await Promise.allSettled([listing, scanning]);
    throw err;
  }
}

export async function runCycle(options: CycleOptions): Promise<CycleResult> {
  // Checked again here: a stored setting may predate the check where the prefix was entered.
  const checkedPrefix = checkPrefix(options.prefix ?? '');
  if (!checkedPrefix.ok) throw new WsyncError('fatal', checkedPrefix.message, { code: 'USAGE' });
  const prefix = checkedPrefix.prefix;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const platform = process.platform as Platform;
  const root = options.root;
  const layout = folderLayout(root);
  const emit = options.onEvent ?? (() => undefined);
  await refuseNestedFolder(root, await loadIgnoreMatcher(root));

  // Any request proves the key before anything is created on disk: a refused key changes nothing.
  await options.api.stat(`${prefix}${STATE_DIR}/auth-check`);
  // The first pass's listing starts now, beside the set-up below: it mostly waits on the server,
  // and nothing before the scan changes the remote. Journal recovery, though, writes base rows
  // from what it finds on the server after this listing was taken; then the listing is dropped.
  let firstListing: PendingListing | null = startListing(options.api, prefix, options.signal);

  let lock: FolderLock | null = null;
  let db: StateDb | null = null;
  try {
    if (options.dryRun) {
      if (existsSync(layout.stateDb)) db = StateDb.open(layout.stateDb, { readonly: true });
    } else {
      await mkdir(root, { recursive: true });
      lock = acquireFolderLock(root);
      db = StateDb.open(layout.stateDb);
      checkBinding(db, options.workspace, prefix);
      recordBinding(db, { server: options.server, workspace: options.workspace, prefix });
    }
    emit({ type: 'state', state: 'syncing' });
    const caseInsensitiveFs = options.dryRun ? platform === 'darwin' || platform === 'win32' : await isCaseInsensitive(layout.stateDir);
    const recovery = db !== null && !options.dryRun ? await recoverJournal(db, options.api, root, prefix) : { intents: 0, completed: [], forgotten: [] };
    if (recovery.intents > 0) {
      logger.info({ ...recovery }, 'recovered unfinished operations');
      // Older than the base recovery wrote: a file recovery found on the server could be missing
      // from it, and would then read as deleted there.
      firstListing.stop();
      firstListing = null;
    }
    // What a killed process left in the scratch folder is incomplete and referenced by nothing.
    if (!options.dryRun) await clearScratch(layout);
    const firstSync = db?.hasBase() !== true;

    const result: CycleResult = {
      inSync: false,
      passes: 0,
      firstSync,
      plan: { actions: [], refused: [], held: [] },
      counts: emptyCounts(),
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
      db === null || options.dryRun ? undefined : new FileBackoffs(db.fileBackoffs(), { ...DEFAULT_BACKOFF_POLICY, ...options.fileBackoff }, options.retryFailedNow === true);
    const maxPasses = options.dryRun ? 1 : Math.max(1, options.maxPasses ?? 3);
    for (let pass = 1; pass <= maxPasses; pass++) {
      options.signal?.throwIfAborted();
      const listing = firstListing ?? startListing(options.api, prefix, options.signal);
      firstListing = null;
      const trees = await gatherTrees(root, prefix, listing, db, platform, options.skip ?? (() => false));
      const plan = reconcile({
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
      });
      result.passes = pass;
      if (pass === 1) {
        result.plan = plan;
        result.listed = trees.listed;
        result.symlinks = { all: trees.symlinks, firstSeen: db !== null && !options.dryRun ? db.firstNotices('symlink', trees.symlinks) : trees.symlinks };
      }
      result.held = plan.held;
      result.refused = plan.refused;
      result.unreadable = trees.unreadable;
      result.listingComplete = trees.remote.complete;
      if (plan.held.length > 0) emit({ type: 'held', held: plan.held });
      if (options.dryRun || db === null) break;
      emit({ type: 'pending', pending: pendingOf(plan) });
      const executed = await executePlan(plan, {
        root,
        prefix,
        api: options.api,
        // Until the folder session's one writer lands (e1): today's synced-writes path.
        writer: syncedStateWriter(db),
        ...(backoff === undefined ? {} : { backoff }),
        logger,
        now,
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      for (const [k, v] of Object.entries(executed.counts)) result.counts[k as keyof ExecutionCounts] += v;
      result.bytesUploaded += executed.bytesUploaded;
      result.bytesDownloaded += executed.bytesDownloaded;
      result.conflicts.push(...executed.conflicts);
      result.failed.push(...executed.failed);
      result.deferred = executed.deferred;
      if (executed.deferred.length === 0) break;
      logger.info({ pass, deferred: executed.deferred.length }, 'files changed during the pass; another pass');
    }
    result.inSync =
      !options.dryRun &&
      result.failed.length === 0 &&
      result.deferred.length === 0 &&
      result.held.length === 0 &&
      result.refused.length === 0 &&
      result.unreadable.length === 0;
    if (!options.dryRun && db !== null) {
      const at = now().toISOString();
      db.setMeta({ lastSyncAt: at, lastCycle: result.inSync ? 'synced' : result.held.length > 0 ? 'held' : 'partial' });
      if (result.inSync) emit({ type: 'synced', at });
    }
    emit({ type: 'state', state: result.held.length > 0 ? 'needs-confirmation' : result.inSync ? 'idle' : 'error' });
    return result;
  } finally {
    // Not taken up (the cycle failed before its first pass): stopped, its outcome ignored.
    firstListing?.stop();
    db?.close();
    lock?.release();
  }
}

/** Written only when it changed: a cycle over a synced folder then opens no write before its end. */
function recordBinding(db: StateDb, binding: { server: string; workspace: string; prefix: string }): void {
  if (db.getMeta('server') === binding.server && db.getMeta('workspace') === binding.workspace && db.getMeta('prefix') === binding.prefix) return;
  db.setMeta(binding);
}

/**
 * A folder's base belongs to one workspace and prefix: reconciling it against another would read
 * every file there as deleted remotely.
 */
function checkBinding(db: StateDb, workspace: string, prefix: string): void {
  const boundWorkspace = db.getMeta('workspace');
  const boundPrefix = db.getMeta('prefix');
  if (!db.hasBase() || boundWorkspace === undefined) return;
  if (boundWorkspace !== workspace || (boundPrefix ?? '') !== prefix) {
    throw new WsyncError(
      'fatal',
      `this folder is synced with workspace ${boundWorkspace}${boundPrefix ? ` (prefix ${boundPrefix})` : ''}; ` +
        `it cannot be synced with ${workspace}${prefix ? ` (prefix ${prefix})` : ''} as well`,
      { code: 'BOUND_ELSEWHERE' },
    );
  }
}
