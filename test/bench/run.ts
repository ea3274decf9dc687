/**
 * `npm run bench [-- --quick] [--runs N] [--only 1,3] [--files N] [--out DIR] [--profile DIR [--heap]]`
 *
 * Runs the scenarios of issue 8 against the emulator on loopback in fresh temp folders, prints
 * the table, and writes it as JSON and Markdown (test/bench/results/ by default). Targets are
 * reported as met or missed; a missed target never fails the run. A scenario that breaks is
 * reported and the others still run; the exit status is then 1.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createContext, type BenchContext } from './lib/context.js';
import { bundleDriver, removeDriverBundle, setProfiling } from './lib/measured.js';
import { buildBenchCli, removeBenchCli } from './lib/watch-cli.js';
import { machine, toConsole, writeReport, type BenchReport, type Figure } from './lib/report.js';
import { bigFile } from './scenarios/big-file.js';
import { desktop } from './scenarios/desktop.js';
import { largeTree } from './scenarios/large-tree.js';
import { changeLatency } from './scenarios/latency.js';
import { peer } from './scenarios/peer.js';
import { startUp } from './scenarios/start-up.js';
import { initialDownload, initialUpload } from './scenarios/transfers.js';

interface Step {
  scenarios: number[];
  run: (ctx: BenchContext, selected: Set<number>) => Promise<void>;
}

const STEPS: Step[] = [
  { scenarios: [1], run: (ctx) => initialDownload(ctx) },
  { scenarios: [2], run: (ctx) => initialUpload(ctx) },
  // Scenario 4's 100,000-file remote latency is measured on this step's tree and watcher.
  { scenarios: [3, 4, 5], run: (ctx, selected) => largeTree(ctx, { noop: selected.has(3), idle: selected.has(5), latency: selected.has(4) }) },
  { scenarios: [4], run: (ctx) => changeLatency(ctx) },
  { scenarios: [6], run: (ctx) => bigFile(ctx) },
  { scenarios: [7], run: (ctx) => peer(ctx) },
  { scenarios: [8], run: (ctx) => desktop(ctx) },
  { scenarios: [9], run: (ctx) => startUp(ctx) },
];

/**
 * Run folders stay until the end (deleting 100,000-file trees between runs would cost minutes).
 * A full run's folder is then deleted by a detached `rm` so the table is not kept waiting.
 */
function removeLater(dir: string, now: boolean): void {
  if (now) {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  spawn('rm', ['-rf', dir], { detached: true, stdio: 'ignore' }).unref();
}

export interface BenchOptions {
  quick: boolean;
  runs?: number;
  only?: number[];
  /** Files in the small-file trees (scenarios 1, 2, 7) instead of the mode's count: quicker runs while developing. */
  files?: number;
  outDir?: string;
  profileDir?: string | null;
  heap?: boolean;
  log?: (message: string) => void;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? ((m: string) => process.stdout.write(`${m}\n`));
  const started = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), 'wsync-bench-'));
  const figures: Figure[] = [];
  const report: BenchReport = {
    mode: options.quick ? 'quick' : 'full',
    startedAt: new Date(started).toISOString(),
    durationS: 0,
    machine: machine(),
    runsPerFigure: options.runs ?? (options.quick ? 1 : 3),
    figures,
    steps: [],
    errors: [],
  };
  const selected = new Set(options.only ?? [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const ctx = createContext({
    quick: options.quick,
    runs: report.runsPerFigure,
    tmp,
    log,
    record: (f) => figures.push(f),
    ...(options.files === undefined ? {} : { files: options.files }),
  });
  setProfiling({ dir: options.profileDir ?? null, heap: options.heap === true });
  try {
    await Promise.all([bundleDriver(), buildBenchCli()]);
    for (const step of STEPS) {
      const wanted = step.scenarios.filter((s) => selected.has(s));
      if (wanted.length === 0) continue;
      const stepStarted = Date.now();
      log(`scenario ${wanted.join(' and ')}...`);
      try {
        await step.run(ctx, selected);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        for (const scenario of wanted) report.errors.push({ scenario, message });
        log(`  failed: ${message}`);
      }
      const seconds = (Date.now() - stepStarted) / 1000;
      report.steps.push({ scenarios: wanted, seconds });
      log(`  (${seconds.toFixed(1)} s)`);
    }
  } finally {
    removeDriverBundle();
    removeBenchCli();
    removeLater(tmp, options.quick);
  }
  figures.sort((a, b) => a.scenario - b.scenario);
  report.durationS = (Date.now() - started) / 1000;
  const written = writeReport(options.outDir ?? join(import.meta.dirname, 'results'), report);
  log('');
  log(toConsole(report));
  log(`\n${report.mode} bench took ${report.durationS.toFixed(0)} s; wrote ${written.md} and ${written.json}`);
  return report;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      only: { type: 'string' },
      files: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      heap: { type: 'boolean', default: false },
    },
  });
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && (!Number.isInteger(runs) || runs < 1)) throw new Error('--runs: expected a whole number of at least 1');
  const only = values.only?.split(',').map((s) => Number(s.trim()));
  if (only?.some((n) => !Number.isInteger(n) || n < 1 || n > 9)) throw new Error('--only: expected scenario numbers 1-9, comma separated');
  const files = values.files === undefined ? undefined : Number(values.files);
  if (files !== undefined && (!Number.isInteger(files) || files < 1)) throw new Error('--files: expected a whole number of at least 1');
  const report = await runBench({
    ...(files === undefined ? {} : { files }),
    quick: values.quick,
    ...(runs === undefined ? {} : { runs }),
    ...(only === undefined ? {} : { only }),
    ...(values.out === undefined ? {} : { outDir: resolve(values.out) }),
    profileDir: values.profile === undefined ? null : resolve(values.profile),
    heap: values.heap,
  });
  process.exitCode = report.errors.length > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}` || process.argv[1]?.endsWith('test/bench/run.ts')) {
  await main();
}
