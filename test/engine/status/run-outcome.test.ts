/**
 * The run-outcome record `wsync status` reads: what a cycle left undone is counted from its plan,
 * and the file is read back only when it is one this version wrote.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { noCounts } from '../../../electron/engine/execute/executor.js';
import { folderLayout } from '../../../electron/engine/local/folder-layout.js';
import { outcomeOfCycle, outcomeOfStop, readRunOutcome, recordRunOutcome, type FinishedCycle } from '../../../electron/engine/status/saved-status.js';

const local = { path: 'a.txt', size: 10, mtimeMs: 1, ino: 1, hash: 'h' };
const remote = { key: 'k', path: 'r.txt', size: 20, etag: 'e' };
const times = { startedAt: new Date('2026-01-02T03:00:00.000Z'), finishedAt: new Date('2026-01-02T03:01:00.000Z') };

function cycle(over: Partial<FinishedCycle> = {}): FinishedCycle {
  return {
    inSync: true,
    firstSync: false,
    plan: {
      actions: [
        { kind: 'upload', decision: 11, path: 'a.txt', local, expectRemote: null },
        { kind: 'download', decision: 12, path: 'r.txt', remote, expectLocal: null },
      ],
      refused: [],
      held: [],
    },
    counts: { ...noCounts(), uploaded: 1, downloaded: 1 },
    failed: [],
    deferred: [],
    held: [],
    refused: [],
    unreadable: [],
    ...over,
  };
}

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('run outcome', () => {
  it.each([
    ['both sides equal', cycle(), 'synced', { uploads: 0, downloads: 0, deletes: 0, bytes: 0 }],
    [
      'a failed upload is work left, with its reason',
      cycle({
        inSync: false,
        failed: [{ path: 'a.txt', kind: 'transient', message: 'HTTP 503', attempts: 6, nextAttemptAt: '2026-01-02T03:06:00.000Z' }],
      }),
      'partial',
      { uploads: 1, downloads: 0, deletes: 0, bytes: 10 },
    ],
    [
      'a deferred download is work left',
      cycle({ inSync: false, deferred: [{ path: 'r.txt', reason: 'changed while downloading' }] }),
      'partial',
      { uploads: 0, downloads: 1, deletes: 0, bytes: 20 },
    ],
    [
      'held deletions',
      cycle({ inSync: false, held: [{ side: 'remote', paths: ['x'], syncedCount: 2 }] }),
      'held',
      { uploads: 0, downloads: 0, deletes: 0, bytes: 0 },
    ],
  ] as const)('%s', (_name, c, result, pending) => {
    const outcome = outcomeOfCycle(c, times);
    expect(outcome).toMatchObject({ result, pending, startedAt: '2026-01-02T03:00:00.000Z', finishedAt: '2026-01-02T03:01:00.000Z' });
    expect(outcome.failed).toEqual(c.failed);
  });

  it('is written whole and read back; a missing, foreign or broken record reads as none', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wsync-outcome-'));
    const layout = folderLayout(dir);
    mkdirSync(layout.stateDir);
    expect(readRunOutcome(layout)).toBeNull();
    const stopped = outcomeOfStop({ interrupted: true, message: 'aborted', firstSync: true }, times);
    await recordRunOutcome(layout, stopped);
    expect(readRunOutcome(layout)).toEqual(stopped);
    writeFileSync(layout.lastRun, '{"version": 2}');
    expect(readRunOutcome(layout)).toBeNull();
    writeFileSync(layout.lastRun, '{"vers');
    expect(readRunOutcome(layout)).toBeNull();
  });
});
