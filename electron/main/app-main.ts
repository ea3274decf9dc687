/**
 * The Electron main process, wired from Electron's objects (passed in, so that tests run it against
 * the strict stand-in of test/support/fake-electron.ts on any platform). It keeps the settings,
 * the keys (safeStorage), the tray, the notifications and the IPC edge; the engine runs in its own
 * process (engine-client.ts). Order matters and is Electron's: schemes and the app id before
 * `ready`; windows, the tray and the engine process after it; the window shown before any folder
 * has finished starting; a second launch or a Dock click during start-up waits for the window.
 */
import type * as ElectronNamespace from 'electron';
import { join } from 'node:path';
import { APP_ID } from './app-id.js';
import { appMenuTemplate } from './app-menu.js';
import { APP_HOST, APP_SCHEME, loadAppAsset } from './app-protocol.js';
import { EngineClient } from './engine-client.js';
import { utilityEngine } from './engine-process.js';
import { isAppFrame, registerIpc } from './ipc-dispatch.js';
import { HIDDEN_FLAG, launchCommand } from './login-item.js';
import { Notifier } from './notifications.js';
import type { NotificationAction } from './notify-policy.js';
import { TrayPopover } from './popover.js';
import { resolveProxyWith } from './proxy-setting.js';
import { hardenWebContents } from './security.js';
import { startMainServices } from './services.js';
import { runSmokeTest } from './smoke-test.js';
import type { ProxySetting } from '../shared/ipc.js';
import type { WindowState } from './settings-store.js';
import { TrayPresenter } from './tray.js';
import { UpdateChecker, type UpdaterPort } from './updates.js';
import type { TrayAction, TrayContext } from './tray-model.js';
import type { Throttle } from '../shared/throttle.js';
import { watchWakeUps, type WakeSources } from './wake-sources.js';
import { StatusWindow } from './window.js';
import { debounced } from './window-state.js';
import { WindowStatus } from './window-status.js';

export type ElectronModule = Pick<
  typeof ElectronNamespace,
  | 'app'
  | 'BrowserWindow'
  | 'clipboard'
  | 'screen'
  | 'Menu'
  | 'Notification'
  | 'Tray'
  | 'protocol'
  | 'ipcMain'
  | 'dialog'
  | 'shell'
  | 'safeStorage'
  | 'session'
  | 'utilityProcess'
  | 'MessageChannelMain'
  | 'powerMonitor'
  | 'net'
>;

export interface AppEnvironment {
  platform: NodeJS.Platform;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  execPath: string;
  /** Electron's `process.resourcesPath` (where extraResources go in a packaged app). */
  resourcesPath: string | undefined;
  homeDir: string;
  /** electron-updater's autoUpdater by default (tests pass a stand-in). */
  updater?: () => Promise<UpdaterPort>;
}

export interface RunningApp {
  /** Settles once start-up is done: window shown (unless started hidden), tray up, folders starting. */
  started: Promise<void>;
}

interface Ui {
  window: StatusWindow;
}

