/**
 * Progress figures and lines, as tables: files x/y, bytes x/y, speed and time left from status
 * snapshots at given times, and lines that fit the terminal whatever the names (CJK included).
 */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { FolderStatus, Transfer } from '../../electron/shared/status.js';
import { createProgressTracker, progressLine, transferLine, type ProgressFigures } from '../../electron/cli/progress.js';
import { createSyncDisplay } from '../../electron/cli/sync-display.js';
import { fitMiddle, formatDuration, formatTime } from '../../electron/cli/text.js';

function status(pending: Partial<FolderStatus['pending']>, transfers: Transfer[] = [], state: FolderStatus['state'] = 'syncing'): FolderStatus {
  return {
    folderId: 'f',
    dir: '/d',
    server: 's',
    workspace: 'w',
    prefix: '',
    state,
    pending: { uploads: 0, downloads: 0, deletes: 0, bytes: 0, ...pending },
    transfers,
    lastSyncAt: null,
    recent: [],
    conflicts: [],
    errors: [],
    heldDeletions: [],
  };
}

const transfer = (path: string, bytesDone: number, bytesTotal: number, bytesPerSecond = 0): Transfer => ({
  id: path,
  path,
  direction: 'download',
  bytesDone,
  bytesTotal,
  bytesPerSecond,
});

describe('progress tracker', () => {
  it.each<[string, [FolderStatus, number][], Partial<ProgressFigures>]>([
    [
      'nothing moved yet',
      [[status({ downloads: 4, bytes: 4_000_000 }), 0]],
      { filesDone: 0, filesTotal: 4, bytesDone: 0, bytesTotal: 4_000_000, etaSeconds: null },
    ],
    [
      'half the bytes in 2 s: 1 MB/s, 2 s left',
      [
        [status({ downloads: 4, bytes: 4_000_000 }), 0],
        [status({ downloads: 2, bytes: 2_000_000 }), 2000],
      ],
      { filesDone: 2, filesTotal: 4, bytesDone: 2_000_000, bytesPerSecond: 1_000_000, etaSeconds: 2 },
    ],
    [
      'bytes of transfers in flight count as done',
      [
        [status({ downloads: 1, bytes: 1_000_000 }), 0],
        [status({ downloads: 1, bytes: 1_000_000 }, [transfer('a', 250_000, 1_000_000)]), 1000],
      ],
      { filesDone: 0, bytesDone: 250_000, bytesPerSecond: 250_000, etaSeconds: 3 },
    ],
    [
      'work added later (a second pass) grows the totals',
      [
        [status({ uploads: 2, bytes: 200 }), 0],
        [status({ uploads: 0, bytes: 0 }), 1000],
        [status({ uploads: 1, bytes: 50 }), 1500],
      ],
      { filesDone: 2, filesTotal: 3, bytesDone: 200, bytesTotal: 250 },
    ],
    ['deletions only: files, no bytes', [[status({ deletes: 3 }), 0]], { filesTotal: 3, bytesTotal: 0, etaSeconds: 0 }],
  ])('%s', (_name, steps, expected) => {
    const tracker = createProgressTracker();
    let figures: ProgressFigures | null = null;
    for (const [s, at] of steps) figures = tracker.update(s, at);
    expect(figures).toMatchObject(expected);
  });

  it('starts over when the folder stops syncing', () => {
    const tracker = createProgressTracker();
    tracker.update(status({ downloads: 5, bytes: 5 }), 0);
    expect(tracker.update(status({}, [], 'idle'), 1)).toBeNull();
    expect(tracker.update(status({ downloads: 1, bytes: 1 }), 2)).toMatchObject({ filesDone: 0, filesTotal: 1 });
  });
});

