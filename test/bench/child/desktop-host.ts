/**
 * Scenario 8's measured side: the BUILT main bundle hosted under the Electron stand-in
 * (test/support/fake-electron.ts, bundled as the app's `electron` package), its engine in its own
 * process (the stand-in's utilityProcess.fork starts the built engine bundle in a Node child).
 * It adds a folder pair as the window does (folder dialog, then addFolder over IPC), lets the
 * first sync run, hides the window for a while in the middle, asks for a pause, and reports what
 * the main thread suffered and what crossed into the window and the tray.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The main thread's stalls, two ways. `wall`: how late a 10 ms timer fired (Node's event-loop
 * delay). On a shared machine that includes the time the OS ran other processes instead of this
 * one; so `busy` counts, for each late tick, only the time the main thread itself ran meanwhile
 * (Linux's per-thread schedstat, in ns; elsewhere the whole process's CPU time): its work held the
 * loop up for at most that long. The target is on `busy`; `wall` is reported beside.
 */
function mainThreadCpuMs(): () => number {
  const file = `/proc/self/task/${process.pid}/schedstat`;
  try {
    readFileSync(file, 'utf8');
    return () => Number(readFileSync(file, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return () => {
      const cpu = process.cpuUsage();
      return (cpu.user + cpu.system) / 1000;
    };
  }
}

function stallProbe(): { stop(): { wallMs: number; busyMs: number } } {
  const every = 10;
  const cpuMs = mainThreadCpuMs();
  let last = performance.now();
  let lastCpu = cpuMs();
  let wall = 0;
  let busy = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = cpuMs();
    const late = now - last - every;
    wall = Math.max(wall, late);
    busy = Math.max(busy, Math.min(late, cpu - lastCpu));
    last = now;
    lastCpu = cpu;
  }, every);
  return {
    stop() {
      clearInterval(timer);
      return { wallMs: Math.max(0, wall), busyMs: Math.max(0, busy) };
    },
  };
}
import type { FakeElectron } from '../../support/fake-electron.js';

export interface DesktopHostJob {
  appRoot: string;
  userData: string;
  server: string;
  workspace: string;
  apiKey: string;
  dir: string;
  /** The window is hidden this long after the folder was added, for `hiddenForMs`. */
  hideAfterMs: number;
  hiddenForMs: number;
  timeoutMs: number;
}

export interface DesktopHostResult {
  syncSeconds: number;
  /** Longest stall of the main process's event loop from adding the folder to the end of the sync, while it worked (see stallProbe). */
  maxStallMs: number;
  /** The same by the clock, including time the OS gave other processes. */
  maxWallStallMs: number;
  p99StallMs: number;
  statusMessages: number;
  statusBytes: number;
  /** Most status messages to the window in any one-second window while it was visible. */
  maxStatusPerSecond: number;
  statusWhileHidden: number;
  /** Status messages sent on show (one snapshot expected). */
  snapshotsOnShow: number;
  trayRebuilds: number;
  /** Rebuilds whose menu equalled the one before (should be none). */
  unchangedRebuilds: number;
  tooltipSets: number;
  pauseAnsweredMs: number;
  finalState: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as DesktopHostJob;
  const require = createRequire(join(job.appRoot, 'package.json'));
  const electron = require('electron') as FakeElectron;
  electron.app.appPath = job.appRoot;
  electron.app.paths = { userData: job.userData };
  require(join(job.appRoot, 'dist', 'electron', 'main', 'index.cjs'));

  const deadline = Date.now() + job.timeoutMs;
  const until = async (what: string, probe: () => boolean): Promise<void> => {
    while (!probe()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(10);
    }
  };
  await until('the window', () => electron.BrowserWindow.created[0]?.visible === true && electron.Tray.created.length === 1);
  // The app starts its engine process with the window; the measure starts once it is up.
  await until('the engine process', () => electron.utilityProcess.forked.length === 1);
  await sleep(500);
  const window = electron.BrowserWindow.created[0] as InstanceType<FakeElectron['BrowserWindow']>;
  const tray = electron.Tray.created[0] as InstanceType<FakeElectron['Tray']>;
  const invoke = async (command: string, payload?: unknown) => {
    const result = (await electron.ipcMain.invoke(`wsync:${command}`, 'wsync://app/index.html', payload)) as {
      ok: boolean;
      value?: unknown;
      error?: { message: string };
    };
    if (!result.ok) throw new Error(`${command}: ${result.error?.message}`);
    return result.value;
  };

