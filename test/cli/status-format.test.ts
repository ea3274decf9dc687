import { describe, expect, it } from 'vitest';
import type { FolderStatus } from '../../electron/shared/status.js';
import { formatStatusReport, newActivity } from '../../electron/cli/status-format.js';

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
