/**
 * The main process's start-up and lifecycle (runApp) against a fresh strict fake of Electron per
 * test, on each platform it behaves differently on: what must happen before `ready`, a second
 * launch during start-up, macOS `activate`, the Windows app id, the tray's "Preferences…" with no
 * window yet, the window before the folders, packaged-build hardening, an engine that crashes.
 */
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { APP_ID } from '../../electron/main/app-id.js';
import { runApp, type ElectronModule } from '../../electron/main/app-main.js';
import type { UpdaterPort } from '../../electron/main/updates.js';
import { buildEngineBundle } from '../support/engine-bundle.js';
import { createFakeElectron, FakeSafeStorage, type FakeElectron } from '../support/fake-electron.js';

async function until(probe: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const IDLE_ENGINE =
  "process.parentPort.postMessage({ type: 'ready', pid: process.pid, node: process.versions.node });\nsetInterval(() => undefined, 1000);\n";

interface Launch {
  electron: FakeElectron;
  root: string;
  started: Promise<void>;
}

/** An app folder with a renderer page and, if given, an engine entry and saved settings. */
async function appRoot(options: { engine?: string; settings?: unknown } = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'wsync-lifecycle-'));
  await mkdir(join(root, 'dist', 'app'), { recursive: true });
  await writeFile(join(root, 'dist', 'app', 'index.html'), '<!doctype html><title>wsync</title>');
  // By default an engine that says it is ready and does nothing else (the app starts it with the window).
  await mkdir(join(root, 'dist', 'electron', 'engine'), { recursive: true });
  await writeFile(join(root, 'dist', 'electron', 'engine', 'index.cjs'), options.engine ?? IDLE_ENGINE);
  if (options.settings !== undefined) {
    await mkdir(join(root, 'userData'), { recursive: true });
    await writeFile(join(root, 'userData', 'settings.json'), JSON.stringify(options.settings));
  }
  return root;
}

function launch(
  root: string,
  options: {
    platform?: NodeJS.Platform;
    argv?: string[];
    packaged?: boolean;
    holdReady?: boolean;
    env?: NodeJS.ProcessEnv;
    updater?: () => Promise<UpdaterPort>;
    before?: (e: FakeElectron) => void;
  } = {},
): Launch {
  const electron = createFakeElectron({ pageLoadMs: 40 });
  electron.app.appPath = root;
  electron.app.paths = { userData: join(root, 'userData') };
  electron.app.isPackaged = options.packaged ?? false;
  electron.app.holdReady = options.holdReady ?? false;
  options.before?.(electron);
  const { started } = runApp(electron as unknown as ElectronModule, {
    platform: options.platform ?? 'linux',
    argv: options.argv ?? ['wsync'],
    env: options.env ?? {},
    execPath: '/opt/wsync/wsync',
    ...(options.updater ? { updater: options.updater } : {}),
    resourcesPath: join(root, 'resources'),
    homeDir: join(root, 'home'),
  });
  return { electron, root, started };
}

const menuItem = (electron: FakeElectron, label: string): MenuItemConstructorOptions | undefined =>
  electron.Tray.created[0]?.menu?.find((i) => i.label === label);
const click = (item: MenuItemConstructorOptions | undefined): void => item?.click?.({} as never, undefined, {});

/** A saved folder pair whose key this computer cannot decrypt: it shows as signed out and never reaches the engine. */
const unreadableFolder = (dir: string) => ({
  version: 1,
  folders: [
    { id: 'f1', server: 'https://files.example.com', workspace: 'ws_demo', dir, prefix: '', apiKeyEncrypted: Buffer.alloc(40, 1).toString('base64') },
  ],
  bandwidth: { uploadBps: 0, downloadBps: 0 },
  startAtLogin: false,
});