  const stalls = monitorEventLoopDelay({ resolution: 10 });
  const sentBefore = window.webContents.sent.length;
  const menusBefore = tray.menuBuilds;
  const tooltipsBefore = tray.toolTipSets;
  electron.dialog.answer = job.dir;
  await invoke('pickFolder');
  const started = performance.now();
  stalls.enable();
  const probe = stallProbe();
  const added = (await invoke('addFolder', { server: job.server, apiKey: job.apiKey, workspace: job.workspace, dir: job.dir, prefix: '' })) as {
    id: string;
  };

  let sawSyncing = false;
  const watch = setInterval(() => {
    if (tray.toolTip.startsWith('Syncing')) sawSyncing = true;
  }, 5);
  let hiddenFrom = Number.POSITIVE_INFINITY;
  let hiddenTo = Number.POSITIVE_INFINITY;
  let pauseAnsweredMs = Number.NaN;
  const visibility = (async () => {
    await sleep(job.hideAfterMs);
    hiddenFrom = performance.now();
    window.hide();
    await sleep(job.hiddenForMs / 2);
    const asked = performance.now();
    await invoke('pause', { folderId: added.id });
    pauseAnsweredMs = performance.now() - asked;
    await invoke('resume', { folderId: added.id });
    await sleep(job.hiddenForMs / 2);
    hiddenTo = performance.now();
    window.show();
  })();
  await visibility;
  // Done when the tray has said "Up to date" for a second (a resume says it for a moment too).
  let upToDateSince = Number.POSITIVE_INFINITY;
  await until('the sync', () => {
    if (tray.toolTip !== 'Up to date') upToDateSince = Number.POSITIVE_INFINITY;
    else upToDateSince = Math.min(upToDateSince, performance.now());
    return sawSyncing && performance.now() - upToDateSince >= 1000;
  });
  clearInterval(watch);
  const syncSeconds = (upToDateSince - started) / 1000;
  stalls.disable();
  const probed = probe.stop();
  await sleep(500); // the trailing menu rebuild

  const sent = window.webContents.sent.slice(sentBefore);
  const at = window.webContents.sentAt.slice(sentBefore);
  const status = sent.map((m, i) => ({ channel: m[0], payload: m[1], at: at[i] as number })).filter((m) => m.channel === 'wsync:event:status');
  let maxPerSecond = 0;
  for (let i = 0, j = 0; i < status.length; i++) {
    while ((status[i]?.at ?? 0) - (status[j]?.at ?? 0) >= 1000) j++;
    maxPerSecond = Math.max(maxPerSecond, i - j + 1);
  }
  const menus = tray.menuHistory.slice(Math.max(0, menusBefore - 1));
  let unchanged = 0;
  for (let i = 1; i < menus.length; i++) if (menus[i] === menus[i - 1]) unchanged++;
  const result: DesktopHostResult = {
    syncSeconds,
    maxStallMs: probed.busyMs,
    maxWallStallMs: Math.max(probed.wallMs, stalls.max / 1e6),
    p99StallMs: stalls.percentile(99) / 1e6,
    statusMessages: status.length,
    statusBytes: status.reduce((n, m) => n + JSON.stringify(m.payload).length, 0),
    maxStatusPerSecond: maxPerSecond,
    statusWhileHidden: status.filter((m) => m.at > hiddenFrom && m.at < hiddenTo).length,
    snapshotsOnShow: status.filter((m) => m.at >= hiddenTo && (m.payload as { full?: boolean }).full === true).length,
    trayRebuilds: tray.menuBuilds - menusBefore,
    unchangedRebuilds: unchanged,
    tooltipSets: tray.toolTipSets - tooltipsBefore,
    pauseAnsweredMs,
    finalState: tray.toolTip,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
