/**
 * Scenario 4: change latency of the watching engine.
 * Local → remote: a small file is written; the figure runs from the moment the watcher may call it
 * stable (its last write plus the stability window) until the emulator lists it. The end-to-end
 * time from the write is reported beside it.
 * Remote → local: a file appears remotely and the user presses "sync now"; the figure runs from
 * the press until the file's bytes are on disk.
 */
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { listedAt } from '../lib/api.js';
import { API_KEY, type BenchContext } from '../lib/context.js';
import { startWatchDriver } from '../lib/measured.js';
import { startEmulatorProcess } from '../lib/processes.js';
import { percentile } from '../lib/stats.js';

const LOCAL_P50_TARGET_MS = 1000;
const STABLE_MS = 1000;
const DEBOUNCE_MS = 200;
const GIVE_UP_MS = 60_000;

async function until(what: string, test: () => boolean | Promise<boolean>, everyMs: number): Promise<number> {
  const started = performance.now();
  while (!(await test())) {
    if (performance.now() - started > GIVE_UP_MS) throw new Error(`${what}: not done after ${GIVE_UP_MS} ms`);
    await sleep(everyMs);
  }
  return performance.now();
}

function holds(path: string, body: string): boolean {
  try {
    return statSync(path).size === body.length && readFileSync(path, 'utf8') === body;
  } catch {
    return false;
  }
}

export async function changeLatency(ctx: BenchContext): Promise<void> {
  const emu = await startEmulatorProcess(ctx.emulatorOptions('s4'));
  const ws = ctx.freshWorkspace();
  const root = ctx.freshDir('s4');
  try {
    await emu.seed(ws, ctx.sizes.latencyTree);
    const watcher = await startWatchDriver(
      { mode: 'watch', root, server: emu.url, workspace: ws, apiKey: API_KEY, pollIntervalMs: 30_000, stableMs: STABLE_MS, debounceMs: DEBOUNCE_MS },
      's4-watch',
    );
    try {
      await watcher.waitSyncs(1, 120_000);
      mkdirSync(join(root, 'edits'), { recursive: true });
      const fromWrite: number[] = [];
      for (let i = 0; i < ctx.sizes.edits; i++) {
        const rel = `edits/local-${i}.txt`;
        const body = `local edit ${i} ${'x'.repeat(100)}\n`;
        const syncs = watcher.syncCount();
        writeFileSync(join(root, rel), body);
        const written = performance.now();
        const listed = await until(`local edit ${i}`, async () => (await listedAt(emu.url, ws, rel))?.size === body.length, 10);
        fromWrite.push(listed - written);
        await watcher.waitSyncs(syncs + 1, GIVE_UP_MS);
      }
      const remote: number[] = [];
      for (let i = 0; i < ctx.sizes.edits; i++) {
        const rel = `edits/remote-${i}.txt`;
        const body = `remote edit ${i} ${'y'.repeat(100)}\n`;
        await emu.put(ws, rel, body);
        const syncs = watcher.syncCount();
        const pressed = performance.now();
        watcher.syncNow();
        const landed = await until(`remote edit ${i}`, () => holds(join(root, rel), body), 5);
        remote.push(landed - pressed);
        await watcher.waitSyncs(syncs + 1, GIVE_UP_MS);
      }
      const fromStable = fromWrite.map((ms) => ms - STABLE_MS);
      const n = ctx.sizes.edits;
      const p50 = percentile(fromStable, 50);
      ctx.record({
        scenario: 4,
        measure: `local → listed, from stable: p50`,
        value: p50,
        unit: 'ms',
        target: { text: `< ${LOCAL_P50_TARGET_MS} ms`, met: p50 < LOCAL_P50_TARGET_MS },
        runs: fromStable,
        note: `${n} edits; stable = last write + ${STABLE_MS} ms window`,
      });
      ctx.record({ scenario: 4, measure: 'local → listed, from stable: p95', value: percentile(fromStable, 95), unit: 'ms', runs: fromStable });
      ctx.record({ scenario: 4, measure: 'local → listed, from the write: p50', value: percentile(fromWrite, 50), unit: 'ms', runs: fromWrite });
      ctx.record({ scenario: 4, measure: 'remote → on disk after sync now: p50', value: percentile(remote, 50), unit: 'ms', runs: remote, note: `${n} edits` });
      ctx.record({ scenario: 4, measure: 'remote → on disk after sync now: p95', value: percentile(remote, 95), unit: 'ms', runs: remote });
    } finally {
      await watcher.stop();
    }
  } finally {
    await emu.stop();
  }
}
