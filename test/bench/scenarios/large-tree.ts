/**
 * Scenarios 3, 4 and 5 share one large synced tree: the no-op cycle (one-shot, wall time and peak
 * RSS), the idle cost of the watching engine (`wsync watch`, the built program: CPU time over a
 * quiet window, on average and in its worst slice, and resident memory), and then, on the same
 * watcher, scenario 4's remote → disk latency for a 100,000-file workspace.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeTree } from '../lib/content.js';
import { API_KEY, CONCURRENCY, type BenchContext } from '../lib/context.js';
import { runDriver } from '../lib/measured.js';
import { procStat, startEmulatorProcess } from '../lib/processes.js';
import { median } from '../lib/stats.js';
import { startWatch, type WatchProcess } from '../lib/watch-cli.js';
import { recordRemote, remoteToDisk } from './latency.js';

const NOOP_WALL_TARGET_S = 3;
const NOOP_RSS_TARGET_MB = 300;
const IDLE_CPU_TARGET_PCT = 0.5;
const IDLE_RSS_TARGET_MB = 150;
const QUIET_MS = 2000;
const QUIET_PCT = 3;

/**
 * Start-up is not idle: after the first sync, the watcher may still be crawling the tree. Waits
 * until no sync has finished and the process used under QUIET_PCT of a core over QUIET_MS.
 */
async function settled(watcher: WatchProcess): Promise<{ ms: number; cpuMs: number }> {
  const started = performance.now();
  const cpuAtStart = procStat(watcher.pid).cpuMs;
  for (;;) {
    const syncs = watcher.syncCount();
    const before = procStat(watcher.pid).cpuMs;
    await sleep(QUIET_MS);
    const used = procStat(watcher.pid).cpuMs - before;
    const quiet = watcher.syncCount() === syncs && used < (QUIET_MS * QUIET_PCT) / 100;
    if (quiet || performance.now() - started > 180_000) {
      return { ms: performance.now() - started, cpuMs: procStat(watcher.pid).cpuMs - cpuAtStart };
    }
  }
}

function vmRssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

export async function largeTree(ctx: BenchContext, which: { noop: boolean; idle: boolean; latency: boolean }): Promise<void> {
  const tree = ctx.sizes.noopTree;
  const count = tree.count.toLocaleString('en-US');
  const emu = await startEmulatorProcess(ctx.emulatorOptions('s3'));
  try {
    const ws = ctx.freshWorkspace();
    const root = ctx.freshDir('s3-tree');
    const setupStarted = performance.now();
    await Promise.all([writeTree(root, tree), emu.seed(ws, tree)]);
    const endpoint = { server: emu.url, workspace: ws, apiKey: API_KEY };
    // The first sync finds the same bytes on both sides (row 7): it records the base, transfers nothing.
    const first = await runDriver({ mode: 'sync-once', root, ...endpoint, concurrency: CONCURRENCY }, 's3-first-sync');
    if (!first.ok) throw new Error(`first sync of the large tree did not finish in sync: ${first.detail}`);
    ctx.log(
      `  large tree ready in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s (first sync ${(first.wallMs / 1000).toFixed(1)} s, ${first.detail})`,
    );

    if (which.noop) {
      const runs = [];
      for (let run = 0; run < ctx.runs; run++) {
        const r = await runDriver({ mode: 'sync-once', root, ...endpoint, concurrency: CONCURRENCY }, `s3-noop-run${run}`);
        if (!r.ok || r.files !== 0) throw new Error(`no-op cycle moved ${r.files} files (${r.detail})`);
        runs.push(r);
      }
      const wall = median(runs.map((r) => r.wallMs / 1000));
      const rss = median(runs.map((r) => r.peakRssMb));
      ctx.record({
        scenario: 3,
        measure: `${count} files: wall time`,
        value: wall,
        unit: 's',
        target: { text: `< ${NOOP_WALL_TARGET_S} s`, met: wall < NOOP_WALL_TARGET_S },
        runs: runs.map((r) => r.wallMs / 1000),
      });
      ctx.record({
        scenario: 3,
        measure: `${count} files: peak RSS`,
        value: rss,
        unit: 'MB',
        target: { text: `< ${NOOP_RSS_TARGET_MB} MB`, met: rss < NOOP_RSS_TARGET_MB },
        runs: runs.map((r) => r.peakRssMb),
      });
      ctx.record({
        scenario: 3,
        measure: `${count} files: CPU time`,
        value: median(runs.map((r) => (r.cpuUserMs + r.cpuSystemMs) / 1000)),
        unit: 's',
        runs: runs.map((r) => (r.cpuUserMs + r.cpuSystemMs) / 1000),
      });
    }

    if (which.idle || which.latency) {
      const watcher = await startWatch({ root, ...endpoint }, 's5-idle');
      try {
        await watcher.waitSyncs(1, 300_000);
        const settle = await settled(watcher);
        ctx.log(`  watcher quiet ${(settle.ms / 1000).toFixed(1)} s after its first sync`);
        if (which.idle) {
          ctx.record({
            scenario: 5,
            measure: `${count} files: CPU from the first sync until quiet`,
            value: settle.cpuMs / 1000,
            unit: 's',
            runs: [settle.cpuMs / 1000],
            note: `quiet after ${(settle.ms / 1000).toFixed(0)} s`,
          });
          await idleWindow(ctx, watcher, count);
        }
        if (which.latency)
          recordRemote(ctx, `${count} files`, await remoteToDisk(emu, ws, root, watcher, ctx.sizes.largeTreeRemoteEdits, 'large'), false);
      } finally {
        await watcher.stop();
      }
    }
  } finally {
    await emu.stop();
  }
}

