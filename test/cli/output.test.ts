import { describe, expect, it } from 'vitest';
import { formatPlan, showPath } from '../../electron/cli/output.js';
import type { Plan } from '../../electron/engine/plan/types.js';

const local = { path: 'a.txt', size: 1, mtimeMs: 1, ino: 1, hash: 'h' };
const remote = { key: 'k', path: 'a.txt', size: 1, etag: 'e' };

describe('CLI output', () => {
  it('prints paths plainly unless they hold control characters or quotes', () => {
    expect(showPath('docs/ünïcode file.txt')).toBe('docs/ünïcode file.txt');
    expect(showPath('bell\u0007.txt')).toBe('"bell\\u0007.txt"');
    expect(showPath('new\nline')).toBe('"new\\nline"');
  });

  it('prints one plan row per action with its decision-table row, then holds and refusals', () => {
    const plan: Plan = {
      actions: [
        { kind: 'rename-local', decision: 13, from: 'old.txt', to: 'new.txt', local, remote },
        { kind: 'conflict', decision: 8, path: 'a.txt', copyPath: 'a (conflicted copy 2026-01-02 030405).txt', local, remote },
        { kind: 'delete-local', decision: 5, path: 'gone.txt', local },
      ],
      refused: [{ path: '../x', side: 'remote', reason: "the path has a '..' segment" }],
      held: [{ side: 'remote', paths: ['p1', 'p2'], syncedCount: 3 }],
    };
    expect(formatPlan(plan)).toEqual([
      'row 13  rename-local  old.txt -> new.txt',
      'row  8  conflict      a.txt (local copy: a (conflicted copy 2026-01-02 030405).txt)',
      'row  5  delete-local  gone.txt',
      'held: deleting 2 file(s) on the server that were deleted locally (of 3 synced files; needs --confirm-deletes)',
      'refused remote name "../x": the path has a \'..\' segment',
    ]);
    expect(formatPlan({ actions: [], refused: [], held: [] })).toEqual(['nothing to do']);
  });
});
