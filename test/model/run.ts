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
import { Interleaving } from './interleave.js';
import type { CycleResult } from '../../electron/engine/sync/once/cycle.js';

/** One emulator per process for every run: each run gets a fresh rig (folder) on it. */
export const openModelServer = (): Promise<RigServer> =>
  openRigServer({ workspace: 'ws_model', key: 'model-key', emulator: { workspaces: ['ws_model', OTHER_WORKSPACE] } });

export interface ModelRigOptions {
  /** Wraps the client the engine talks to (the broken-engine variants). */
  wrapApi?: (api: FilesApi) => FilesApi;
  concurrency?: number;
  /** Decides the engine's interleaving (interleave.ts); without it the engine runs at real timings. */
  interleaving?: Interleaving;
}

/** The rig a model run syncs on: the real engine and client, as a user runs them, made repeatable. */
export function modelRig(server: RigServer, options: ModelRigOptions = {}): SyncRig {
  const { wrapApi, interleaving } = options;
  const engineApi = (api: FilesApi): FilesApi => {
    const wrapped = wrapApi === undefined ? api : wrapApi(api);
    return interleaving === undefined ? wrapped : interleaving.api(wrapped);
  };
  return SyncRig.on(server, {
    // The client retries once: a failed file is the next cycle's job, which is what the model wants to exercise.
    client: { retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 2, maxTotalMs: 10_000 } },
    wrapApi: engineApi,
    ...(interleaving === undefined ? {} : { drive: (cycle: Promise<CycleResult>) => interleaving.drive(cycle) }),
    cycle: {
      ...(interleaving === undefined ? {} : { jobPool: interleaving.pool, writerLater: interleaving.later }),
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
  /** The gates the interleaving opened, in order (empty at real timings). */
  interleaving: string[];
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
    return { violations, finalState, log: model.log, interleaving: options.interleaving?.opened ?? [] };
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
    ...(out.interleaving.length === 0 ? [] : [`interleaving (${out.interleaving.length} gates opened): ${out.interleaving.join(', ')}`]),
  ].join('\n');
}

/**
 * `crash: false` leaves crashes out, so a soak can look past a known crash-recovery bug. The
 * scheduler decides the engine's interleaving (interleave.ts): part of the generated value, so a
 * seed and a counterexample path give it back. Shrinking a command list depends on which of its
 * commands ran, so a shrunk one replays with the commands' `replayPath` too (replay.ts).
 */
export const scenarioOf = (crash = true, replayPath?: string) =>
  fc.tuple(
    initialTree,
    fc.commands(crash ? allCommands : allCommands.filter((c) => c !== crashCommand), {
      maxCommands: 14,
      ...(replayPath === undefined ? {} : { replayPath }),
    }),
    fc.scheduler(),
  );

export interface ModelPropertyOptions extends Omit<ModelRigOptions, 'interleaving'> {
  crash?: boolean;
  /** Real timings instead of the seeded interleaving: more varied, but a failure may not replay. */
  freeInterleaving?: boolean;
}

/** What scenarioOf generates: the starting tree, the commands, the scheduler of the interleaving. */
export type Scenario = [InitialFile[], Iterable<fc.AsyncCommand<Model, SyncRig>>, fc.Scheduler];

/** One generated scenario, run and judged: throws the failure's description when an invariant broke. */
export async function modelRun(
  server: RigServer,
  seed: number | undefined,
  [initial, commands, scheduler]: Scenario,
  options: ModelPropertyOptions = {},
  onRun?: (out: RunOutcome) => void,
): Promise<void> {
  const interleaving = options.freeInterleaving === true ? undefined : new Interleaving(scheduler);
  const out = await runScenario(server, initial, commands, { ...options, ...(interleaving === undefined ? {} : { interleaving }) });
  onRun?.(out);
  if (out.violations.length > 0) throw new Error(describeFailure(seed, initial, commands, out));
}

/** The property: every generated run keeps every invariant. */
export function modelProperty(server: RigServer, seed: number | undefined, options: ModelPropertyOptions = {}, onRun?: (out: RunOutcome) => void) {
  return fc.asyncProperty(scenarioOf(options.crash), (scenario) => modelRun(server, seed, scenario, options, onRun));
}
