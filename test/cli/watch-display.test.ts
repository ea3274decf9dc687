/**
 * What `wsync watch` says as a session goes on, fed status snapshots at given times: the first
 * sync named when it starts and ends, "Up to date" only after a cycle found both sides equal,
 * decision rows only with --verbose, frames that fit the terminal.
 */
import stringWidth from 'string-width';
import { afterAll, describe, expect, it } from 'vitest';
import type { Activity, FolderStatus } from '../../electron/shared/status.js';
import { createWatchDisplay, type WatchDisplayOptions } from '../../electron/cli/watch-display.js';

// Times print in UTC here; the files that run after this one in the same worker get the zone back.
const zoneBefore = process.env.TZ;
process.env.TZ = 'UTC';
afterAll(() => {
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});

function status(over: Partial<FolderStatus> = {}): FolderStatus {
  return {
    folderId: 'f',
    dir: '/home/u/lab-data',
    server: 'http://127.0.0.1:9',
    workspace: 'ws_demo',
    prefix: '',
    state: 'idle',
    pending: { uploads: 0, downloads: 0, deletes: 0, bytes: 0 },
    transfers: [],
    lastSyncAt: null,
    recent: [],
    conflicts: [],
    errors: [],
    heldDeletions: [],
    ...over,
  };
}

const download = (id: number, path: string): Activity => ({ id, at: '2026-01-02T03:04:05.000Z', path, action: 'download', decision: 12 });

function piped(over: Partial<WatchDisplayOptions> = {}): {
  out: string[];
  display: ReturnType<typeof createWatchDisplay>;
  tick: (ms: number) => void;
} {
  const out: string[] = [];
  let clock = Date.parse('2026-01-02T03:04:00.000Z');
  const display = createWatchDisplay({
    json: false,
    verbose: false,
    isTTY: false,
    columns: () => 80,
    write: (t) => out.push(t),
    firstSync: true,
    now: () => clock,
    ...over,
  });
  return { out, display, tick: (ms) => (clock += ms) };
}

describe('watch, piped', () => {
  it('says nothing about the last session, then names the first sync when it starts and when it ends', () => {
    const { out, display, tick } = piped();
    const old = { ...download(1, 'old.txt'), at: '2026-01-01T00:00:00.000Z' };
    display.show(status({ state: 'idle', recent: [old], lastSyncAt: '2026-01-01T00:00:00.000Z' })); // the history read at start
    expect(out).toEqual([]);
    display.show(status({ state: 'syncing', recent: [old], pending: { uploads: 0, downloads: 2, deletes: 0, bytes: 10 } }));
    tick(12_000);
    display.show(status({ state: 'syncing', recent: [download(3, 'b.txt'), download(2, 'a.txt'), old] }));
    display.show(status({ state: 'idle', recent: [download(3, 'b.txt'), download(2, 'a.txt'), old] }));
    display.end(status({ state: 'idle' }), 'SIGTERM');
    expect(out.join('')).toBe(
      [
        '2026-01-02 03:04:00  First sync: started',
        '2026-01-02 03:04:05  download      a.txt',
        '2026-01-02 03:04:05  download      b.txt',
        '2026-01-02 03:04:12  First sync: finished in 12s, 2 operations; Up to date',
        '2026-01-02 03:04:12  stopped (SIGTERM)',
        '',
      ].join('\n'),
    );
  });

  it('shows and counts what a catch-up did when it started and ended before the first status came', () => {
    const { out, display } = piped({ firstSync: false });
    const old = { ...download(1, 'old.txt'), at: '2026-01-01T00:00:00.000Z' };
    const upload: Activity = { id: 2, at: '2026-01-02T03:04:00.500Z', path: 'written-while-stopped.txt', action: 'upload', decision: 4 };
    display.show(status({ state: 'idle', recent: [upload, old], lastSyncAt: '2026-01-02T03:04:00.600Z' }));
    expect(out.join('')).toBe(
      [
        '2026-01-02 03:04:00  Catching up with changes since the last run: started',
        '2026-01-02 03:04:00  upload        written-while-stopped.txt',
        '2026-01-02 03:04:00  Catching up with changes since the last run: finished in 0s, 1 operation; Up to date',
        '',
      ].join('\n'),
    );
  });

  it('does not call a folder up to date when its first cycle ended with failures or held deletions', () => {
    const { out, display } = piped({ firstSync: false });
    display.show(status({ state: 'syncing' }));
    display.show(status({ state: 'error', message: '2 files could not be synced' }));
    expect(out.join('')).toMatch(
      /Catching up with changes since the last run: finished in 0s, 0 operations; Some files could not be synced: 2 files could not be synced\n$/,
    );
    expect(out.join('')).not.toMatch(/Up to date/);
  });

  it('prints later changes of state once each, and decision rows only with --verbose', () => {
    for (const verbose of [false, true]) {
      const { out, display } = piped({ verbose });
      display.show(status({ state: 'syncing' }));
      display.show(status({ state: 'idle' }));
      display.show(status({ state: 'syncing', recent: [download(5, 'r.txt')] }));
      display.show(status({ state: 'idle', recent: [download(5, 'r.txt')] }));
      display.show(status({ state: 'offline', message: 'Connection refused', recent: [download(5, 'r.txt')] }));
      display.show(status({ state: 'offline', message: 'Connection refused', recent: [download(5, 'r.txt')] }));
      const text = out.join('');
      expect(text.match(/Offline: Connection refused/g)).toHaveLength(1);
      expect(text.includes('download      r.txt  [row 12]')).toBe(verbose);
      expect(text.includes('[row')).toBe(verbose);
    }
  });

  it('while the server cannot be reached before the first cycle, says so with the time to the next try', () => {
    const { out, display } = piped();
    display.offline(
      status({ state: 'offline', message: 'cannot connect to http://127.0.0.1:9: nothing is listening there (connection refused)' }),
      5000,
    );
    expect(out.join('')).toBe(
      '2026-01-02 03:04:00  Offline: cannot connect to http://127.0.0.1:9: nothing is listening there (connection refused); trying again in 5s\n',
    );
  });
});

