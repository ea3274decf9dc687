/**
 * A synced folder inside another synced folder is refused: each would sync the other's files as
 * its own (`outer/inner/inner/inner/...` grew without end before this rule).
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCliRig, problems, runCli, transferCounts, WORKSPACE } from './harness.js';
import type { CliRun, CliRig } from './harness.js';

let w: CliRig;
let inner: string;
beforeEach(async () => {
  w = await openCliRig();
  inner = join(w.root, 'inner');
});
afterEach(async () => {
  await w.close();
});

const syncDir = (dir: string, extra: string[] = []): Promise<CliRun> =>
  runCli(['sync', '--once', '--server', w.emu.url, '--workspace', WORKSPACE, '--dir', dir, ...extra]);

describe('nested synced folders', () => {
  it('refuses a folder inside a synced folder (exit 2), naming the outer one, and creates nothing in it', async () => {
    await w.local.insert('o.txt', 'outer file');
    expect((await w.sync()).code).toBe(0);
    mkdirSync(inner);
    writeFileSync(join(inner, 'i.txt'), 'inner file');
    w.emu.resetCounters();
    const run = await syncDir(inner);
    expect(run.code).toBe(2);
    expect(problems(run.stderr)).toEqual([expect.stringContaining(`${inner} lies inside ${w.root}, which wsync already syncs`)]);
    expect(existsSync(join(inner, '.wsync'))).toBe(false);
    expect(transferCounts(w.emu)).toEqual({ uploads: 0, downloads: 0, deletes: 0 });
  });

  it('refuses a folder that contains a synced folder before its first sync, creating nothing in it', async () => {
    mkdirSync(inner);
    writeFileSync(join(inner, 'i.txt'), 'inner file');
    expect((await syncDir(inner)).code).toBe(0);
    await w.local.insert('o.txt', 'outer file');
    w.emu.resetCounters();
    const run = await w.sync();
    expect(run.code).toBe(2);
    expect(problems(run.stderr)).toEqual([expect.stringContaining(`${w.root} contains ${inner}, a folder wsync already syncs`)]);
    expect(existsSync(join(w.root, '.wsync'))).toBe(false);
    expect(transferCounts(w.emu)).toEqual({ uploads: 0, downloads: 0, deletes: 0 });
    // The inner folder is the one that was there first: it keeps syncing.
    expect((await syncDir(inner)).code).toBe(0);
  });

  it('a synced folder moved into a synced folder stops the outer one, which transfers nothing, and never copies itself', async () => {
    await w.local.insert('o.txt', 'outer file');
    expect((await w.sync()).code).toBe(0);
    const elsewhere = join(w.root, '..', 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'i.txt'), 'inner file');
    expect((await syncDir(elsewhere)).code).toBe(0);
    // Both mirror the same workspace: before this rule each run copied the other one level deeper.
    renameSync(elsewhere, inner);
    for (let round = 0; round < 3; round++) {
      w.emu.resetCounters();
      const outerRun = await w.sync();
      expect(outerRun.code).toBe(2);
      expect(problems(outerRun.stderr)).toEqual([expect.stringContaining(`${w.root} contains ${inner}, a folder wsync already syncs`)]);
      const innerRun = await syncDir(inner);
      expect(innerRun.code).toBe(2);
      expect(innerRun.stderr).toContain(`lies inside ${w.root}`);
      expect(transferCounts(w.emu)).toEqual({ uploads: 0, downloads: 0, deletes: 0 });
    }
    expect(await w.remote.paths()).toEqual(['i.txt', 'o.txt']);
    expect((await w.local.paths()).filter((p) => !p.startsWith('inner/.wsync/'))).toEqual(['inner/i.txt', 'inner/o.txt', 'o.txt']);
  });

  it("a synced folder listed in .wsyncignore is none of the outer folder's business: the outer one syncs the rest", async () => {
    mkdirSync(inner);
    writeFileSync(join(inner, 'i.txt'), 'inner file');
    expect((await syncDir(inner, ['--prefix', 'in'])).code).toBe(0);
    await w.local.insert('.wsyncignore', 'inner/\n');
    await w.local.insert('o.txt', 'outer file');
    const run = await w.sync(['--prefix', 'out']);
    expect(run.code).toBe(0);
    expect(await w.remote.paths()).toEqual(['in/i.txt', 'out/.wsyncignore', 'out/o.txt']);
  });

  it('never uploads a .wsync folder below the root, whatever .wsyncignore says', async () => {
    await w.local.insert('sub/.wsync/leftover.db', 'not a synced folder: no state database');
    await w.local.insert('sub/keep.txt', 'kept');
    await w.local.insert('.wsyncignore', '!sub/.wsync/\n!sub/.wsync/leftover.db\n');
    expect((await w.sync()).code).toBe(0);
    expect(await w.remote.paths()).toEqual(['.wsyncignore', 'sub/keep.txt']);
  });
});
