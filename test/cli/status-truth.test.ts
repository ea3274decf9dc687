/**
 * `wsync status` after what users do, run as users run it: it never says "Up to date" after a
 * sync that failed files, during or after a first sync that did not finish, while an engine holds
 * the folder, or after local edits it has not synced.
 */
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliEntry, openCliRig, runCli, spawnCli, type CliRig } from './harness.js';

let w: CliRig;
beforeEach(async () => {
  w = await openCliRig();
});
afterEach(async () => {
  await w.close();
});

interface StatusJson {
  state: string;
  message: string;
  running: boolean;
  pending: { uploads: number; downloads: number; deletes: number };
}

async function status(): Promise<{ text: string; json: StatusJson }> {
  const text = await runCli(['status', '--dir', w.root]);
  const json = await runCli(['status', '--dir', w.root, '--json']);
  expect(text.code, text.stderr).toBe(0);
  return { text: text.stdout, json: JSON.parse(json.stdout) as StatusJson };
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('wsync status tells the truth', () => {
  it('after a clean sync: Up to date, saying the server was not asked', async () => {
    await w.remote.insert('a.txt', 'a');
    expect((await w.sync()).code).toBe(0);
    const s = await status();
    expect(s.text).toMatch(/^State:\s+Up to date \(as of the last sync; the server was not asked\)$/m);
    expect(s.json.state).toBe('idle');
  });

  it('after a sync --once that exited 1: not up to date, naming the file and why', async () => {
    await w.remote.insert('fine.txt', 'ok');
    await w.remote.insert('bad\\name.txt', 'a name no folder can hold');
    const run = await w.sync();
    expect(run.code).toBe(1);
    const s = await status();
    expect(s.text).toMatch(/^State:\s+Not fully synced: 1 file could not be synced in the last sync$/m);
    expect(s.text).toMatch(/^Refused:\s+remote name "bad\\\\name\.txt": /m);
    expect(s.json.state).toBe('error');
  });

  it('after local edits and deletions it has not synced', async () => {
    await w.local.insert('a.txt', 'a');
    await w.local.insert('b.txt', 'b');
    expect((await w.sync()).code).toBe(0);
    await w.local.insert('a.txt', 'edited');
    await w.local.remove('b.txt');
    await w.local.insert('c.txt', 'new');
    const s = await status();
    expect(s.text).toMatch(/^State:\s+Not up to date: 3 local changes not synced yet \(1 edited, 1 new, 1 deleted\)$/m);
    expect(s.json).toMatchObject({ state: 'paused', pending: { uploads: 2, deletes: 1 } });
  });

  it('while watch holds the folder: an engine is running, with its pid', async () => {
    await w.remote.insert('a.txt', 'a');
    const watch = spawnCli(['watch', '--server', w.emu.url, '--workspace', 'ws_demo', '--dir', w.root]);
    let out = '';
    watch.child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await until('the first sync', () => out.includes('First sync: finished'));
      const s = await status();
      expect(s.text).toMatch(new RegExp(`^State:\\s+An engine is syncing this folder now \\(pid ${watch.child.pid}\\)$`, 'm'));
      expect(s.json).toMatchObject({ state: 'syncing', running: true });
    } finally {
      watch.child.kill('SIGTERM');
      await watch.done;
    }
  });

  it.each([
    ['stopped with Ctrl-C', 'SIGINT', /^State:\s+The first sync was stopped before it finished; run wsync again to finish it$/m],
    // Killed, the last downloads may be on disk before their base rows: status counts them as new local files.
    ['killed', 'SIGKILL', /^State:\s+The first sync did not finish \(it was stopped\); run wsync again to finish it/m],
  ] as const)('after a first sync %s half-way, with files on disk', async (_name, signal, expected) => {
    for (let i = 0; i < 40; i++) await w.remote.insert(`d/f${i}.txt`, `f${i}`);
    w.emu.faults.latencyMs = 50;
    const child = spawn(process.execPath, [cliEntry(), ...w.syncArgs(['--concurrency', '1'])], {
      env: { ...process.env, WSYNC_API_KEY: 'wsync-demo-key' },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    await until('some files', () => w.localPaths().length >= 5);
    child.kill(signal);
    await exited;
    w.emu.faults.latencyMs = 0;
    const on = w.localPaths().length;
    expect(on).toBeLessThan(40);
    const s = await status();
    expect(s.text).toMatch(expected);
    expect(s.text).not.toMatch(/Up to date/);
    expect(s.json.state).toBe('paused');
  });
});