export function runApp(electron: ElectronModule, env: AppEnvironment): RunningApp {
  const { app, protocol } = electron;
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, codeCache: true } },
  ]);
  // Windows shows toasts of an installed app only under the app id its shortcut carries.
  if (env.platform === 'win32') app.setAppUserModelId(APP_ID);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { started: Promise.resolve() };
  }

  let quitting = false;
  let ui: Ui | null = null;
  const waitingForUi: ((ui: Ui) => void)[] = [];
  const withUi = (task: (ui: Ui) => void): void => {
    if (ui) task(ui);
    else waitingForUi.push(task);
  };
  // A second launch, or a Dock/Finder relaunch on macOS, may come before the window can load.
  app.on('second-instance', () => withUi((u) => u.window.show()));
  app.on('activate', () => withUi((u) => u.window.show()));
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, (url) => void electron.shell.openExternal(url)));
  // A tray app: closing the last window does not quit.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => {
    quitting = true;
  });

  const started = (async () => {
    await app.whenReady();
    const root = app.getAppPath();
    const rendererDir = join(root, 'dist', 'app');
    const iconDir = app.isPackaged && env.resourcesPath ? join(env.resourcesPath, 'tray') : join(root, 'build', 'icons', 'tray');
    protocol.handle(APP_SCHEME, async (request) => {
      const url = new URL(request.url);
      if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
      const asset = await loadAppAsset(rendererDir, url.pathname);
      return new Response(new Uint8Array(asset.body), { status: asset.status, headers: asset.headers });
    });
    electron.Menu.setApplicationMenu(electron.Menu.buildFromTemplate(appMenuTemplate(env.platform, app.isPackaged)));

    const engine = new EngineClient({
      fork: utilityEngine({
        utilityProcess: electron.utilityProcess,
        MessageChannelMain: electron.MessageChannelMain,
        entry: join(root, 'dist', 'electron', 'engine', 'index.cjs'),
      }),
      // Settings → Network: the system's proxy (the session's answer), none, or one typed in.
      resolveProxy: (url) => resolveProxyWith(proxySetting(), (u) => electron.session.defaultSession.resolveProxy(u))(url),
      onCrash: (crash) => {
        // Once per series of crashes: the folders' statuses say the rest.
        if (crash.crashes !== 1) return;
        notifier.show({
          title: 'wsync’s sync engine stopped',
          body: `It starts again in ${Math.max(1, Math.round(crash.restartInMs / 1000))} s and carries on where it stopped.`,
          view: 'overview',
        });
      },
    });
    // Read from the settings once the services started (the window and the engine exist before).
    let proxySetting = (): ProxySetting => ({ mode: 'system' });
    let savedWindow = (): WindowState | undefined => undefined;
    let saveWindow: (state: WindowState) => void = () => undefined;
    const preload = join(root, 'dist', 'electron', 'preload', 'index.cjs');
    // Set once the services run; the window may be shown before (a wake then has no folder to reach).
    // eslint-disable-next-line prefer-const -- read by closures made before it is set: a const would be in its dead zone
    let wakeUps: WakeSources | undefined;
    const window = new StatusWindow({
      preload,
      icon: join(root, 'build', 'icons', '256x256.png'),
      create: (options) => new electron.BrowserWindow(options),
      isQuitting: () => quitting,
      devTools: !app.isPackaged,
      onVisibility: (visible) => {
        windowStatus.visibility(visible);
        if (visible) wakeUps?.shown();
      },
      savedState: () => ({ saved: savedWindow(), workAreas: electron.screen.getAllDisplays().map((d) => d.workArea) }),
      onStateChange: (state) => saveWindow(state),
    });
    const windowStatus = new WindowStatus({
      send: (channel, payload) => window.send(channel, payload),
      visible: () => window.pageVisible,
      request: () => feed?.request(),
    });
    // eslint-disable-next-line prefer-const -- read by closures made before it is set: a const would be in its dead zone
    let tray: ElectronNamespace.Tray | undefined;
    // The tray popover (issue 18): a click on the tray icon toggles it; it has its own status feed.
    const popover = new TrayPopover({
      preload,
      platform: env.platform,
      create: (options) => new electron.BrowserWindow(options),
      anchor: () => {
        const bounds = tray?.getBounds() ?? { x: 0, y: 0, width: 0, height: 0 };
        const display =
          bounds.width > 0
            ? electron.screen.getDisplayMatching(bounds)
            : electron.screen.getDisplayNearestPoint(electron.screen.getCursorScreenPoint());
        return { tray: bounds, workArea: display.workArea };
      },
      onShown: () => popoverStatus.visibility(true),
    });
    const popoverStatus = new WindowStatus({
      send: (channel, payload) => {
        const contents = popover.webContents;
        if (!contents) return false;
        contents.send(channel, payload);
        return true;
      },
      visible: () => popover.visible,
      request: () => feed?.request(),
    });
    const showView = (view: Parameters<StatusWindow['navigate']>[0]): void => {
      popover.hide();
      window.navigate(view);
    };
    const notifier = new Notifier<NotificationAction>(
      (options) => new electron.Notification(options),
      (view) => window.navigate(view),
      {
        supported: env.platform === 'darwin',
        run: (action) => onNotificationAction(action),
      },
    );
    const updates = new UpdateChecker({
      updater: env.updater ?? (async () => (await import('electron-updater')).autoUpdater),
      enabled: app.isPackaged,
      onDownloaded: (version) =>
        notifier.show({ title: `wsync ${version} is ready`, body: 'It is installed when you quit wsync.', view: 'overview' }),
      log: (message) => process.stderr.write(`wsync: ${message}\n`),
    });

    // eslint-disable-next-line prefer-const -- read by closures made before it is set: a const would be in its dead zone
    let presenter: TrayPresenter<ElectronNamespace.Menu> | undefined;
    // eslint-disable-next-line prefer-const -- read by closures made before it is set: a const would be in its dead zone
    let feed: Throttle | undefined;
    const {
      settings,
      service,
      dispatch,
      feed: statusFeed,
      pause,
      sweepTrash,
      dispose,
    } = await startMainServices({
      userDataDir: app.getPath('userData'),
      platform: env.platform,
      homeDir: env.homeDir,
      env: env.env,
      executable: launchCommand(env.env, env.execPath),
      safeStorage: electron.safeStorage,
      loginItemApp: app,
      shell: electron.shell,
      dialog: electron.dialog,
      clipboard: electron.clipboard,
      version: app.getVersion(),
      engine,
      isTrustedSender: (url) => isAppFrame(url),
      onStatus: (statuses) => {
        presenter?.update(statuses, trayContext());
        windowStatus.update(statuses);
        popoverStatus.update(statuses);
      },
      notify: (note) => notifier.show(note),
      onUpdateFeed: (feedUrl) => void updates.configure(feedUrl),
      checkForUpdates: () => updates.checkNow(),
      showWindow: showView,
      onPauseChange: () => presenter?.update(engine.statuses(), trayContext()),
    });
    proxySetting = () => settings.get().proxy;
    savedWindow = () => settings.get().window;
    saveWindow = debounced((state: WindowState) => void settings.update((s) => ({ ...s, window: state })).catch(() => undefined), 500);
    const trayContext = (): TrayContext => ({
      pausedUntil: settings.get().pausedUntil,
      formatTime: (iso) => new Date(iso).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' }),
    });
    feed = statusFeed;
    registerIpc(electron.ipcMain, dispatch);
    wakeUps = watchWakeUps({
      powerMonitor: electron.powerMonitor,
      isOnline: () => electron.net.isOnline(),
      wake: (reason) => void service.wakeAll(reason).catch(() => undefined),
    });

    const quietly = (work: Promise<unknown>): void => void work.catch(() => undefined);
    const onNotificationAction = (action: NotificationAction): void => {
      switch (action.type) {
        case 'show-view':
          showView(action.view);
          break;
        case 'retry-all':
          quietly(dispatch('retryAll', { folderId: action.folderId }, 'wsync://app/'));
          break;
        case 'open-folder':
          quietly(service.handlers.openFolder({ folderId: action.folderId }));
          break;
        case 'open-log':
          quietly(dispatch('openLog', { folderId: action.folderId }, 'wsync://app/'));
          break;
      }
    };

    const onTrayAction = (action: TrayAction): void => {
      switch (action.type) {
        case 'open-folder':
          quietly(service.handlers.openFolder({ folderId: action.folderId }));
          break;
        case 'show-window':
          window.show();
          break;
        case 'show-view':
          showView(action.view);
          break;
        case 'show-popover':
          popover.show();
          break;
        case 'pause-all':
          quietly(pause.pause(action.length));
          break;
        case 'resume-all':
          quietly(pause.resume());
          break;
        case 'sync-now':
          quietly(service.syncNowAll());
          break;
        case 'pause-folder':
          quietly(service.handlers.pause({ folderId: action.folderId }));
          break;
        case 'resume-folder':
          quietly(service.handlers.resume({ folderId: action.folderId }));
          break;
        case 'sync-folder':
          quietly(service.handlers.syncNow({ folderId: action.folderId }));
          break;
        case 'show-file':
          quietly(service.handlers.showInFolder({ folderId: action.folderId, path: action.path }));
          break;
        case 'quit':
          app.quit();
          break;
      }
    };
    const shownTray = new electron.Tray(join(iconDir, env.platform === 'darwin' ? 'not-set-upTemplate.png' : 'not-set-up.png'));
    tray = shownTray;
    // A click shows the popover; the menu is on the right click (on macOS a set menu would take the
    // left click, so it pops up on 'right-click'). A Linux app indicator reports no clicks at all:
    // its menu has "Show status" instead.
    shownTray.on('click', () => popover.toggle());
    presenter = new TrayPresenter<ElectronNamespace.Menu>(shownTray, {
      iconDir,
      platform: env.platform,
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- buildFromTemplate is Electron's own factory of Menu instances
      buildMenu: (template) => electron.Menu.buildFromTemplate(template),
      onAction: onTrayAction,
      popoverInMenu: env.platform === 'linux',
      attachMenu: env.platform !== 'darwin',
    });
    if (env.platform === 'darwin') shownTray.on('right-click', () => presenter.popUpMenu((menu) => shownTray.popUpContextMenu(menu)));
    presenter.update(engine.statuses(), trayContext());
    presenter.flush();

    let engineStopped = false;
    app.on('will-quit', (event) => {
      if (engineStopped) return;
      event.preventDefault();
      dispose();
      presenter.dispose();
      wakeUps.stop();
      void engine.shutdown().finally(() => {
        engineStopped = true;
        // The tray is referenced until here: a collected Tray takes its icon with it.
        shownTray.destroy();
        app.quit();
      });
    });

    const readyUi: Ui = { window };
    ui = readyUi;
    for (const task of waitingForUi.splice(0)) task(readyUi);
    const openedAtLogin = env.argv.includes(HIDDEN_FLAG) || app.getLoginItemSettings().wasOpenedAtLogin;
    if (!openedAtLogin || settings.get().folders.length === 0) window.show();
    // Folders start behind the window: a folder whose watcher walks a large tree does not hold it up.
    engine.warmUp();
    // Then a timed pause still running is restored, and the trash emptied of what is too old.
    void service
      .startAll()
      .then(() => pause.restore())
      .then(() => sweepTrash())
      .catch(() => undefined);
    void service.refreshLoginItem().catch(() => undefined);
    void updates.configure(settings.get().updateFeedUrl);

    const smokeResult = env.env.WSYNC_SMOKE_TEST;
    if (smokeResult) {
      const deadline = Date.now() + 30_000;
      while (!window.pageVisible && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const ok = await runSmokeTest(
        {
          pageUrl: () => (window.pageVisible ? (window.webContents?.getURL() ?? null) : null),
          evaluate: async (code) => (await window.webContents?.executeJavaScript(code)) as unknown,
          trayExists: () => !tray.isDestroyed(),
          selfCheck: () => engine.selfCheck(),
        },
        smokeResult,
      );
      await engine.shutdown();
      app.exit(ok ? 0 : 1);
    }
  })();
  return { started };
}
