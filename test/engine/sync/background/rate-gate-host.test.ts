/**
 * The background host keeps one client per folder, so a server's "slow down" outlives the cycle
 * that heard it: after a 429 with Retry-After: 300, neither the next poll nor the user's "sync
 * now" sends anything until the time is up, and the folder says why.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createFilesApi } from '../../../../electron/engine/api/client.js';
import type { FolderController } from '../../../../electron/engine/sync/background/ports.js';
import { createFolderController } from '../../../../electron/engine/sync/background/folder-controller.js';
import type { Emulator } from '../../../../emulator/types.js';
import { SyncRig } from '../../../support/sync-rig.js';

const WS = 'ws_demo';
let rig: SyncRig;
let emu: Emulator;
let controller: FolderController | null = null;

beforeEach(async () => {
  rig = await SyncRig.open();
  emu = rig.emu;
});
afterEach(async () => {
  await controller?.stop();
  await rig.close();
});

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('after a 429 with Retry-After: 300, no poll and no "sync now" sends a request: one client, one gate, per folder', async () => {
  const root = rig.root;
  writeFileSync(join(root, 'a.txt'), 'a');
  let clients = 0;
  controller = createFolderController({
    dir: root,
    server: emu.url,
    workspace: WS,
    api: (bandwidth) => {
      clients += 1;
      return createFilesApi({ server: emu.url, workspace: WS, apiKey: 'wsync-demo-key', bandwidth });
    },
    watch: false,
  });
  const c = controller;
  await c.start();
  await until('first sync', () => c.snapshot().state === 'idle' && emu.admin.list(WS).length === 1);

  emu.faults.failNth = 1;
  emu.faults.failNthStatus = 429;
  emu.faults.retryAfterSeconds = 300;
  emu.resetCounters();
  c.syncNow();
  await until('told to slow down', () => c.snapshot().state === 'error');
  expect(c.snapshot().message).toContain('slow down');
  expect(emu.requests().map((r) => r.status)).toEqual([429]);

  for (let i = 0; i < 3; i++) {
    c.syncNow();
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(emu.requests().map((r) => r.status)).toEqual([429]);
  expect(c.snapshot().state).toBe('error');
  expect(clients).toBe(1);
});
