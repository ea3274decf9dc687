/**
 * `wsync` as installed: the tarball `npm pack` makes, installed with `npm install -g --omit=dev`
 * into a prefix of its own, works from any folder with nothing from the checkout: its only
 * dependency is better-sqlite3, whose native module that install built and which loads; `wsync
 * --version`, and a `sync --once` against the emulator, run from PATH as a user's shell runs them.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator } from '../../emulator/types.js';
import { packAndInstall, type InstalledCli } from '../../scripts/pack-install.js';
import { KEY, repoRoot, WORKSPACE } from './harness.js';

const run = promisify(execFile);
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** npm pack builds the CLI, and the install compiles better-sqlite3: about 2 min on 2 idle cores. */
const INSTALL_MS = 10 * 60_000;

let scratch: string;
let installed: InstalledCli;
let startedAt: number;
/** A folder with nothing of wsync's above it: where the user's shell is. */
let elsewhere: string;

async function wsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('wsync', args, { cwd: elsewhere, env: { ...installed.env, ...env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'wsync-installed-'));
  elsewhere = join(scratch, 'home');
  mkdirSync(elsewhere);
  startedAt = Date.now();
  installed = await packAndInstall(scratch, { timeoutMs: INSTALL_MS - 10_000 });
}, INSTALL_MS);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('the packed and installed wsync', () => {
  it('installs better-sqlite3 and nothing the bundle already holds, with a native module built by that install that loads', async () => {
    const deps = readdirSync(join(installed.packageDir, 'node_modules'));
    expect(deps).toContain('better-sqlite3');
    for (const bundled of ['got', 'zod', 'commander', 'pino', 'p-queue', 'tsx', 'esbuild', 'typescript', 'vitest', 'electron']) {
      expect(deps, bundled).not.toContain(bundled);
    }
    const native = join(installed.packageDir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    expect(statSync(native).mtimeMs).toBeGreaterThan(startedAt);
    const probe = "const db = new (require('better-sqlite3'))(':memory:'); console.log(db.prepare('select 41 + 1 as n').get().n)";
    const loaded = await run(process.execPath, ['-e', probe], { cwd: installed.packageDir, env: installed.env });
    expect(loaded.stdout.trim()).toBe('42');
    // What the tarball holds: the bundle, the notices, no source maps or sources.
    const files = readdirSync(installed.packageDir, { recursive: true })
      .map(String)
      .filter((f) => !f.startsWith('node_modules'));
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', join('dist', 'cli', 'wsync.mjs')]));
    expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts'))).toEqual([]);
  });

  it('is on PATH as `wsync` and answers --version from any folder', async () => {
    expect(existsSync(installed.bin)).toBe(true);
    const r = await wsync(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  describe('against the emulator', () => {
    let emu: Emulator;
    let dir: string;
    beforeAll(async () => {
      emu = await startEmulator({ dataDir: join(scratch, 'emu') });
      dir = join(scratch, 'folder');
      mkdirSync(dir);
    });
    afterAll(async () => {
      await emu.close();
    });

    it('syncs both ways with sync --once, and status reads what it left', async () => {
      await emu.admin.put(WORKSPACE, 'from-server/report.vcf', 'remote bytes');
      writeFileSync(join(dir, 'local.txt'), 'local bytes');
      const args = ['sync', '--once', '--server', emu.url, '--workspace', WORKSPACE, '--dir', dir];
      const r = await wsync(args, { WSYNC_API_KEY: KEY });
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(dir, 'from-server', 'report.vcf'), 'utf8')).toBe('remote bytes');
      expect((await emu.admin.read(WORKSPACE, 'local.txt'))?.toString('utf8')).toBe('local bytes');

      const again = await wsync(['sync', '--once', '--dir', dir, '--json'], { WSYNC_API_KEY: KEY });
      expect(again.code, again.stderr).toBe(0);
      const status = await wsync(['status', '--dir', dir]);
      expect(status.stdout).toMatch(/^State:\s+Up to date /m);
    });
  });
});
