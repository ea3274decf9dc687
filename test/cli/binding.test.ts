/**
 * A folder's binding (server, workspace, prefix) as users meet it: a folder synced with one
 * server and then pointed at another is refused with the way out (`--rebind`), never read as
 * "everything was deleted remotely"; a re-bound folder is a first sync (union plus conflict
 * copies). Invariant 8 of sync-semantics.md.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator } from '../../emulator/types.js';
import { createWorld, KEY, problems, runCli, WORKSPACE, type World } from './harness.js';

let w: World;
let other: Emulator;
let otherData: string;

beforeEach(async () => {
  w = await createWorld({ workspaces: [WORKSPACE, 'ws_other'], keys: [{ key: KEY, scopes: ['files'], workspaces: '*' }] });
  otherData = mkdtempSync(join(tmpdir(), 'wsync-second-server-'));
  other = await startEmulator({ dataDir: otherData, keys: [{ key: KEY, scopes: ['files'], workspaces: '*' }] });
});
afterEach(async () => {
  await other.close();
  rmSync(otherData, { recursive: true, force: true });
  await w.close();
});

const FILES = ['a.txt', 'b.txt', 'docs/c.txt', 'docs/d.txt', 'e.txt'];

/** The folder synced with the first server: five files on both sides. */
async function syncedWithFirst(): Promise<void> {
  for (const f of FILES) w.write(f, `content of ${f}`);
  const first = await w.sync();
  expect(first.code).toBe(0);
  expect(w.remoteFiles()).toEqual(FILES);
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
    const run = await syncWith(other.url);
    expect(run.code).toBe(2);
    expect(problems(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain(`synced with workspace ${WORKSPACE} on ${w.emu.url}`);
    expect(run.stderr).toContain(`${WORKSPACE} on ${other.url}`);
    expect(run.stderr).toContain('--rebind');
    expect(w.localFiles()).toEqual(FILES);
    expect(trashed()).toEqual([]);
    expect(other.admin.list(WORKSPACE)).toEqual([]);
    expect(other.counters().upload + other.counters().delete).toBe(0);
    // A dry run says the same instead of printing a plan that deletes everything.
    const dry = await syncWith(other.url, ['--dry-run']);
    expect(dry.code).toBe(2);
    expect(dry.stdout).toBe('');
    expect(dry.stderr).toContain('--rebind');
  });

  it('re-bound with --rebind, it is a first sync: the union of both sides, a conflict copy where they differ, no deletion', async () => {
    await syncedWithFirst();
    await other.admin.put(WORKSPACE, 'a.txt', 'the second server has another a.txt');
    await other.admin.put(WORKSPACE, 'only-there.txt', 'only on the second server');
    await other.admin.put(WORKSPACE, 'b.txt', 'content of b.txt');

    const dry = await syncWith(other.url, ['--rebind', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).not.toMatch(/delete/);

    const run = await syncWith(other.url, ['--rebind']);
    expect(problems(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(trashed()).toEqual([]);
    const copy = w.localFiles().find((p) => p.startsWith('a (conflicted copy '));
    expect(copy).toBeDefined();
    expect(w.read(copy as string)).toBe('content of a.txt');
    expect(w.read('a.txt')).toBe('the second server has another a.txt');
    expect(w.read('only-there.txt')).toBe('only on the second server');
    const expected = [...FILES, copy as string, 'only-there.txt'].sort();
    expect(w.localFiles()).toEqual(expected);
    expect(other.admin.list(WORKSPACE).map((f) => f.path).sort()).toEqual(expected);
    // The first server lost nothing either.
    expect(w.remoteFiles()).toEqual(FILES);

    // From now on the folder belongs to the second server: quiet there, refused on the first.
    const again = await syncWith(other.url);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/[1-9]\d* (uploaded|downloaded)/);
    const back = await syncWith(w.emu.url);
    expect(back.code).toBe(2);
    expect(back.stderr).toContain(`synced with workspace ${WORKSPACE} on ${other.url}`);
  });

  it('is the same binding however the server URL is spelled', async () => {
    await syncedWithFirst();
    // Upper-case scheme, trailing slashes: still the server the folder is bound to.
    const server = `${w.emu.url.replace('http://', 'HTTP://')}//`;
    const run = await syncWith(server);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(w.localFiles()).toEqual(FILES);
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
    expect(w.localFiles()).toEqual(FILES);
    expect(trashed()).toEqual([]);
  });

  it('`watch` pointed at a second server is refused too (exit 2), and changes nothing', async () => {
    await syncedWithFirst();
    const run = await runCli(['watch', '--server', other.url, '--workspace', WORKSPACE, '--dir', w.root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--rebind');
    expect(w.localFiles()).toEqual(FILES);
    expect(trashed()).toEqual([]);
    expect(other.admin.list(WORKSPACE)).toEqual([]);
  });
});
