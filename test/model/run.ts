/**
 * One model run from start to verdict, and the fast-check property around it. After the commands,
 * fault-free cycles run until one is quiet (at most QUIET_CYCLES), then every invariant is checked;
 * a failure names the seed, the commands, what each resolved to, and the differing paths.
 */
import fc from 'fast-check';
import { allCommands, crashCommand, initialTree, observe, plant, type InitialFile } from './commands.js';
import {
  checkConvergence,
  checkJustifiedDeletes,
  checkNoFalseConflict,
  checkNoLostWrite,
  checkNoTempFiles,
  transfersOf,
  type FinalState,
} from './invariants.js';
import { Model } from './model.js';
import { World, type Lab, type WorldOptions } from './world.js';

export const QUIET_CYCLES = 5;

export interface RunOutcome {
  violations: string[];
  /** The final tree, as path → content lines (what "the same seed, the same state" compares). */
  finalState: string;
  log: string[];
}

export async function runScenario(lab: Lab, initial: InitialFile[], commands: Iterable<fc.AsyncCommand<Model, World>>, options: WorldOptions = {}): Promise<RunOutcome> {
  const world = new World(lab, options);
  const model = new Model();
  try {
    await world.reset();
    await plant(model, world, initial);
    await fc.asyncModelRun(() => ({ model, real: world }), commands);
    await observe(model, world);
    const violations: string[] = [];
    let quiet = false;
    for (let i = 0; i < QUIET_CYCLES && !quiet; i++) {
      world.emu.resetCounters();
      try {
        const r = await world.cycle();
        quiet = r.inSync && transfersOf(world.emu) === 0;
        model.log.push(`quiet cycle ${i + 1}: ${r.inSync ? 'in sync' : `partial (failed ${r.failed.map((f) => `${f.path}: ${f.message}`).join('; ')}; deferred ${r.deferred.map((d) => d.path).join(',')})`} ${JSON.stringify(r.counts)}`);
      } catch (err) {
        model.log.push(`quiet cycle ${i + 1} threw ${(err as Error).message}`);
      }
    }
    if (!quiet) violations.push(`[5 not quiet] ${QUIET_CYCLES} fault-free cycles never reached a quiet one (last still transferred or was partial)`);
    const final: FinalState = { local: world.localTree(), remote: await world.remoteTree(), root: world.root };
    violations.push(
      ...checkConvergence(final, world.emu),
      ...checkNoLostWrite(final, model),
      ...checkJustifiedDeletes(final, model),
      ...checkNoFalseConflict(final, model),
      ...checkNoTempFiles(final),
    );
    world.emu.resetCounters();
    try {
      await world.cycle();
      const moved = transfersOf(world.emu);
      if (moved > 0) violations.push(`[5 quiet is not quiet] a cycle after quiet made ${moved} transfers: ${JSON.stringify(world.emu.counters())}`);
    } catch (err) {
      violations.push(`[5 quiet is not quiet] the cycle after quiet threw ${(err as Error).message}`);
    }
    const finalState = [...final.local].map(([p, c]) => `${p}=${c}`).join('\n');
    return { violations, finalState, log: model.log };
  } finally {
    world.dispose();
  }
}

export function describeFailure(seed: number | undefined, initial: InitialFile[], commands: Iterable<fc.AsyncCommand<Model, World>>, out: RunOutcome): string {
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
export function modelProperty(lab: Lab, seed: number | undefined, options: WorldOptions & { crash?: boolean } = {}, onRun?: (out: RunOutcome) => void) {
  return fc.asyncProperty(scenarioOf(options.crash), async ([initial, commands]) => {
    const out = await runScenario(lab, initial, commands, options);
    onRun?.(out);
    if (out.violations.length > 0) throw new Error(describeFailure(seed, initial, commands, out));
  });
}
