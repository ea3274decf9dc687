/**
 * Scenarios 1 and 2: initial download and initial upload of many small files and of a few
 * larger ones, each against the wire baseline (../child/driver.ts, wire-*) in the same run, at the
 * concurrency wsync's pool picks for that tree.
 */
import { execFileSync } from 'node:child_process';
import type { DriverResult } from '../child/driver.js';
import { writeTree, type TreeSpec } from '../lib/content.js';
import { alternate, API_KEY, concurrencyFor, CONCURRENCY, type Alternated, type BenchContext } from '../lib/context.js';
import { runDriver } from '../lib/measured.js';
import { startEmulatorProcess, type EmulatorProcess } from '../lib/processes.js';
import { median } from '../lib/stats.js';

/** Issue 16: small files within 10% of the wire at the same concurrency, and every 10,000-file run under 150 MB. */
const RATIO_TARGET = 1.1;
const RSS_TARGET_MB = 150;

function describe(tree: TreeSpec): string {
  const size = tree.size >= 2 ** 20 ? `${tree.size / 2 ** 20} MB` : `${tree.size / 1024} KB`;
  return `${tree.count.toLocaleString('en-US')} × ${size}`;
}

function check(result: DriverResult, expected: number, what: string): DriverResult {
  if (!result.ok || result.files !== expected) throw new Error(`${what}: expected ${expected} files, got ${result.files} (${result.detail})`);
  return result;
}

const cpuS = (r: DriverResult) => (r.cpuUserMs + r.cpuSystemMs) / 1000;

/** Wall time (with ratio and target), files/s, MB/s, CPU time and peak RSS for one tree. */
function recordTransfer(
  ctx: BenchContext,
  scenario: number,
  tree: TreeSpec,
  runs: Alternated<DriverResult, DriverResult>,
  concurrency: number,
): void {
  const { wsync, baseline: wire } = runs;
  const label = describe(tree);
  const load = median(runs.load);
  const w = median(wsync.map((r) => r.wallMs / 1000));
  const b = median(wire.map((r) => r.wallMs / 1000));
  const mb = (tree.count * tree.size) / 2 ** 20;
  ctx.record({
    scenario,
    measure: `${label}: wall time`,
    value: w,
    unit: 's',
    baseline: { name: 'wire', value: b },
    ratio: w / b,
    target: { text: `≤ ${RATIO_TARGET}× wire`, met: w / b <= RATIO_TARGET },
    runs: wsync.map((r) => r.wallMs / 1000),
    note: `${concurrency} at once`,
    load,
  });
  ctx.record({
    scenario,
    measure: `${label}: files/s`,
    value: tree.count / w,
    unit: 'files/s',
    baseline: { name: 'wire', value: tree.count / b },
    runs: wsync.map((r) => (tree.count * 1000) / r.wallMs),
    load,
  });
  ctx.record({
    scenario,
    measure: `${label}: throughput`,
    value: mb / w,
    unit: 'MB/s',
    baseline: { name: 'wire', value: mb / b },
    runs: wsync.map((r) => (mb * 1000) / r.wallMs),
    load,
  });
  const serverS = (side: 'wsync' | 'baseline') => (median(runs.serverCpuMs[side]) / 1000).toFixed(1);
  ctx.record({
    scenario,
    measure: `${label}: CPU time`,
    value: median(wsync.map(cpuS)),
    unit: 's',
    baseline: { name: 'wire', value: median(wire.map(cpuS)) },
    ratio: median(wsync.map(cpuS)) / median(wire.map(cpuS)),
    runs: wsync.map(cpuS),
    note: `the emulator's meanwhile: ${serverS('wsync')} s for wsync, ${serverS('baseline')} s for wire`,
    load,
  });
  const rss = median(wsync.map((r) => r.peakRssMb));
  ctx.record({
    scenario,
    measure: `${label}: peak RSS`,
    value: rss,
    unit: 'MB',
    baseline: { name: 'wire', value: median(wire.map((r) => r.peakRssMb)) },
    ...(tree.count >= 10_000 ? { target: { text: `≤ ${RSS_TARGET_MB} MB`, met: rss <= RSS_TARGET_MB } } : {}),
    runs: wsync.map((r) => r.peakRssMb),
    load,
  });
}

async function downloads(ctx: BenchContext, emu: EmulatorProcess, tree: TreeSpec): Promise<void> {
  const ws = ctx.freshWorkspace();
  await emu.seed(ws, tree);
  const concurrency = concurrencyFor(tree.size);
  const runOne = async (mode: 'sync-once' | 'wire-download', run: number): Promise<DriverResult> => {
    const root = ctx.freshDir(`s1-${mode}`);
    // wsync gets its default ceiling and picks its own pool; the wire runs at what wsync picks.
    const job = { mode, root, server: emu.url, workspace: ws, apiKey: API_KEY, concurrency: mode === 'sync-once' ? CONCURRENCY : concurrency };
    return check(await runDriver(job, `s1-download-${tree.count}-run${run}`), tree.count, `download ${mode}`);
  };
  const runs = await alternate(
    ctx.runs,
    (run) => runOne('sync-once', run),
    (run) => runOne('wire-download', run),
    [emu.pid],
  );
  recordTransfer(ctx, 1, tree, runs, concurrency);
}

async function uploads(ctx: BenchContext, emu: EmulatorProcess, tree: TreeSpec): Promise<void> {
  const template = ctx.freshDir('s2-template');
  await writeTree(template, tree);
  const concurrency = concurrencyFor(tree.size);
  const runOne = async (mode: 'sync-once' | 'wire-upload', run: number): Promise<DriverResult> => {
    const ws = ctx.freshWorkspace();
    // Hard links: a fresh folder per run without copying the bytes again.
    const root = ctx.freshDir(`s2-${mode}`);
    execFileSync('cp', ['-al', `${template}/.`, root]);
    const job = { mode, root, server: emu.url, workspace: ws, apiKey: API_KEY, concurrency: mode === 'sync-once' ? CONCURRENCY : concurrency };
    const result = await runDriver(job, `s2-upload-${tree.count}-run${run}`);
    const listed = await emu.count(ws);
    if (listed !== tree.count) throw new Error(`upload ${mode}: ${listed} of ${tree.count} files listed (${result.detail})`);
    return check(result, tree.count, `upload ${mode}`);
  };
  const runs = await alternate(
    ctx.runs,
    (run) => runOne('sync-once', run),
    (run) => runOne('wire-upload', run),
    [emu.pid],
  );
  recordTransfer(ctx, 2, tree, runs, concurrency);
}

export async function initialDownload(ctx: BenchContext): Promise<void> {
  const emu = await startEmulatorProcess(ctx.emulatorOptions('s1'));
  try {
    await downloads(ctx, emu, ctx.sizes.smallTree);
    await downloads(ctx, emu, ctx.sizes.largeTree);
  } finally {
    await emu.stop();
  }
}

export async function initialUpload(ctx: BenchContext): Promise<void> {
  const emu = await startEmulatorProcess(ctx.emulatorOptions('s2'));
  try {
    await uploads(ctx, emu, ctx.sizes.smallTree);
    await uploads(ctx, emu, ctx.sizes.largeTree);
  } finally {
    await emu.stop();
  }
}
