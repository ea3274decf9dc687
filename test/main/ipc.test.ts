import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderHost, type FolderRuntime } from '../../electron/engine-process/folder-host.js';
import { isAppFrame, registerIpc } from '../../electron/main/ipc-dispatch.js';
import { startMainServices } from '../../electron/main/services.js';
import { IPC_COMMANDS, commandChannel } from '../../electron/shared/ipc-channels.js';
import type { FolderStatus } from '../../electron/shared/status.js';
import { FakeApp, FakeClipboard, FakeDialog, FakeIpcMain, FakeSafeStorage, FakeShell } from '../support/fake-electron.js';
import { RecordingController } from './recording-controller.js';

const APP = 'wsync://app/index.html';

async function setup() {
  const userData = await mkdtemp(join(tmpdir(), 'wsync-userdata-'));
  const home = await mkdtemp(join(tmpdir(), 'wsync-home-'));
  const safeStorage = new FakeSafeStorage();
  const shell = new FakeShell();
  const dialog = new FakeDialog();
  const controllers: RecordingController[] = [];
  const pushed: FolderStatus[][] = [];
  const host = new FolderHost({
    createController: (f: FolderRuntime) => {
      const c = new RecordingController(f);
      controllers.push(c);
      return c;
    },
    openFilesApi: () => {
      throw new Error('no connection test here');
    },
  });
  host.subscribe(() => pushed.push(host.statuses()));
  // The whole IPC edge, core and desktop-experience commands, as the app wires it.
  const services = await startMainServices({
    userDataDir: userData,
    platform: 'linux',
    homeDir: home,
    env: {},
    executable: '/opt/wsync',
    safeStorage,
    loginItemApp: new FakeApp(),
    shell,
    dialog,
    clipboard: new FakeClipboard(),
    version: '0.1.0',
    engine: host,
    isTrustedSender: isAppFrame,
    onStatus: () => undefined,
    notify: () => undefined,
  });
  const { settings, service } = services;
  const ipcMain = new FakeIpcMain();
  registerIpc(ipcMain, services.dispatch);
  /** `frame` null: a message with no sender frame (it was destroyed or navigated away). */
  const call = (command: string, payload?: unknown, frame: string | null = APP) =>
    ipcMain.invoke(commandChannel(command as never), frame ?? undefined, payload);
  /** Adds a folder pair as the window does: the folder comes from the folder dialog. */
  const add = async (dir: string) => {
    dialog.answer = dir;
    await call('pickFolder');
    return call('addFolder', pair(dir));
  };
  return { userData, home, safeStorage, shell, dialog, controllers, pushed, host, settings, service, ipcMain, call, add };
}

const pair = (dir: string) => ({ server: 'http://127.0.0.1:9/', apiKey: 'sk-secret-value', workspace: 'ws_demo', dir, prefix: 'reports' });

describe('IPC edge', () => {
  it('registers one handler per command of the preload API', async () => {
    const { ipcMain } = await setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(IPC_COMMANDS.map(commandChannel).sort());
  });

  it.each([
    ['a remote page', 'https://evil.example/'],
    ['a file:// page', 'file:///tmp/index.html'],
    ['a look-alike scheme host', 'wsync://app.evil/'],
    ['no frame at all', null],
  ])('refuses messages from %s', async (_name, frame) => {
    const { call } = await setup();
    expect(await call('getSettings', undefined, frame)).toEqual({
      ok: false,
      error: { kind: 'forbidden', message: 'This window may not control wsync' },
    });
  });

  it.each<[string, string, unknown, RegExp]>([
    ['an unknown folder id shape', 'pause', { folderId: '../../etc' }, /folderId: Unknown folder id/],
    ['a missing field', 'resolveConflict', { folderId: 'a', path: 'x' }, /keep/],
    ['an invalid choice', 'resolveConflict', { folderId: 'a', path: 'x', keep: 'both' }, /keep/],
    ['a server URL with credentials', 'testConnection', { server: 'https://u:p@h/', workspace: 'w', prefix: '', apiKey: 'k' }, /server/],
    ['a prefix escaping the workspace', 'testConnection', { server: 'https://h', workspace: 'w', prefix: '../x', apiKey: 'k' }, /prefix/],
    ['a payload for a command that takes none', 'getStatus', { sneaky: true }, /expected undefined/i],
    ['a negative bandwidth', 'updatePreferences', { bandwidth: { uploadBps: -5, downloadBps: 0 } }, /bandwidth/],
  ])('rejects %s before any handler runs', async (_name, command, payload, message) => {
    const { call, controllers } = await setup();
    const result = (await call(command, payload)) as { ok: boolean; error: { kind: string; message: string } };
    expect(result.ok).toBe(false);
    expect(result.error.kind).toBe('invalid-input');
    expect(result.error.message).toMatch(message);
    expect(controllers).toHaveLength(0);
  });
});

