/**
 * The engine in watch mode: the real FolderController (watcher, poll policy, engine cycle, Files
 * API client) against an in-process emulator on loopback and a real temp folder. The controller's
 * polls and rescans run on a fake clock each test moves on (`tick`); the watcher, the transfers and
 * the client's retries keep real time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../electron/engine/clock.js';
import { createFilesApi } from '../../../../electron/engine/api/client.js';
import type { FolderController } from '../../../../electron/engine/sync/background/ports.js';
import { createFolderController, type FolderControllerOptions } from '../../../../electron/engine/sync/background/folder-controller.js';
import { openFsWatch, type OpenFolderWatch } from '../../../../electron/engine/watch/folder-watches.js';
import type { Emulator } from '../../../../emulator/types.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { SyncRig } from '../../../support/sync-rig.js';

const WS = 'ws_demo';
const KEY = 'wsync-demo-key';
const md5 = (b: Buffer | string): string => createHash('md5').update(b).digest('hex');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(50);
  }
}

/**
 * Whether the folder's file holds `text`. Missing counts as no: a replaced file is moved aside
 * before the new version is linked in its place (temp-file.ts), so a poll can look in between.
 */
function holds(path: string, text: string): boolean {
  try {
    return readFileSync(join(root, path), 'utf8') === text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

let rig: SyncRig;
let root: string;
let emu: Emulator;
let controller: FolderController | null;
let clock: FakeClock;

/** Moves the controller's clock on a second at a time (real work in between) until `check` holds. */
async function tick(what: string, check: () => boolean | Promise<boolean>, maxMs = 600_000): Promise<void> {
  for (let waited = 0; !(await check()); waited += 1_000) {
    if (waited > maxMs) throw new Error(`not in fake time: ${what}`);
    await clock.advance(1_000);
    await sleep(20);
  }
}

beforeEach(async () => {
  clock = new FakeClock();
  rig = await SyncRig.open();
  ({ root, emu } = rig);
  controller = null;
});

afterEach(async () => {
  await controller?.stop();
  await rig.close();
});

function start(extra: Partial<FolderControllerOptions> = {}): Promise<FolderController> {
  const url = emu.url;
  controller = createFolderController({
    id: 'int',
    dir: root,
    server: url,
    workspace: WS,
    api: (bandwidth) => createFilesApi({ server: url, workspace: WS, apiKey: KEY, bandwidth }),
    poll: { maxIntervalMs: 5_000, maxErrorIntervalMs: 5_000 },
    clock,
    ...extra,
    // Real file-system events: the watcher's debounce runs on real time.
    watch: extra.watch === false ? false : { settle: { settleMs: 100, stableMs: 500 }, ...extra.watch, clock: systemClock },
  });
  const c = controller;
  return c.start().then(() => c);
}

function write(path: string, body: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), body);
}

function remoteFiles(): string[] {
  return emu.admin
    .list(WS)
    .map((f) => f.path)
    .sort();
}

async function remoteText(path: string): Promise<string | null> {
  return (await emu.admin.read(WS, path))?.toString() ?? null;
}

const requestsOf = (kind: string): number => emu.requests().filter((r) => r.kind === kind).length;

/** The real folder watches, but that drops every event naming `hidden`: changes to it happen behind the watcher's back. */
function blindTo(hidden: string): OpenFolderWatch {
  return (folder, onChange, onError) => openFsWatch(folder, (name) => (name === hidden ? undefined : onChange(name)), onError);
}

