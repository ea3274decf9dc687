/**
 * `--prefix` is normalised and checked once, by the rules every remote name follows, so wsync never
 * uploads a name another mirror refuses (before: `--prefix ./sub` uploaded `./sub/dot.txt`, which
 * every mirror of the workspace then refused on every run).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateDb } from '../../electron/engine/state/state-db.js';
import { openCliRig, problems, runCli, transferCounts, WORKSPACE } from './harness.js';
import type { CliRig } from './harness.js';

let w: CliRig;
beforeEach(async () => {
  w = await openCliRig();
});
afterEach(async () => {
  await w.close();
});

describe('--prefix', () => {
  it.each([
    ['./sub', "'.' segment"],
    ['../', "'..' segment"],
    ['sub/../../up', "'..' segment"],
    ['/abs', "starts with '/'"],
    ['a\\b', 'backslash'],
    ['a//b', 'empty segment'],
    ['.wsync', 'state folder'],
  ])('%j is refused (exit 2) before anything is sent or created', async (prefix, why) => {
    await w.local.insert('dot.txt', 'x');
    w.emu.resetCounters();
    const run = await w.sync(['--prefix', prefix]);
    expect(run.code).toBe(2);
    expect(problems(run.stderr)).toEqual([
      expect.stringMatching(new RegExp(`--prefix: the prefix .* is not a folder path inside the workspace \\(.*${why.replace(/[.*()\\]/g, '\\$&')}`)),
    ]);
    expect(w.emu.requests()).toEqual([]);
    expect(transferCounts(w.emu).uploads).toBe(0);
    expect(await w.remote.paths()).toEqual([]);
    expect(existsSync(join(w.root, '.wsync'))).toBe(false);
  });

  it('watch refuses a bad prefix the same way', async () => {
    const run = await runCli(['watch', '--server', w.emu.url, '--workspace', WORKSPACE, '--dir', w.root, '--prefix', './sub']);
    expect(run.code).toBe(2);
    expect(problems(run.stderr)).toEqual([
      expect.stringContaining('--prefix: the prefix "./sub" is not a folder path inside the workspace (the path has a \'.\' segment)'),
    ]);
  });

  it('"sub" and "sub/" name one folder: files land under sub/ and a mirror of the whole workspace takes them without refusing anything', async () => {
    await w.local.insert('dot.txt', 'x');
    expect((await w.sync(['--prefix', 'sub'])).code).toBe(0);
    expect((await w.sync(['--prefix', 'sub/'])).code).toBe(0);
    expect(await w.remote.paths()).toEqual(['sub/dot.txt']);
    const mirror = join(w.root, '..', 'mirror');
    mkdirSync(mirror);
    const run = await runCli(['sync', '--once', '--server', w.emu.url, '--workspace', WORKSPACE, '--dir', mirror]);
    expect(run.code).toBe(0);
    expect(problems(run.stderr)).toEqual([]);
  });

  it('a bad prefix a folder remembers from an older version is refused by the engine too', async () => {
    await w.local.insert('dot.txt', 'x');
    expect((await w.sync(['--prefix', 'sub'])).code).toBe(0);
    const db = StateDb.open(join(w.root, '.wsync', 'state.db'));
    db.setMeta({ prefix: './sub/' });
    db.close();
    await w.local.insert('new.txt', 'y');
    const run = await runCli(['sync', '--once', '--dir', w.root]);
    expect(run.code).toBe(2);
    expect(problems(run.stderr)).toEqual([expect.stringContaining('the prefix "./sub/" is not a folder path inside the workspace')]);
    expect(await w.remote.paths()).toEqual(['sub/dot.txt']);
  });
});
