/**
 * The executor on real plans (from the reconciler), a real folder, a real state database and the
 * emulator behind the real client.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFilesApi } from '../../../electron/engine/api/client.js';
import type { FilesApi } from '../../../electron/engine/api/types.js';
import { LARGE_TRANSFER_BYTES, LARGE_TRANSFERS } from '../../../electron/engine/execute/concurrency.js';
import { executePlan } from '../../../electron/engine/execute/executor.js';
import type { ExecutorOptions } from '../../../electron/engine/execute/executor.js';
import { createIgnoreMatcher } from '../../../electron/engine/local/ignore.js';
import { scanFolder } from '../../../electron/engine/local/scan.js';
import { DEFAULT_DELETE_GUARD } from '../../../electron/engine/plan/delete-guard.js';
import { reconcile } from '../../../electron/engine/plan/reconcile.js';
import type { Plan } from '../../../electron/engine/plan/types.js';
import { StateDb } from '../../../electron/engine/state/state-db.js';
import { createStateWriter } from '../../../electron/engine/state/state-writer.js';
import type { Emulator } from '../../../emulator/types.js';
import { SyncRig } from '../../support/sync-rig.js';

const WS = 'ws_demo';
let root: string;
let emu: Emulator;
let api: FilesApi;
let db: StateDb;

let rig: SyncRig;

beforeEach(async () => {
  rig = await SyncRig.open();
  ({ root, emu } = rig);
  api = rig.api();
  db = rig.state();
});
afterEach(() => rig.close());

function write(path: string, body: string) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), body);
}

async function plan(): Promise<Plan> {
  const baseRows = db.allBase();
  const byPath = new Map(baseRows.map((b) => [b.path, b]));
  const scan = await scanFolder(root, { ignore: createIgnoreMatcher(), base: (p) => byPath.get(p) });
  return reconcile({
    local: scan.entries,
    remote: await api.list(''),
    base: baseRows,
    now: new Date('2026-01-02T03:04:05Z'),
    options: { caseInsensitiveFs: false, platform: 'linux', deleteGuard: DEFAULT_DELETE_GUARD, confirmDeletes: false },
  });
}

const run = async (p: Plan, extra: Partial<ExecutorOptions> = {}) =>
  executePlan(p, { root, prefix: '', api, writer: createStateWriter(db), ...extra });

describe('executePlan', () => {
  it('writes a base row per synced file and leaves no journal intent behind', async () => {
    write('a.txt', 'a');
    await emu.admin.put(WS, 'b.txt', 'bb');
    const result = await run(await plan());
    expect(result.counts).toMatchObject({ uploaded: 1, downloaded: 1 });
    expect(db.allBase().map((b) => [b.path, b.localSize, b.remoteSize])).toEqual([
      ['a.txt', 1, 1],
      ['b.txt', 2, 2],
    ]);
    expect(db.pendingIntents()).toEqual([]);
    expect(
      db
        .recentActivity()
        .map((a) => [a.action, a.decision, a.path])
        .sort(),
    ).toEqual([
      ['download', 12, 'b.txt'],
      ['upload', 11, 'a.txt'],
    ]);
    expect((await plan()).actions).toEqual([]);
  });

  it('retries a transient server error within the cycle', async () => {
    write('a.txt', 'a');
    const p = await plan();
    emu.faults.failNth = 1;
    emu.faults.failNthStatus = 503;
    const result = await run(p);
    expect(result.failed).toEqual([]);
    expect(result.counts.uploaded).toBe(1);
    expect(emu.admin.list(WS).map((f) => f.path)).toEqual(['a.txt']);
  });

  it('a remote file replaced while its download was under way is deferred, not a failure shown to the user', async () => {
    await emu.admin.put(WS, 'b.txt', 'first');
    const p = await plan();
    // The replacement lands as the client asks for the download: the listed key is gone.
    emu.onRequest = async (record) => {
      if (record.kind === 'download-url') {
        emu.onRequest = null;
        await emu.admin.put(WS, 'b.txt', 'second, longer');
      }
    };
    const events: string[] = [];
    const result = await run(p, { onEvent: (e) => events.push(e.type) });
    expect(result.failed).toEqual([]);
    expect(result.deferred).toEqual([{ path: 'b.txt', reason: 'replaced or removed remotely since the listing' }]);
    expect(events).not.toContain('file-error');
    expect(existsSync(join(root, 'b.txt'))).toBe(false);
    expect(db.getBase('b.txt')).toBeUndefined();
    // The next pass sees the new version and fetches it.
    await run(await plan());
    expect(readFileSync(join(root, 'b.txt'), 'utf8')).toBe('second, longer');
  });

  it.each([
    {
      name: 'an upload whose file was removed after the scan',
      before: async () => write('a.txt', 'a'),
      between: () => rmSync(join(root, 'a.txt')),
      reason: 'removed locally since the scan',
      after: () => expect(emu.admin.list(WS)).toEqual([]),
    },
    {
      name: 'an upload whose file was edited after the scan',
      before: async () => write('a.txt', 'a'),
      between: () => write('a.txt', 'edited after the scan'),
      reason: 'changed locally since the scan',
      after: () => expect(emu.admin.list(WS)).toEqual([]),
    },
    {
      name: 'a remote deletion whose file came back locally',
      before: async () => {
        write('a.txt', 'a');
        await run(await plan());
        rmSync(join(root, 'a.txt'));
      },
      between: () => write('a.txt', 'back again'),
      reason: 'reappeared locally',
      after: () => expect(emu.admin.list(WS).map((f) => f.path)).toEqual(['a.txt']),
    },
  ])('$name is deferred (done / deferred / failed: not a failure), and nothing is lost', async ({ before, between, reason, after }) => {
    await before();
    const p = await plan();
    expect(p.actions).toHaveLength(1);
    between();
    const events: string[] = [];
    const result = await run(p, { onEvent: (e) => events.push(e.type) });
    expect(result.failed).toEqual([]);
    expect(result.deferred).toEqual([{ path: 'a.txt', reason }]);
    expect(events).not.toContain('file-error');
    expect(db.pendingIntents()).toEqual([]);
    after();
  });

  it('adds no retries of its own: a file whose upload keeps failing costs one stat and the client bound of uploads', async () => {
    write('a.txt', 'a');
    const p = await plan();
    const limit = 3;
    const client = createFilesApi({ server: emu.url, workspace: WS, apiKey: 'wsync-demo-key', retry: { limit, baseDelayMs: 1, maxDelayMs: 2 } });
    emu.resetCounters();
    emu.onRequest = (record) => {
      if (record.kind === 'upload') {
        emu.faults.failNth = 1;
        emu.faults.failNthStatus = 500;
      }
    };
    const result = await run(p, { api: client });
    expect(emu.requests().map((r) => r.kind)).toEqual(['list', ...Array<string>(limit + 1).fill('upload')]);
    expect(result.failed).toEqual([expect.objectContaining({ path: 'a.txt', kind: 'transient', attempts: limit + 1 })]);
  });

  it('a server that asks for a long pause (429, Retry-After: 300) ends the pass: no other file sends anything', async () => {
    for (const name of ['a.txt', 'b.txt', 'c.txt']) write(name, name);
    const p = await plan();
    emu.resetCounters();
    emu.onRequest = (record) => {
      if (record.kind === 'upload') {
        emu.onRequest = null;
        emu.faults.failNth = 1;
        emu.faults.failNthStatus = 429;
        emu.faults.retryAfterSeconds = 300;
      }
    };
    const err = await run(p, { concurrency: 1 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ kind: 'rate-limited', retryAfterMs: 300_000 });
    expect((err as Error).message).toContain('the server asked to wait 300 s');
    expect(emu.requests().map((r) => `${r.kind}:${r.status}`)).toEqual(['list:200', 'upload:429']);
    expect(db.pendingIntents()).toEqual([]);
  });

  it('reports a file the server rejects, with its reason, and carries on with the rest', async () => {
    write('a-rejected.txt', 'a');
    write('b-fine.txt', 'b');
    const p = await plan();
    // With one worker the calls are: stat a, upload a, stat b, upload b. The upload of a gets a 400.
    emu.faults.failNth = 2;
    emu.faults.failNthStatus = 400;
    const result = await run(p, { concurrency: 1 });
    expect(result.failed).toEqual([expect.objectContaining({ path: 'a-rejected.txt', attempts: 1 })]);
    expect(result.failed[0]?.message).toBeTruthy();
    expect(result.counts.uploaded).toBe(1);
    expect(db.getBase('a-rejected.txt')).toBeUndefined();
    expect(emu.admin.list(WS).map((f) => f.path)).toEqual(['b-fine.txt']);
  });

  it('leaves a local file edited after the scan alone instead of replacing it with the download', async () => {
    write('doc.txt', 'v1');
    await run(await plan());
    await emu.admin.put(WS, 'doc.txt', 'remote v2');
    const p = await plan();
    expect(p.actions.map((a) => [a.kind, a.decision])).toEqual([['download', 3]]);
    write('doc.txt', 'local edit after the scan!');
    const result = await run(p);
    expect(result.deferred.map((d) => d.path)).toEqual(['doc.txt']);
    expect(readFileSync(join(root, 'doc.txt'), 'utf8')).toBe('local edit after the scan!');
    expect(existsSync(join(root, '.wsync/tmp')) ? (await import('node:fs')).readdirSync(join(root, '.wsync/tmp')) : []).toEqual([]);
  });

  it('leaves a local file edited after the scan alone instead of trashing it for a remote deletion', async () => {
    write('keep.txt', 'v1');
    await run(await plan());
    await emu.admin.remove(WS, 'keep.txt');
    const p = await plan();
    expect(p.actions.map((a) => [a.kind, a.decision])).toEqual([['delete-local', 5]]);
    write('keep.txt', 'edited: keep me');
    const result = await run(p);
    expect(result.deferred.map((d) => d.path)).toEqual(['keep.txt']);
    expect(readFileSync(join(root, 'keep.txt'), 'utf8')).toBe('edited: keep me');
    const next = await plan();
    expect(next.actions.map((a) => [a.kind, a.decision])).toEqual([['upload', 9]]);
  });

  it('runs moves before transfers before deletions', async () => {
    write('m/old.txt', 'moved body');
    write('gone.txt', 'to delete');
    await run(await plan());
    (await import('node:fs')).renameSync(join(root, 'm/old.txt'), join(root, 'm/new.txt'));
    write('fresh.txt', 'new'); // before the removal, so it cannot take over gone.txt's inode (a move)
    rmSync(join(root, 'gone.txt'));
    emu.resetCounters();
    const result = await run(await plan(), { concurrency: 1 });
    expect(result.counts).toMatchObject({ movedRemote: 1, uploaded: 1, deletedRemote: 1 });
    const order = emu
      .requests()
      .filter((r) => r.kind === 'upload' || r.kind === 'delete')
      .map((r) => r.kind);
    expect(order).toEqual(['upload', 'delete', 'upload', 'delete']);
  });

  it('runs many small transfers at once up to the ceiling, and at most 4 of the large ones among them', async () => {
    const bigBody = Buffer.alloc(LARGE_TRANSFER_BYTES, 1);
    for (let i = 0; i < 6; i++) {
      mkdirSync(join(root, 'big'), { recursive: true });
      writeFileSync(join(root, `big/${i}.bin`), bigBody);
    }
    for (let i = 0; i < 30; i++) write(`small/${i}.txt`, `small ${i}`);
    const p = await plan();
    let inFlight = { large: 0, all: 0 };
    let most = { large: 0, all: 0 };
    const counting: FilesApi = {
      ...api,
      async upload(local, remote, options) {
        const large = remote.startsWith('big/');
        inFlight = { large: inFlight.large + (large ? 1 : 0), all: inFlight.all + 1 };
        most = { large: Math.max(most.large, inFlight.large), all: Math.max(most.all, inFlight.all) };
        try {
          return await api.upload(local, remote, options);
        } finally {
          inFlight = { large: inFlight.large - (large ? 1 : 0), all: inFlight.all - 1 };
        }
      },
    };
    // Each upload waits a little at the server, so that the transfers overlap.
    emu.onRequest = (record) => (record.kind === 'upload' ? new Promise((resolve) => setTimeout(resolve, 30)) : undefined);
    const result = await run(p, { api: counting, concurrency: 8 });
    expect(result.counts.uploaded).toBe(36);
    expect(most).toEqual({ large: LARGE_TRANSFERS, all: 8 });
  });

  it('looks once for a folder of new files, right before uploading them, and still leaves alone the one someone wrote meanwhile', async () => {
    for (let i = 0; i < 20; i++) write(`results/run-${String(i).padStart(2, '0')}.txt`, `local ${i}`);
    const p = await plan();
    // After the plan, another client writes one of the paths.
    await emu.admin.put(WS, 'results/run-07.txt', 'theirs');
    emu.resetCounters();
    // The clock stands still: a slow machine does not age the folder's one look.
    const result = await run(p, { listed: [], now: () => new Date('2026-01-02T03:04:05Z') });
    expect(emu.requests().map((r) => r.kind)).toEqual(['list', ...Array<string>(19).fill('upload')]);
    expect(result.counts.uploaded).toBe(19);
    expect(result.deferred).toEqual([{ path: 'results/run-07.txt', reason: 'changed remotely since the listing' }]);
    expect(await emu.admin.read(WS, 'results/run-07.txt')).toEqual(Buffer.from('theirs'));
  });

  it('a download into folders it had to make syncs the parent of each new folder, then records the file as it was placed, in one rename', async () => {
    await emu.admin.put(WS, 'new/deep/x.txt', 'remote bytes');
    const synced: string[] = [];
    const writer = createStateWriter(db, { fsync: { syncDirectory: async (dir) => void synced.push(dir) } });
    const result = await run(await plan(), { writer });
    expect(result.counts.downloaded).toBe(1);
    expect(synced.sort()).toEqual([root, join(root, 'new'), join(root, 'new/deep')].sort());
    const placed = (await import('node:fs')).statSync(join(root, 'new/deep/x.txt'));
    expect(db.getBase('new/deep/x.txt')).toMatchObject({ localSize: placed.size, localMtimeMs: placed.mtimeMs, localIno: placed.ino });
    expect((await import('node:fs')).readdirSync(join(root, '.wsync/tmp'))).toEqual([]);
  });
});