/** The quiet window, in slices: CPU on average and in the worst slice, resident memory at the end and at its highest. */
async function idleWindow(ctx: BenchContext, watcher: WatchProcess, count: string): Promise<void> {
  const { idleSeconds, idleSliceSeconds } = ctx.sizes;
  const syncsBefore = watcher.syncCount();
  const started = performance.now();
  const cpuAtStart = procStat(watcher.pid).cpuMs;
  const slices: number[] = [];
  const rss: number[] = [];
  let sliceStart = started;
  let sliceCpu = cpuAtStart;
  while (performance.now() - started < idleSeconds * 1000 - 1) {
    await sleep(Math.min(idleSliceSeconds * 1000, idleSeconds * 1000 - (performance.now() - started)));
    const now = performance.now();
    const cpu = procStat(watcher.pid).cpuMs;
    slices.push(((cpu - sliceCpu) / (now - sliceStart)) * 100);
    rss.push(vmRssMb(watcher.pid));
    sliceStart = now;
    sliceCpu = cpu;
  }
  const elapsed = performance.now() - started;
  const average = ((procStat(watcher.pid).cpuMs - cpuAtStart) / elapsed) * 100;
  const window = idleSeconds >= 60 ? `${idleSeconds / 60} min` : `${idleSeconds} s`;
  const slice = idleSliceSeconds >= 60 ? `${idleSliceSeconds / 60 === 1 ? '' : `${idleSliceSeconds / 60} `}minute` : `${idleSliceSeconds} s`;
  ctx.record({
    scenario: 5,
    measure: `${count} files, ${window} quiet: CPU, average`,
    value: average,
    unit: '% of a core',
    target: { text: `≤ ${IDLE_CPU_TARGET_PCT}%`, met: average <= IDLE_CPU_TARGET_PCT },
    runs: [average],
    note: `${watcher.syncCount() - syncsBefore} poll(s) in the window`,
  });
  ctx.record({
    scenario: 5,
    measure: `${count} files, ${window} quiet: CPU, worst ${slice}`,
    value: Math.max(...slices),
    unit: '% of a core',
    runs: slices,
  });
  const last = rss.at(-1) ?? Number.NaN;
  ctx.record({
    scenario: 5,
    measure: `${count} files, watching: resident memory`,
    value: last,
    unit: 'MB',
    target: { text: `≤ ${IDLE_RSS_TARGET_MB} MB`, met: last <= IDLE_RSS_TARGET_MB },
    runs: rss,
    note: `at the end of the window; highest ${Math.max(...rss).toFixed(0)} MB`,
  });
}
