import { describe, expect, it } from 'vitest';
import { formatPlan, showPath } from '../../electron/cli/output.js';
import { createProgress } from '../../electron/cli/progress.js';
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

describe('CLI progress', () => {
  it('writes a plain line per finished operation when stderr is not a terminal, and nothing for transfers', () => {
    const out: string[] = [];
    const p = createProgress({ write: (t) => out.push(t), isTTY: false });
    p.onEvent({ type: 'transfer-start', id: '1', path: 'a.txt', direction: 'upload', bytesTotal: 10 });
    p.onEvent({ type: 'transfer-progress', id: '1', bytesDone: 5 });
    p.onEvent({ type: 'transfer-end', id: '1' });
    p.onEvent({ type: 'completed', operation: { path: 'a.txt', action: 'upload', decision: 11 } });
    p.onEvent({ type: 'completed', operation: { path: 'b.txt', action: 'delete-local', decision: 5, detail: 'moved to trash' } });
    p.end();
    expect(out.join('')).toBe('upload a.txt\ndelete-local b.txt (moved to trash)\n');
  });

  it('rewrites one line in place on a terminal and clears it at the end', () => {
    const out: string[] = [];
    const p = createProgress({ write: (t) => out.push(t), isTTY: true });
    p.onEvent({ type: 'transfer-start', id: '1', path: 'big.bin', direction: 'download', bytesTotal: 200 });
    p.onEvent({ type: 'completed', operation: { path: 'x', action: 'download', decision: 12 } });
    p.end();
    expect(out.every((t) => t.startsWith('\r\x1b[K'))).toBe(true);
    expect(out.some((t) => t.includes('1 done, 1 transferring down big.bin 0%'))).toBe(true);
    expect(out.at(-1)).toBe('\r\x1b[K');
  });
});
