/**
 * `npm run demo` as a newcomer runs it: scripts/demo.ts in a folder of its own (its
 * ./emulator-data and ./demo-mirror), with the program the test run built. The README promises
 * that a rerun picks up where the last one stopped.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import { cliEntry, repoRoot } from '../cli/harness.js';
import { closedPort } from '../support/ports.js';

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

let cwd: string;

function runDemo(args: string[]): Promise<DemoRun> {
  const child = spawn(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'scripts', 'demo.ts'), ...args], {
    cwd,
    env: { ...process.env, WSYNC_DEMO_CLI: cliEntry(), NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function workspaceFiles(): Promise<string[]> {
  const emu = await startEmulator({ dataDir: join(cwd, 'emulator-data') });
  try {
    return emu.admin.list('ws_demo').map((f) => f.path);
  } finally {
    await emu.close();
  }
}

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'wsync-demo-'));
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('a rerun picks up where the last one stopped: it syncs what changed in the mirror meanwhile, downloads nothing again and seeds nothing again', async () => {
    const port = String(await closedPort());
    const first = await runDemo(['--once', '--port', port]);
    expect(first.stderr).not.toContain('demo:');
    expect(first.code).toBe(0);
    const mirror = join(cwd, 'demo-mirror');
    const downloaded = readdirSync(mirror, { recursive: true });
    expect(downloaded.length).toBeGreaterThan(100);
    expect(await workspaceFiles()).toContain('README.txt');

    writeFileSync(join(mirror, 'written-between-runs.txt'), 'new\n');
    unlinkSync(join(mirror, 'README.txt'));
    const second = await runDemo(['--once', '--port', port]);
    expect(second.stderr).not.toContain('wsync:');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/requests: \d+ list, \d+ upload, 0 download, 1 delete/);
    const files = await workspaceFiles();
    expect(files).toContain('written-between-runs.txt');
    expect(files).not.toContain('README.txt');

    // The samples are not seeded again over what the user changed.
    writeFileSync(join(mirror, 'file_009.csv'), 'my edit\n');
    const third = await runDemo(['--once', '--port', port]);
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/requests: \d+ list, \d+ upload, 0 download, 0 delete/);
    expect(existsSync(join(mirror, 'README.txt'))).toBe(false);
    expect(readFileSync(join(mirror, 'file_009.csv'), 'utf8')).toBe('my edit\n');
  });

  it('a port already in use is named, and nothing is synced', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const address = taken.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      const run = await runDemo(['--once', '--port', String(address.port)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`demo: port ${address.port} is in use, most likely by another \`npm run demo\`: stop it and run the demo again`);
      expect(existsSync(join(cwd, 'demo-mirror'))).toBe(false);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('a port that is no port number is refused before anything starts', async () => {
    const run = await runDemo(['--once', '--port', 'http']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('demo: --port http: give a port number from 1 to 65535');
    expect(existsSync(join(cwd, 'emulator-data'))).toBe(false);
  });
});
