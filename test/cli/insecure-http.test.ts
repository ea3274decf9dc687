/**
 * The API key never crosses a network in plain HTTP unless the user says so: `http://` is refused
 * (exit 2, nothing sent) except to a server on this machine, unless `--allow-insecure-http` is
 * passed, on every run (before: any http:// server was accepted and sent the key in the clear).
 * The emulator listens on this machine's own network address, so the allowed run really crosses
 * a non-loopback interface.
 */
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCliRig, problems, runCli, WORKSPACE, type CliRig } from './harness.js';

/** This machine's first non-loopback IPv4 address (a container has one on its virtual interface). */
const address = Object.values(networkInterfaces())
  .flat()
  .find((i) => i?.family === 'IPv4' && !i.internal)?.address;

let w: CliRig | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const refusedForHttp = (stderr: string) =>
  expect(problems(stderr)).toEqual([expect.stringMatching(/--server.*plain http.*unencrypted.*--allow-insecure-http/i)]);

describe('plain HTTP to a server that is not on this machine', () => {
  it('is refused before anything is sent or created (sync and watch), and a documentation address is never contacted', async () => {
    w = await openCliRig();
    await w.local.insert('a.txt', 'secret bytes');
    for (const command of [['sync', '--once'], ['watch']]) {
      const run = await runCli([...command, '--server', 'http://203.0.113.7:8080', '--workspace', WORKSPACE, '--dir', w.root]);
      expect(run.code).toBe(2);
      refusedForHttp(run.stderr);
    }
    expect(existsSync(join(w.root, '.wsync'))).toBe(false);
  });

  it.skipIf(address === undefined)('syncs only with --allow-insecure-http, which a remembered http:// server needs on every run', async () => {
    w = await openCliRig({ host: address as string });
    const server = `http://${address}:${w.emu.port}`;
    await w.local.insert('a.txt', 'secret bytes');
    w.emu.resetCounters();

    const refused = await runCli(['sync', '--once', '--server', server, '--workspace', WORKSPACE, '--dir', w.root]);
    expect(refused.code).toBe(2);
    refusedForHttp(refused.stderr);
    expect(w.emu.requests()).toEqual([]);
    expect(existsSync(join(w.root, '.wsync'))).toBe(false);

    const allowed = await runCli(['sync', '--once', '--server', server, '--workspace', WORKSPACE, '--dir', w.root, '--allow-insecure-http']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(await w.remote.paths()).toEqual(['a.txt']);

    // The folder remembers the server, not the permission.
    await w.local.insert('b.txt', 'more');
    w.emu.resetCounters();
    const again = await runCli(['sync', '--once', '--dir', w.root]);
    expect(again.code).toBe(2);
    refusedForHttp(again.stderr);
    expect(w.emu.requests()).toEqual([]);
    expect((await runCli(['sync', '--once', '--dir', w.root, '--allow-insecure-http'])).code).toBe(0);
    expect(await w.remote.paths()).toEqual(['a.txt', 'b.txt']);
  });
});
