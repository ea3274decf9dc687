/**
 * Scenario 4: change latency of the watching engine (`wsync watch`, the built program), as users
 * feel it, on a workspace that lists in one page.
 * Local → remote: a small file is written; the figure runs from the end of its write until the
 * emulator lists it. "From stable" (the write plus the watcher's settle time) is reported beside it.
 * Remote → local: a file is written on the server, at a random moment of the poll cycle, and
 * nobody presses "sync now"; the figure runs from the server's write until the bytes are on disk.
 * The same remote figure for a 100,000-file workspace is measured on scenario 5's tree.
 */
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_SETTLE_CONFIG } from '../../../electron/engine/watch/settle.js';
import { listedAt } from '../lib/api.js';
import { API_KEY, type BenchContext } from '../lib/context.js';
import type { EmulatorProcess } from '../lib/processes.js';
import { startEmulatorProcess } from '../lib/processes.js';
import { median, percentile } from '../lib/stats.js';
import { startWatch, type WatchProcess } from '../lib/watch-cli.js';

const LOCAL_P50_TARGET_MS = 500;
const REMOTE_P50_TARGET_MS = 10_000;
const GIVE_UP_MS = 300_000;

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

/** The engine's recent spacing of syncs (its poll interval while quiet), bounded. */
function recentSyncGapMs(watcher: WatchProcess): number {
  const times = watcher.syncTimes().slice(-6);
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
  const gap = gaps.length === 0 ? 5_000 : median(gaps);
  return Math.min(150_000, Math.max(1_000, gap));
}

/**
 * Writes `count` files on the server and times each until its bytes are on disk. Each write waits
 * a random part of the engine's recent poll spacing first, so it lands at a random moment of the
 * poll cycle (right after a sync it would always wait a whole interval).
 */
export async function remoteToDisk(
  emu: EmulatorProcess,
  workspace: string,
  root: string,
  watcher: WatchProcess,
  count: number,
  label: string,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    await sleep(Math.random() * recentSyncGapMs(watcher));
    const rel = `remote-edits/${label}-${i}.txt`;
    const body = `remote edit ${label} ${i} ${'y'.repeat(100)}\n`;
    await emu.put(workspace, rel, body);
    const written = performance.now();
    const syncs = watcher.syncCount();
    const landed = await until(`remote edit ${i}`, () => holds(join(root, rel), body), 20);
    latencies.push(landed - written);
    await watcher.waitSyncs(syncs + 1, GIVE_UP_MS);
  }
  return latencies;
}

/** The target is the one-page workspace's; a large one is polled as its listing's cost allows. */
export function recordRemote(ctx: BenchContext, files: string, latencies: number[], targeted: boolean): void {
  const p50 = percentile(latencies, 50);
  ctx.record({
    scenario: 4,
    measure: `remote → on disk, no sync now, ${files}: p50`,
    value: p50,
    unit: 'ms',
    ...(targeted ? { target: { text: `≤ ${REMOTE_P50_TARGET_MS / 1000} s`, met: p50 <= REMOTE_P50_TARGET_MS } } : {}),
    runs: latencies,
    note: `${latencies.length} edits from the server's write`,
  });
  ctx.record({ scenario: 4, measure: `remote → on disk, no sync now, ${files}: p95`, value: percentile(latencies, 95), unit: 'ms', runs: latencies });
}

export async function changeLatency(ctx: BenchContext): Promise<void> {
  const emu = await startEmulatorProcess(ctx.emulatorOptions('s4'));
  const ws = ctx.freshWorkspace();
  const root = ctx.freshDir('s4');
  try {
    await emu.seed(ws, ctx.sizes.latencyTree);
    const watcher = await startWatch({ root, server: emu.url, workspace: ws, apiKey: API_KEY }, 's4-watch');
    try {
      await watcher.waitSyncs(1, 120_000);
      const before = watcher.syncCount();
      mkdirSync(join(root, 'edits'), { recursive: true });
      await watcher.waitSyncs(before + 1, GIVE_UP_MS); // a new folder settles in the stable time, not the edits' settle time
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
      const remote = await remoteToDisk(emu, ws, root, watcher, ctx.sizes.remoteEdits, 'one-page');
      const settleMs = DEFAULT_SETTLE_CONFIG.settleMs;
      const fromStable = fromWrite.map((ms) => ms - settleMs);
      const n = ctx.sizes.edits;
      const p50 = percentile(fromWrite, 50);
      const files = `${ctx.sizes.latencyTree.count.toLocaleString('en-US')} files, one page`;
      ctx.record({
        scenario: 4,
        measure: `local → listed, from the write: p50`,
        value: p50,
        unit: 'ms',
        target: { text: `≤ ${LOCAL_P50_TARGET_MS} ms`, met: p50 <= LOCAL_P50_TARGET_MS },
        runs: fromWrite,
        note: `${n} edits of ${files}`,
      });
      ctx.record({ scenario: 4, measure: 'local → listed, from the write: p95', value: percentile(fromWrite, 95), unit: 'ms', runs: fromWrite });
      ctx.record({
        scenario: 4,
        measure: 'local → listed, from stable: p50',
        value: percentile(fromStable, 50),
        unit: 'ms',
        runs: fromStable,
        note: `stable = end of the write + ${settleMs} ms settle time`,
      });
      recordRemote(ctx, files, remote, true);
    } finally {
      await watcher.stop();
    }
  } finally {
    await emu.stop();
  }
}
