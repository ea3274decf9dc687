/**
 * Which state a folder shows, decided in one module: after a cycle, after a failure, and while
 * a cycle's events show work.
 */
import { describe, expect, it } from 'vitest';
import { failureMeaning, showsWork, stateAfterCycle } from '../../../electron/engine/status/folder-state.js';

describe('what a failed cycle means for the folder', () => {
  const wsync = (kind: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(`${kind} failure`), { kind, ...extra });

  it.each<[string, unknown, string, boolean]>([
    ['a refused connection is offline, retried quietly', wsync('transient', { code: 'ECONNREFUSED' }), 'offline', true],
    ['a DNS failure is offline', wsync('transient', { cause: { code: 'ENOTFOUND' } }), 'offline', true],
    ['a timeout is offline', wsync('transient', { code: 'ETIMEDOUT' }), 'offline', true],
    ['a 503 is an error, retried with back-off', wsync('transient', { status: 503 }), 'error', true],
    ['401/403 is signed out and stops', wsync('auth', { status: 401 }), 'signed-out', false],
    ['a cancelled cycle (pause) is not an error', wsync('cancelled'), 'paused', false],
    ['a local disk error is an error', wsync('local-io', { code: 'ENOSPC' }), 'error', true],
  ])('%s', (_name, err, state, retry) => {
    const m = failureMeaning(err);
    expect([m.state, m.retry]).toEqual([state, retry]);
    expect(m.message.length).toBeGreaterThan(0);
  });
});

describe('the state a finished cycle leaves', () => {
  it.each<[string, Parameters<typeof stateAfterCycle>[0], string | undefined, string, string | undefined]>([
    [
      'held deletions wait for the user, counted',
      { held: [{ paths: ['a', 'b'] }, { paths: ['c'] }], failures: [] },
      undefined,
      'needs-confirmation',
      '3 deletions are waiting for your confirmation',
    ],
    [
      'held deletions come before failures',
      { held: [{ paths: ['a'] }], failures: [{}] },
      undefined,
      'needs-confirmation',
      '1 deletions are waiting for your confirmation',
    ],
    ['one failed file', { held: [], failures: [{}] }, undefined, 'error', '1 file could not be synced'],
    ['several failed files', { held: [], failures: [{}, {}] }, undefined, 'error', '2 files could not be synced'],
    ['all done: idle, with the standing notice', { held: [], failures: [] }, 'live watching is off', 'idle', 'live watching is off'],
    ['all done: idle', { held: [], failures: [] }, undefined, 'idle', undefined],
  ])('%s', (_name, end, notice, state, message) => {
    expect(stateAfterCycle(end, notice)).toEqual({ state, message });
  });

  it('transfers, completed operations and pending work show as syncing; an empty plan does not', () => {
    expect(showsWork({ type: 'transfer-start', id: '1', path: 'a', direction: 'upload', bytesTotal: 1 })).toBe(true);
    expect(showsWork({ type: 'completed', operation: { path: 'a', action: 'upload', decision: 11 } })).toBe(true);
    expect(showsWork({ type: 'pending', pending: { uploads: 0, downloads: 1, deletes: 0, bytes: 1 } })).toBe(true);
    expect(showsWork({ type: 'pending', pending: { uploads: 0, downloads: 0, deletes: 0, bytes: 0 } })).toBe(false);
    expect(showsWork({ type: 'held', held: [] })).toBe(false);
  });
});