describe('polls while the watcher is live', () => {
  it('a quiet poll makes one listing and no scan: a change the watcher missed waits for a full cycle', async () => {
    write('missed.txt', 'version 1');
    const c = await start({ watch: { settle: { settleMs: 100, stableMs: 500 }, openWatch: blindTo('missed.txt') } });
    await until('first cycle', async () => c.snapshot().state === 'idle' && (await remoteText('missed.txt')) === 'version 1');
    const syncedAt = c.snapshot().lastSyncAt;
    emu.resetCounters();
    write('missed.txt', 'version 2, unseen by the watcher');
    // A full cycle lists twice in a row (key check, listing); a quiet poll once, at each poll.
    await tick('a poll', () => requestsOf('list') >= 1);
    await until('idle after the poll', () => c.snapshot().state === 'idle');
    await sleep(50);
    expect(requestsOf('list')).toBe(1);
    await tick('a second poll', () => requestsOf('list') >= 2);
    await until('idle after the poll', () => c.snapshot().state === 'idle');
    await sleep(50);
    expect(requestsOf('list')).toBe(2);
    expect(emu.requests().every((r) => r.kind === 'list')).toBe(true);
    expect(await remoteText('missed.txt')).toBe('version 1');
    expect(c.snapshot().lastSyncAt).not.toBe(syncedAt);
    c.syncNow();
    await until('the full cycle finds it', async () => (await remoteText('missed.txt')) === 'version 2, unseen by the watcher');
  });

  it('the periodic rescan is a full cycle: it finds what the watcher missed', async () => {
    write('missed.txt', 'version 1');
    const c = await start({ rescanIntervalMs: 8_000, watch: { settle: { settleMs: 100, stableMs: 500 }, openWatch: blindTo('missed.txt') } });
    await until('first cycle', async () => c.snapshot().state === 'idle' && (await remoteText('missed.txt')) === 'version 1');
    write('missed.txt', 'version 2, unseen by the watcher');
    await tick('the rescan finds it', async () => (await remoteText('missed.txt')) === 'version 2, unseen by the watcher');
  });

  it('a poll that finds a remote change runs a full cycle that downloads it', async () => {
    const c = await start();
    await until('first cycle', () => c.snapshot().state === 'idle' && c.snapshot().lastSyncAt !== null);
    await tick('a quiet poll', () => requestsOf('list') >= 3);
    emu.resetCounters();
    await emu.admin.put(WS, 'news/n.txt', 'from elsewhere');
    await tick('downloaded', () => holds('news/n.txt', 'from elsewhere'));
    await until('idle', () => c.snapshot().state === 'idle');
    const kinds = emu.requests().map((r) => r.kind);
    const firstDownload = kinds.findIndex((k) => k !== 'list');
    // The poll's one listing, then the full cycle's listing, then the download.
    expect(kinds.slice(0, firstDownload)).toEqual(['list', 'list']);
    expect(c.snapshot().recent.some((a) => a.path === 'news/n.txt')).toBe(true);
  });

  it('a poll refused with 401 signs the folder out, as a full cycle would', async () => {
    const c = await start();
    await until('first cycle', () => c.snapshot().state === 'idle' && c.snapshot().lastSyncAt !== null);
    emu.resetCounters();
    // The key is revoked on the server (the controller keeps one client, so the server must refuse it).
    emu.faults.failNth = 1;
    emu.faults.failNthStatus = 401;
    await tick('signed out', () => c.snapshot().state === 'signed-out');
    expect(requestsOf('list')).toBe(1);
  });

  it('a poll that cannot connect shows offline, and the next quiet poll after the server is back shows idle', async () => {
    const url = emu.url;
    const c = await start({
      api: (bandwidth) => createFilesApi({ server: url, workspace: WS, apiKey: KEY, bandwidth, retry: { limit: 1 } }),
    });
    await until('first cycle', () => c.snapshot().state === 'idle' && c.snapshot().lastSyncAt !== null);
    await rig.serverDown();
    await tick('offline', () => c.snapshot().state === 'offline');
    expect(c.snapshot().message).toBe('Connection refused');
    await rig.serverUp();
    emu = rig.emu;
    await tick('idle again', () => c.snapshot().state === 'idle');
    expect(emu.requests().map((r) => r.kind)).toEqual(['list']);
  });
});

