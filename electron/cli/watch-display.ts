/**
 * What `wsync watch` shows, from the controller's status snapshots: on a terminal a frame redrawn
 * in place (state, files x/y, bytes x/y, speed, time left, the transfers in flight), piped one
 * line per completed operation and per change of state, with --json every status as one JSON
 * line. The first sync of a session is named as such when it starts and when it ends: nothing is
 * "Up to date" until a cycle has found both sides equal. Time is an argument; nothing here does I/O.
 */
import type { Activity, FolderStatus } from '../shared/status.js';
import { folderLabel, plural } from '../shared/format.js';
import { bar, createProgressTracker, figuresText, fractionDone, transferLine } from './progress.js';
import { activityLine, newActivity, stateLine } from './status-format.js';
import { fitEnd, fitMiddle, formatDuration, formatTime, stringWidth } from './text.js';

export interface WatchDisplayOptions {
  json: boolean;
  verbose: boolean;
  isTTY: boolean;
  columns: () => number;
  write: (text: string) => void;
  /** The folder had no synced files when the session began: its first sync downloads and uploads everything. */
  firstSync: boolean;
  now: () => number;
}

export interface WatchDisplay {
  /** A status from the controller. */
  show(status: FolderStatus): void;
  /** The server cannot be reached before the first cycle could start; `status` says so. */
  offline(status: FolderStatus, retryInMs: number): void;
  /** The last word: the final status and why the session ended. */
  end(status: FolderStatus, reason: string): void;
}

const MAX_TRANSFER_LINES = 5;

