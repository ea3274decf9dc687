/**
 * Set-up mistakes, as a new user makes them: each gets its own plain sentence naming what is
 * wrong, the exit status scripts rely on, an answer within seconds (not after the retry layer's
 * back-off), a JSON error object with --json, and nothing created on disk.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closedPort } from '../support/ports.js';
import { openCliRig, runCli, WORKSPACE, type CliRun, type CliRig } from './harness.js';

let w: CliRig;
let scratch: string;
beforeEach(async () => {
  w = await openCliRig();
  scratch = mkdtempSync(join(tmpdir(), 'wsync-setup-'));
});
afterEach(async () => {
  await w.close();
  rmSync(scratch, { recursive: true, force: true });
});

const servers: Server[] = [];
async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
afterAll(() => {
  for (const s of servers) s.close();
});

let plainHttp: number;
let selfSigned: number;
let htmlSite: number;
beforeAll(async () => {
  plainHttp = await listen(createServer((_req, res) => res.end('hello')));
  htmlSite = await listen(
    createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body>Not Found</body></html>');
    }),
  );
  const certDir = mkdtempSync(join(tmpdir(), 'wsync-cert-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(certDir, 'key.pem'),
      '-out',
      join(certDir, 'cert.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  selfSigned = await listen(
    createHttpsServer({ key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) }, (_req, res) => res.end('{}')),
  );
  rmSync(certDir, { recursive: true, force: true });
});

async function timed(args: string[]): Promise<CliRun & { ms: number }> {
  const started = Date.now();
  const run = await runCli(args);
  return { ...run, ms: Date.now() - started };
}

/**
 * How long the same command takes, at this moment on this machine, to refuse a mistake it finds
 * before any connection (a bad --prefix): start-up and set-up, no network. An answer "within
 * seconds" is that plus at most 5 s; sitting through the retry layer's back-off would add at least
 * 7.75 s (five retries, 0.5 s doubling, equal jitter), so the bound tells the two apart on a
 * loaded machine as on an idle one.
 */
async function refusalBound(command: readonly string[], server: string, folder: string): Promise<number> {
  const baseline = await timed([...command, '--server', server, '--workspace', WORKSPACE, '--dir', folder, '--prefix', '../outside']);
  expect(baseline.code).toBe(2);
  return baseline.ms + 5_000;
}

const COMMANDS = [
  ['sync --once', ['sync', '--once']],
  ['watch', ['watch']],
] as const;

