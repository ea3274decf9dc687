/**
 * `wsync` as a user gets it: `npm pack` (whose prepack builds the CLI) and the tarball installed
 * with `npm install -g --omit=dev` into a prefix of its own, outside the repository, so that
 * nothing resolves from the checkout's node_modules. better-sqlite3 is installed (and its native
 * module compiled, or fetched where a prebuilt one can be downloaded) by that install. The
 * pack-and-install test and the bench's start-up scenario run what this leaves in `<prefix>/bin`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, realpathSync } from 'node:fs';
import { delimiter, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs npm in a process group of its own: when the deadline passes, the whole group is killed,
 * compilers included, rather than npm alone with its children left running.
 */
function npm(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; deadline: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
    const timer = setTimeout(
      () => {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      },
      Math.max(0, options.deadline - Date.now()),
    );
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else {
        const why = signal === null ? `exited ${code}` : `was stopped (${signal}${signal === 'SIGKILL' ? ', out of time' : ''})`;
        reject(new Error(`npm ${args.join(' ')} ${why}:\n${stderr.trim().split('\n').slice(-30).join('\n')}`));
      }
    });
  });
}

export interface InstalledCli {
  /** The install prefix (`npm install -g --prefix`). */
  prefix: string;
  /** `<prefix>/bin/wsync`, the command a shell finds on PATH. */
  bin: string;
  /** Where the package itself went: `<prefix>/lib/node_modules/wsync`. */
  packageDir: string;
  tarball: string;
  /** The environment of a user's shell: `<prefix>/bin` first on PATH, no npm or project variables. */
  env: NodeJS.ProcessEnv;
}

/**
 * The calling environment without what `npm test` / `npm run` adds (npm_* variables, the
 * project's node_modules/.bin on PATH), so neither npm nor the installed program sees the checkout.
 */
export function userEnv(extraPath: string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^npm_/i.test(name) || name === 'INIT_CWD' || name === 'NODE_OPTIONS') continue;
    env[name] = value;
  }
  const path = (process.env.PATH ?? '').split(delimiter).filter((p) => p !== '' && !p.includes(`${sep}node_modules${sep}.bin`));
  env.PATH = [...extraPath, ...path].join(delimiter);
  return env;
}

/**
 * Packs the checkout and installs the tarball into `dir/prefix`; `dir` must lie outside the
 * repository. Fails (and stops npm and its compilers) after `timeoutMs`.
 */
export async function packAndInstall(dir: string, options: { timeoutMs?: number } = {}): Promise<InstalledCli> {
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  const real = realpathSync(dir);
  if (`${real}${sep}`.startsWith(`${realpathSync(root)}${sep}`))
    throw new Error(`${dir} is inside the repository: the install would resolve from its node_modules`);
  // JOBS: node-gyp compiles better-sqlite3's sources in parallel (the result is the same).
  const npmEnv = { ...userEnv(), JOBS: 'max' };
  const packed = await npm(['pack', '--json', '--pack-destination', real], { cwd: root, env: npmEnv, deadline });
  const [info] = JSON.parse(packed) as { filename: string }[];
  if (info === undefined) throw new Error(`npm pack printed no tarball: ${packed}`);
  const tarball = join(real, info.filename);
  const prefix = join(real, 'prefix');
  mkdirSync(prefix);
  // --allow-scripts: npm 11 runs a dependency's install script only when allowed; better-sqlite3's
  // builds its native module. --prefer-offline: what npm ci already fetched is not fetched again.
  const args = [
    'install',
    '--global',
    '--prefix',
    prefix,
    '--omit=dev',
    '--allow-scripts=better-sqlite3',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    tarball,
  ];
  await npm(args, { cwd: real, env: npmEnv, deadline });
  const bin = join(prefix, 'bin', 'wsync');
  return { prefix, bin, packageDir: join(prefix, 'lib', 'node_modules', 'wsync'), tarball, env: userEnv([join(prefix, 'bin')]) };
}
