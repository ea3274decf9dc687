/**
 * `npm run typecheck`: the three TypeScript projects checked at the same time rather than one
 * after the other (each tsc is one thread; on 2 cores the two small ones fit beside the large
 * one). Each keeps its incremental state under node_modules/.cache, so a second check of an
 * unchanged tree reads it instead of checking again; a fresh clone checks everything. Each
 * project's output is printed whole, in the order below, and any failure fails the whole check.
 * `npm test` runs the same check beside the suite (scripts/test.ts).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/lib/tsc.js');

const PROJECTS: readonly { tsconfig: string; why: string }[] = [
  { tsconfig: 'tsconfig.json', why: 'the engine, main process, CLI, emulator, scripts and tests, with Node’s types' },
  { tsconfig: 'electron/shared/tsconfig.json', why: 'what main, engine and renderer share: neither Node’s types nor the DOM' },
  { tsconfig: 'app/tsconfig.json', why: 'the renderer, with the DOM' },
];

function check(tsconfig: string): Promise<{ code: number | null; output: string }> {
  const buildInfo = join(root, 'node_modules', '.cache', 'wsync-tsc', `${tsconfig.replaceAll('/', '_')}.tsbuildinfo`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', tsconfig, '--incremental', '--tsBuildInfoFile', buildInfo], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Checks the three projects at once; resolves to their output, in order, and whether all passed. */
export async function typecheck(): Promise<{ ok: boolean; output: string }> {
  const results = await Promise.all(PROJECTS.map((p) => check(p.tsconfig)));
  let output = '';
  let ok = true;
  for (const [i, result] of results.entries()) {
    output += result.output;
    if (result.code !== 0) {
      ok = false;
      output += `typecheck: ${PROJECTS[i]?.tsconfig ?? '?'} (${PROJECTS[i]?.why ?? ''}) failed\n`;
    }
  }
  return { ok, output };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { ok, output } = await typecheck();
  process.stdout.write(output);
  process.exitCode = ok ? 0 : 1;
}
