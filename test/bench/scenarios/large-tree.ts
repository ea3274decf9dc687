/**
 * Scenarios 3 and 5 share one large synced tree: the no-op cycle (one-shot, wall time and peak
 * RSS) and the idle cost of the watching engine (CPU time over a quiet minute).
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeTree } from '../lib/content.js';
import { API_KEY, CONCURRENCY, type BenchContext } from '../lib/context.js';
import { runDriver, startWatchDriver, type WatchDriver } from '../lib/measured.js';
import { procStat, startEmulatorProcess } from '../lib/processes.js';
import { median } from '../lib/stats.js';

const NOOP_WALL_TARGET_S = 3;
const NOOP_RSS_TARGET_MB = 300;
const IDLE_CPU_TARGET_PCT = 1;
const QUIET_MS = 2000;
const QUIET_PCT = 3;

/**
 * Start-up is not idle: after the first sync, the watcher may still be crawling the tree. Waits
 * until no sync has finished and the process used under QUIET_PCT of a core over QUIET_MS.
 */
async function settled(watcher: WatchDriver): Promise<{ ms: number; cpuMs: number }> {
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

export async function largeTree(ctx: BenchContext, which: { noop: boolean; idle: boolean }): Promise<void> {
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
    ctx.log(`  large tree ready in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s (first sync ${(first.wallMs / 1000).toFixed(1)} s, ${first.detail})`);

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
      ctx.record({ scenario: 3, measure: `${count} files: CPU time`, value: median(runs.map((r) => (r.cpuUserMs + r.cpuSystemMs) / 1000)), unit: 's', runs: runs.map((r) => (r.cpuUserMs + r.cpuSystemMs) / 1000) });
    }

    if (which.idle) {
      const watcher = await startWatchDriver({ mode: 'watch', root, ...endpoint, pollIntervalMs: 30_000, stableMs: 1000, debounceMs: 200 }, 's5-idle');
      try {
        await watcher.waitSyncs(1, 300_000);
        const settle = await settled(watcher);
        ctx.log(`  watcher quiet ${(settle.ms / 1000).toFixed(1)} s after its first sync`);
        ctx.record({
          scenario: 5,
          measure: `${count} files: CPU from the first sync until quiet`,
          value: settle.cpuMs / 1000,
          unit: 's',
          runs: [settle.cpuMs / 1000],
          note: `quiet after ${(settle.ms / 1000).toFixed(0)} s`,
        });
        const syncsBefore = watcher.syncCount();
        const before = procStat(watcher.pid).cpuMs;
        const started = performance.now();
        await sleep(ctx.sizes.idleSeconds * 1000);
        const cpuMs = procStat(watcher.pid).cpuMs - before;
        const elapsed = performance.now() - started;
        const pct = (cpuMs / elapsed) * 100;
        ctx.record({
          scenario: 5,
          measure: `${count} files, ${ctx.sizes.idleSeconds} s quiet: CPU`,
          value: pct,
          unit: '% of a core',
          target: { text: `< ${IDLE_CPU_TARGET_PCT}%`, met: pct < IDLE_CPU_TARGET_PCT },
          runs: [pct],
          note: `${watcher.syncCount() - syncsBefore} cycle(s) in the window`,
        });
        ctx.record({ scenario: 5, measure: `${count} files, watching: resident memory`, value: vmRssMb(watcher.pid), unit: 'MB', runs: [vmRssMb(watcher.pid)] });
      } finally {
        await watcher.stop();
      }
    }
  } finally {
    await emu.stop();
  }
}
