/**
 * The polls' remote check against the emulator and a real state database: one listing compared
 * with the base rows a real cycle wrote, page by page.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCycle } from '../../../../electron/engine/sync/once/cycle.js';
import type { FilesApiClient } from '../../../../electron/engine/api/client.js';
import { engineCycle, engineRemoteCheck } from '../../../../electron/engine/sync/background/engine-ports.js';
import type { CheckRemote, CycleReport } from '../../../../electron/engine/sync/background/ports.js';
import type { QuietListing } from '../../../../electron/engine/sync/background/remote-check.js';
import { openFolderSession, type FolderSession } from '../../../../electron/engine/sync/once/folder-session.js';
import { createTokenBucket } from '../../../../electron/engine/transfer/throttle.js';
import { silentLogger } from '../../../../electron/engine/logger.js';
import { SyncRig } from '../../../support/sync-rig.js';

const WS = 'ws_demo';
let rig: SyncRig;
let api: FilesApiClient;
let check: CheckRemote;
let session: FolderSession;
let generation = 1;

const bandwidth = { upload: createTokenBucket(0), download: createTokenBucket(0) };
const ask = (quietListing?: QuietListing) =>
  check({
    session,
    signal: new AbortController().signal,
    bandwidth,
    held: [],
    baseGeneration: generation,
    quietListing,
    logger: silentLogger,
  });
/** The controller's full cycle (engine-ports.ts), and the base generation it starts. */
async function fullCycle(skip: (path: string) => boolean = () => false): Promise<CycleReport> {
  const report = await engineCycle({ api: () => api })({
    session,
    signal: new AbortController().signal,
    confirmDeletes: false,
    onEvent: () => undefined,
    bandwidth,
    skip,
    logger: silentLogger,
  });
  generation += 1;
  return report;
}
/** A quiet answer: after a cycle the listing is compared with the base; from then on its one page is known. */
const quiet = { differences: [], decidable: true, pages: 1, bytes: expect.any(Number) as unknown, reused: expect.any(Boolean) as unknown };

beforeEach(async () => {
  rig = await SyncRig.open();
  api = rig.api();
  session = await openFolderSession({ root: rig.root, server: rig.emu.url, workspace: WS });
  check = engineRemoteCheck({ api: () => api });
  await rig.emu.admin.put(WS, 'docs/a.txt', 'alpha');
  await rig.emu.admin.put(WS, 'docs/b.txt', 'beta');
  const first = await runCycle(session, { api });
  expect(first.counts.downloaded).toBe(2);
  rig.emu.resetCounters();
});
afterEach(async () => {
  await session.close();
  await rig.close();
});

describe('engine remote check', () => {
  it('finds nothing right after a cycle, with a single listing request, and says what the listing took', async () => {
    expect(await ask()).toEqual(quiet);
    expect(rig.emu.requests().map((r) => r.kind)).toEqual(['list']);
  });

  it('names a remote edit, a new file and a deletion', async () => {
    await rig.emu.admin.put(WS, 'docs/a.txt', 'alpha, edited');
    await rig.emu.admin.put(WS, 'docs/new.txt', 'new');
    await rig.emu.admin.remove(WS, 'docs/b.txt');
    const result = await ask();
    expect(result.differences).toEqual(
      expect.arrayContaining([
        { path: 'docs/a.txt', kind: 'changed' },
        { path: 'docs/new.txt', kind: 'added' },
        { path: 'docs/b.txt', kind: 'removed' },
      ]),
    );
    expect(result.differences).toHaveLength(3);
  });

  it('leaves out remote names the folder ignores, as a cycle does', async () => {
    await rig.emu.admin.put(WS, 'docs/.a.txt.swp', 'editor swap file');
    expect(await ask()).toEqual(quiet);
  });

  it('a listing already found quiet is not compared again until the base changes', async () => {
    expect(await ask()).toEqual({ ...quiet, reused: false });
    // Behind the check's back: the base loses a row. The same listing is still taken as quiet, unparsed...
    rig.state().apply([{ kind: 'delete-base', path: 'docs/a.txt' }]);
    expect(await ask()).toEqual({ ...quiet, reused: true });
    // ...until the controller says the base changed.
    generation += 1;
    expect(await ask()).toMatchObject({ differences: [{ path: 'docs/a.txt', kind: 'added' }], decidable: true });
  });

  it('over many pages: known pages are taken as they are, a change on any page is found, with the base rows after what matched', async () => {
    for (let i = 0; i < 9; i++) await rig.emu.admin.put(WS, `more/f${i}.txt`, `file ${i}`);
    await runCycle(session, { api });
    generation += 1;
    const paged: FilesApiClient = rig.api({ pageSize: 3 });
    check = engineRemoteCheck({ api: () => paged });
    expect(await ask()).toMatchObject({ differences: [], decidable: true, pages: 4 });
    // Behind the check's back the base loses a row on the first page: a poll that compared the pages it knows would name it.
    rig.state().apply([{ kind: 'delete-base', path: 'docs/a.txt' }]);
    await rig.emu.admin.put(WS, 'more/f7.txt', 'file 7, edited elsewhere');
    expect(await ask()).toMatchObject({ differences: [{ path: 'more/f7.txt', kind: 'changed' }], decidable: true, pages: 4 });
    await rig.emu.admin.remove(WS, 'more/f8.txt');
    await rig.emu.admin.put(WS, 'more/f8.txt', 'back, as a new object');
    generation += 1;
    const all = await ask();
    expect(all.differences).toEqual(
      expect.arrayContaining([
        { path: 'docs/a.txt', kind: 'added' },
        { path: 'more/f7.txt', kind: 'changed' },
        { path: 'more/f8.txt', kind: 'changed' },
      ]),
    );
    expect(all.differences).toHaveLength(3);
  });

  it('a cycle that had nothing to do hands its listing over: the first poll after it takes every page as known', async () => {
    const report = await fullCycle();
    expect(report.quietListing).toBeDefined();
    expect(await ask(report.quietListing)).toEqual({ ...quiet, reused: true });
    expect(await ask()).toEqual({ ...quiet, reused: true });
  });

  it('so does a cycle that only downloaded what it listed', async () => {
    await rig.emu.admin.put(WS, 'docs/c.txt', 'gamma');
    const report = await fullCycle();
    expect(await rig.local.read('docs/c.txt')).toBe('gamma');
    expect(await ask(report.quietListing)).toEqual({ ...quiet, reused: true });
  });

  it('a cycle that uploaded hands nothing over: its listing is not the remote any more', async () => {
    await rig.local.insert('docs/local.txt', 'made here');
    const report = await fullCycle();
    expect(rig.transfers().uploads).toBe(1);
    expect(report.quietListing).toBeUndefined();
    expect(await ask(report.quietListing)).toEqual({ ...quiet, reused: false });
  });

  it('a remote file the cycle left alone (still being written here) is no proof: the next poll finds it', async () => {
    await rig.emu.admin.put(WS, 'docs/new.txt', 'new');
    const report = await fullCycle((path) => path === 'docs/new.txt');
    expect(await rig.local.exists('docs/new.txt')).toBe(false);
    expect(report.quietListing).toBeUndefined();
    expect(await ask(report.quietListing)).toMatchObject({ differences: [{ path: 'docs/new.txt', kind: 'added' }] });
  });
});
