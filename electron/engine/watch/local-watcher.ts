/**
 * Watches a sync folder and says when local changes have settled (the rule is settle.ts): a file
 * written in one go settles 100 ms after its last event, so it goes up at once; a file still being
 * written (a copy, a download) waits until it has held still, so it goes up once, complete. Only
 * when every pending path has settled is the change reported, so an editor's save (write a
 * temporary file, rename it over the original) settles as one change of the original path.
 *
 * Only folders are watched (folder-watches.ts). A watch on a folder already names every entry in
 * it that changes, so a watch per file would only cost a kernel watch, a handle and closures per
 * file: over a gigabyte and most of a core for 100,000 files (chokidar's default, measured). Files
 * are told apart from folders only by lstat when they settle.
 */
import { lstat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { after, systemClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { inStateFolder } from '../model/state-folder.js';
import { createFolderWatches, type FolderWatches, type OpenFolderWatch } from './folder-watches.js';
import { DEFAULT_SETTLE_CONFIG, firstEvent, judgeSettling, nextEvent, type Look, type SettleConfig, type Settling } from './settle.js';
import { errorCode, watchLimitReport, type WatchLimitReport } from './watch-limits.js';

export interface LocalWatcherOptions {
  dir: string;
  /** Relative '/'-separated paths to ignore besides `.wsync/` (matched for files and folders). */
  ignore?: (relPath: string) => boolean;
  /** Settle times (settle.ts): after a one-go write, for a file still growing, and the longest wait. */
  settle?: Partial<SettleConfig>;
  /** Used in the limit report: how often the caller scans when live watching is off. */
  fallbackScanMinutes?: number;
  /** Every pending path is stable: these paths changed since the last call. */
  onSettled: (paths: string[]) => void;
  /** The OS refused more watches: live watching has stopped; the caller must scan periodically. */
  onLimit: (report: WatchLimitReport) => void;
  logger?: Logger;
  /** Time for the settle waits. */
  clock?: Clock;
  /** Seam for tests that must reproduce a watch failure or a missed event; defaults to fs.watch. */
  openWatch?: OpenFolderWatch;
}

export interface LocalWatcher {
  /** Resolves once every folder of the tree is being watched (or a watch limit stopped it). */
  start(): Promise<void>;
  close(): Promise<void>;
  /** Paths with changes that have not settled yet (a file still being written, a burst of events). */
  readonly unsettled: number;
  /** Whether this relative path (or a folder above it) has changes that have not settled yet. */
  isSettling(relPath: string): boolean;
  /** True after a watch limit stopped live watching. */
  readonly degraded: boolean;
}

interface PendingPath {
  /** Cancels the pending look, if one is armed. */
  timer: (() => void) | null;
  settling: Settling;
}

export function createLocalWatcher(options: LocalWatcherOptions): LocalWatcher {
  const settle: SettleConfig = { ...DEFAULT_SETTLE_CONFIG, ...options.settle };
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const pending = new Map<string, PendingPath>();
  /** When paths last settled, for the rewrite window (pruned as it passes). */
  const settledAt = new Map<string, number>();
  const changed = new Set<string>();
  let watches: FolderWatches | null = null;
  let degraded = false;
  let closed = false;

  const toRelative = (abs: string): string => relative(options.dir, abs).split(sep).join('/');

  function ignored(abs: string): boolean {
    const rel = toRelative(abs);
    if (rel === '' || rel.startsWith('..')) return false;
    if (inStateFolder(rel)) return true;
    return options.ignore?.(rel) ?? false;
  }

  async function look(rel: string): Promise<Look> {
    try {
      const st = await lstat(join(options.dir, rel));
      const signature = `${st.isDirectory() ? 'd' : 'f'}:${st.size}:${st.mtimeMs}:${st.ino}`;
      return st.isDirectory() ? { kind: 'dir', signature } : { kind: 'file', signature, mtimeMs: st.mtimeMs };
    } catch {
      return { kind: 'gone' };
    }
  }

  /**
   * What is under a folder that changed in its parent (created, moved in, made again): its files
   * may have been written before its watch was open, so no event named them. Its watches are
   * opened again, since the ones it had may be of a folder that was there before (same path,
   * another inode) and would never speak again; what is in it is listed after they are open.
   */
  async function entriesUnder(rel: string): Promise<string[]> {
    const abs = join(options.dir, rel);
    watches?.unwatchTree(abs);
    const found = (await watches?.watchTree(abs, true)) ?? [];
    return found.map(toRelative);
  }

  function arm(rel: string, entry: PendingPath, ms: number): void {
    entry.timer?.();
    entry.timer = after(clock, ms, () => void examine(rel, entry));
  }

  async function examine(rel: string, entry: PendingPath): Promise<void> {
    entry.timer = null;
    const seen = await look(rel);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() and arm() may run while look() is awaited
    if (closed || pending.get(rel) !== entry || entry.timer) return; // superseded while we looked
    const decision = judgeSettling(entry.settling, seen, clock.now(), settle);
    if (!decision.settled) {
      entry.settling = decision.state;
      arm(rel, entry, decision.waitMs);
      return;
    }
    if (seen.kind !== 'dir') watches?.unwatchTree(join(options.dir, rel));
    const inside = seen.kind === 'dir' ? await entriesUnder(rel) : [];
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() and arm() may run while entriesUnder() is awaited
    if (closed || pending.get(rel) !== entry || entry.timer) return;
    pending.delete(rel);
    rememberSettled(rel);
    changed.add(rel);
    for (const path of inside) changed.add(path);
    if (pending.size === 0) {
      const paths = [...changed];
      changed.clear();
      options.onSettled(paths);
    }
  }

  function rememberSettled(rel: string): void {
    const now = clock.now();
    for (const [path, at] of settledAt) {
      if (now - at <= settle.rewriteWindowMs) break; // in settling order: the rest are newer
      settledAt.delete(path);
    }
    settledAt.delete(rel);
    settledAt.set(rel, now);
  }

  function onEvent(abs: string): void {
    if (closed) return;
    const rel = toRelative(abs);
    if (rel === '' || rel.startsWith('..')) return;
    const now = clock.now();
    let entry = pending.get(rel);
    if (entry === undefined) {
      entry = { timer: null, settling: firstEvent(now, settle, settledAt.get(rel)) };
      pending.set(rel, entry);
    } else {
      entry.settling = nextEvent(entry.settling, now);
    }
    arm(rel, entry, settle.settleMs);
  }

  function stopLive(): void {
    watches?.closeAll();
    watches = null;
  }

  function onError(err: unknown): void {
    const report = watchLimitReport(err, options.fallbackScanMinutes ?? 5);
    if (!report) {
      // A folder removed before its watch opened is named by its parent's watch; nothing to say.
      if (errorCode(err) !== 'ENOENT') logger.warn({ err: String(err) }, 'file watcher error');
      return;
    }
    if (degraded) return;
    degraded = true;
    logger.error({ code: report.code }, report.message);
    stopLive();
    options.onLimit(report);
  }

  return {
    async start() {
      watches = createFolderWatches({
        ignored,
        onChange: (abs) => {
          if (!ignored(abs)) onEvent(abs);
        },
        onError,
        open: options.openWatch,
      });
      // The engine scans the tree itself: the first read only opens the watches.
      await watches.watchTree(options.dir, false);
    },
    close() {
      closed = true;
      for (const entry of pending.values()) entry.timer?.();
      pending.clear();
      stopLive();
      return Promise.resolve();
    },
    get unsettled() {
      return pending.size;
    },
    isSettling(relPath) {
      if (pending.size === 0) return false;
      if (pending.has(relPath)) return true;
      for (let i = relPath.lastIndexOf('/'); i > 0; i = relPath.lastIndexOf('/', i - 1)) {
        if (pending.has(relPath.slice(0, i))) return true;
      }
      return false;
    },
    get degraded() {
      return degraded;
    },
  };
}
