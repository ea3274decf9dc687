/**
 * The CLI at a terminal, as a person sees it: tmux runs the built program in an 80-column
 * pseudo-terminal, send-keys types Ctrl-C, capture-pane reads the screen.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCliRig, runCli, type CliRig } from './harness.js';
import { openTerminal, type Terminal } from './terminal.js';

let w: CliRig;
let term: Terminal | null = null;
beforeEach(async () => {
  w = await openCliRig();
});
afterEach(async () => {
  term?.close();
  term = null;
  await w.close();
});

const CJK = `研究データ/${'解析結果'.repeat(6)}_サンプル番号_0001.bam`;
const COLUMNS = 80;

/** Rows holding the progress line: one when it fits, more when it wrapped and broke the redraw. */
const progressRows = (screen: string[]): number => screen.filter((l) => /\d+\/\d+ files/.test(l)).length;

describe('sync --once at a terminal', () => {
  it('shows files x/y and bytes x/y on one line that fits, CJK names included, and leaves only the summary', async () => {
    for (let i = 0; i < 20; i++) await w.remote.insert(`batch/file-${i}.bin`, randomBytes(200_000));
    await w.remote.insert(CJK, randomBytes(2_000_000));
    w.emu.faults.latencyMs = 150;
    term = openTerminal(w.syncArgs(['--concurrency', '2']), { columns: COLUMNS });
    const during = await term.waitFor('the progress line', (s) => progressRows(s) > 0);
    expect(progressRows(during)).toBe(1);
    const line = during.find((l) => l.includes('files')) ?? '';
    expect(line).toMatch(/^First sync {2}\d+\/21 files {2}[\d.]+ (bytes|KB|MB) \/ 6 MB/);
    const { code, screen: end } = await term.waitForExit(60_000);
    expect(code).toBe(0);
    expect(progressRows(end)).toBe(0);
    expect(end.some((l) => l.startsWith('in sync: 0 uploaded, 21 downloaded'))).toBe(true);
    for (const l of end) expect(l.length).toBeLessThanOrEqual(COLUMNS);
  });

  it('Ctrl-C stops it cleanly: a message, exit 130, the folder released, and the next run finishes the job', async () => {
    for (let i = 0; i < 60; i++) await w.remote.insert(`many/f${i}.txt`, `file ${i}`);
    w.emu.faults.latencyMs = 100;
    term = openTerminal(w.syncArgs(['--concurrency', '1']), { columns: COLUMNS });
    await term.waitFor('some progress', (s) => s.some((l) => /[1-9]\d*\/60 files/.test(l)));
    term.type('C-c');
    const { code, screen } = await term.waitForExit(20_000);
    expect(code).toBe(130);
    const text = screen.join('\n');
    expect(text).toContain('wsync: interrupted: stopping (Ctrl-C again to quit at once)');
    expect(text).toContain('wsync: stopped before the sync finished; run it again to carry on');
    const done = w.localPaths().length;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(60);
    w.emu.faults.latencyMs = 0;
    const rerun = await runCli(w.syncArgs());
    expect(rerun.stderr).not.toMatch(/another wsync engine/);
    expect(rerun.code).toBe(0);
    expect(w.localPaths()).toHaveLength(60);
  });
});

describe('watch at a terminal', () => {
  it('draws the first sync, then Up to date once it has finished, and Ctrl-C stops it with exit 0', async () => {
    for (let i = 0; i < 10; i++) await w.remote.insert(`r/${i}.txt`, `r${i}`);
    await w.remote.insert(CJK, randomBytes(100_000));
    w.emu.faults.latencyMs = 100;
    term = openTerminal(['watch', '--server', w.emu.url, '--workspace', 'ws_demo', '--dir', w.root], { columns: COLUMNS });
    const first = await term.waitFor('the first sync frame', (s) => s.some((l) => l.endsWith('First sync')));
    expect(first.join('\n')).not.toMatch(/Up to date/);
    const done = await term.waitFor('up to date', (s) => s.some((l) => /<-> .*Up to date$/.test(l)), 30_000);
    expect(done.some((l) => /First sync: finished in \d+s, 11 operations; Up to date$/.test(l))).toBe(true);
    expect(done.some((l) => /^last sync \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(l))).toBe(true);
    term.type('C-c');
    const { code, screen: end } = await term.waitForExit(20_000);
    expect(code).toBe(0);
    expect(end.some((l) => l.endsWith('stopped (SIGINT)'))).toBe(true);
    expect(w.localPaths()).toHaveLength(11);
  });
});

describe('watch at a terminal that is closed', () => {
  it('SIGHUP from the closed terminal stops it cleanly (it reloads only without a terminal): logged as stopped, the folder released', async () => {
    await w.remote.insert('a.txt', 'a');
    term = openTerminal(['watch', '--server', w.emu.url, '--workspace', 'ws_demo', '--dir', w.root], { columns: COLUMNS });
    await term.waitFor('up to date', (s) => s.some((l) => l.endsWith('Up to date')), 30_000);
    term.close();
    term = null;
    const log = join(w.root, '.wsync', 'logs', 'wsync.log');
    const deadline = Date.now() + 20_000;
    while (!readFileSync(log, 'utf8').includes('watch stopped')) {
      if (Date.now() > deadline) throw new Error(`no clean stop in the log:\n${readFileSync(log, 'utf8')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(readFileSync(log, 'utf8')).toMatch(/"reason":"SIGHUP".*watch stopped/);
    const rerun = await runCli(['sync', '--once', '--server', w.emu.url, '--workspace', 'ws_demo', '--dir', w.root]);
    expect(rerun.stderr).not.toMatch(/another wsync engine/);
    expect(rerun.code).toBe(0);
  });
});
