/**
 * Everything the main process runs besides Electron's own objects: settings, the key store, the
 * window's commands behind the IPC edge, the notification policy, and the status feed, which
 * hands the tray and the window every folder's status at most `statusIntervalMs` apart. The app
 * entry (index.ts) passes real Electron APIs and the engine process's client; the e2e harness
 * passes fakes of the OS parts and an in-process engine.
 */
import type { FolderEngine } from '../shared/engine-protocol.js';
import type { View } from '../shared/ipc-channels.js';
import type { UpdateCheck } from '../shared/ipc.js';
import type { FolderStatus } from '../shared/status.js';
import { createThrottle, type Throttle } from '../shared/throttle.js';
import { createAppService, type AppService } from './app-service.js';
import { createExperienceHandlers } from './experience-handlers.js';
import { createIpcDispatch, type IpcDispatch } from './ipc-dispatch.js';
import { createLoginItem } from './login-item.js';
import { openNotifyMemory, type NotifyMemoryStore } from './notify-memory.js';
import { decideNotifications, type AppNotification } from './notify-policy.js';
import { createPauseSchedule, type PauseSchedule } from './pause-schedule.js';
import type { ClipboardPort, DialogPort, LoginItemPort, SafeStoragePort, SaveDialogPort, ShellPort } from './ports.js';
import { startTrashJanitor } from './recovery-handlers.js';
import { createSecretStore } from './secret-store.js';
import { openSettingsStore, type SettingsStore } from './settings-store.js';

/**
 * Status updates reach the tray, the window and the notification policy at most 10 times in any
 * second: 110 ms, not 100, leaves room for the few milliseconds each update takes to build before
 * it is sent (at 100 ms a slow first and a quick eleventh fit in one second).
 */
export const STATUS_INTERVAL_MS = 110;

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
  dialog: DialogPort & SaveDialogPort;
  clipboard: ClipboardPort;
  /** The app's version (About). */
  version: string;
  engine: FolderEngine;
  /** Which frames may send commands. */
  isTrustedSender: (url: string | undefined) => boolean;
  /** Every folder's status, at most every `statusIntervalMs` (tray and window). */
  onStatus: (statuses: FolderStatus[]) => void;
  notify: (notification: AppNotification) => void;
  /** The update feed changed in the preferences. */
  onUpdateFeed?: (feedUrl: string | undefined) => void;
  statusIntervalMs?: number;
  /** The popover's buttons open the main window at a view. */
  showWindow?: (view: View) => void;
  /** A timed pause began or ended (the tray shows until when). */
  onPauseChange?: () => void;
  checkForUpdates?: () => Promise<UpdateCheck>;
  now?: () => Date;
}

export interface MainServices {
  settings: SettingsStore;
  host: FolderEngine;
  service: AppService;
  dispatch: IpcDispatch;
  /** The coalesced status feed; `flush()` delivers a waiting update now. */
  feed: Throttle;
  /** "Pause for 1 hour" / "until tomorrow" (restore() after the folders started). */
  pause: PauseSchedule;
  notifyMemory: NotifyMemoryStore;
  /** Empties each folder's trash of what is older than the retention (daily once started). */
  sweepTrash: () => Promise<void>;
  /** Stops the timers (the timed pause, the trash sweep). */
  dispose: () => void;
}

export async function startMainServices(ports: MainPorts): Promise<MainServices> {
  const settings = await openSettingsStore(ports.userDataDir);
  const notifyMemory = await openNotifyMemory(ports.userDataDir);
  const now = ports.now ?? (() => new Date());
  const host = ports.engine;
  const feed = createThrottle(ports.statusIntervalMs ?? STATUS_INTERVAL_MS, () => {
    const statuses = host.statuses();
    ports.onStatus(statuses);
    const decision = decideNotifications(notifyMemory.get(), statuses, settings.get().notifications, now());
    notifyMemory.set(decision.memory);
    for (const notification of decision.notifications) ports.notify(notification);
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
    about: { version: ports.version, platform: ports.platform },
  });
  const pause = createPauseSchedule({ settings, targets: service, now, ...(ports.onPauseChange ? { onChange: ports.onPauseChange } : {}) });
  const experience = createExperienceHandlers({
    onboarding: {
      host,
      homeDir: ports.homeDir,
      syncedDirs: () => settings.get().folders.map((f) => f.dir),
      allowFolder: (dir) => service.allowFolder(dir),
    },
    recovery: { folder: (id) => service.folder(id), host, shell: ports.shell, now },
    support: {
      settings,
      host,
      folder: (id) => service.folder(id),
      restartFolder: (id) => service.restartFolder(id),
      publicSettings: () => service.publicSettings(),
      shell: ports.shell,
      clipboard: ports.clipboard,
      dialog: ports.dialog,
      about: { version: ports.version, platform: ports.platform },
      homeDir: ports.homeDir,
      now,
      ...(ports.checkForUpdates ? { checkForUpdates: ports.checkForUpdates } : {}),
    },
    pause,
    showWindow: (view) => ports.showWindow?.(view),
  });
  const dispatch = createIpcDispatch({ ...service.handlers, ...experience }, ports.isTrustedSender);
  const janitor = startTrashJanitor({ controllers: () => host.running(), retentionDays: () => settings.get().trashRetentionDays, now });
  return {
    settings,
    host,
    service,
    dispatch,
    feed,
    pause,
    notifyMemory,
    sweepTrash: () => janitor.sweep(),
    dispose() {
      janitor.stop();
      pause.dispose();
    },
  };
}
