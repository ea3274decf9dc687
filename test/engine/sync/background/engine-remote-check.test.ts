/**
 * The polls' remote check against the emulator and a real state database: one listing compared
 * with the base rows a real cycle wrote.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCycle } from '../../../../electron/engine/sync/once/cycle.js';
import { engineRemoteCheck, toCycleReport } from '../../../../electron/engine/sync/background/engine-ports.js';
import type { CheckRemote } from '../../../../electron/engine/sync/background/ports.js';
import { openFolderSession, type FolderSession } from '../../../../electron/engine/sync/once/folder-session.js';
import { createTokenBucket } from '../../../../electron/engine/transfer/throttle.js';
import { silentLogger } from '../../../../electron/engine/logger.js';
import { openEngineFixture, type EngineFixture } from '../../../support/engine-fixture.js';

const WS = 'ws_demo';
let fx: EngineFixture;
let check: CheckRemote;
let session: FolderSession;
let generation = 1;

const ask = (quietListing?: string) =>
  check({
    session,
    signal: new AbortController().signal,
    bandwidth: { upload: createTokenBucket(0), download: createTokenBucket(0) },
    held: [],
    baseGeneration: generation,
    quietListing,
    logger: silentLogger,
  });

beforeEach(async () => {
  fx = await openEngineFixture('wsync-remote-check-');
  session = await openFolderSession({ root: fx.root, server: fx.emu.url, workspace: WS });
  check = engineRemoteCheck({ api: () => fx.api });
  await fx.emu.admin.put(WS, 'docs/a.txt', 'alpha');
  await fx.emu.admin.put(WS, 'docs/b.txt', 'beta');
  const first = await runCycle(session, { api: fx.api });
  expect(first.counts.downloaded).toBe(2);
  fx.emu.resetCounters();
});
afterEach(async () => {
  await session.close();
  await fx.close();
});

describe('engine remote check', () => {
  it('finds nothing right after a cycle, with a single listing request', async () => {
    expect(await ask()).toEqual({ differences: [], decidable: true });
    expect(fx.emu.requests().map((r) => r.kind)).toEqual(['list']);
  });

  it('names a remote edit, a new file and a deletion', async () => {
    await fx.emu.admin.put(WS, 'docs/a.txt', 'alpha, edited');
    await fx.emu.admin.put(WS, 'docs/new.txt', 'new');
    await fx.emu.admin.remove(WS, 'docs/b.txt');
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
    await fx.emu.admin.put(WS, 'docs/.a.txt.swp', 'editor swap file');
    expect(await ask()).toEqual({ differences: [], decidable: true });
  });

  it('a listing already found quiet is not compared again until the base changes', async () => {
    expect(await ask()).toEqual({ differences: [], decidable: true });
    // Behind the check's back: the base loses a row. The same listing is still taken as quiet...
    fx.db.apply([{ kind: 'delete-base', path: 'docs/a.txt' }]);
    expect(await ask()).toEqual({ differences: [], decidable: true });
    // ...until the controller says the base changed.
    generation += 1;
    expect(await ask()).toEqual({ differences: [{ path: 'docs/a.txt', kind: 'added' }], decidable: true });
  });

  it('a listing the last full cycle found nothing to do against is recognised without reading the base', async () => {
    const quiet = toCycleReport(await runCycle(session, { api: fx.api }), '');
    expect(quiet.quietListing).toEqual(expect.any(String));
    // Behind the check's back the base loses a row: a check that read the base would name it.
    fx.db.apply([{ kind: 'delete-base', path: 'docs/a.txt' }]);
    generation += 1;
    fx.emu.resetCounters();
    expect(await ask(quiet.quietListing)).toEqual({ differences: [], decidable: true });
    expect(fx.emu.requests().map((r) => r.kind)).toEqual(['list']);
    expect(await ask()).toEqual({ differences: [{ path: 'docs/a.txt', kind: 'added' }], decidable: true });
  });

  it('a cycle that moved something reports no quiet listing, nor does one that left work undone', async () => {
    await fx.emu.admin.put(WS, 'docs/c.txt', 'gamma');
    const moved = toCycleReport(await runCycle(session, { api: fx.api }), '');
    expect(moved.changed).toBe(true);
    expect(moved.quietListing).toBeUndefined();
    await fx.emu.admin.put(WS, 'bad\\name.txt', 'refused');
    const refused = await runCycle(session, { api: fx.api });
    expect(refused.refused.map((r) => r.path)).toEqual(['bad\\name.txt']);
    expect(toCycleReport(refused, '').quietListing).toBeUndefined();
  });
});