export function createWatchDisplay(options: WatchDisplayOptions): WatchDisplay {
  const { write, now } = options;
  const openedAt = now();
  /**
   * This session's first cycle has begun: it is syncing, or it already finished (a quick cycle can
   * start and end between two status updates, so 'syncing' is never seen).
   */
  const firstCycleSeen = (s: FolderStatus): boolean => s.state === 'syncing' || (s.lastSyncAt !== null && Date.parse(s.lastSyncAt) >= openedAt);
  /** Statuses before the session's first cycle began are the last session's: not shown. */
  let started = false;
  let firstCycleOver = false;
  let firstCycleStartedAt = 0;
  let firstCycleOps = 0;
  let lastActivity = Number.POSITIVE_INFINITY;
  let lastStateText = '';
  let offlineText: string | null = null;
  const tracker = createProgressTracker();
  let drawn = 0;
  let pending: FolderStatus | null = null;
  let timer: NodeJS.Timeout | null = null;

  const firstName = options.firstSync ? 'First sync' : 'Catching up with changes since the last run';
  const stamp = (text: string): string => `${formatTime(now())}  ${text}`;

  /**
   * Completed operations not shown yet. The history loaded at start is not news, told by its time:
   * the first status seen may come after a quick first cycle, whose operations are news.
   */
  function news(s: FolderStatus): Activity[] {
    if (lastActivity === Number.POSITIVE_INFINITY)
      lastActivity = Math.max(0, ...s.recent.filter((a) => Date.parse(a.at) < openedAt).map((a) => a.id));
    const fresh = newActivity(s, lastActivity);
    if (fresh.length > 0) lastActivity = fresh[fresh.length - 1]?.id ?? lastActivity;
    if (!firstCycleOver) firstCycleOps += fresh.length;
    return fresh;
  }

  /** Lines that stay (printed above the frame on a terminal): operations, and the first cycle's start and end. */
  function lines(s: FolderStatus): string[] {
    const out: string[] = [];
    if (!started) {
      if (!firstCycleSeen(s)) return out;
      started = true;
      offlineText = null;
      firstCycleStartedAt = now();
      out.push(stamp(`${firstName}: started`));
    }
    for (const a of news(s)) out.push(activityLine(a, { verbose: options.verbose }));
    if (!firstCycleOver && s.state !== 'syncing') {
      firstCycleOver = true;
      const took = formatDuration((now() - firstCycleStartedAt) / 1000);
      out.push(stamp(`${firstName}: finished in ${took}, ${plural(firstCycleOps, 'operation')}; ${stateLine(s)}`));
      lastStateText = stateLine(s);
    } else if (firstCycleOver && s.state !== 'syncing' && stateLine(s) !== lastStateText) {
      lastStateText = stateLine(s);
      out.push(stamp(lastStateText));
    }
    return out;
  }

  function header(s: FolderStatus, label: string, columns: number): string {
    const head = `wsync  ${folderLabel(s)} <-> `;
    const tail = `  ${label}`;
    const room = columns - 1 - stringWidth(head) - stringWidth(tail);
    return room >= 10 ? `${head}${fitMiddle(s.dir, room)}${tail}` : fitEnd(`${head}${s.dir}${tail}`, columns - 1);
  }

  function frame(s: FolderStatus, columns: number): string[] {
    const width = Math.max(1, columns - 1);
    if (offlineText !== null) return [header(s, offlineText, columns)];
    if (!started) return [header(s, 'Starting', columns)];
    const figures = tracker.update(s, now());
    if (figures === null) {
      const out = [header(s, stateLine(s), columns)];
      if (s.lastSyncAt !== null) out.push(fitEnd(`last sync ${formatTime(s.lastSyncAt)}`, width));
      for (const h of s.heldDeletions) out.push(fitEnd(`held: ${plural(h.paths.length, `${h.side} deletion`)} wait for confirmation`, width));
      if (s.errors.length > 0) out.push(fitEnd(`${plural(s.errors.length, 'file')} could not be synced (wsync status --dir … lists them)`, width));
      return out;
    }
    const label = firstCycleOver ? 'Syncing' : options.firstSync ? 'First sync' : 'Catching up';
    const out = [header(s, label, columns)];
    const fraction = fractionDone(figures);
    out.push(
      figures.filesTotal === 0 && figures.transfers.length === 0
        ? fitEnd('comparing the folder with the workspace…', width)
        : fitEnd(`${bar(fraction, 20)} ${String(Math.floor(fraction * 100)).padStart(3)}%  ${figuresText(figures)}`, width),
    );
    for (const t of figures.transfers.slice(0, MAX_TRANSFER_LINES)) out.push(transferLine(t, columns));
    if (figures.transfers.length > MAX_TRANSFER_LINES) out.push(`  … and ${figures.transfers.length - MAX_TRANSFER_LINES} more`);
    return out;
  }

  function draw(s: FolderStatus): void {
    const permanent = lines(s);
    const f = frame(s, options.columns());
    const clear = drawn > 0 ? `\x1b[${drawn}F\x1b[J` : '';
    write(`${clear}${permanent.map((l) => `${l}\n`).join('')}${f.join('\n')}\n`);
    drawn = f.length;
  }

  if (options.json) {
    return {
      show(s) {
        if (!started && !firstCycleSeen(s)) return;
        started = true;
        write(`${JSON.stringify(s)}\n`);
      },
      offline: (s) => write(`${JSON.stringify(s)}\n`),
      end: (s) => {
        if (started) write(`${JSON.stringify(s)}\n`);
      },
    };
  }

  if (!options.isTTY) {
    return {
      show(s) {
        const out = lines(s);
        if (out.length > 0) write(out.map((l) => `${l}\n`).join(''));
      },
      offline(s, retryInMs) {
        const text = `${stateLine(s)}; trying again in ${formatDuration(retryInMs / 1000)}`;
        if (text !== offlineText) write(`${stamp(text)}\n`);
        offlineText = text;
      },
      end(s, reason) {
        const out = lines(s);
        out.push(stamp(`stopped (${reason})`));
        write(out.map((l) => `${l}\n`).join(''));
      },
    };
  }

  return {
    show(s) {
      // Byte progress arrives many times a second: one redraw per 100 ms is enough for the eye.
      pending = s;
      timer ??= setTimeout(() => {
        timer = null;
        if (pending) draw(pending);
      }, 100);
    },
    offline(s, retryInMs) {
      offlineText = `${stateLine(s)}; trying again in ${formatDuration(retryInMs / 1000)}`;
      draw(s);
    },
    end(s, reason) {
      if (timer) clearTimeout(timer);
      timer = null;
      draw(s);
      write(`${stamp(`stopped (${reason})`)}\n`);
    },
  };
}
