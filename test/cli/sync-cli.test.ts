/**
 * The CLI's contract: arguments, exit statuses, and output that is its own and nothing else.
 */
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCliRig, KEY, repoRoot, runCli } from './harness.js';
import type { CliRun, CliRig } from './harness.js';

let w: CliRig;
beforeEach(async () => {
  w = await openCliRig();
});
afterEach(async () => {
  await w.close();
});

describe('wsync sync: the command line', () => {
  it('works exactly as `npm run -s wsync -- sync --once ...` with the key in WSYNC_API_KEY, printing only its own output', async () => {
    await w.remote.insert('hello.txt', 'hi');
    const run = await new Promise<CliRun>((resolve) => {
      const child = spawn('npm', ['run', '-s', 'wsync', '--', ...w.syncArgs()], {
        cwd: repoRoot,
        env: { ...process.env, WSYNC_API_KEY: KEY, NODE_OPTIONS: '' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('download hello.txt\n'); // progress: a plain line per operation when stderr is no terminal
    expect(run.stdout).toBe(
      'in sync: 0 uploaded, 1 downloaded, 0 deleted remotely, 0 moved to .wsync/trash, 0 renamed locally, 0 moved remotely, 0 conflict(s)\n',
    );
    expect(await w.local.read('hello.txt')).toBe('hi');
  });

  it('prints help and exits 0', async () => {
    const run = await runCli(['sync', '--help']);
    expect(run.code).toBe(0);
    for (const flag of [
      '--once',
      '--server',
      '--workspace',
      '--dir',
      '--api-key-file',
      '--prefix',
      '--concurrency',
      '--dry-run',
      '--json',
      '--confirm-deletes',
    ]) {
      expect(run.stdout).toContain(flag);
    }
  });

  it.each([
    ['a missing --server', ['sync', '--once', '--workspace', 'ws', '--dir', '/tmp/x'], /--server/],
    ['a server that is not a URL', ['sync', '--once', '--server', 'nope', '--workspace', 'ws', '--dir', '/tmp/x'], /http/],
    [
      'a bad --concurrency',
      ['sync', '--once', '--server', 'http://127.0.0.1:1', '--workspace', 'ws', '--dir', '/tmp/x', '--concurrency', '0'],
      /1 to 64/,
    ],
    ['no --once', ['sync', '--server', 'http://127.0.0.1:1', '--workspace', 'ws', '--dir', '/tmp/x'], /--once/],
    ['an unknown command', ['frobnicate'], /unknown command/],
  ])('exits 2 on bad usage: %s', async (_name, args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 without an API key, naming both ways to give one', async () => {
    const run = await w.sync([], { WSYNC_API_KEY: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('wsync: no API key: set WSYNC_API_KEY or pass --api-key-file PATH\n');
  });

  it('--dry-run prints the plan with decision rows and changes nothing on either side', async () => {
    await w.remote.insert('r.txt', 'r');
    await w.local.insert('l.txt', 'l');
    const run = await w.sync(['--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('row 11  upload        l.txt\nrow 12  download      r.txt\n');
    expect(await w.local.paths()).toEqual(['l.txt']);
    expect(await w.remote.paths()).toEqual(['r.txt']);
    expect(await w.local.exists('.wsync')).toBe(false);
  });

  it('a sync with nothing to do asks the server twice: once for the key, once for the listing', async () => {
    await w.remote.insert('a.txt', 'a');
    expect((await w.sync()).code).toBe(0);
    const before = w.emu.requests().length;
    const run = await w.sync(['--json']);
    expect(run.code).toBe(0);
    expect(
      w.emu
        .requests()
        .slice(before)
        .map((r) => `${r.method} ${r.path} ${r.status}`),
    ).toEqual(['GET /v1/files 200', 'GET /v1/files 200']);
  });

  it('--json prints one JSON object with the counts and the exit status', async () => {
    await w.local.insert('l.txt', 'l');
    const run = await w.sync(['--json']);
    expect(run.code).toBe(0);
    const parsed = JSON.parse(run.stdout) as { exitCode: number; inSync: boolean; counts: { uploaded: number } };
    expect(parsed).toMatchObject({ exitCode: 0, inSync: true, counts: { uploaded: 1 } });
  });

  it("prints no warning of Node's when the default 16 operations at once all listen on the run's one stop signal", async () => {
    for (let i = 0; i < 40; i++) {
      await w.local.insert(`up/f${String(i).padStart(2, '0')}.bin`, Buffer.alloc(256 * 1024, i));
      await w.remote.insert(`down/f${String(i).padStart(2, '0')}.bin`, Buffer.alloc(256 * 1024, i + 1));
    }
    const run = await w.sync(['--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ counts: { uploaded: 40, downloaded: 40 } });
    expect(run.stderr).toBe(''); // --json and no terminal: no progress lines either
  });
});