describe('progress lines', () => {
  const figures: ProgressFigures = {
    filesDone: 12,
    filesTotal: 40,
    bytesDone: 3_100_000,
    bytesTotal: 120_000_000,
    bytesPerSecond: 4_500_000,
    etaSeconds: 26,
    transfers: [],
  };

  it('reads like rclone -P: files x/y, bytes x/y, speed, ETA, and the largest transfer', () => {
    const line = progressLine('Syncing', { ...figures, transfers: [transfer('small.txt', 1, 10), transfer('big_17.bin', 5, 20_000_000)] }, 120);
    expect(line).toBe('Syncing  12/40 files  3.1 MB / 120 MB  4.5 MB/s  ETA 26s  ↓ big_17.bin (+1)');
  });

  it.each([
    ['a long ASCII path', `${'deep/'.repeat(30)}results.vcf.gz`],
    ['CJK names (two columns each)', `${'データ/'.repeat(12)}解析結果ファイル名がとても長い.bam`],
    ['emoji and combining marks', `${'📁 Ünïcödé/'.repeat(10)}résumé.pdf`],
  ])('%s: every line fits the terminal, shortened in the middle so both ends stay', (_name, path) => {
    for (const columns of [40, 60, 80, 120]) {
      const line = progressLine('Syncing', { ...figures, transfers: [transfer(path, 1, 2)] }, columns);
      expect(stringWidth(line), `${columns}: ${line}`).toBeLessThan(columns);
      const own = transferLine(transfer(path, 1, 2), columns);
      expect(stringWidth(own), `${columns}: ${own}`).toBeLessThan(columns);
    }
    const short = fitMiddle(path, 30);
    expect(stringWidth(short)).toBeLessThanOrEqual(30);
    expect(short).toContain('…');
    expect(path.startsWith(short.slice(0, 3))).toBe(true);
    expect(path.endsWith(short.slice(-3))).toBe(true);
  });

  it('formats time left and timestamps one way', () => {
    expect([45, 185, 3720].map(formatDuration)).toEqual(['45s', '3m05s', '1h02m']);
    expect(formatTime('2026-01-02T03:04:05.000Z')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });
});

describe('sync --once progress display', () => {
  it('piped: one plain line per finished operation, the decision row only with --verbose', () => {
    for (const verbose of [false, true]) {
      const out: string[] = [];
      const d = createSyncDisplay({ write: (t) => out.push(t), isTTY: false, columns: () => 80, verbose, firstSync: false });
      d.onEvent({ type: 'transfer-start', id: '1', path: 'a.txt', direction: 'upload', bytesTotal: 10 });
      d.onEvent({ type: 'transfer-progress', id: '1', bytesDone: 5 });
      d.onEvent({ type: 'completed', operation: { path: 'a.txt', action: 'upload', decision: 11 } });
      d.onEvent({ type: 'completed', operation: { path: 'b.txt', action: 'delete-local', decision: 5, detail: 'moved to trash' } });
      d.end();
      expect(out.join('')).toBe(
        verbose ? 'upload a.txt [row 11]\ndelete-local b.txt (moved to trash) [row 5]\n' : 'upload a.txt\ndelete-local b.txt (moved to trash)\n',
      );
    }
  });

  it('on a terminal: one line rewritten in place with the totals, cleared at the end', () => {
    const out: string[] = [];
    let clock = 0;
    const d = createSyncDisplay({ write: (t) => out.push(t), isTTY: true, columns: () => 100, verbose: false, firstSync: true, now: () => clock });
    d.onEvent({ type: 'pending', pending: { uploads: 0, downloads: 2, deletes: 0, bytes: 2_000 } });
    d.onEvent({ type: 'transfer-start', id: '1', path: 'big.bin', direction: 'download', bytesTotal: 1_000 });
    clock = 1000;
    d.onEvent({ type: 'completed', operation: { path: 'x', action: 'download', decision: 12, bytes: 1_000 } });
    d.end();
    expect(out.every((t) => t.startsWith('\r\x1b[K'))).toBe(true);
    expect(out.some((t) => t.includes('First sync  1/2 files  1 KB / 2 KB'))).toBe(true);
    expect(out.at(-1)).toBe('\r\x1b[K');
  });
});
