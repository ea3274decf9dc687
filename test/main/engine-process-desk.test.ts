/**
 * The desktop screens' calls (issue 18) through the real engine process: onboarding's browse and
 * preview with the key on the secret port, the folder tools by directory, and the trash calls of a
 * running folder's controller, all validated at both ends of the protocol.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator } from '../../emulator/types.js';
import { EngineClient } from '../../electron/main/engine-client.js';
import { utilityEngine } from '../../electron/main/engine-process.js';
import { buildEngineBundle } from '../support/engine-bundle.js';
import { createFakeElectron } from '../support/fake-electron.js';

const WS = 'ws_demo';
const KEY = 'wsync-demo-key';

let emu: Emulator;
let base: string;
let engine: EngineClient;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wsync-engine-desk-'));
  emu = await startEmulator({ dataDir: join(base, 'emu') });
  await emu.admin.put(WS, 'runs/a.vcf', 'aaaa');
  await emu.admin.put(WS, 'runs/b.vcf', 'bbbbbb');
  const electron = createFakeElectron();
  electron.app.becomeReady();
  engine = new EngineClient({
    fork: utilityEngine({
      utilityProcess: electron.utilityProcess,
      MessageChannelMain: electron.MessageChannelMain,
      entry: await buildEngineBundle(),
    }),
    resolveProxy: async () => 'DIRECT',
    log: () => undefined,
  });
});

afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed, whatever the declared type says */
  await engine?.shutdown();
  await emu?.close();
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
  await rm(base, { recursive: true, force: true });
});

describe('the desktop calls through the engine process', () => {
  it('browses the workspace and previews a first sync with the key sent on the secret port', async () => {
    expect(await engine.browseRemote({ server: emu.url, workspace: WS, apiKey: 'wrong' })).toMatchObject({ ok: false, kind: 'auth' });
    expect(await engine.browseRemote({ server: emu.url, workspace: WS, apiKey: KEY })).toEqual({
      ok: true,
      complete: true,
      folders: [
        { path: '', files: 2, bytes: 10 },
        { path: 'runs/', files: 2, bytes: 10 },
      ],
    });
    const dir = join(base, 'Preview');
    await mkdir(dir);
    await writeFile(join(dir, 'a.vcf'), 'mine');
    const preview = await engine.previewSync({ server: emu.url, workspace: WS, prefix: 'runs/', apiKey: KEY, dir });
    expect(preview).toMatchObject({ download: { files: 1, bytes: 6 }, upload: { files: 0 }, both: 1, local: { exists: true, files: 1 } });
  });

  it("reads and writes the ignore rules and names a folder's files, by directory", async () => {
    const dir = join(base, 'Rules');
    await mkdir(dir);
    const tools = engine.tools();
    expect(await tools.readIgnoreRules(dir)).toBe('');
    await tools.writeIgnoreRules(dir, '*.tmp');
    expect(await readFile(join(dir, '.wsyncignore'), 'utf8')).toBe('*.tmp\n');
    expect(await tools.folderFiles(dir)).toEqual({
      log: join(dir, '.wsync', 'logs', 'wsync.log'),
      logs: join(dir, '.wsync', 'logs'),
      trash: join(dir, '.wsync', 'trash'),
      ignoreRules: join(dir, '.wsyncignore'),
    });
    await expect(tools.trashItemFile(dir, '../../etc/passwd')).rejects.toThrow(/not an item of the wsync trash/);
  });

  it("lists, restores and empties a running folder's trash through its controller", async () => {
    const dir = join(base, 'Running');
    await mkdir(join(dir, '.wsync', 'trash', '2025-03-01T08-00-00-000Z'), { recursive: true });
    await writeFile(join(dir, '.wsync', 'trash', '2025-03-01T08-00-00-000Z', 'old.txt'), 'old');
    await engine.start({
      id: 'running',
      server: emu.url,
      workspace: WS,
      dir,
      prefix: 'runs/',
      bandwidth: { uploadBps: 0, downloadBps: 0 },
      apiKey: KEY,
    });
    const controller = engine.controller('running');
    const listing = await controller.listTrash();
    expect(listing.entries.map((e) => [e.id, e.origin])).toEqual([['2025-03-01T08-00-00-000Z/old.txt', 'deleted-in-workspace']]);
    // Arguments are checked where they arrive: an empty id list is fine, a bad time is not.
    await expect(controller.emptyTrash('yesterday')).rejects.toThrow(/emptyTrash/);
    expect(await controller.restoreFromTrash(['2025-03-01T08-00-00-000Z/old.txt'])).toEqual([
      { id: '2025-03-01T08-00-00-000Z/old.txt', path: 'old.txt', renamed: false },
    ]);
    expect(existsSync(join(dir, 'old.txt'))).toBe(true);
    expect(await controller.emptyTrash(null)).toEqual({ files: 0, bytes: 0 });
    await engine.stop('running');
  });
});
