/**
 * Long model runs: `npm run test:soak -- --runs N --seed S [--concurrency C]` (default 4, what users run). Runs batches of
 * 100 from consecutive seeds (`--no-crash` leaves crashes out), keeps going after a failure (each one is printed, shrunk, with its
 * seed and replay path), and ends with a summary by violated invariant.
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { modelProperty, openModelServer } from './run.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    'no-crash': { type: 'boolean', default: false },
  },
});
const total = Number(values.runs);
const firstSeed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const concurrency = Number(values.concurrency);
const BATCH = 100;
const lab = await openModelServer();
const started = Date.now();
const failures = new Map<string, number>();
let ran = 0;
console.log(`soak: ${total} runs from seed ${firstSeed}, engine concurrency ${concurrency}${values['no-crash'] ? ', no crashes' : ''}`);
for (let b = 0; ran < total; b++) {
  const seed = firstSeed + b;
  const numRuns = Math.min(BATCH, total - ran);
  const res = await fc.check(modelProperty(lab, seed, { concurrency, crash: !values['no-crash'] }), { seed, numRuns });
  ran += res.numRuns;
  if (res.failed) {
    const message = (res.errorInstance as Error).message;
    const tags = [...new Set(message.match(/\[\d [^\]]+\]/g) ?? ['[other]'])].join(' ');
    failures.set(tags, (failures.get(tags) ?? 0) + 1);
    console.log(`FAILED seed ${seed} path ${res.counterexamplePath}\n${message}\n`);
  }
  console.log(`… ${ran} runs, ${((Date.now() - started) / 1000).toFixed(0)} s, failing batches ${[...failures.values()].reduce((a, c) => a + c, 0)}`);
}
await lab.close();
console.log(`soak done: ${ran} runs in ${((Date.now() - started) / 1000).toFixed(0)} s`);
for (const [tags, n] of failures) console.log(`  ${n} failing batch(es): ${tags}`);
process.exit(failures.size === 0 ? 0 : 1);
