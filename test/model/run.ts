/**
 * One model run from start to verdict, and the fast-check property around it. After the commands,
 * fault-free cycles run until one is quiet (at most QUIET_CYCLES), then every invariant is checked;
 * a failure names the seed, the commands, what each resolved to, and the differing paths.
 */
import fc from 'fast-check';
import { allCommands, crashCommand, initialTree, observe, OTHER_WORKSPACE, plant, settled, type InitialFile } from './commands.js';
import {
  checkConvergence,
  checkJustifiedDeletes,
  checkNoFalseConflict,
  checkNoLostWrite,
  checkNoTempFiles,
  checkNamesWritten,
  transfersOf,
  type FinalState,
} from './invariants.js';
import type { FilesApi } from '../../electron/engine/api/types.js';
import { openRigServer, steppedClock, SyncRig, type RigServer } from '../support/sync-rig.js';
import { Model } from './model.js';

/** One emulator per process for every run: each run gets a fresh rig (folder) on it. */
export const openModelServer = (): Promise<RigServer> =>
  openRigServer({ workspace: 'ws_model', key: 'model-key', emulator: { workspaces: ['ws_model', OTHER_WORKSPACE] } });

export interface ModelRigOptions {
  /** Wraps the client the engine talks to (the broken-engine variants). */
  wrapApi?: (api: FilesApi) => FilesApi;
  concurrency?: number;
}

/** The rig a model run syncs on: the real engine and client, as a user runs them, made repeatable. */
export function modelRig(server: RigServer, options: ModelRigOptions = {}): SyncRig {
  return SyncRig.on(server, {
    // The client retries once: a failed file is the next cycle's job, which is what the model wants to exercise.
    client: { retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 2, maxTotalMs: 10_000 } },
    ...(options.wrapApi === undefined ? {} : { wrapApi: options.wrapApi }),
    cycle: {
      confirmDeletes: true,
      concurrency: options.concurrency ?? 1,
      // Back-off entries are written and read, but never hold a file back: the quiet cycles retry.
      fileBackoff: { baseDelayMs: 0 },
      // One second per reading: conflict-copy and trash names, and so the final state, depend on the seed only.
      now: steppedClock(Date.UTC(2026, 0, 1)),
    },
  });
}

export const QUIET_CYCLES = 5;

export interface RunOutcome {
  violations: string[];
  /** The final tree, as path → content lines (what "the same seed, the same state" compares). */
  finalState: string;
  log: string[];
}

export async function runScenario(
  server: RigServer,
  initial: InitialFile[],
  commands: Iterable<fc.AsyncCommand<Model, SyncRig>>,
  options: ModelRigOptions = {},
): Promise<RunOutcome> {
  const rig = modelRig(server, options);
  const model = new Model();
  try {
    // Every run starts with an empty workspace and no faults.
    await rig.clearRemote();
    await plant(model, rig, initial);
    await fc.asyncModelRun(() => ({ model, real: rig }), commands);
    await observe(model, rig);
    const violations: string[] = model.violations;
    let quiet = false;
    for (let i = 0; i < QUIET_CYCLES && !quiet; i++) {
      rig.emu.resetCounters();
      try {
        const r = await rig.syncOnce();
        quiet = settled(r) && transfersOf(rig.emu) === 0;
        model.log.push(
          `quiet cycle ${i + 1}: ${r.inSync ? 'in sync' : `partial (failed ${r.failed.map((f) => `${f.path}: ${f.message}`).join('; ')}; deferred ${r.deferred.map((d) => d.path).join(',')})`} ${JSON.stringify(r.counts)}`,
        );
      } catch (err) {
        model.log.push(`quiet cycle ${i + 1} threw ${(err as Error).message}`);
        if ((err as { code?: unknown }).code === 'LOCKED')
          model.violation(`[10 blocked by a dead engine] quiet cycle ${i + 1} was refused: ${(err as Error).message}`);
      }
    }
    if (!quiet) violations.push(`[5 not quiet] ${QUIET_CYCLES} fault-free cycles never reached a quiet one (last still transferred or was partial)`);
    const final: FinalState = { local: rig.localTree(), remote: await rig.remoteTree(), root: rig.root };
    violations.push(
      ...checkConvergence(final, rig),
      ...checkNoLostWrite(final, model),
      ...checkJustifiedDeletes(final, model),
      ...checkNoFalseConflict(final, model),
      ...checkNoTempFiles(final),
      ...checkNamesWritten(final),
    );
    rig.emu.resetCounters();
    try {
      await rig.syncOnce();
      const moved = transfersOf(rig.emu);
      if (moved > 0) violations.push(`[5 quiet is not quiet] a cycle after quiet made ${moved} transfers: ${JSON.stringify(rig.emu.counters())}`);
    } catch (err) {
      violations.push(`[5 quiet is not quiet] the cycle after quiet threw ${(err as Error).message}`);
    }
    const finalState = [...final.local].map(([p, c]) => `${p}=${c}`).join('\n');
    return { violations, finalState, log: model.log };
  } finally {
    await rig.close();
  }
}

export function describeFailure(
  seed: number | undefined,
  initial: InitialFile[],
  commands: Iterable<fc.AsyncCommand<Model, SyncRig>>,
  out: RunOutcome,
): string {
  return [
    `model run violated invariants${seed === undefined ? '' : ` (seed ${seed})`}:`,
    ...out.violations.map((v) => `  ${v}`),
    `initial tree: ${JSON.stringify(initial)}`,
    `commands: ${[...commands].map(String).join(', ')}`,
    'what happened:',
    ...out.log.map((l) => `  ${l}`),
  ].join('\n');
}

/** `crash: false` leaves crashes out, so a soak can look past a known crash-recovery bug. */
export const scenarioOf = (crash = true) =>
  fc.tuple(initialTree, fc.commands(crash ? allCommands : allCommands.filter((c) => c !== crashCommand), { maxCommands: 14 }));

/** The property: every generated run keeps every invariant. */
export function modelProperty(
  server: RigServer,
  seed: number | undefined,
  options: ModelRigOptions & { crash?: boolean } = {},
  onRun?: (out: RunOutcome) => void,
) {
  return fc.asyncProperty(scenarioOf(options.crash), async ([initial, commands]) => {
    const out = await runScenario(server, initial, commands, options);
    onRun?.(out);
    if (out.violations.length > 0) throw new Error(describeFailure(seed, initial, commands, out));
  });
}
