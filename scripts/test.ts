/**
 * `npm test`: the type check and the suite at the same time, not one after the other. The suite's
 * files mostly wait on child processes, servers and disks, leaving part of a core idle on 2 cores,
 * which the three tsc fill (one after the other cost the check's whole wall time, ~50 s on a fresh
 * clone). The suite's output streams as usual; the check's is printed once the suite has ended, so
 * the two never interleave. Arguments go to vitest (`npm test -- test/cli`). Any failure fails.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { typecheck } from './typecheck.js';

const manifest = createRequire(import.meta.url).resolve('vitest/package.json');
const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: { vitest: string } };
const vitest = join(dirname(manifest), bin.vitest);

const checked = typecheck();
const suite = new Promise<number>((resolve, reject) => {
  const child = spawn(process.execPath, [vitest, 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('error', reject);
  child.on('close', (code, signal) => resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal])));
});
const [{ ok, output }, suiteCode] = await Promise.all([checked, suite]);
process.stdout.write(output);
if (!ok) process.stderr.write('npm test: the type check failed\n');
process.exitCode = suiteCode !== 0 ? suiteCode : ok ? 0 : 1;
