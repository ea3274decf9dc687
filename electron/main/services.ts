/**
 * Everything the main process runs besides Electron's own objects: settings, the key store, the
 * window's commands behind the IPC edge, the notification policy, and the status feed, which
 * hands the tray and the window every folder's status at most `statusIntervalMs` apart. The app
 * entry (index.ts) passes real Electron APIs and the engine process's client; the e2e harness
 * passes fakes of the OS parts and an in-process engine.
 */
import type { FolderEngine } from '../shared/engine-protocol.js';
import type { FolderStatus } from '../shared/status.js';
import { createThrottle, type Throttle } from '../shared/throttle.js';
import { createAppService, type AppService } from './app-service.js';
import { createIpcDispatch, type IpcDispatch } from './ipc-dispatch.js';
import { createLoginItem } from './login-item.js';
import { notificationsFor, type AppNotification } from './notify-policy.js';
import type { DialogPort, LoginItemPort, SafeStoragePort, ShellPort } from './ports.js';
import { createSecretStore } from './secret-store.js';
import { openSettingsStore, type SettingsStore } from './settings-store.js';

/** Status updates reach the tray, the window and the notification policy at most 10 times a second. */
export const STATUS_INTERVAL_MS = 100;

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
  engine: FolderEngine;
  /** Which frames may send commands. */
  isTrustedSender: (url: string | undefined) => boolean;
  /** Every folder's status, at most every `statusIntervalMs` (tray and window). */
  onStatus: (statuses: FolderStatus[]) => void;
  notify: (notification: AppNotification) => void;
  /** The update feed changed in the preferences. */
  onUpdateFeed?: (feedUrl: string | undefined) => void;
  statusIntervalMs?: number;
}

export interface MainServices {
  settings: SettingsStore;
  host: FolderEngine;
  service: AppService;
  dispatch: IpcDispatch;
  /** The coalesced status feed; `flush()` delivers a waiting update now. */
  feed: Throttle;
}

export async function startMainServices(ports: MainPorts): Promise<MainServices> {
  const settings = await openSettingsStore(ports.userDataDir);
  const host = ports.engine;
  let previous: FolderStatus[] = [];
  const feed = createThrottle(ports.statusIntervalMs ?? STATUS_INTERVAL_MS, () => {
    const statuses = host.statuses();
    ports.onStatus(statuses);
    for (const notification of notificationsFor(previous, statuses)) ports.notify(notification);
    previous = statuses;
  });
  host.subscribe(() => feed.request());
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
    platform: ports.platform,
    ...(ports.onUpdateFeed ? { onUpdateFeed: ports.onUpdateFeed } : {}),
    pickFolder: async () => {
      const result = await ports.dialog.showOpenDialog({ properties: ['openDirectory', 'createDirectory'], title: 'Choose the folder to sync' });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  });
  const dispatch = createIpcDispatch(service.handlers, ports.isTrustedSender);
  return { settings, host, service, dispatch, feed };
}
