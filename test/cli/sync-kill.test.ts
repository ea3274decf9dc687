/**
 * A CLI process killed with SIGKILL in the middle of a two-way sync of a few hundred files, then
 * run again: it converges with no loss, no duplicates and no leftover temporary files.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCliRig, md5, problems, spawnCli, transferCounts } from './harness.js';
import type { CliRig } from './harness.js';

let w: CliRig;
beforeEach(async () => {
  w = await openCliRig();
});
afterEach(async () => {
  await w.close();
});

const FILES_EACH_SIDE = 200;

describe('sync --once killed mid-cycle', () => {
  it('converges after SIGKILL with every file on both sides, byte for byte, no duplicates and no temp files', async () => {
    const expected = new Map<string, string>();
    for (let i = 0; i < FILES_EACH_SIDE; i++) {
      const local = randomBytes(2000 + ((i * 7919) % 30000));
      const remote = randomBytes(2000 + ((i * 104729) % 30000));
      // Both directions share folders, so that the plan (ordered by path) interleaves them.
      await w.local.insert(`d${i % 10}/l${i}.bin`, local);
      expected.set(`d${i % 10}/l${i}.bin`, md5(local));
      await w.remote.insert(`d${i % 10}/r${i}.bin`, remote);
      expected.set(`d${i % 10}/r${i}.bin`, md5(remote));
    }
    w.emu.faults.latencyMs = 15;

    const { child, done } = spawnCli(w.syncArgs(['--concurrency', '4']));
    let moved = 0;
    w.emu.onRequest = (req) => {
      if (req.kind === 'upload' || req.kind === 'storage-get') moved++;
      if (moved === Math.floor(FILES_EACH_SIDE / 2)) child.kill('SIGKILL');
    };
    const killed = await done;
    w.emu.onRequest = null;
    expect(killed.signal).toBe('SIGKILL');
    // Killed in the middle: both directions had started, neither had finished.
    expect((await w.local.paths()).length).toBeGreaterThan(FILES_EACH_SIDE);
    expect((await w.local.paths()).length).toBeLessThan(2 * FILES_EACH_SIDE);
    expect((await w.remote.paths()).length).toBeGreaterThan(FILES_EACH_SIDE);
    expect((await w.remote.paths()).length).toBeLessThan(2 * FILES_EACH_SIDE);
    w.emu.faults.latencyMs = 0;

    let last = await w.sync(['--json']);
    // The killed run left journal intents; the rerun checked them against both sides first.
    expect((JSON.parse(last.stdout) as { recovered: { intents: number } }).recovered.intents).toBeGreaterThan(0);
    for (let i = 0; i < 2 && last.code !== 0; i++) last = await w.sync();
    expect(problems(last.stderr)).toEqual([]);
    expect(last.code).toBe(0);

    const sorted = [...expected.keys()].sort();
    expect(await w.local.paths()).toEqual(sorted);
    expect(await w.remote.paths()).toEqual(sorted);
    for (const [path, hash] of expected) {
      expect(md5(readFileSync(join(w.root, path)))).toBe(hash);
      expect(md5((await w.emu.admin.read('ws_demo', path)) as Buffer)).toBe(hash);
    }
    const tmp = join(w.root, '.wsync/tmp');
    expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
    expect((await w.local.paths()).filter((p) => p.includes('wsync-tmp') || p.includes('conflicted copy'))).toEqual([]);

    w.emu.resetCounters();
    expect((await w.sync()).code).toBe(0);
    expect(transferCounts(w.emu)).toEqual({ uploads: 0, downloads: 0, deletes: 0 });
  });
});
