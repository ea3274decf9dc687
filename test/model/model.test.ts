/**
 * Randomized model testing (issue 7): generated user actions, cycles, changes during cycles,
 * faults and crashes against the real engine, state database, tmpfs folder and emulator.
 * WSYNC_MODEL_SEED / WSYNC_MODEL_RUNS override the fixed seed and run count.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelProperty, type RunOutcome, openModelServer } from './run.js';
import type { RigServer } from '../support/sync-rig.js';

const SEED = Number(process.env.WSYNC_MODEL_SEED ?? 20261127);
const RUNS = Number(process.env.WSYNC_MODEL_RUNS ?? 150);
/** What users run (the engine's default transfer concurrency is higher still; 4 is what found seed 600007). */
const CONCURRENCY = Number(process.env.WSYNC_MODEL_CONCURRENCY ?? 4);
let lab: RigServer;
beforeAll(async () => {
  lab = await openModelServer();
});
afterAll(async () => {
  await lab.close();
});

describe('model', () => {
  it(`no generated sequence breaks invariants 1-5 and 8-10 (seed ${SEED}, ${RUNS} runs, concurrency ${CONCURRENCY})`, async () => {
    console.log(`model test seed ${SEED}, ${RUNS} runs at concurrency ${CONCURRENCY} (replay: WSYNC_MODEL_SEED=${SEED})`);
    await fc.assert(modelProperty(lab, SEED, { concurrency: CONCURRENCY }), { seed: SEED, numRuns: RUNS });
  }, 240_000);

  it('the same seed gives the same final state (invariant 6)', async () => {
    const finals = async () => {
      const out: string[] = [];
      await fc.assert(
        modelProperty(lab, SEED + 1, {}, (o: RunOutcome) => out.push(o.finalState)),
        { seed: SEED + 1, numRuns: 25 },
      );
      return out;
    };
    const first = await finals();
    const second = await finals();
    expect(first.some((s) => s.includes('conflicted copy'))).toBe(true);
    expect(second).toEqual(first);
  }, 120_000);
});
