/**
 * Every crash point of one busy cycle, in turn (Nextcloud's "fail the i-th step for every i"):
 * the cycle uploads, downloads, deletes on both sides, moves and makes a conflict copy, and the
 * engine dies before each of its requests and after each one the server applied, with a fresh
 * engine taking over the folder. Every invariant must hold after each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Delete, Edit, Rename, Sync, SyncWithCrash, Write, type CrashPoint, type InitialFile } from './commands.js';
import { describeFailure, runScenario, openModelServer } from './run.js';
import type { RigServer } from '../support/sync-rig.js';

let lab: RigServer;
beforeAll(async () => {
  lab = await openModelServer();
});
afterAll(async () => {
  await lab.close();
});

const initial: InitialFile[] = [
  { path: 'a.txt', placement: 'both', len: 8 },
  { path: 'b.md', placement: 'both', len: 12 },
  { path: 'c', placement: 'both', len: 8 },
  { path: 'd/f.txt', placement: 'both', len: 24 },
  { path: 'd/e/h.txt', placement: 'both', len: 8 },
  { path: 'x/i.txt', placement: 'both', len: 8 },
];

/** Sorted local paths after the first sync: a.txt b.md c d/e/h.txt d/f.txt x/i.txt. */
const busyChanges = () => [
  new Sync(),
  new Edit('local', 0, 12), // a.txt: upload
  new Edit('remote', 1, 8), // b.md: download
  new Edit('local', 2, 8), // c: both sides edit it, so a conflict copy
  new Edit('remote', 2, 24),
  new Delete('local', 3), // d/e/h.txt: remote delete
  new Delete('remote', 4), // d/f.txt: local delete
  new Rename('local', 4, 'k.txt'), // x/i.txt -> k.txt: a move
  new Write('remote', 'd/g.txt', 8), // a new remote file
];

describe('every crash point of a busy cycle', () => {
  for (const when of ['before', 'after'] as CrashPoint[]) {
    it(`a crash ${when} any request of the cycle loses nothing and converges`, async () => {
      let reached = 0;
      for (let k = 0; k < 60; k++) {
        const commands = [...busyChanges(), new SyncWithCrash(k, when)];
        const out = await runScenario(lab, initial, commands);
        expect(out.violations, describeFailure(undefined, initial, commands, out)).toEqual([]);
        if (out.log.some((l) => l.startsWith('sync crashing') && l.includes(': crashed'))) reached++;
        else break;
      }
      // The cycle makes over a dozen requests: the sweep must have crashed at each of them.
      expect(reached).toBeGreaterThan(12);
    }, 120_000);
  }
});
