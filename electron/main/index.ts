/**
 * The Electron main process: wires the real Electron APIs into the tested modules (settings,
 * key store, engine host, IPC edge, tray, notifications, login item). Keep logic out of here.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, safeStorage, shell, Tray } from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { eventChannel, type View } from '../shared/ipc-channels.js';
import { APP_HOST, APP_SCHEME, loadAppAsset } from './app-protocol.js';
import { createController, openFilesApi } from './controller-factory.js';
import { isAppFrame, registerIpc } from './ipc-dispatch.js';
import { HIDDEN_FLAG } from './login-item.js';
import { hardenWebContents } from './security.js';
import { startMainServices } from './services.js';
import { TrayPresenter } from './tray.js';
import type { TrayAction } from './tray-model.js';
import { StatusWindow } from './window.js';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, codeCache: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void main();
}

async function main(): Promise<void> {
  let quitting = false;
  const root = app.getAppPath();
  const rendererDir = join(root, 'dist', 'app');
  const iconDir = app.isPackaged ? join(process.resourcesPath, 'tray') : join(root, 'build', 'icons', 'tray');

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, (url) => void shell.openExternal(url)));
  // A tray app: closing the last window does not quit.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => {
    quitting = true;
  });

  await app.whenReady();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    const asset = await loadAppAsset(rendererDir, url.pathname);
    return new Response(new Uint8Array(asset.body), { status: asset.status, headers: asset.headers });
  });

  const window = new StatusWindow({
    preload: join(root, 'dist', 'electron', 'preload', 'index.cjs'),
    icon: join(root, 'build', 'icons', '256x256.png'),
    create: (options) => new BrowserWindow(options),
    isQuitting: () => quitting,
  });
  const send = (channel: string, payload: unknown): void => window.webContents?.send(channel, payload);
  const navigate = (view: View): void => {
    window.show();
    send(eventChannel('navigate'), view);
  };
  app.on('second-instance', () => window.show());

  let presenter: TrayPresenter<Menu> | undefined;
  const { settings, host, service, dispatch } = await startMainServices({
    userDataDir: app.getPath('userData'),
    platform: process.platform,
    homeDir: homedir(),
    env: process.env,
    executable: process.env.APPIMAGE ?? process.execPath,
    safeStorage,
    loginItemApp: app,
    shell,
    dialog,
    createController,
    openFilesApi,
    isTrustedSender: (url) => isAppFrame(url),
    onStatus: (statuses) => {
      presenter?.update(statuses);
      send(eventChannel('status'), statuses);
    },
    notify: (note) => {
      const notification = new Notification({ title: note.title, body: note.body });
      notification.on('click', () => navigate(note.view));
      notification.show();
    },
  });
  registerIpc(ipcMain, dispatch);

  const onTrayAction = (action: TrayAction): void => {
    switch (action.type) {
      case 'open-folder':
        void shell.openPath(service.folder(action.folderId).dir);
        break;
      case 'show-window':
        window.show();
        break;
      case 'pause-all':
        void service.pauseAll();
        break;
      case 'resume-all':
        service.resumeAll();
        break;
      case 'sync-now':
        service.syncNowAll();
        break;
      case 'show-file':
        void service.handlers.showInFolder({ folderId: action.folderId, path: action.path }).catch(() => undefined);
        break;
      case 'preferences':
        navigate('settings');
        break;
      case 'quit':
        app.quit();
        break;
    }
  };
  const tray = new Tray(join(iconDir, process.platform === 'darwin' ? 'idleTemplate.png' : 'idle.png'));
  tray.on('click', () => window.show());
  presenter = new TrayPresenter<Menu>(tray, {
    iconDir,
    platform: process.platform,
    buildMenu: (template) => Menu.buildFromTemplate(template),
    onAction: onTrayAction,
  });
  presenter.update(host.statuses());

  app.on('will-quit', (event) => {
    if (host.running().length === 0) return;
    event.preventDefault();
    void host.stopAll().finally(() => app.quit());
  });

  await service.startAll();
  const openedAtLogin = process.argv.includes(HIDDEN_FLAG) || app.getLoginItemSettings().wasOpenedAtLogin;
  if (!openedAtLogin || settings.get().folders.length === 0) window.show();
}