describe('background sync against the emulator', () => {
  it('local create, edit, move and delete each reach the remote, through the watcher, long before a poll', async () => {
    // The fake clock never moves: anything that arrives was triggered by the watcher.
    const c = await start({ poll: { minIntervalMs: 120_000 } });
    write('notes/a.txt', 'first');
    await until('create reaches remote', async () => (await remoteText('notes/a.txt')) === 'first');
    write('notes/a.txt', 'second version');
    await until('edit reaches remote', async () => (await remoteText('notes/a.txt')) === 'second version');
    mkdirSync(join(root, 'archive'));
    renameSync(join(root, 'notes/a.txt'), join(root, 'archive/a.txt'));
    await until('move reaches remote', () => JSON.stringify(remoteFiles()) === JSON.stringify(['archive/a.txt']));
    rmSync(join(root, 'archive/a.txt'));
    await until('delete reaches remote', () => remoteFiles().length === 0);
    await until('idle', () => c.snapshot().state === 'idle');
    expect(c.snapshot().recent.map((a) => a.action)).toEqual(expect.arrayContaining(['upload', 'move-remote', 'delete-remote']));
  });

  it('remote create, edit and delete each reach the folder through polling', async () => {
    const c = await start();
    // Each change lands while the controller is quiet (no cycle, no local event pending): only a poll can find it.
    const quietly = async (): Promise<void> => {
      await until('idle', () => c.snapshot().state === 'idle' && c.snapshot().lastSyncAt !== null);
      await sleep(300);
      emu.resetCounters();
    };
    await quietly();
    await emu.admin.put(WS, 'reports/r.txt', 'remote one');
    await tick('remote create reaches folder', () => holds('reports/r.txt', 'remote one'));
    expect(requestsOf('list')).toBeGreaterThan(0);
    await quietly();
    await emu.admin.put(WS, 'reports/r.txt', 'remote two, longer');
    await tick('remote edit reaches folder', () => holds('reports/r.txt', 'remote two, longer'));
    await quietly();
    await emu.admin.remove(WS, 'reports/r.txt');
    await tick('remote delete reaches folder', () => !existsSync(join(root, 'reports/r.txt')));
    // Deleted remotely means moved to the engine's trash, never unlinked.
    const trashed = readdirSync(join(root, '.wsync', 'trash'), { recursive: true }).map(String);
    expect(trashed.some((p) => p.endsWith('r.txt'))).toBe(true);
  });

  it('an editor-style save (temporary file renamed over the original) is one upload: no delete, no conflict copy', async () => {
    // The watcher's default settle times, as users get them.
    write('doc.txt', 'version 1');
    const c = await start({ poll: { minIntervalMs: 120_000 }, watch: { clock: systemClock } });
    await until('initial upload', async () => (await remoteText('doc.txt')) === 'version 1');
    await until('idle', () => c.snapshot().state === 'idle');
    emu.resetCounters();
    writeFileSync(join(root, '.doc.txt.swx'), 'version 2, saved by an editor');
    renameSync(join(root, '.doc.txt.swx'), join(root, 'doc.txt'));
    await until('save reaches remote', async () => (await remoteText('doc.txt')) === 'version 2, saved by an editor');
    await until('idle', () => c.snapshot().state === 'idle');
    await sleep(1000);
    expect(requestsOf('delete')).toBe(0);
    expect(requestsOf('upload')).toBe(1);
    expect(remoteFiles()).toEqual(['doc.txt']);
    expect(rig.localPaths()).toEqual(['doc.txt']);
    expect(c.snapshot().conflicts).toEqual([]);
  });

  it('a file written over 5 s is uploaded once, complete, after its last write', async () => {
    // Writing starts while the first cycle runs: its scan must leave the growing file alone.
    // Real time and the watcher's default settle times: writes 50 ms apart, for 5 s.
    await start({ watch: { clock: systemClock } });
    emu.resetCounters();
    const chunks: Buffer[] = [];
    let lastWrite = 0;
    for (let i = 0; i < 100; i += 1) {
      const chunk = randomBytes(20_000);
      chunks.push(chunk);
      appendFileSync(join(root, 'slow.bin'), chunk);
      lastWrite = Date.now();
      await sleep(50);
    }
    const whole = Buffer.concat(chunks);
    await until('slow file on remote', async () => {
      const remote = await emu.admin.read(WS, 'slow.bin');
      return remote !== null && md5(remote) === md5(whole);
    });
    const uploadedAt = emu.requests().find((r) => r.kind === 'upload')?.at ?? 0;
    await sleep(1_000);
    expect(requestsOf('upload')).toBe(1);
    expect(uploadedAt).toBeGreaterThanOrEqual(lastWrite);
  });

  it('killing the emulator mid-transfer and restarting it on the same port ends with the folder synced', async () => {
    const big = randomBytes(4_000_000);
    write('big.bin', big);
    for (let i = 0; i < 20; i += 1) write(`many/f${i}.txt`, `file ${i}`);
    await start({ bandwidth: { uploadBps: 1_000_000, downloadBps: 0 } });
    await until('an upload in flight', () => (controller?.snapshot().transfers ?? []).some((t) => t.bytesDone > 0));
    await rig.serverDown();
    await sleep(500);
    await rig.serverUp();
    emu = rig.emu;
    controller?.setBandwidth({ uploadBps: 0, downloadBps: 0 });
    await tick('synced after restart', async () => controller?.snapshot().state === 'idle' && (await rig.inSync()));
    expect(md5((await emu.admin.read(WS, 'big.bin')) ?? Buffer.alloc(0))).toBe(md5(big));
    expect(readdirSync(join(root, '.wsync', 'tmp')).length).toBe(0);
  });

  it('goes offline while the server is down, retries quietly, and catches up when it answers again', async () => {
    const url = emu.url;
    const c = await start({
      api: (bandwidth) => createFilesApi({ server: url, workspace: WS, apiKey: KEY, bandwidth, retry: { limit: 1 } }),
    });
    await until('first cycle done', () => c.snapshot().lastSyncAt !== null && c.snapshot().state === 'idle');
    await rig.serverDown();
    write('queued.txt', 'written while offline');
    await tick('offline', () => c.snapshot().state === 'offline');
    expect(c.snapshot().message).toBe('Connection refused');
    await rig.serverUp();
    emu = rig.emu;
    await tick('caught up', async () => c.snapshot().state === 'idle' && (await remoteText('queued.txt')) === 'written while offline');
  });

  it('pause stops all requests (emulator counters over a window) and resume catches up', async () => {
    write('before.txt', 'before');
    const c = await start();
    await until('initial sync', () => rig.inSync());
    await c.pause();
    expect(c.snapshot().state).toBe('paused');
    emu.resetCounters();
    write('local-while-paused.txt', 'local');
    await emu.admin.put(WS, 'remote-while-paused.txt', 'remote');
    c.syncNow();
    await clock.advance(600_000); // many poll intervals
    await sleep(300);
    const counts = emu.counters();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    c.resume();
    await until('caught up after resume', async () => (await rig.inSync()) && rig.localPaths().length === 3);
    expect(rig.localPaths()).toEqual(['before.txt', 'local-while-paused.txt', 'remote-while-paused.txt']);
  });

  it('pause during a transfer stops it cleanly: nothing half-written on either side', async () => {
    await emu.admin.put(WS, 'incoming.bin', randomBytes(3_000_000));
    const c = await start({ bandwidth: { uploadBps: 0, downloadBps: 500_000 } }).catch(() => controller as FolderController);
    await until('a download in flight', () => c.snapshot().transfers.some((t) => t.bytesDone > 0));
    await c.pause();
    emu.resetCounters();
    await clock.advance(600_000);
    await sleep(500);
    expect(emu.requests()).toEqual([]);
    expect(existsSync(join(root, 'incoming.bin'))).toBe(false);
    expect(rig.localPaths()).toEqual([]);
    c.setBandwidth({ uploadBps: 0, downloadBps: 0 });
    c.resume();
    await until('download completes after resume', () => rig.inSync());
  });

  it('a cycle at the default concurrency, its operations all listening on its one stop signal, gives Node no cause to warn of a listener leak', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `f${String(i).padStart(2, '0')}.bin`);
    for (const name of names) await emu.admin.put(WS, `down/${name}`, randomBytes(256 * 1024));
    for (const name of names) write(`up/${name}`, randomBytes(256 * 1024));
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const c = await start();
      await until(
        'both ways synced',
        async () => c.snapshot().state === 'idle' && rig.localPaths().length === 2 * names.length && (await rig.inSync()),
      );
      await sleep(0); // a warning is emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
  });

  describe('deletions held by the mass-delete guard', () => {
    const names = Array.from({ length: 12 }, (_, i) => `set/f${String(i).padStart(2, '0')}.txt`);

    async function syncedSet(): Promise<FolderController> {
      for (const n of names) write(n, `content of ${n}`);
      const c = await start();
      await until('set uploaded', async () => (await rig.inSync()) && remoteFiles().length === 12 && c.snapshot().state === 'idle');
      return c;
    }

    it('local mass deletion waits for the user; restore downloads the files back', async () => {
      const c = await syncedSet();
      for (const n of names.slice(0, 10)) rmSync(join(root, n));
      await until('held', () => c.snapshot().state === 'needs-confirmation');
      expect(
        c
          .snapshot()
          .heldDeletions.flatMap((h) => h.paths)
          .sort(),
      ).toEqual(names.slice(0, 10));
      expect(remoteFiles()).toHaveLength(12);
      await c.restoreDeletions();
      await until('restored', async () => (await rig.inSync()) && rig.localPaths().length === 12 && c.snapshot().state === 'idle');
      expect(readFileSync(join(root, names[0] as string), 'utf8')).toBe(`content of ${names[0]}`);
      expect(c.snapshot().heldDeletions).toEqual([]);
    });

    it('remote mass deletion waits for the user; restore uploads the files back', async () => {
      const c = await syncedSet();
      for (const n of names.slice(0, 10)) await emu.admin.remove(WS, n);
      c.syncNow();
      await until('held', () => c.snapshot().state === 'needs-confirmation');
      expect(rig.localPaths()).toHaveLength(12);
      await c.restoreDeletions();
      await until('restored', async () => (await rig.inSync()) && remoteFiles().length === 12 && c.snapshot().state === 'idle');
    });

    it('confirming lets the held deletions go ahead', async () => {
      const c = await syncedSet();
      for (const n of names.slice(0, 10)) rmSync(join(root, n));
      await until('held', () => c.snapshot().state === 'needs-confirmation');
      await c.confirmDeletions();
      await until('deleted remotely', async () => (await rig.inSync()) && remoteFiles().length === 2 && c.snapshot().state === 'idle');
    });
  });

  describe('conflicts', () => {
    async function conflicted(): Promise<{ c: FolderController; copy: string }> {
      write('plan.txt', 'base');
      const c = await start();
      await until('synced', async () => (await rig.inSync()) && c.snapshot().state === 'idle');
      await c.pause();
      write('plan.txt', 'local edit');
      await emu.admin.put(WS, 'plan.txt', 'remote edit');
      c.resume();
      await until('conflict shown', async () => c.snapshot().conflicts.length === 1 && (await rig.inSync()) && c.snapshot().state === 'idle');
      const copy = c.snapshot().conflicts[0]?.conflictCopy as string;
      expect(readFileSync(join(root, copy), 'utf8')).toBe('local edit');
      expect(readFileSync(join(root, 'plan.txt'), 'utf8')).toBe('remote edit');
      return { c, copy };
    }

    it('keeping the local version puts it back at the path on both sides and removes the copy everywhere', async () => {
      const { c, copy } = await conflicted();
      await c.resolveConflict('plan.txt', 'local');
      await until(
        'resolved everywhere',
        async () => (await rig.inSync()) && (await remoteText('plan.txt')) === 'local edit' && !remoteFiles().includes(copy),
      );
      expect(rig.localPaths()).toEqual(['plan.txt']);
      expect(c.snapshot().conflicts).toEqual([]);
    });

    it('keeping the remote version removes the conflict copy from both sides', async () => {
      const { c, copy } = await conflicted();
      await c.resolveConflict('plan.txt', 'remote');
      await until('copy gone everywhere', async () => (await rig.inSync()) && !remoteFiles().includes(copy));
      expect(rig.localPaths()).toEqual(['plan.txt']);
      expect(await remoteText('plan.txt')).toBe('remote edit');
    });
  });
});
