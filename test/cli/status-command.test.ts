import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderStatusSchema } from '../../electron/shared/status.js';
import { StateDb } from '../../electron/engine/state/state-db.js';
import { folderLayout } from '../../electron/engine/local/folder-layout.js';
import { createFolderController } from '../../electron/engine/sync/background/folder-controller.js';
import { runStatus } from '../../electron/cli/status-command.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wsync-status-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capture(): { out: string[]; err: string[]; io: { stdout: (t: string) => void; stderr: (t: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t) } };
}

async function seedOneShotDb(): Promise<void> {
  await mkdir(join(dir, '.wsync'), { recursive: true });
  const db = StateDb.open(folderLayout(dir).stateDb);
  db.setMeta({ server: 'http://127.0.0.1:9', workspace: 'ws_demo', prefix: '', lastSyncAt: '2026-01-02T03:04:05.000Z' });
  db.apply([
    { kind: 'put-base', entry: { path: 'a.txt', remoteKey: 'k', etag: 'e', remoteSize: 1, localSize: 1, localMtimeMs: 1, localIno: 1, hash: 'h' } },
    { kind: 'activity', record: { path: 'a.txt', action: 'upload', decision: 11, at: '2026-01-02T03:04:05.000Z' } },
  ]);
  db.close();
}

describe('wsync status', () => {
  it('says a folder was never synced and exits 2', async () => {
    const c = capture();
    expect(await runStatus({ dir }, c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/never been synced/);
  });

  it('reads what a one-shot sync left (meta, activity, base count) as a valid status', async () => {
    await seedOneShotDb();
    const c = capture();
    expect(await runStatus({ dir, json: true }, c.io)).toBe(0);
    const parsed = JSON.parse(c.out.join('')) as Record<string, unknown>;
    const status = FolderStatusSchema.parse(parsed);
    expect(status).toMatchObject({
      workspace: 'ws_demo',
      lastSyncAt: '2026-01-02T03:04:05.000Z',
      recent: [{ path: 'a.txt', action: 'upload', decision: 11 }],
    });
    expect(parsed.syncedFiles).toBe(1);
    expect(parsed.running).toBe(false);
  });

  it('prints a readable report with the state, last sync, file count and recent activity', async () => {
    await seedOneShotDb();
    const c = capture();
    await runStatus({ dir }, c.io);
    const text = c.out.join('');
    // A database with synced files but no record of a finished run: the first sync never finished.
    expect(text).toMatch(/State:\s+The first sync did not finish/);
    expect(text).toMatch(/Last sync:\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(/);
    expect(text).toMatch(/Synced:\s+1 file\b/);
    expect(text).toMatch(/upload\s+a\.txt$/m);
    expect(text).not.toMatch(/\[row/);
  });

  it('shows the last status a background engine saved: held deletions and errors included', async () => {
    let finished = false;
    const controller = createFolderController({
      id: 'f1',
      dir,
      server: 'http://127.0.0.1:9',
      workspace: 'ws_demo',
      watch: false,
      runCycle: async (req) => {
        req.onEvent({ type: 'file-error', path: 'big.bin', kind: 'too-large', message: 'HTTP 413' });
        finished = true;
        return {
          changed: false,
          held: [{ side: 'remote', paths: ['x', 'y'], syncedCount: 3 }],
          failures: [{ path: 'big.bin', kind: 'too-large', message: 'HTTP 413' }],
        };
      },
    });
    await controller.start();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by the controller's callback while this loop waits
    while (!finished || controller.snapshot().state !== 'needs-confirmation') await new Promise((r) => setTimeout(r, 10));
    await controller.stop();
    const c = capture();
    await runStatus({ dir }, c.io);
    const text = c.out.join('');
    expect(text).toMatch(/State:\s+Waiting for your confirmation/);
    expect(text).toMatch(/Held:\s+2 remote deletions \(of 3 synced files\)/);
    expect(text).toMatch(/Error:\s+big\.bin: HTTP 413 \(too-large, 1 attempt\)/);
  });
});
