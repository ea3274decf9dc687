/**
 * `wsync sync --once`: one cycle, a summary, the problems on stderr, an exit status. Ctrl-C (or
 * SIGTERM) stops the cycle cleanly: nothing new starts, transfers in flight are abandoned, the
 * folder is released, and the run exits 130; a second Ctrl-C exits at once.
 */
import { setMaxListeners } from 'node:events';
import { createFilesApi } from '../engine/api/client.js';
import { abortListenersFor } from '../engine/execute/concurrency.js';
import { syncOnce, type CycleResult } from '../engine/sync/once/cycle.js';
import { EXIT, exitCodeForResult } from './exit-codes.js';
import { describeFailure, reportFailure, type FailureContext } from './failure.js';
import { resolveFolderTarget } from './folder-target.js';
import type { CliProcess } from './main.js';
import type { SyncFlags } from './options.js';
import { formatPlan, formatProblems, formatSummary, toJson } from './output.js';
import { checkServer } from './server-check.js';
import { createSyncDisplay, type SyncDisplay } from './sync-display.js';

const out = {
  stdout: (text: string): void => void process.stdout.write(text),
  stderr: (text: string): void => void process.stderr.write(text),
};

/** Aborts `controller` on the first SIGINT/SIGTERM, exits on the second; returns the uninstaller. */
function stopOnSignal(controller: AbortController): () => void {
  const onSignal = (): void => {
    if (controller.signal.aborted) {
      process.stderr.write('\nwsync: stopping now\n');
      process.exit(EXIT.interrupted);
    }
    process.stderr.write('\nwsync: interrupted: stopping (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

export async function runSyncCommand(flags: SyncFlags, proc: Omit<CliProcess, 'argv'>): Promise<number> {
  const json = flags.json === true;
  const dryRun = flags.dryRun === true;
  // Undefined, not false, when stderr is not a terminal (@types/node types it boolean).
  const stderrIsTTY = (process.stderr.isTTY as boolean | undefined) ?? false;
  const context: FailureContext = {};
  const stop = new AbortController();
  // Every operation of the cycle in flight listens on this one signal: Node's default of 10 would warn of a leak at the default concurrency of 16.
  setMaxListeners(abortListenersFor(flags.concurrency), stop.signal);
  const uninstall = stopOnSignal(stop);
  let progress: SyncDisplay | null = null;
  let result: CycleResult;
  try {
    const target = resolveFolderTarget(flags, { cwd: proc.cwd, env: proc.env, write: !dryRun });
    Object.assign(context, { server: target.server, workspace: target.workspace });
    const keyProven = await checkServer(target, stop.signal);
    context.connected = true;
    if (!dryRun && (!json || stderrIsTTY)) {
      progress = createSyncDisplay({
        write: out.stderr,
        isTTY: stderrIsTTY,
        columns: () => (process.stderr.columns > 0 ? process.stderr.columns : 100),
        verbose: flags.verbose === true,
        firstSync: !target.hasBase,
      });
    }
    const display = progress;
    result = await syncOnce({
      root: target.dir,
      server: target.server,
      workspace: target.workspace,
      prefix: target.prefix,
      api: createFilesApi({ server: target.server, workspace: target.workspace, apiKey: target.apiKey }),
      ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
      dryRun,
      confirmDeletes: flags.confirmDeletes === true,
      rebind: target.rebind,
      keyProven,
      signal: stop.signal,
      ...(display === null ? {} : { onEvent: (e) => display.onEvent(e) }),
    });
  } catch (err) {
    progress?.end();
    if (stop.signal.aborted) {
      return reportFailure(
        { kind: 'interrupted', message: 'stopped before the sync finished; run it again to carry on', exitCode: EXIT.interrupted },
        out,
        json,
      );
    }
    return reportFailure(describeFailure(err, context), out, json);
  } finally {
    uninstall();
  }
  progress?.end();
  const code = exitCodeForResult(result, dryRun);
  if (json) {
    out.stdout(`${JSON.stringify(toJson(result, code, dryRun))}\n`);
    return code;
  }
  const lines = dryRun ? formatPlan(result.plan) : formatSummary(result);
  out.stdout(lines.map((l) => `${l}\n`).join(''));
  const problems = dryRun ? [] : formatProblems(result);
  out.stderr(problems.map((l) => `wsync: ${l}\n`).join(''));
  return code;
}
