import { describe, expect, it } from 'vitest';
import type { FolderStatus } from '../../electron/shared/status.js';
import { createLiveProgress, formatStatusReport, newActivity } from '../../electron/cli/status-format.js';

function status(over: Partial<FolderStatus> = {}): FolderStatus {
  return {
    folderId: 'f',
    dir: '/home/u/folder',
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

describe('live watch display', () => {
  it('shows an overall bar that moves forward as pending work shrinks, and each transfer with speed', () => {
    const live = createLiveProgress();
    const first = live.frame(status({ state: 'syncing', pending: { uploads: 2, downloads: 0, deletes: 0, bytes: 2_000_000 } }), 120);
    expect(first[1]).toMatch(/^\[-{30}\] 0%/);
    const later = live.frame(
      status({
        state: 'syncing',
        pending: { uploads: 1, downloads: 0, deletes: 0, bytes: 1_000_000 },
        transfers: [{ id: 't', path: 'big.bin', direction: 'upload', bytesDone: 500_000, bytesTotal: 1_000_000, bytesPerSecond: 250_000 }],
      }),
      120,
    );
    expect(later[1]).toMatch(/^\[#{23}-{7}\] 75%\s+250 KB\/s\s+1 to upload \(1 MB\)/);
    expect(later[2]).toBe('  ↑ big.bin  500 KB / 1 MB 50%  250 KB/s');
  });

  it('fits every line to the terminal width', () => {
    const live = createLiveProgress();
    const lines = live.frame(
      status({ state: 'syncing', transfers: [{ id: 't', path: `${'deep/'.repeat(40)}file.bin`, direction: 'download', bytesDone: 1, bytesTotal: 2, bytesPerSecond: 1 }] }),
      40,
    );
    for (const l of lines) expect(l.length).toBeLessThan(40);
  });

  it('says what waits for the user when idle: held deletions and failed files', () => {
    const lines = createLiveProgress().frame(
      status({
        state: 'needs-confirmation',
        heldDeletions: [{ side: 'remote', paths: ['a', 'b'], syncedCount: 3 }],
        errors: [{ path: 'x', kind: 'transient', message: 'HTTP 503', at: 'now', attempts: 3 }],
      }),
      200,
    );
    expect(lines.join('\n')).toMatch(/held: 2 remote deletions wait for confirmation/);
    expect(lines.join('\n')).toMatch(/1 file could not be synced/);
  });

  it('lists only activity newer than what was shown, oldest first', () => {
    const s = status({
      recent: [
        { id: 3, at: 'c', path: 'c', action: 'upload', decision: 11 },
        { id: 2, at: 'b', path: 'b', action: 'upload', decision: 11 },
        { id: 1, at: 'a', path: 'a', action: 'upload', decision: 11 },
      ],
    });
    expect(newActivity(s, 1).map((a) => a.id)).toEqual([2, 3]);
  });
});

describe('status report', () => {
  it('escapes control characters in paths rather than printing them to the terminal', () => {
    const text = formatStatusReport(status({ conflicts: [{ path: 'bad\u001b[2Jname', conflictCopy: 'c', at: 'now' }] })).join('\n');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('"bad\\u001b[2Jname"');
  });

  it('says when no engine is running and the status is the last known one', () => {
    expect(formatStatusReport(status(), { runningPid: null })[2]).toMatch(/no engine running; last known/);
  });
});
