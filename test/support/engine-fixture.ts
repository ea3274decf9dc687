import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFilesApi } from '../../electron/engine/api/client.js';
import type { FilesApiClient } from '../../electron/engine/api/client.js';
import { StateDb } from '../../electron/engine/state/state-db.js';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator } from '../../emulator/types.js';

/** A sync folder with its state database and a fresh emulator, for engine tests below the cycle. */
export interface EngineFixture {
  base: string;
  root: string;
  emu: Emulator;
  api: FilesApiClient;
  db: StateDb;
  close(): Promise<void>;
}

export async function openEngineFixture(tempPrefix: string): Promise<EngineFixture> {
  const base = mkdtempSync(join(tmpdir(), tempPrefix));
  const root = join(base, 'folder');
  mkdirSync(root);
  const emu = await startEmulator({ dataDir: join(base, 'emu') });
  const api = createFilesApi({ server: emu.url, workspace: 'ws_demo', apiKey: 'wsync-demo-key' });
  const db = StateDb.open(join(root, '.wsync/state.db'));
  return {
    base,
    root,
    emu,
    api,
    db,
    async close() {
      db.close();
      await emu.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
