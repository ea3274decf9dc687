/**
 * Figures, their targets, and the table written as Markdown and JSON under test/bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Target {
  /** As the issue states it, e.g. "≤ 1.3× baseline". */
  text: string;
  met: boolean;
}

export interface Figure {
  scenario: number;
  measure: string;
  value: number;
  unit: string;
  /** The same measure for the baseline or peer, from the same bench run. */
  baseline?: { name: string; value: number };
  /** value / baseline.value, where the comparison is meaningful. */
  ratio?: number;
  target?: Target;
  /** Every run's value (the figure is their median). */
  runs: number[];
  note?: string;
  /** Median 1-minute load average at the end of the runs behind the figure (2 cores: 2 = busy). */
  load?: number;
}

export interface BenchReport {
  mode: 'full' | 'quick';
  startedAt: string;
  durationS: number;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  runsPerFigure: number;
  figures: Figure[];
  /** Wall time of each step (scenarios 3 and 5 share one), so a slow bench shows where it went. */
  steps: { scenarios: number[]; seconds: number }[];
  /** Scenarios that failed outright (the bench goes on with the others). */
  errors: { scenario: number; message: string }[];
}

export function machine(): BenchReport['machine'] {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

const SCENARIOS: Record<number, string> = {
  1: 'Initial download',
  2: 'Initial upload',
  3: 'No-op cycle',
  4: 'Change latency (watch)',
  5: 'Idle cost (watch)',
  6: 'Large file',
  7: 'Peer: rclone on the same S3 server',
  9: 'Start-up (the CLI as installed)',
};

export function format(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`.trim();
}

export function toMarkdown(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `# wsync bench (${report.mode})`,
    '',
    `${report.startedAt}, ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB RAM, Node ${m.node}, ${m.platform}. ` +
      `Each figure is the median of ${report.runsPerFigure} run(s); ratios compare medians from this same run. ` +
      `Took ${Math.round(report.durationS)} s (${report.steps.map((st) => `scenario ${st.scenarios.join('+')}: ${Math.round(st.seconds)} s`).join(', ')}).`,
    '',
    '| # | Scenario | Measure | wsync | Baseline / peer | Ratio | Target | | Load |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const f of report.figures) {
    const base = f.baseline ? `${format(f.baseline.value, f.unit)} (${f.baseline.name})` : '';
    const ratio = f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}×`;
    const verdict = f.target ? (f.target.met ? 'met' : '**missed**') : '';
    const measure = f.note ? `${f.measure} (${f.note})` : f.measure;
    const load = f.load === undefined ? '' : f.load.toFixed(1);
    lines.push(
      `| ${f.scenario} | ${SCENARIOS[f.scenario] ?? ''} | ${measure} | ${format(f.value, f.unit)} | ${base} | ${ratio} | ${f.target?.text ?? ''} | ${verdict} | ${load} |`,
    );
  }
  for (const e of report.errors) lines.push('', `Scenario ${e.scenario} (${SCENARIOS[e.scenario] ?? ''}) failed: ${e.message}`);
  return `${lines.join('\n')}\n`;
}

/** A short console table. */
export function toConsole(report: BenchReport): string {
  return report.figures
    .map((f) => {
      const base = f.baseline ? `  vs ${format(f.baseline.value, f.unit)} ${f.baseline.name}` : '';
      const ratio = f.ratio === undefined ? '' : `  ratio ${f.ratio.toFixed(2)}×`;
      const target = f.target ? `  target ${f.target.text}: ${f.target.met ? 'met' : 'MISSED'}` : '';
      const load = f.load === undefined ? '' : `  (load ${f.load.toFixed(1)})`;
      const note = f.note ? `  [${f.note}]` : '';
      return `${f.scenario}. ${f.measure}: ${format(f.value, f.unit)}${base}${ratio}${target}${load}${note}`;
    })
    .join('\n');
}

export function writeReport(dir: string, report: BenchReport): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, `bench-${report.mode}.json`);
  const md = join(dir, `bench-${report.mode}.md`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, toMarkdown(report));
  return { json, md };
}