describe.each(COMMANDS)('%s against a server that is not there or not right', (_name, command) => {
  const folder = (): string => join(scratch, 'folder');
  const args = (server: string, ...extra: string[]): string[] => [
    ...command,
    '--server',
    server,
    '--workspace',
    WORKSPACE,
    '--dir',
    folder(),
    ...extra,
  ];

  it.each([
    ['nothing listening', async () => `http://127.0.0.1:${await closedPort()}`, 'nothing is listening there (connection refused)', 'unreachable'],
    ['a name DNS does not know', async () => 'https://files.example.invalid', 'no such server name (DNS lookup failed)', 'unreachable'],
    [
      'https to a server that only speaks http',
      async () => `https://127.0.0.1:${plainHttp}`,
      'no secure connection (TLS): the server does not speak TLS there (is it http://?)',
      'tls',
    ],
    [
      'a self-signed certificate',
      async () => `https://127.0.0.1:${selfSigned}`,
      'no secure connection (TLS): its certificate is self-signed and not trusted',
      'tls',
    ],
  ])('%s: exit 2 within seconds, naming the URL, creating nothing', async (_case, url, words, kind) => {
    const server = await url();
    const bound = await refusalBound(command, server, folder());
    const run = await timed(args(server));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`wsync: cannot connect to ${server}: ${words}\n`);
    expect(run.ms).toBeLessThan(bound);
    expect(existsSync(folder())).toBe(false);
    const json = await runCli(args(server, '--json'));
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ exitCode: 2, error: { kind, message: `cannot connect to ${server}: ${words}` } });
  });

  it('a web server that is no Files API server: exit 2, naming what it answered', async () => {
    const server = `http://127.0.0.1:${htmlSite}`;
    const bound = await refusalBound(command, server, folder());
    const run = await timed(args(server));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^wsync: ${server.replace(/[.:/]/g, '\\$&')} does not answer like a Files API server \\(.*HTTP 404.*\\); check --server\\n$`),
    );
    expect(run.ms).toBeLessThan(bound);
    expect(existsSync(folder())).toBe(false);
  });

  it('a key the server does not know: exit 3, and one JSON error object with --json', async () => {
    const run = await runCli(args(w.emu.url, '--json'), { WSYNC_API_KEY: 'not-a-key' });
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 3, error: { kind: 'key-refused' } });
  });

  it('a workspace the key may not use: exit 3 with its own message, not "sign in again"', async () => {
    const run = await runCli([...command, '--server', w.emu.url, '--workspace', 'ws_not_mine', '--dir', folder()]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/has no access to workspace ws_not_mine/);
    expect(run.stderr).not.toMatch(/sign in/);
  });
});

describe.each(COMMANDS)('%s with a folder it cannot use', (_name, command) => {
  const args = (dir: string, ...extra: string[]): string[] => [...command, '--server', w.emu.url, '--workspace', WORKSPACE, '--dir', dir, ...extra];

  it('--dir naming a regular file: exit 2, saying so', async () => {
    const file = join(scratch, 'notes.txt');
    writeFileSync(file, 'x');
    const run = await runCli(args(file));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`wsync: ${file} is a file, not a folder; --dir names the folder to sync\n`);
    expect(JSON.parse((await runCli(args(file, '--json'))).stdout)).toMatchObject({ exitCode: 2, error: { kind: 'folder', code: 'not-a-folder' } });
  });

  it('a folder whose parent does not exist either (a typo, a disk not mounted): exit 2, nothing created', async () => {
    const dir = join(scratch, 'no-such-disk', 'data');
    const run = await runCli(args(dir));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`wsync: ${dir} does not exist, and neither does ${join(scratch, 'no-such-disk')}; create the folder first\n`);
    expect(existsSync(join(scratch, 'no-such-disk'))).toBe(false);
  });

  it('a folder on a read-only file system: exit 2, saying it cannot write there', async () => {
    const dir = join(scratch, 'ro');
    mkdirSync(dir);
    const undo = makeReadOnly(dir);
    try {
      const run = await runCli(args(dir));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        new RegExp(`^wsync: cannot write to ${dir.replace(/[.:/]/g, '\\$&')}: (it is on a read-only file system|permission denied)\\n$`),
      );
      expect(existsSync(join(dir, '.wsync'))).toBe(false);
    } finally {
      undo();
    }
  });
});

/**
 * A real read-only mount where the test may mount (root with CAP_SYS_ADMIN), else an immutable
 * folder (root), else permission bits (any other user): each refuses writes as the kernel does.
 */
function makeReadOnly(dir: string): () => void {
  if (process.getuid?.() !== 0) {
    execFileSync('chmod', ['555', dir]);
    return () => execFileSync('chmod', ['755', dir]);
  }
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    return () => execFileSync('umount', [dir]);
  } catch {
    execFileSync('chattr', ['+i', dir]);
    return () => execFileSync('chattr', ['-i', dir]);
  }
}

describe('usage errors with --json', () => {
  it('print one JSON error object on stdout too, for every command', async () => {
    for (const args of [
      ['sync', '--once', '--server', 'http://127.0.0.1:1', '--workspace', 'ws', '--dir', '/tmp/x', '--concurrency', '1000', '--json'],
      ['watch', '--server', 'http://127.0.0.1:1', '--workspace', 'ws', '--dir', '/tmp/x', '--concurrency', '1000', '--json'],
      ['sync', '--server', 'http://127.0.0.1:1', '--workspace', 'ws', '--dir', '/tmp/x', '--json'],
      ['status', '--dir', join(tmpdir(), 'never-synced-folder'), '--json'],
    ]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types its asymmetric matchers any
      expect(JSON.parse(run.stdout), args.join(' ')).toMatchObject({ exitCode: 2, error: { kind: expect.any(String), message: expect.any(String) } });
    }
  });
});
