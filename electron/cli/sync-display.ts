/**
 * Progress of `sync --once`, on stderr. On a terminal: one line rewritten in place (files x/y,
 * bytes x/y, speed, time left, the largest transfer in flight), at most ten times a second.
 * Piped: one plain line per finished operation, so logs and CI output stay readable. The cycle's
 * events are folded by the engine's status store, as the watch display's are.
 */
import type { StatusEvent } from '../engine/status/events.js';
import { createStatusStore } from '../engine/status/status-store.js';
import { createProgressTracker, progressLine } from './progress.js';
import { showPath } from './text.js';

export interface SyncDisplayOptions {
  write: (text: string) => void;
  isTTY: boolean;
  columns: () => number;
  verbose: boolean;
  firstSync: boolean;
  now?: () => number;
}

export interface SyncDisplay {
  onEvent(event: StatusEvent): void;
  /** Clears the progress line (a terminal) before the summary is printed. */
  end(): void;
}

export function createSyncDisplay(options: SyncDisplayOptions): SyncDisplay {
  const now = options.now ?? Date.now;
  if (!options.isTTY) {
    return {
      onEvent(e) {
        if (e.type !== 'completed') return;
        const op = e.operation;
        const detail = op.detail === undefined ? '' : ` (${op.detail})`;
        options.write(`${op.action} ${showPath(op.path)}${detail}${options.verbose ? ` [row ${op.decision}]` : ''}\n`);
      },
      end: () => undefined,
    };
  }
  const store = createStatusStore({ folderId: '', dir: '', server: '', workspace: '', prefix: '' }, { now, progressIntervalMs: 100 });
  const tracker = createProgressTracker();
  const label = options.firstSync ? 'First sync' : 'Syncing';
  let drawn = false;
  store.subscribe((status) => {
    const figures = tracker.update(status, now());
    if (figures === null) return;
    const line =
      figures.filesTotal === 0 && figures.transfers.length === 0
        ? `${label}: comparing the folder with the workspace…`
        : progressLine(label, figures, options.columns());
    options.write(`\r\x1b[K${line}`);
    drawn = true;
  });
  // The one-shot cycle reports work, not states: the whole run is one sync.
  store.apply({ type: 'state', state: 'syncing' });
  return {
    onEvent: (e) => store.apply(e),
    end() {
      store.flush();
      if (drawn) options.write('\r\x1b[K');
      drawn = false;
    },
  };
}
