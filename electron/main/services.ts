/**
 * Everything the main process runs besides Electron's own objects: settings, the key store, the
 * engine host, the window's commands behind the IPC edge, and the notification policy. The app
 * entry (index.ts) passes real Electron APIs; the e2e harness passes fakes of the OS parts and
 * the same real everything else.
 */
import type { FolderStatus } from '../shared/status.js';
import { createAppService, type AppService } from './app-service.js';
import { createConnectionTester, type FilesApiFactory } from './connection-test.js';
import { EngineHost, type ControllerFactory } from './engine-host.js';
import { createIpcDispatch, type IpcDispatch } from './ipc-dispatch.js';
import { createLoginItem } from './login-item.js';
import { notificationsFor, type AppNotification } from './notify-policy.js';
import type { DialogPort, LoginItemPort, SafeStoragePort, ShellPort } from './ports.js';
import { createSecretStore } from './secret-store.js';
import { openSettingsStore, type SettingsStore } from './settings-store.js';

export interface MainPorts {
  userDataDir: string;
  platform: NodeJS.Platform;
  homeDir: string;
  env: NodeJS.ProcessEnv;
  /** What the login item starts. */
  executable: string;
  safeStorage: SafeStoragePort;
  loginItemApp: LoginItemPort;
  shell: ShellPort;
  dialog: DialogPort;
  createController: ControllerFactory;
  openFilesApi: FilesApiFactory;
  /** Which frames may send commands. */
  isTrustedSender: (url: string | undefined) => boolean;
  /** Every folder's status after each change (tray and window). */
  onStatus: (statuses: FolderStatus[]) => void;
  notify: (notification: AppNotification) => void;
}

export interface MainServices {
  settings: SettingsStore;
  host: EngineHost;
  service: AppService;
  dispatch: IpcDispatch;
}

export async function startMainServices(ports: MainPorts): Promise<MainServices> {
  const settings = await openSettingsStore(ports.userDataDir);
  let previous: FolderStatus[] = [];
  const host = new EngineHost({
    createController: ports.createController,
    onChange: (statuses) => {
      ports.onStatus(statuses);
      for (const notification of notificationsFor(previous, statuses)) ports.notify(notification);
      previous = statuses;
    },
  });
  const service = createAppService({
    settings,
    secrets: createSecretStore(ports.safeStorage, ports.platform),
    host,
    loginItem: createLoginItem({
      platform: ports.platform,
      app: ports.loginItemApp,
      executable: ports.executable,
      env: ports.env,
      homeDir: ports.homeDir,
    }),
    shell: ports.shell,
    pickFolder: async () => {
      const result = await ports.dialog.showOpenDialog({ properties: ['openDirectory', 'createDirectory'], title: 'Choose the folder to sync' });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    testConnection: createConnectionTester(ports.openFilesApi),
  });
  const dispatch = createIpcDispatch(service.handlers, ports.isTrustedSender);
  return { settings, host, service, dispatch };
}
