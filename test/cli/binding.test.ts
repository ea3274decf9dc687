/**
 * A folder's binding (server, workspace, prefix) as users meet it: a folder synced with one
 * server and then pointed at another is refused with the way out (`--rebind`), never read as
 * "everything was deleted remotely"; a re-bound folder is a first sync (union plus conflict
 * copies). Invariant 8 of sync-semantics.md.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRigServer, type RigServer } from '../support/sync-rig.js';
import { openCliRig, KEY, problems, runCli, WORKSPACE, type CliRig } from './harness.js';

let w: CliRig;
/** A second server holding the same workspace. */
let other: RigServer;

beforeEach(async () => {
  w = await openCliRig({ workspaces: [WORKSPACE, 'ws_other'], keys: [{ key: KEY, scopes: ['files'], workspaces: '*' }] });
  other = await openRigServer();
});
afterEach(async () => {
  await other.close();
  await w.close();
});

const FILES = ['a.txt', 'b.txt', 'docs/c.txt', 'docs/d.txt', 'e.txt'];

/** The folder synced with the first server: five files on both sides. */
async function syncedWithFirst(): Promise<void> {
  for (const f of FILES) await w.local.insert(f, `content of ${f}`);
  const first = await w.sync();
  expect(first.code).toBe(0);
  expect(await w.remote.paths()).toEqual(FILES);
}

const syncWith = (server: string, extra: string[] = []) =>
  runCli(['sync', '--once', '--server', server, '--workspace', WORKSPACE, '--dir', w.root, ...extra]);

const trashed = (): string[] => {
  const trash = join(w.root, '.wsync', 'trash');
  return existsSync(trash) ? (readdirSync(trash, { recursive: true }) as string[]) : [];
};

describe('a folder bound to one server', () => {
  it('pointed at a second server is refused (exit 2) with --rebind named, and nothing is trashed or sent', async () => {
    await syncedWithFirst();
    const run = await syncWith(other.emu.url);
    expect(run.code).toBe(2);
    expect(problems(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain(`synced with workspace ${WORKSPACE} on ${w.emu.url}`);
    expect(run.stderr).toContain(`${WORKSPACE} on ${other.emu.url}`);
    expect(run.stderr).toContain('--rebind');
    expect(await w.local.paths()).toEqual(FILES);
    expect(trashed()).toEqual([]);
    expect(other.emu.admin.list(WORKSPACE)).toEqual([]);
    expect(other.emu.counters().upload + other.emu.counters().delete).toBe(0);
    // A dry run says the same instead of printing a plan that deletes everything.
    const dry = await syncWith(other.emu.url, ['--dry-run']);
    expect(dry.code).toBe(2);
    expect(dry.stdout).toBe('');
    expect(dry.stderr).toContain('--rebind');
  });

  it('re-bound with --rebind, it is a first sync: the union of both sides, a conflict copy where they differ, no deletion', async () => {
    await syncedWithFirst();
    await other.emu.admin.put(WORKSPACE, 'a.txt', 'the second server has another a.txt');
    await other.emu.admin.put(WORKSPACE, 'only-there.txt', 'only on the second server');
    await other.emu.admin.put(WORKSPACE, 'b.txt', 'content of b.txt');

    const dry = await syncWith(other.emu.url, ['--rebind', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).not.toMatch(/delete/);

    const run = await syncWith(other.emu.url, ['--rebind']);
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(trashed()).toEqual([]);
    const copy = (await w.local.paths()).find((p) => p.startsWith('a (conflicted copy '));
    expect(copy).toBeDefined();
    expect(await w.local.read(copy as string)).toBe('content of a.txt');
    expect(await w.local.read('a.txt')).toBe('the second server has another a.txt');
    expect(await w.local.read('only-there.txt')).toBe('only on the second server');
    const expected = [...FILES, copy as string, 'only-there.txt'].sort();
    expect(await w.local.paths()).toEqual(expected);
    expect(
      other.emu.admin
        .list(WORKSPACE)
        .map((f) => f.path)
        .sort(),
    ).toEqual(expected);
    // The first server lost nothing either.
    expect(await w.remote.paths()).toEqual(FILES);

    // From now on the folder belongs to the second server: quiet there, refused on the first.
    const again = await syncWith(other.emu.url);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/[1-9]\d* (uploaded|downloaded)/);
    const back = await syncWith(w.emu.url);
    expect(back.code).toBe(2);
    expect(back.stderr).toContain(`synced with workspace ${WORKSPACE} on ${other.emu.url}`);
  });

  it('is the same binding however the server URL is spelled', async () => {
    await syncedWithFirst();
    // Upper-case scheme, trailing slashes: still the server the folder is bound to.
    const server = `${w.emu.url.replace('http://', 'HTTP://')}//`;
    const run = await syncWith(server);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await w.local.paths()).toEqual(FILES);
  });

  it('a changed workspace or prefix is refused the same way, and named', async () => {
    await syncedWithFirst();
    const workspace = await runCli(['sync', '--once', '--server', w.emu.url, '--workspace', 'ws_other', '--dir', w.root]);
    expect(workspace.code).toBe(2);
    expect(workspace.stderr).toContain(`ws_other on ${w.emu.url}`);
    expect(workspace.stderr).toContain('--rebind');
    const prefix = await w.sync(['--prefix', 'team']);
    expect(prefix.code).toBe(2);
    expect(prefix.stderr).toContain(`${WORKSPACE} (prefix team/) on ${w.emu.url}`);
    expect(prefix.stderr).toContain('--rebind');
    expect(await w.local.paths()).toEqual(FILES);
    expect(trashed()).toEqual([]);
  });

  it('`watch` pointed at a second server is refused too (exit 2), and changes nothing', async () => {
    await syncedWithFirst();
    const run = await runCli(['watch', '--server', other.emu.url, '--workspace', WORKSPACE, '--dir', w.root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--rebind');
    expect(await w.local.paths()).toEqual(FILES);
    expect(trashed()).toEqual([]);
    expect(other.emu.admin.list(WORKSPACE)).toEqual([]);
  });
});
