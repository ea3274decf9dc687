/**
 * A failing seed replays (issue 13): a broken engine's shrunk counterexample, found by fc.check
 * as the soak finds one, is run again from its seed and path through the soak's replay code
 * (replay.ts) and fails with the same invariant and the same scenario; the interleaving of the
 * engine's jobs and requests is the seed's, gate for gate.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Edit, Sync, SyncWithChange, Write, type InitialFile } from './commands.js';
import { everListingChanges } from './broken-apis.js';
import { Interleaving } from './interleave.js';
import { invariantsOf, parseReplay, replay, replayOnce, replayPathOf } from './replay.js';
import { modelProperty, openModelServer, runScenario } from './run.js';
import type { RigServer } from '../support/sync-rig.js';

let lab: RigServer;
beforeAll(async () => {
  lab = await openModelServer();
});
afterAll(async () => {
  await lab.close();
});

/** The scenario a failure describes: its starting tree and its commands (the lines that name them). */
const scenarioLines = (failure: string): string[] => failure.split('\n').filter((l) => l.startsWith('initial tree: ') || l.startsWith('commands: '));

const SEED = 4242;
const CONCURRENCY = 4;

describe('a failing seed replays', () => {
  it("a broken engine's shrunk counterexample fails again from its seed and path, with the same invariant and scenario", async () => {
    // Broken: a.txt looks changed on the server at every listing, so it is downloaded every cycle.
    const broken = { concurrency: CONCURRENCY, wrapApi: everListingChanges('a.txt') };
    const found = await fc.check(modelProperty(lab, SEED, broken), { seed: SEED, numRuns: 50 });
    expect(found.failed).toBe(true);
    const path = found.counterexamplePath as string;
    // Shrunk (steps after the run's index): ignoring the path, or any step of it, would run
    // another scenario than the one found, and the scenario lines below would differ.
    expect(path).toMatch(/^\d+(:\d+)+$/);
    const original = (found.errorInstance as Error).message;
    expect(invariantsOf(original).some((i) => i.startsWith('[5 '))).toBe(true);

    const replayPath = found.counterexample === null ? undefined : replayPathOf(found.counterexample[0][1]);
    const [again] = await replay(lab, { ...broken, seed: SEED, path, replayPath }, 1);
    expect(again?.failure).not.toBeNull();
    const failure = again?.failure ?? '';
    expect(invariantsOf(failure)).toEqual(invariantsOf(original));
    expect(scenarioLines(failure)).toEqual(scenarioLines(original));
    expect(scenarioLines(failure)).toHaveLength(2);
    // The same seed and path from the soak's command line.
    expect(parseReplay(`${SEED}:${path}`)).toEqual({ seed: SEED, path });
  }, 300_000);

  it('the same seed and path pass on the correct engine (a replay that passes reports it)', async () => {
    // The seed's run 1, whatever it is: the correct engine keeps every invariant there.
    const run = await replayOnce(lab, { concurrency: CONCURRENCY, seed: SEED, path: '1' });
    expect(run.failure).toBeNull();
  }, 120_000);

  it("the engine's interleaving is the scheduler's: one seed opens the same gates in the same order, another seed differently", async () => {
    const f = (path: string, placement: InitialFile['placement']): InitialFile => ({ path, placement, len: 8 });
    const initial = [f('a.txt', 'remote'), f('b.md', 'local'), f('c', 'differ'), f('d/f.txt', 'remote'), f('x/i.txt', 'local'), f('k.txt', 'both')];
    const commands = () => [
      new Sync(),
      new Write('local', 'd/g.txt', 12),
      new Write('remote', 'x/j', 8),
      new SyncWithChange(3, new Edit('remote', 2, 24)),
      new Sync(),
    ];
    const schedulerOf = (seed: number) => fc.sample(fc.scheduler(), { seed, numRuns: 1 })[0] as fc.Scheduler;
    const run = async (seed: number) => {
      const out = await runScenario(lab, initial, commands(), { concurrency: CONCURRENCY, interleaving: new Interleaving(schedulerOf(seed)) });
      expect(out.violations).toEqual([]);
      return out;
    };
    const first = await run(1);
    const second = await run(1);
    const other = await run(2);
    // Jobs started and requests made from several workers at once: there was something to order.
    expect(first.interleaving.filter((g) => g.startsWith('start ')).length).toBeGreaterThan(CONCURRENCY);
    expect(second.interleaving).toEqual(first.interleaving);
    expect(second.log).toEqual(first.log);
    expect(second.finalState).toEqual(first.finalState);
    expect(other.interleaving).not.toEqual(first.interleaving);
  }, 120_000);
});