describe('start-up order', () => {
  it('registers the privileged scheme and the Windows app id before ready, and everything else after it', async () => {
    const { electron, started } = launch(await appRoot(), { platform: 'win32', holdReady: true });
    expect(electron.protocol.schemes.map((s) => s.scheme)).toEqual(['wsync']);
    expect(electron.app.appUserModelId).toBe(APP_ID);
    expect(electron.BrowserWindow.created).toHaveLength(0);
    electron.app.becomeReady();
    await started;
    await until(() => electron.BrowserWindow.created[0]?.visible === true, 'the window');
    expect(electron.Tray.created).toHaveLength(1);
  });

  it('the app id is electron-builder’s appId', () => {
    const yml = readFileSync(join(import.meta.dirname, '..', '..', 'electron-builder.yml'), 'utf8');
    expect(/^appId:\s*(\S+)$/m.exec(yml)?.[1]).toBe(APP_ID);
  });

  it('sets no app id outside Windows', async () => {
    const { electron, started } = launch(await appRoot());
    await started;
    expect(electron.app.appUserModelId).toBeNull();
  });

  it('a second launch during start-up gets the window once it can load, with its page, not a blank one', async () => {
    const { electron, started } = launch(await appRoot(), { holdReady: true, argv: ['wsync', '--hidden'] });
    electron.app.emit('second-instance');
    electron.app.becomeReady();
    await started;
    await until(() => electron.BrowserWindow.created[0]?.visible === true, 'the window');
    const [window] = electron.BrowserWindow.created;
    expect(electron.BrowserWindow.created).toHaveLength(1);
    expect(window?.page).toBe('loaded');
    expect(window?.focused).toBe(true);
  });

  it('shows the window before its folders have started (an engine that never answers holds nothing up)', async () => {
    const keyring = new FakeSafeStorage();
    const apiKeyEncrypted = (await keyring.encryptStringAsync('wsync-demo-key')).toString('base64');
    const saved = {
      ...unreadableFolder('/tmp/wsync-never-synced'),
      folders: [{ ...unreadableFolder('').folders[0], dir: '/tmp/wsync-never-synced', apiKeyEncrypted }],
    };
    // The engine process starts but never says it is ready: the folder never finishes starting.
    const root = await appRoot({ engine: 'setInterval(() => undefined, 1000);\n', settings: saved });
    const { electron, started } = launch(root, { before: (e) => e.safeStorage.adoptKeyOf(keyring) });
    await started;
    try {
      await until(() => electron.BrowserWindow.created[0]?.visible === true, 'the window');
      expect(electron.utilityProcess.forked).toHaveLength(1);
    } finally {
      for (const child of electron.utilityProcess.forked) child.kill();
    }
  });
});

describe('the tray and the window', () => {
  it('"Settings…" with no window yet opens one on the settings view, delivered after its page loaded', async () => {
    const { electron, started } = launch(await appRoot({ settings: unreadableFolder('/tmp/wsync-never-synced') }), { argv: ['wsync', '--hidden'] });
    await started;
    expect(electron.BrowserWindow.created).toHaveLength(0); // started at login, in the tray
    click(menuItem(electron, 'Settings…'));
    await until(() => electron.BrowserWindow.created[0]?.page === 'loaded', 'the page');
    const window = electron.BrowserWindow.created[0];
    expect(window?.visible).toBe(true);
    expect(window?.webContents.sent).toContainEqual(['wsync:event:navigate', 'settings']);
    expect(window?.webContents.dropped).toEqual([]);
  });

  it('macOS: activate (a relaunch from Finder) shows the window again after it was closed', async () => {
    const { electron, started } = launch(await appRoot(), { platform: 'darwin' });
    await started;
    await until(() => electron.BrowserWindow.created[0]?.visible === true, 'the window');
    const [window] = electron.BrowserWindow.created;
    expect(window?.userClose()).toBe(true);
    expect(window?.visible).toBe(false);
    electron.app.emit('activate');
    expect(window?.visible).toBe(true);
    expect(electron.Tray.created[0]?.image).toMatch(/not-set-upTemplate\.png$/);
  });

  it('the tray menu is built once at start and its tooltip stands on its own', async () => {
    const { electron, started } = launch(await appRoot());
    await started;
    const [tray] = electron.Tray.created;
    expect(tray?.menuBuilds).toBe(1);
    expect(tray?.toolTip).toBe('wsync: no folder set up yet');
  });
});

describe('packaged builds', () => {
  it.each([
    ['linux', ['editMenu']],
    ['win32', ['editMenu']],
    ['darwin', ['appMenu', 'editMenu', 'windowMenu']],
  ] as const)('on %s have DevTools off and a minimal menu: %j', async (platform, roles) => {
    const { electron, started } = launch(await appRoot(), { platform, packaged: true });
    await started;
    await until(() => electron.BrowserWindow.created.length === 1, 'the window');
    expect(electron.BrowserWindow.created[0]?.options.webPreferences?.devTools).toBe(false);
    expect(electron.Menu.applicationMenu?.template.map((i) => i.role)).toEqual(roles);
  });

  it('development builds keep DevTools and the View menu', async () => {
    const { electron, started } = launch(await appRoot());
    await started;
    await until(() => electron.BrowserWindow.created.length === 1, 'the window');
    expect(electron.BrowserWindow.created[0]?.options.webPreferences?.devTools).toBe(true);
    expect(electron.Menu.applicationMenu?.template.map((i) => i.role)).toEqual(['editMenu', 'viewMenu']);
  });
});

