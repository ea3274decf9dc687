/**
 * What `wsync status` decides from what a folder keeps, as a table: "Up to date" only after a
 * cycle found both sides equal, with nothing unfinished and no local change since.
 */
import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../electron/engine/status/saved-status.js';
import { decideFolderReport, type StatusFacts } from '../../electron/cli/folder-report.js';
import { formatStatusReport } from '../../electron/cli/status-format.js';

function run(over: Partial<RunOutcome> = {}): RunOutcome {
  return {
    version: 1,
    startedAt: '2026-01-02T03:00:00.000Z',
    finishedAt: '2026-01-02T03:04:05.000Z',
    result: 'synced',
    firstSync: false,
    failed: [],
    deferred: [],
    held: [],
    refused: [],
    unreadable: [],
    pending: { uploads: 0, downloads: 0, deletes: 0, bytes: 0 },
    counts: {},
    ...over,
  };
}

function facts(over: Partial<StatusFacts> = {}): StatusFacts {
  return {
    dir: '/home/u/lab',
    binding: { server: 'https://files.example.com', workspace: 'ws_lab', prefix: '' },
    saved: null,
    lastSyncAt: '2026-01-02T03:04:05.000Z',
    recent: [],
    syncedFiles: 9,
    lastRun: run(),
    unfinishedIntents: [],
    engine: null,
    local: { added: [], modified: [], deleted: [] },
    ...over,
  };
}

const failedFile = { path: 'big.bam', kind: 'too-large' as const, message: 'HTTP 413', attempts: 1 };

describe('wsync status decides', () => {
  it.each<[string, Partial<StatusFacts>, string, RegExp]>([
    ['the last cycle found both sides equal', {}, 'idle', /^Up to date \(as of the last sync; the server was not asked\)$/],
    [
      'a sync --once that exited 1 with a failed file',
      { lastRun: run({ result: 'partial', failed: [failedFile] }) },
      'error',
      /^Not fully synced: 1 file could not be synced/,
    ],
    [
      'deletions held back',
      { lastRun: run({ result: 'held', held: [{ side: 'remote', paths: ['a', 'b'], syncedCount: 3 }] }) },
      'needs-confirmation',
      /^2 deletions wait for your confirmation/,
    ],
    [
      'a first sync stopped with Ctrl-C',
      { lastRun: run({ result: 'interrupted', firstSync: true }) },
      'paused',
      /^The first sync was stopped before it finished/,
    ],
    ['a first sync killed (nothing recorded) with files on disk', { lastRun: null, syncedFiles: 9 }, 'paused', /^The first sync did not finish/],
    ['a folder that never synced a file', { lastRun: null, syncedFiles: 0, lastSyncAt: null }, 'paused', /^Not synced yet/],
    [
      'a later run killed half-way (its intents are still open)',
      { unfinishedIntents: [Date.parse('2026-01-02T04:00:00.000Z')] },
      'paused',
      /^The last sync was stopped before it finished/,
    ],
    [
      'a run that failed on the server',
      { lastRun: run({ result: 'failed', message: 'list failed: ECONNREFUSED' }) },
      'error',
      /^The last sync failed: list failed: ECONNREFUSED$/,
    ],
    [
      'a local edit and a local delete after the last sync',
      { local: { added: [], modified: ['a.txt'], deleted: ['b.txt'] } },
      'paused',
      /^Not up to date: 2 local changes not synced yet \(1 edited, 1 deleted\)$/,
    ],
    ['an engine holding the folder now', { engine: { pid: 4242 }, local: null }, 'syncing', /^An engine is syncing this folder now \(pid 4242\)$/],
  ])('%s', (_name, over, state, headline) => {
    const report = decideFolderReport(facts(over));
    expect(report.status.state).toBe(state);
    expect(report.headline).toMatch(headline);
    expect(report.status.message).toBe(report.headline);
  });

  it('counts what is left: failed work from the last run and local changes', () => {
    const report = decideFolderReport(
      facts({
        lastRun: run({ result: 'partial', failed: [failedFile], pending: { uploads: 1, downloads: 0, deletes: 0, bytes: 5 } }),
        local: { added: ['n.txt'], modified: [], deleted: ['d.txt'] },
      }),
    );
    expect(report.status.pending).toEqual({ uploads: 2, downloads: 0, deletes: 1, bytes: 5 });
    expect(report.status.errors).toMatchObject([{ path: 'big.bam', message: 'HTTP 413', kind: 'too-large' }]);
  });
});

describe('the status report', () => {
  it('names the engine, the local changes and each failed file; no decision rows unless asked', () => {
    const report = decideFolderReport(
      facts({
        lastRun: run({ result: 'partial', failed: [failedFile] }),
        local: { added: [], modified: ['a.txt'], deleted: [] },
        recent: [{ id: 1, at: '2026-01-02T03:04:05.000Z', path: 'a.txt', action: 'upload', decision: 11 }],
      }),
    );
    const text = formatStatusReport(report, { now: Date.parse('2026-01-02T03:05:05.000Z') }).join('\n');
    expect(text).toMatch(/^Engine:\s+none running$/m);
    expect(text).toMatch(/^Local:\s+changed since the last sync:\n\s+edited\s+a\.txt$/m);
    expect(text).toMatch(/^Error:\s+big\.bam: HTTP 413 \(too-large, 1 attempt\)$/m);
    expect(text).not.toMatch(/\[row/);
    expect(formatStatusReport(report, { verbose: true }).join('\n')).toMatch(/\[row 11\]/);
  });

  it('escapes control characters in paths rather than printing them to the terminal', () => {
    const report = decideFolderReport(facts({ local: { added: ['bad\u001b[2Jname'], modified: [], deleted: [] } }));
    const text = formatStatusReport(report).join('\n');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('"bad\\u001b[2Jname"');
  });
});
