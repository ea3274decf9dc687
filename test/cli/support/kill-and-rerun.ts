/**
 * The parent process of a killed engine, as a shell or a supervisor would be: it starts
 * `node ENTRY ARGS` (the built wsync) in a process group of its own, and when told `kill` on
 * stdin, kills the whole group with SIGKILL and at once runs the same command again,
 * synchronously, so that it cannot reap the killed engine meanwhile: the rerun meets a folder
 * whose last engine is dead but not yet reaped (a zombie), the case a pid check gets wrong.
 * Prints one JSON line: the rerun's exit status and stderr, and whether the killed engine was
 * still a zombie when the rerun started.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const entry = process.argv[2] as string;
const args = JSON.parse(process.argv[3] ?? '[]') as string[];
const command = [entry, ...args];
const env = { ...process.env, NODE_OPTIONS: '' };

const engine = spawn(process.execPath, command, { cwd: repoRoot, env, detached: true, stdio: 'ignore' });
const pid = engine.pid as number;
process.stdout.write(`started ${pid}\n`);

function state(): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? null;
  } catch {
    return null;
  }
}

const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // It had ended already: the rerun meets its zombie all the same.
  }
  // SIGKILL is delivered asynchronously: wait (without the event loop, which would reap) until it took.
  const deadline = Date.now() + 5000;
  while (state() !== 'Z' && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  const zombie = state() === 'Z';
  const rerun = spawnSync(process.execPath, command, { cwd: repoRoot, env, encoding: 'utf8', timeout: 120_000 });
  process.stdout.write(`${JSON.stringify({ zombie, code: rerun.status, stderr: rerun.stderr })}\n`);
  lines.close();
  process.exit(0);
});
