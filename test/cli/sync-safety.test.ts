/**
 * The CLI's safety promises against the emulator: guards, refusals, ignores, locks, auth.
 */
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFolderLock } from '../../electron/engine/local/lock.js';
import { openCliRig, runCli, transferCounts } from './harness.js';
import type { CliRig } from './harness.js';

let w: CliRig;
beforeEach(async () => {
  w = await openCliRig();
});
afterEach(async () => {
  await w.close();
});

/** Every path under root (files and folders, .wsync included) with size and mtime. */
function snapshot(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[]).sort().map((p) => {
    const st = statSync(join(root, p));
    return `${p} ${st.isDirectory() ? 'dir' : st.size} ${st.mtimeMs}`;
  });
}

describe('sync --once safety', () => {
  it('before overwriting a remote file it checks that path again, and never clobbers a version it has not seen', async () => {
    await w.local.insert('race.txt', 'base');
    expect((await w.sync()).code).toBe(0);
    await w.local.insert('race.txt', 'local edit');
    let listings = 0;
    w.emu.onRequest = async (req) => {
      // The third list request is the executor's stat right before it uploads (after the auth
      // check and the full listing): someone else writes the file just before it is answered.
      if (req.kind === 'list' && ++listings === 3) await w.remote.insert('race.txt', 'remote edit, unseen');
    };
    const run = await w.sync();
    w.emu.onRequest = null;
    expect(run.code).toBe(0);
    expect(await w.remote.read('race.txt')).toBe('remote edit, unseen');
    const copies = (await w.remote.paths()).filter((p) => p.includes('conflicted copy'));
    expect(copies).toHaveLength(1);
    expect(await w.remote.read(copies[0] as string)).toBe('local edit');
    expect(await w.local.read('race.txt')).toBe('remote edit, unseen');
  });

  it('holds a mass deletion (exit 4, nothing deleted) until --confirm-deletes', async () => {
    for (let i = 0; i < 12; i++) await w.local.insert(`f${i}.txt`, `body ${i}`);
    expect((await w.sync()).code).toBe(0);
    for (let i = 0; i < 10; i++) await w.local.remove(`f${i}.txt`);
    w.emu.resetCounters();
    const held = await w.sync();
    expect(held.code).toBe(4);
    expect(held.stderr).toMatch(
      /held back deleting 10 file\(s\) on the server that were deleted locally \(of 12 synced files\); nothing was deleted/,
    );
    expect(held.stderr).toMatch(/--confirm-deletes/);
    expect(transferCounts(w.emu).deletes).toBe(0);
    expect(await w.remote.paths()).toHaveLength(12);

    const confirmed = await w.sync(['--confirm-deletes']);
    expect(confirmed.code).toBe(0);
    expect(await w.remote.paths()).toEqual(['f10.txt', 'f11.txt']);
  });

  it('holds a mass deletion coming from the remote side too, keeping every local file', async () => {
    for (let i = 0; i < 10; i++) await w.remote.insert(`r${i}.txt`, `body ${i}`);
    expect((await w.sync()).code).toBe(0);
    for (let i = 0; i < 10; i++) await w.emu.admin.remove('ws_demo', `r${i}.txt`);
    const held = await w.sync();
    expect(held.code).toBe(4);
    expect(held.stderr).toMatch(/held back deleting 10 local file\(s\) that were deleted on the server/);
    expect(await w.local.paths()).toHaveLength(10);
  });

  it('refuses unsafe remote names by name, writes nothing for them, and syncs the rest (exit 1)', async () => {
    await w.remote.insert('fine.txt', 'ok');
    await w.remote.insert('bad\\name.txt', 'backslash');
    await w.remote.insert('ctl\u0007.txt', 'bell');
    const run = await w.sync();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('refused remote name "bad\\\\name.txt"');
    expect(run.stderr).toContain('refused remote name "ctl\\u0007.txt"');
    expect(await w.local.paths()).toEqual(['fine.txt']);
  });

  it('never follows or uploads symbolic links, and reports each one once', async () => {
    await w.local.insert('real.txt', 'real');
    symlinkSync(join(w.root, 'real.txt'), join(w.root, 'link.txt'));
    symlinkSync('/etc', join(w.root, 'etc-link'));
    const first = await w.sync();
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('skipped symbolic link etc-link');
    expect(first.stderr).toContain('skipped symbolic link link.txt');
    expect(await w.remote.paths()).toEqual(['real.txt']);
    const second = await w.sync();
    expect(second.code).toBe(0);
    expect(second.stderr).toBe(''); // nothing to do, and the links were reported already
  });

  it('ignores the default junk and .wsyncignore patterns on both sides', async () => {
    await w.local.insert('.wsyncignore', '*.log\nbuild/\n');
    await w.local.insert('.DS_Store', 'x');
    await w.local.insert('sub/Thumbs.db', 'x');
    await w.local.insert('~$report.docx', 'x');
    await w.local.insert('edit.swp', 'x');
    await w.local.insert('app.log', 'x');
    await w.local.insert('build/out.o', 'x');
    await w.local.insert('kept.txt', 'x');
    await w.remote.insert('server.log', 'remote log');
    expect((await w.sync()).code).toBe(0);
    expect(await w.remote.paths()).toEqual(['.wsyncignore', 'kept.txt', 'server.log']);
    expect(await w.local.exists('server.log')).toBe(false);
    w.emu.resetCounters();
    expect((await w.sync()).code).toBe(0);
    expect(transferCounts(w.emu)).toEqual({ uploads: 0, downloads: 0, deletes: 0 });
  });

  it('treats a folder that lost .wsync/ as a first sync: nothing deleted, equal files recorded, differences become conflicts', async () => {
    for (let i = 0; i < 12; i++) await w.local.insert(`f${i}.txt`, `body ${i}`);
    expect((await w.sync()).code).toBe(0);
    await w.local.remove('.wsync');
    await w.local.insert('f0.txt', 'changed while the state was lost');
    await w.local.remove('f1.txt');
    w.emu.resetCounters();
    const run = await w.sync();
    expect(run.code).toBe(0);
    expect(transferCounts(w.emu)).toMatchObject({ deletes: 0 });
    expect((await w.remote.paths()).filter((p) => !p.includes('conflicted copy'))).toHaveLength(12);
    expect(await w.local.read('f1.txt')).toBe('body 1');
    expect((await w.local.paths()).filter((p) => p.includes('conflicted copy'))).toHaveLength(1);
  });

  it('lets one engine at a time hold a folder: a second one says so and exits 2', async () => {
    await w.local.insert('a.txt', 'a');
    const held = acquireFolderLock(w.root);
    try {
      const run = await w.sync();
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`another wsync engine (pid ${process.pid}) is already syncing`);
      expect(await w.remote.paths()).toEqual([]);
    } finally {
      held.release();
    }
  });

  it('exits 3 on a refused key and changes nothing locally', async () => {
    await w.local.insert('a.txt', 'x');
    await w.remote.insert('b.txt', 'y');
    const before = snapshot(w.root);
    const run = await w.sync([], { WSYNC_API_KEY: 'not-a-key' });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      `wsync: ${w.emu.url} refused the API key (HTTP 401); check WSYNC_API_KEY or --api-key-file. Nothing was changed locally\n`,
    );
    expect(run.stdout).toBe('');
    expect(snapshot(w.root)).toEqual(before);
  });

  it('exits 3 when the key may not use the workspace (403), saying so rather than blaming the key, creating nothing', async () => {
    const dir = join(w.root, '..', 'not-created');
    const run = await runCli(['sync', '--once', '--server', w.emu.url, '--workspace', 'ws_not_mine', '--dir', dir]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      `wsync: the API key is valid, but it has no access to workspace ws_not_mine on ${w.emu.url} (HTTP 403); check the workspace id, or ask for access. Nothing was changed locally\n`,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it('reads the key from --api-key-file', async () => {
    const keyFile = join(w.root, '..', 'key.txt');
    writeFileSync(keyFile, 'wsync-demo-key\n');
    await w.remote.insert('b.txt', 'y');
    const run = await w.sync(['--api-key-file', keyFile], { WSYNC_API_KEY: '' });
    expect(run.code).toBe(0);
    expect(readFileSync(join(w.root, 'b.txt'), 'utf8')).toBe('y');
  });
});
