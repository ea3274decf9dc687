/**
 * A user's save that lands between the engine's last look at a local file and its move of that
 * file (soak seed 600007 at concurrency 4, made deterministic): the engine's own renames are
 * intercepted, and the user's change runs right before the one that takes the watched path. The
 * engine must move only what it looked at and write its base from what it really moved.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Base, EditorSave, Rename, Delete, Sync, Write, type Cmd, type InitialFile } from './commands.js';
import type { Model } from './model.js';
import { describeFailure, openModelServer, runScenario } from './run.js';
import type { RigServer, SyncRig } from '../support/sync-rig.js';

/** Runs once, right before the engine renames (or links) a file from or onto this absolute path. */
const race: { from: string | null; run: (() => Promise<void>) | null } = { from: null, run: null };

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const before = async (from: unknown, to: unknown) => {
    if (race.run !== null && (String(from) === race.from || String(to) === race.from)) {
      const run = race.run;
      race.run = null;
      await run();
    }
  };
  const rename: typeof real.rename = async (from, to) => {
    await before(from, to);
    return real.rename(from, to);
  };
  const link: typeof real.link = async (from, to) => {
    await before(from, to);
    return real.link(from, to);
  };
  return { ...real, default: { ...real, rename, link }, rename, link };
});

/** A cycle during which `change` happens right before the engine moves `path` on disk (away, or a download onto it). */
class SyncWithLocalRace extends Base {
  constructor(
    readonly path: string,
    readonly change: Cmd,
  ) {
    super();
  }
  async apply(m: Model, w: SyncRig) {
    // Set by the race hook during the sync.
    let fired = false as boolean;
    race.from = `${w.root}/${this.path}`;
    race.run = async () => {
      fired = true;
      m.log.push(`  right before the engine moved ${this.path}:`);
      await this.change.apply(m, w);
    };
    let outcome: string;
    try {
      const r = await w.syncOnce();
      outcome = `${r.inSync ? 'in sync' : 'partial'} ${JSON.stringify(r.counts)}`;
    } catch (err) {
      outcome = `threw ${(err as Error).message}`;
    }
    race.run = null;
    m.log.push(`sync racing the move of ${this.path}${fired ? '' : ' (not reached)'}: ${outcome}`);
  }
  toString() {
    return `SyncWithLocalRace(${this.path},${this.change.toString()})`;
  }
}

let server: RigServer;
beforeAll(async () => {
  server = await openModelServer();
});
afterAll(async () => {
  await server.close();
});

const f = (path: string, placement: InitialFile['placement']): InitialFile => ({ path, placement, len: 8 });

async function expectClean(initial: InitialFile[], commands: Cmd[], concurrency = 4) {
  const out = await runScenario(server, initial, commands, { concurrency });
  expect(
    out.log.some((l) => l.startsWith('sync racing') && !l.includes('(not reached)')),
    out.log.join('\n'),
  ).toBe(true);
  expect(out.violations, describeFailure(undefined, initial, commands, out)).toEqual([]);
}

describe('a local save racing the engine’s own move of that file', () => {
  // Local paths sorted: a.txt, d/e/h.txt, k.txt.
  const initial = [f('a.txt', 'both'), f('d/e/h.txt', 'both'), f('k.txt', 'both')];

  it('seed 600007: the remote renamed the file, the user saved it locally while the cycle moved it: the save stays at its path and reaches the server', async () => {
    await expectClean(initial, [new Sync(), new Rename('remote', 1, 'c'), new SyncWithLocalRace('d/e/h.txt', new EditorSave(1, 8))]);
  });

  it('the same with an edit in place (same inode, new bytes)', async () => {
    await expectClean(initial, [new Sync(), new Rename('remote', 1, 'c'), new SyncWithLocalRace('d/e/h.txt', new Write('local', 'd/e/h.txt', 12))]);
  });

  it('the remote deleted the file, the user saved it locally while the cycle moved it to the trash: the save is kept and uploaded', async () => {
    await expectClean(initial, [new Sync(), new Delete('remote', 0), new SyncWithLocalRace('a.txt', new EditorSave(0, 8))]);
  });

  it('the remote edited the file, the user saved it locally while the cycle put the download in place: both versions kept (a conflict copy)', async () => {
    await expectClean(initial, [new Sync(), new Write('remote', 'k.txt', 12), new SyncWithLocalRace('k.txt', new EditorSave(2, 8))]);
  });

  it('the same with an edit in place while the download lands', async () => {
    await expectClean(initial, [new Sync(), new Write('remote', 'k.txt', 12), new SyncWithLocalRace('k.txt', new Write('local', 'k.txt', 24))]);
  });

  it('a new remote file, and the user creates that name locally while the download lands: both kept', async () => {
    await expectClean(initial, [new Sync(), new Write('remote', 'x/j', 12), new SyncWithLocalRace('x/j', new Write('local', 'x/j', 8))]);
  });
});
