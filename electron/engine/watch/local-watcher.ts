/**
 * Watches a sync folder and says when local changes have settled (the rule is settle.ts): a file
 * written in one go settles 100 ms after its last event, so it goes up at once; a file still being
 * written (a copy, a download) waits until it has held still, so it goes up once, complete. Only
 * when every pending path has settled is the change reported, so an editor's save (write a
 * temporary file, rename it over the original) settles as one change of the original path.
 *
 * Only folders are watched. A watch on a folder already reports what happens to every entry in it
 * (chokidar's 'raw' events name the entry), so a watch per file, chokidar's default, would only
 * cost a kernel watch, a descriptor-sized handle and closures per file: over a gigabyte and most
 * of a core for 100,000 files. Files are told apart from folders only by lstat when they settle.
 */
import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { watch, type ChokidarOptions, type FSWatcher } from 'chokidar';
import { after, systemClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { inStateFolder } from '../model/state-folder.js';
import { DEFAULT_SETTLE_CONFIG, firstEvent, judgeSettling, nextEvent, type Look, type SettleConfig, type Settling } from './settle.js';
import { watchLimitReport, type WatchLimitReport } from './watch-limits.js';

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
  /** Seam for tests that must reproduce a watcher failure; defaults to chokidar's watch. */
  createFsWatcher?: (dir: string, options: ChokidarOptions) => FSWatcher;
}

export interface LocalWatcher {
  /** Resolves once the initial tree is being watched. */
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
  /** Folders handed to chokidar because it missed them (entriesUnder). */
  const handed = new Set<string>();
  let fsw: FSWatcher | null = null;
  let degraded = false;
  let closed = false;
  /** Ends start()'s wait for 'ready' when a watch limit or close() stops the watcher first. */
  let startEnded: () => void = () => undefined;

  const toRelative = (abs: string): string => relative(options.dir, abs).split(sep).join('/');

  function ignored(abs: string): boolean {
    const rel = toRelative(abs);
    if (rel === '' || rel.startsWith('..')) return false;
    if (inStateFolder(rel)) return true;
    return options.ignore?.(rel) ?? false;
  }

  /** Whether chokidar should leave this entry alone: everything but folders (see the header). */
  function notWatched(abs: string, stats: Stats | undefined): boolean {
    if (stats !== undefined && !stats.isDirectory()) return toRelative(abs) !== '';
    return ignored(abs);
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
   * What is under a folder that appeared (created, or moved in). Its files may have been written
   * before the folder's own watch existed, so no event named them. Its folders may be unwatched
   * too: chokidar reads a new folder before it watches it, so one made in between (`mkdir -p`)
   * is missed with everything later written in it. Those are handed to chokidar, once each (one
   * it cannot watch, say unreadable, is not handed again), and settle themselves like a new
   * folder: chokidar's add() gives no sign of when the watch begins, and their own settling lists
   * again what was written in them before it did.
   */
  async function entriesUnder(rel: string): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(join(options.dir, rel), { recursive: true, withFileTypes: true });
    } catch {
      return [];
    }
    const found = entries.map((e) => ({ abs: join(e.parentPath, e.name), folder: e.isDirectory() })).filter((e) => !ignored(e.abs));
    const folders = found.filter((e) => e.folder).map((e) => e.abs);
    if (folders.length > 0 && fsw !== null) {
      const watched = fsw.getWatched();
      const unwatched = folders.filter((abs) => watched[abs] === undefined && !handed.has(abs));
      if (unwatched.length > 0) {
        for (const abs of unwatched) handed.add(abs);
        fsw.add(unwatched);
        for (const abs of unwatched) onEvent(abs);
      }
    }
    return found.map((e) => toRelative(e.abs));
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

  /** An event of a folder's watch: `name` is the entry in that folder it concerns. */
  function onRaw(name: string | null, details: unknown): void {
    const folder = typeof details === 'object' && details !== null && 'watchedPath' in details ? details.watchedPath : undefined;
    if (typeof folder !== 'string') return;
    const abs = name ? join(folder, name) : folder;
    if (!ignored(abs)) onEvent(abs);
  }

  async function stopLive(): Promise<void> {
    const current = fsw;
    fsw = null;
    await current?.close();
  }

  function onError(err: unknown): void {
    const report = watchLimitReport(err, options.fallbackScanMinutes ?? 5);
    if (!report) {
      logger.warn({ err: String(err) }, 'file watcher error');
      return;
    }
    if (degraded) return;
    degraded = true;
    startEnded();
    logger.error({ code: report.code }, report.message);
    void stopLive().finally(() => options.onLimit(report));
  }

  return {
    async start() {
      const chokidarOptions: ChokidarOptions = {
        ignoreInitial: true,
        followSymlinks: false,
        persistent: true,
        ignored: (path: string, stats?: Stats) => notWatched(path, stats),
      };
      const created = (options.createFsWatcher ?? watch)(options.dir, chokidarOptions);
      fsw = created;
      for (const event of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) {
        created.on(event, (path: string) => onEvent(path));
      }
      created.on('raw', (_event, name: string | null, details: unknown) => onRaw(name, details));
      created.on('error', onError);
      await new Promise<void>((resolve) => {
        // A limit hit while walking the tree stops the watcher before 'ready' ever comes.
        if (degraded || closed) {
          resolve();
          return;
        }
        startEnded = resolve;
        created.once('ready', () => resolve());
      });
    },
    async close() {
      closed = true;
      startEnded();
      for (const entry of pending.values()) entry.timer?.();
      pending.clear();
      await stopLive();
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
