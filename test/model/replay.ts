/**
 * A failing soak batch replayed: its seed, fast-check counterexample path and the commands' replay
 * path regenerate the very scenario that failed (starting tree, commands, and the scheduler that
 * decided the engine's interleaving), which is run once, exactly as the soak ran it. A path that names a shrunk value
 * would make fast-check go on through that value's other shrinks when it passes: only the first
 * value is run. The interleaving is seeded, not everything is (interleave.ts), so a replay can run
 * the counterexample several times and say how many of them failed.
 */
import fc from 'fast-check';
import { modelRun, scenarioOf, type ModelPropertyOptions } from './run.js';
import type { RigServer } from '../support/sync-rig.js';

export interface ReplayOptions extends ModelPropertyOptions {
  seed: number;
  /** fast-check's counterexample path, as the soak prints it (`12:3:0`). */
  path: string;
  /** The shrunk commands' replay path (replayPathOf), which a path past the run's index needs. */
  replayPath?: string | undefined;
}

/**
 * The replay path of a command list fast-check ran and shrank (it prints it in the list's own
 * description, `… /*replayPath="AB:C"*\/`), or undefined for a list that was not shrunk.
 */
export function replayPathOf(commands: { toString(): string }): string | undefined {
  return /\/\*replayPath="([^"]*)"\*\//.exec(commands.toString())?.[1];
}

export interface ReplayRun {
  /** The failure's description (violated invariants, commands, what happened), or null: it passed. */
  failure: string | null;
}

/** Runs the counterexample at `seed`/`path` once. */
export async function replayOnce(server: RigServer, o: ReplayOptions): Promise<ReplayRun> {
  // Set by the property, when fast-check calls it.
  let ran = false as boolean;
  const property = fc.asyncProperty(scenarioOf(o.crash, o.replayPath), async (scenario) => {
    if (ran) return;
    ran = true;
    await modelRun(server, o.seed, scenario, o);
  });
  const res = await fc.check(property, { seed: o.seed, path: o.path, endOnFailure: true });
  if (!ran) throw new Error(`seed ${o.seed} path ${o.path} names no scenario`);
  return { failure: res.failed ? (res.errorInstance as Error).message : null };
}

/** Runs it `times` times (the runs that failed, in order, and how many passed). */
export async function replay(server: RigServer, o: ReplayOptions, times: number): Promise<ReplayRun[]> {
  const runs: ReplayRun[] = [];
  for (let i = 0; i < times; i++) runs.push(await replayOnce(server, o));
  return runs;
}

/** `--replay S:P` (the soak prints `FAILED seed S path P`): the first number is the seed, the rest the path. */
export function parseReplay(arg: string): { seed: number; path: string } {
  const m = /^(-?\d+):(\d+(?::\d+)*)$/.exec(arg.trim());
  if (m === null)
    throw new Error(`--replay wants SEED:PATH as the soak prints it (seed 600007 path 12:3:0 → 600007:12:3:0), got ${JSON.stringify(arg)}`);
  return { seed: Number(m[1]), path: m[2] as string };
}

/** The invariants a failure names (`[2 lost write]` → '2 lost write'). */
export const invariantsOf = (failure: string): string[] => [...new Set(failure.match(/\[\d+ [^\]]+\]/g) ?? [])];