describe('watch, --json', () => {
  it("prints statuses as JSON lines from the first cycle on, never the last session's idle", () => {
    const { out, display } = piped({ json: true });
    display.show(status({ state: 'idle' }));
    display.show(status({ state: 'syncing' }));
    display.show(status({ state: 'idle' }));
    expect(out.map((l) => (JSON.parse(l) as FolderStatus).state)).toEqual(['syncing', 'idle']);
  });
});

describe('watch, on a terminal', () => {
  it('draws a frame with files x/y, bytes, the bar and the transfers, each line narrower than the terminal', async () => {
    const out: string[] = [];
    let clock = 0;
    const display = createWatchDisplay({
      json: false,
      verbose: false,
      isTTY: true,
      columns: () => 60,
      write: (t) => out.push(t),
      firstSync: true,
      now: () => clock,
    });
    const long = `${'解析/'.repeat(20)}とても長いファイル名.bam`;
    display.show(status({ state: 'syncing', pending: { uploads: 0, downloads: 4, deletes: 0, bytes: 4_000_000 } }));
    await new Promise((resolve) => setTimeout(resolve, 150)); // redraws are at most every 100 ms
    clock = 2000;
    display.end(
      status({
        state: 'syncing',
        pending: { uploads: 0, downloads: 2, deletes: 0, bytes: 2_000_000 },
        transfers: [{ id: 't', path: long, direction: 'download', bytesDone: 500_000, bytesTotal: 1_000_000, bytesPerSecond: 250_000 }],
      }),
      'SIGINT',
    );
    const frame = out.join('').split('\n');
    expect(frame.some((l) => l.endsWith('First sync'))).toBe(true);
    expect(frame.some((l) => /^\[#+-*\]\s+\d+% {2}2\/4 files {2}2\.5 MB \/ 4 MB/.test(l))).toBe(true);
    expect(frame.some((l) => l.includes('↓') && l.includes('…') && l.endsWith('250 KB/s'))).toBe(true);
    // eslint-disable-next-line no-control-regex -- strips the ANSI escapes the display writes
    for (const line of frame) expect(stringWidth(line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')), line).toBeLessThan(60);
  });
});