class RecordingUpdater implements UpdaterPort {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  readonly feeds: string[] = [];
  checks = 0;
  private downloaded: ((info: { version: string }) => void) | null = null;
  setFeedURL(options: { provider: 'generic'; url: string }): void {
    this.feeds.push(`${options.provider} ${options.url}`);
  }
  async checkForUpdates(): Promise<unknown> {
    this.checks += 1;
    return null;
  }
  on(event: 'update-downloaded' | 'error', listener: (arg: never) => void): this {
    if (event === 'update-downloaded') this.downloaded = listener as (info: { version: string }) => void;
    return this;
  }
  finishDownload(version: string): void {
    this.downloaded?.({ version });
  }
}

describe('update checks', () => {
  const settingsWith = (updateFeedUrl?: string) => ({
    version: 1,
    folders: [],
    bandwidth: { uploadBps: 0, downloadBps: 0 },
    startAtLogin: false,
    ...(updateFeedUrl ? { updateFeedUrl } : {}),
  });

  it('check the feed URL from the settings in packaged builds, download in the background and say when the update is ready', async () => {
    const updater = new RecordingUpdater();
    const { electron, started } = launch(await appRoot({ settings: settingsWith('https://updates.example.com/wsync/') }), {
      packaged: true,
      updater: async () => updater,
    });
    await started;
    await until(() => updater.checks === 1, 'the first check');
    expect(updater.feeds).toEqual(['generic https://updates.example.com/wsync/']);
    expect([updater.autoDownload, updater.autoInstallOnAppQuit]).toEqual([true, true]);
    updater.finishDownload('0.2.0');
    expect(electron.Notification.shown.map((n) => n.options.title)).toContain('wsync 0.2.0 is ready');
  });

  it('are off without a feed URL, start when one is set in the preferences and stop when it is removed', async () => {
    const updater = new RecordingUpdater();
    const { electron, started } = launch(await appRoot({ settings: settingsWith() }), { packaged: true, updater: async () => updater });
    await started;
    const invoke = (payload: unknown) => electron.ipcMain.invoke('wsync:updatePreferences', 'wsync://app/index.html', payload);
    expect(updater.checks).toBe(0);
    expect(await invoke({ updateFeedUrl: 'http://updates.example.com/' })).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(await invoke({ updateFeedUrl: 'https://updates.example.com/feed' })).toMatchObject({
      ok: true,
      value: { updateFeedUrl: 'https://updates.example.com/feed' },
    });
    await until(() => updater.checks === 1, 'a check');
    expect(await invoke({ updateFeedUrl: null })).toMatchObject({ ok: true });
    const settings = (await electron.ipcMain.invoke('wsync:getSettings', 'wsync://app/index.html')) as { value: Record<string, unknown> };
    expect(settings.value).not.toHaveProperty('updateFeedUrl');
  });

  it('never run in a development build', async () => {
    const updater = new RecordingUpdater();
    const { started } = launch(await appRoot({ settings: settingsWith('https://updates.example.com/') }), { updater: async () => updater });
    await started;
    await new Promise((r) => setTimeout(r, 50));
    expect(updater.checks).toBe(0);
  });
});

describe('the smoke test a build machine runs on the packaged app', () => {
  it('checks the page, the preload API, the tray and better-sqlite3 in the engine process, writes the result and quits', async () => {
    const root = await appRoot({ engine: '' });
    await copyFile(await buildEngineBundle(), join(root, 'dist', 'electron', 'engine', 'index.cjs'));
    await symlink(join(import.meta.dirname, '..', '..', 'node_modules'), join(root, 'node_modules'));
    const result = join(root, 'smoke.json');
    const { electron } = launch(root, {
      env: { WSYNC_SMOKE_TEST: result },
      // The page, as the preload would answer from it: through the IPC edge, from the page's URL.
      before: (e) =>
        e.app.on('web-contents-created', (_event, contents: { evaluator: unknown; getURL(): string }) => {
          contents.evaluator = async () => {
            const answer = (await e.ipcMain.invoke('wsync:getSettings', contents.getURL())) as {
              value: { startAtLogin: boolean; folders: unknown[] };
            };
            return JSON.stringify({ startAtLogin: typeof answer.value.startAtLogin, folders: answer.value.folders.length });
          };
        }),
    });
    await until(() => electron.app.exitCode !== null, 'the smoke test', 20_000);
    const report = JSON.parse(await readFile(result, 'utf8')) as { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['the window loaded wsync://app/', true],
      ['the preload API answers', true],
      ['the tray exists', true],
      ['better-sqlite3 opens in the engine process', true],
    ]);
    expect(report.checks[3]?.detail).toMatch(/^SQLite 3\.\d+/);
    expect(electron.app.exitCode).toBe(0);
  });
});
