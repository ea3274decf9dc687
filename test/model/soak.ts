/**
 * Long model runs: `npm run test:soak -- --runs N --seed S [--concurrency C]` (default 4, what users run). Runs batches of
 * 100 from consecutive seeds (`--no-crash` leaves crashes out), keeps going after a failure (each one is printed, shrunk, with its
 * seed and replay path), and ends with a summary by violated invariant. The engine's interleaving is decided by fast-check's
 * scheduler (interleave.ts), so a failure replays; `--free-interleaving` runs it at real timings instead (a failure may not replay).
 *
 * Replaying a failure: `npm run -s test:soak -- --replay S:P [--replay-path R]` (or `--seed S --path P`), as the soak's
 * `FAILED seed S path P` line prints it (R, the shrunk commands' replay path, comes with a shrunk failure), with the same
 * `--concurrency`, `--no-crash` and `--free-interleaving` it ran with. The counterexample runs `--times T` times
 * (default 3); the commands and the violated invariants of each failing run are printed, then how many of them failed. Exit 1
 * when any run failed again, 0 when every run passed.
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { modelProperty, openModelServer } from './run.js';
import { invariantsOf, parseReplay, replay, replayPathOf } from './replay.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    path: { type: 'string' },
    replay: { type: 'string' },
    'replay-path': { type: 'string' },
    times: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
    'no-crash': { type: 'boolean', default: false },
    'free-interleaving': { type: 'boolean', default: false },
  },
});
const concurrency = Number(values.concurrency);
const options = { concurrency, crash: !values['no-crash'], freeInterleaving: values['free-interleaving'] };
const lab = await openModelServer();

if (values.replay !== undefined || values.path !== undefined) {
  const { seed, path } = values.replay !== undefined ? parseReplay(values.replay) : { seed: Number(values.seed), path: values.path ?? '' };
  if (!Number.isInteger(seed)) throw new Error('--path needs --seed (the batch seed the soak printed)');
  const times = Math.max(1, Number(values.times));
  console.log(
    `replay: seed ${seed} path ${path}, engine concurrency ${concurrency}, ${times} run(s)${values['free-interleaving'] ? ', real timings' : ''}`,
  );
  const runs = await replay(lab, { ...options, seed, path, replayPath: values['replay-path'] }, times);
  runs.forEach((run, i) =>
    console.log(run.failure === null ? `run ${i + 1}: passed` : `run ${i + 1}: FAILED ${invariantsOf(run.failure).join(' ')}\n${run.failure}\n`),
  );
  const failed = runs.filter((r) => r.failure !== null).length;
  console.log(`replay: ${failed} of ${runs.length} run(s) failed`);
  await lab.close();
  process.exit(failed > 0 ? 1 : 0);
}

const total = Number(values.runs);
const firstSeed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const BATCH = 100;
const started = Date.now();
const failures = new Map<string, number>();
let ran = 0;
console.log(
  `soak: ${total} runs from seed ${firstSeed}, engine concurrency ${concurrency}${values['no-crash'] ? ', no crashes' : ''}${values['free-interleaving'] ? ', real timings' : ''}`,
);
for (let b = 0; ran < total; b++) {
  const seed = firstSeed + b;
  const numRuns = Math.min(BATCH, total - ran);
  const res = await fc.check(modelProperty(lab, seed, options), { seed, numRuns });
  ran += res.numRuns;
  if (res.failed) {
    const message = (res.errorInstance as Error).message;
    const tags = (invariantsOf(message).length > 0 ? invariantsOf(message) : ['[other]']).join(' ');
    failures.set(tags, (failures.get(tags) ?? 0) + 1);
    const replayPath = res.counterexample === null ? undefined : replayPathOf(res.counterexample[0][1]);
    const again = [
      `--replay ${seed}:${res.counterexamplePath}`,
      ...(replayPath === undefined ? [] : [`--replay-path '${replayPath}'`]),
      `--concurrency ${concurrency}`,
      ...(values['no-crash'] ? ['--no-crash'] : []),
      ...(values['free-interleaving'] ? ['--free-interleaving'] : []),
    ].join(' ');
    console.log(`FAILED seed ${seed} path ${res.counterexamplePath}\nreplay: npm run -s test:soak -- ${again}\n${message}\n`);
  }
  console.log(`… ${ran} runs, ${((Date.now() - started) / 1000).toFixed(0)} s, failing batches ${[...failures.values()].reduce((a, c) => a + c, 0)}`);
}
await lab.close();
console.log(`soak done: ${ran} runs in ${((Date.now() - started) / 1000).toFixed(0)} s`);
for (const [tags, n] of failures) console.log(`  ${n} failing batch(es): ${tags}`);
process.exit(failures.size === 0 ? 0 : 1);
