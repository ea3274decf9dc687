/**
 * The quick bench end to end, as CI runs it: every scenario must produce its figures. Timing is
 * never asserted here (a shared machine is noisy); that is what the full bench's table is for.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport } from './lib/report.js';
import { runBench } from './run.js';

describe('npm run bench -- --quick', () => {
  const out = mkdtempSync(join(tmpdir(), 'wsync-bench-quick-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  // The timeout guards against a hang, it is no target: nine scenarios beside another test file on 2 cores.
  it('produces a figure for every scenario and writes the table as JSON and Markdown', async () => {
    const lines: string[] = [];
    const report = await runBench({ quick: true, outDir: out, log: (m) => lines.push(m) });

    expect(report.errors, lines.join('\n')).toEqual([]);
    for (const scenario of [1, 2, 3, 4, 5, 6, 7, 8, 9]) {
      const figures = report.figures.filter((f) => f.scenario === scenario);
      expect(figures.length, `scenario ${scenario}`).toBeGreaterThan(0);
      for (const f of figures) expect(Number.isFinite(f.value), `${scenario}. ${f.measure}`).toBe(true);
    }
    const written = JSON.parse(readFileSync(join(out, 'bench-quick.json'), 'utf8')) as BenchReport;
    expect(written.machine.cpus).toBeGreaterThan(0);
    expect(written.machine.node).toBe(process.version);
    expect(readFileSync(join(out, 'bench-quick.md'), 'utf8')).toContain('| 7 |');
  }, 300_000);
});