describe('folder pairs through IPC', () => {
  it('adds a folder pair: the key is stored encrypted, never in plain text, and a controller starts', async () => {
    const { call, userData, controllers, add } = await setup();
    const dir = join(await mkdtemp(join(tmpdir(), 'wsync-sync-')), 'Work');
    const added = (await add(dir)) as { ok: true; value: { id: string } };
    expect(added.ok).toBe(true);
    expect(added.value).toEqual({ id: expect.any(String) as unknown, server: 'http://127.0.0.1:9', workspace: 'ws_demo', dir, prefix: 'reports/' });
    const onDisk = await readFile(join(userData, 'settings.json'), 'utf8');
    expect(onDisk).not.toContain('sk-secret-value');
    expect(controllers.map((c) => [c.runtime.apiKey, c.calls])).toEqual([['sk-secret-value', ['start']]]);
    const settings = (await call('getSettings')) as { value: { folders: unknown[] } };
    expect(JSON.stringify(settings)).not.toContain('sk-secret-value');
    expect(JSON.stringify(settings)).not.toContain('apiKeyEncrypted');
  });

  it.each(['http://files.example.com', 'http://192.168.1.20:8080/'])(
    'refuses plain HTTP to %s (the key would cross the network unencrypted): nothing stored, nothing started',
    async (server) => {
      const { call, controllers, dialog, userData } = await setup();
      const dir = join(await mkdtemp(join(tmpdir(), 'wsync-sync-')), 'Work');
      dialog.answer = dir;
      await call('pickFolder');
      const added = (await call('addFolder', { ...pair(dir), server })) as { ok: boolean; error: { kind: string; message: string } };
      expect(added).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
      expect(added.error.message).toMatch(/plain HTTP.*unencrypted.*https:\/\//);
      expect(await call('testConnection', { server, workspace: 'ws_demo', prefix: '', apiKey: 'k' })).toMatchObject({
        ok: false,
        error: { kind: 'invalid-input' },
      });
      expect(controllers).toHaveLength(0);
      await expect(readFile(join(userData, 'settings.json'), 'utf8')).rejects.toThrow();
      // Loopback stays open, for a server on this computer.
      expect(await call('addFolder', pair(dir))).toMatchObject({ ok: true });
    },
  );

  it('refuses a folder that overlaps one already synced', async () => {
    const { add } = await setup();
    const dir = await mkdtemp(join(tmpdir(), 'wsync-sync-'));
    await add(dir);
    expect(await add(join(dir, 'inner'))).toMatchObject({ ok: false, error: { kind: 'invalid-input', message: /overlaps/ } });
  });

  it('restarts saved folders with their decrypted keys, and shows a folder whose key cannot be read as signed out', async () => {
    const first = await setup();
    const dir = await mkdtemp(join(tmpdir(), 'wsync-sync-'));
    await first.add(dir);
    await first.service.startAll();
    expect(first.controllers.map((c) => c.runtime.apiKey)).toEqual(['sk-secret-value', 'sk-secret-value']);

    first.safeStorage.forgetKey();
    await first.host.stopAll();
    await first.service.startAll();
    const status = (await first.call('getStatus')) as { value: FolderStatus[] };
    expect(status.value.map((s) => [s.state, s.message])).toEqual([
      ['signed-out', 'The saved API key could not be read on this computer: enter it again.'],
    ]);
  });

  it('shows a saved folder whose server is plain http:// off this computer with its error, never starts it, and starts the others', async () => {
    const { add, call, controllers, host, service, settings } = await setup();
    const kept = (await add(await mkdtemp(join(tmpdir(), 'wsync-sync-')))) as { value: { id: string } };
    const old = (await add(await mkdtemp(join(tmpdir(), 'wsync-sync-')))) as { value: { id: string } };
    // Saved by a version that took any http:// server.
    await settings.update((s) => ({
      ...s,
      folders: s.folders.map((f) => (f.id === old.value.id ? { ...f, server: 'http://files.example.com' } : f)),
    }));
    await host.stopAll();
    controllers.length = 0;

    await service.startAll();
    expect(controllers.map((c) => c.runtime.id)).toEqual([kept.value.id]);
    const status = (await call('getStatus')) as { value: FolderStatus[] };
    const byId = new Map(status.value.map((s) => [s.folderId, s]));
    expect(byId.get(kept.value.id)?.state).not.toBe('error');
    expect(byId.get(old.value.id)).toMatchObject({ state: 'error' });
    expect(byId.get(old.value.id)?.message).toMatch(
      /plain http:\/\/, which the app refuses.*http:\/\/files\.example\.com.*add it again with its https:\/\/ address/,
    );
    // Still saved: the user sees it and can remove it.
    expect(settings.get().folders.map((f) => f.id)).toEqual([kept.value.id, old.value.id]);
  });

  it('routes folder commands to that folder’s controller', async () => {
    const { call, controllers, add } = await setup();
    const added = (await add(await mkdtemp(join(tmpdir(), 'wsync-sync-')))) as { value: { id: string } };
    const folderId = added.value.id;
    for (const [command, extra] of [
      ['pause', {}],
      ['resume', {}],
      ['syncNow', {}],
      ['confirmDeletions', {}],
      ['restoreDeletions', {}],
      ['retry', { path: 'a/b.txt' }],
      ['resolveConflict', { path: 'a/b.txt', keep: 'local' }],
    ] as const) {
      expect(await call(command, { folderId, ...extra })).toEqual({ ok: true });
    }
    expect(controllers[0]?.calls).toEqual([
      'start',
      'pause',
      'resume',
      'syncNow',
      'confirmDeletions',
      'restoreDeletions',
      'retry a/b.txt',
      'resolveConflict a/b.txt local',
    ]);
  });

  it('opens and reveals files only inside the sync folder', async () => {
    const { call, shell, add } = await setup();
    const dir = await mkdtemp(join(tmpdir(), 'wsync-sync-'));
    const { value } = (await add(dir)) as { value: { id: string } };
    expect(await call('showInFolder', { folderId: value.id, path: 'docs/a.txt' })).toEqual({ ok: true });
    expect(await call('openFile', { folderId: value.id, path: 'docs/a (conflicted copy).txt' })).toEqual({ ok: true });
    expect(await call('openFile', { folderId: value.id, path: '../../etc/passwd' })).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(await call('openFolder', { folderId: value.id })).toEqual({ ok: true });
    expect(shell.revealed).toEqual([join(dir, 'docs', 'a.txt')]);
    expect(shell.opened).toEqual([join(dir, 'docs', 'a (conflicted copy).txt'), dir]);
  });

  it('adds only a folder the folder dialog returned: a typed or injected path is refused', async () => {
    const { call, add, controllers } = await setup();
    const dir = await mkdtemp(join(tmpdir(), 'wsync-sync-'));
    expect(await call('addFolder', pair(dir))).toMatchObject({ ok: false, error: { kind: 'invalid-input', message: /Choose…/ } });
    expect(await call('addFolder', pair(join(tmpdir(), '.ssh')))).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(controllers).toHaveLength(0);
    expect(await add(dir)).toMatchObject({ ok: true });
  });

  it('shows programs from the workspace in their folder instead of opening them', async () => {
    const { call, shell, add } = await setup();
    const dir = await mkdtemp(join(tmpdir(), 'wsync-sync-'));
    const { value } = (await add(dir)) as { value: { id: string } };
    await writeFile(join(dir, 'tool'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    await writeFile(join(dir, 'notes.txt'), 'plain text');
    for (const path of ['setup.exe', 'Report.PDF.lnk', 'run.sh', 'App.app', 'launch.desktop', 'tool']) {
      expect(await call('openFile', { folderId: value.id, path })).toEqual({ ok: true });
    }
    expect(await call('openFile', { folderId: value.id, path: 'notes.txt' })).toEqual({ ok: true });
    expect(shell.opened).toEqual([join(dir, 'notes.txt')]);
    expect(shell.revealed).toEqual(['setup.exe', 'Report.PDF.lnk', 'run.sh', 'App.app', 'launch.desktop', 'tool'].map((p) => join(dir, p)));
  });

  it('replacing the key restarts the folder with the new key', async () => {
    const { call, controllers, add } = await setup();
    const { value } = (await add(await mkdtemp(join(tmpdir(), 'wsync-sync-')))) as { value: { id: string } };
    expect(await call('replaceApiKey', { folderId: value.id, apiKey: 'sk-new' })).toEqual({ ok: true });
    expect(controllers.map((c) => [c.runtime.apiKey, c.calls])).toEqual([
      ['sk-secret-value', ['start', 'stop']],
      ['sk-new', ['start']],
    ]);
  });

  it('removing a folder stops its controller and forgets it', async () => {
    const { call, controllers, settings, add } = await setup();
    const { value } = (await add(await mkdtemp(join(tmpdir(), 'wsync-sync-')))) as { value: { id: string } };
    expect(await call('removeFolder', { folderId: value.id })).toEqual({ ok: true });
    expect(controllers[0]?.calls).toEqual(['start', 'stop']);
    expect(settings.get().folders).toEqual([]);
    expect(await call('pause', { folderId: value.id })).toMatchObject({ ok: false, error: { kind: 'not-found' } });
  });

  it('a wake-up (resume, network back, window shown) reaches every running folder once', async () => {
    const { service, controllers, add } = await setup();
    await add(await mkdtemp(join(tmpdir(), 'wsync-sync-')));
    await add(await mkdtemp(join(tmpdir(), 'wsync-sync-')));
    await service.wakeAll('resume');
    await service.wakeAll('network');
    expect(controllers.map((c) => c.calls)).toEqual([
      ['start', 'wake resume', 'wake network'],
      ['start', 'wake resume', 'wake network'],
    ]);
  });

  it('preferences apply bandwidth to running controllers and write the autostart entry', async () => {
    const { call, controllers, home, add } = await setup();
    await add(await mkdtemp(join(tmpdir(), 'wsync-sync-')));
    const result = (await call('updatePreferences', { bandwidth: { uploadBps: 1_000_000, downloadBps: 0 }, startAtLogin: true })) as {
      value: { bandwidth: unknown; startAtLogin: boolean };
    };
    expect(result.value).toMatchObject({ bandwidth: { uploadBps: 1_000_000, downloadBps: 0 }, startAtLogin: true });
    expect(controllers[0]?.calls).toContain('setBandwidth 1000000/0');
    expect(await readFile(join(home, '.config', 'autostart', 'wsync.desktop'), 'utf8')).toContain('--hidden');
  });

  it('the folder picker answers the chosen path, or null when cancelled', async () => {
    const { call, dialog } = await setup();
    expect(await call('pickFolder')).toEqual({ ok: true, value: null });
    dialog.answer = '/home/ana/Work';
    expect(await call('pickFolder')).toEqual({ ok: true, value: '/home/ana/Work' });
  });
});

describe('folder host', () => {
  it('pushes merged statuses once per tick when controllers change', async () => {
    const { controllers, pushed, add } = await setup();
    await add(await mkdtemp(join(tmpdir(), 'wsync-sync-')));
    await add(await mkdtemp(join(tmpdir(), 'wsync-sync-')));
    await new Promise((r) => setImmediate(r));
    pushed.length = 0;
    controllers[0]?.publish({ state: 'syncing' });
    controllers[1]?.publish({ state: 'offline' });
    controllers[0]?.publish({ state: 'idle' });
    await new Promise((r) => setImmediate(r));
    expect(pushed.map((list) => list.map((s) => s.state))).toEqual([['idle', 'offline']]);
  });

  it('a controller that fails to start shows as an error with the reason', async () => {
    const host = new FolderHost({
      createController: (f) => new RecordingController(f, true),
      openFilesApi: () => {
        throw new Error('unused');
      },
    });
    await host.start({ id: 'x', server: 's', workspace: 'w', dir: '/d', prefix: '', apiKey: 'k', bandwidth: { uploadBps: 0, downloadBps: 0 } });
    expect(host.statuses().map((s) => [s.state, s.message])).toEqual([['error', 'Could not start syncing: folder is locked by another wsync']]);
    expect(host.running()).toEqual([]);
  });
});
