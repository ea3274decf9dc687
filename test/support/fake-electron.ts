/**
 * A stand-in for the Electron APIs the main process uses. vitest aliases 'electron' to this file,
 * because the real module needs the Electron binary, which cannot be downloaded here.
 *
 * It is as strict as Electron where the app has gone wrong before:
 * - ordering: windows, trays, notifications, protocol handlers, utility processes, dialogs and
 *   safeStorage throw before `ready`; privileged schemes can only be registered before it; `ready`
 *   comes on a later turn of the event loop (or when the test says, with `holdReady`);
 * - pages load later: `loadURL` fetches the page through the registered protocol handler (no
 *   handler: the load fails and the window stays blank), `did-finish-load` and `ready-to-show`
 *   follow after `pageLoadMs`, and whatever `webContents.send` sent before the page loaded is
 *   dropped, as a page with no listener yet drops it;
 * - objects can be collected: the "OS" holds a shown Notification only through a WeakRef, so a
 *   notification nothing in JS references loses its click handler once collected;
 * - `utilityProcess.fork` starts a real Node child (with `process.parentPort` installed by
 *   fake-parent-port.cjs) and MessagePorts handed to it are carried over its IPC channel.
 * Each fake keeps what it was asked, so tests can check it; encryption is real (AES-GCM with a
 * key per fake), so ciphertext never contains the plain text.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import type {
  BrowserWindowConstructorOptions,
  CustomScheme,
  IpcMainInvokeEvent,
  LoginItemSettings,
  MenuItemConstructorOptions,
  NotificationConstructorOptions,
  OpenDialogOptions,
  OpenDialogReturnValue,
  SaveDialogOptions,
  SaveDialogReturnValue,
  Settings,
} from 'electron';

type StorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

const PARENT_PORT_SHIM = fileURLToPath(new URL('./fake-parent-port.cjs', import.meta.url));

/** What the fakes check their ordering against. */
interface Readiness {
  isReady(): boolean;
}
const alwaysReady: Readiness = { isReady: () => true };

function requireReady(readiness: Readiness, what: string): void {
  if (!readiness.isReady()) throw new Error(`${what} cannot be used before the app is ready`);
}

export class FakeSafeStorage {
  available = true;
  backend: StorageBackend = 'gnome_libsecret';
  /** Set to make the next decryptions report a rotated OS key. */
  rotated = false;
  private key = randomBytes(32);

  constructor(private readonly readiness: Readiness = alwaysReady) {}

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return this.available;
  }
  getSelectedStorageBackend(): StorageBackend {
    return this.backend;
  }
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    requireReady(this.readiness, 'safeStorage');
    if (!this.available) throw new Error('Encryption is not available');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }
  async decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    requireReady(this.readiness, 'safeStorage');
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    const result = Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    return { result, shouldReEncrypt: this.rotated };
  }
  /** The same keyring as `other` (to read what it encrypted). */
  adoptKeyOf(other: FakeSafeStorage): void {
    this.key = other.key;
  }
  /** Another machine's keyring: what was encrypted before can no longer be read. */
  forgetKey(): void {
    this.key = randomBytes(32);
  }
}

export class FakeApp extends EventEmitter {
  loginItem: Settings = {};
  /** What the tests set before the app entry runs. */
  appPath = process.cwd();
  paths: Record<string, string> = {};
  isPackaged = false;
  singleInstance = true;
  quitCalls = 0;
  appUserModelId: string | null = null;
  wasOpenedAtLogin = false;
  /** Set before start-up to decide when `ready` comes (`becomeReady()`); otherwise it comes on its own. */
  holdReady = false;
  private ready = false;
  private readyScheduled = false;
  private readonly readyWaiters: (() => void)[] = [];

  getLoginItemSettings(): LoginItemSettings {
    return { openAtLogin: this.loginItem.openAtLogin ?? false, wasOpenedAtLogin: this.wasOpenedAtLogin } as LoginItemSettings;
  }
  setLoginItemSettings(settings: Settings): void {
    this.loginItem = settings;
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }
  isReady(): boolean {
    return this.ready;
  }
  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (!this.holdReady && !this.readyScheduled) {
      this.readyScheduled = true;
      setTimeout(() => this.becomeReady(), 5);
    }
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }
  becomeReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.emit('ready');
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }
  getAppPath(): string {
    return this.appPath;
  }
  getPath(name: string): string {
    const path = this.paths[name];
    if (!path) throw new Error(`Failed to get '${name}' path`);
    return path;
  }
  getVersion(): string {
    return '0.0.0-test';
  }
  quit(): void {
    this.quitCalls += 1;
  }
  exitCode: number | null = null;
  exit(code = 0): void {
    this.exitCode = code;
    this.emit('exited', code);
  }
}

export class FakeShell {
  readonly opened: string[] = [];
  readonly external: string[] = [];
  async openExternal(url: string): Promise<void> {
    this.external.push(url);
  }
  readonly revealed: string[] = [];
  async openPath(path: string): Promise<string> {
    this.opened.push(path);
    return '';
  }
  showItemInFolder(fullPath: string): void {
    this.revealed.push(fullPath);
  }
}

export class FakeDialog {
  answer: string | null = null;
  /** What the save dialog answers (null: cancelled). */
  saveAnswer: string | null = null;
  readonly asked: string[] = [];
  constructor(private readonly readiness: Readiness = alwaysReady) {}
  async showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue> {
    requireReady(this.readiness, 'dialog');
    this.asked.push(options.title ?? '');
    return this.answer === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [this.answer] };
  }
  async showSaveDialog(options: SaveDialogOptions): Promise<SaveDialogReturnValue> {
    requireReady(this.readiness, 'dialog');
    this.asked.push(options.title ?? '');
    return this.saveAnswer === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: this.saveAnswer };
  }
}

export class FakeClipboard {
  text = '';
  writeText(text: string): void {
    this.text = text;
  }
}

/** One 1920×1080 display with a 40 px taskbar at the bottom. */
export const fakeScreen = {
  workArea: { x: 0, y: 0, width: 1920, height: 1040 },
  getAllDisplays() {
    return [{ workArea: this.workArea }];
  },
  getDisplayMatching() {
    return { workArea: this.workArea };
  },
  getDisplayNearestPoint() {
    return { workArea: this.workArea };
  },
  getCursorScreenPoint: () => ({ x: 0, y: 0 }),
};

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

export class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  /** What `ipcRenderer.invoke` from a frame at `frameUrl` would get. */
  async invoke(channel: string, frameUrl: string | undefined, payload?: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const event = { senderFrame: frameUrl === undefined ? null : { url: frameUrl } } as unknown as IpcMainInvokeEvent;
    return handler(event, payload);
  }
}

type ProtocolHandler = (request: Request) => Promise<Response>;

export class FakeProtocol {
  readonly schemes: CustomScheme[] = [];
  readonly handlers = new Map<string, ProtocolHandler>();
  constructor(private readonly readiness: Readiness = alwaysReady) {}
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
    if (this.readiness.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    this.schemes.push(...schemes);
  }
  handle(scheme: string, handler: ProtocolHandler): void {
    requireReady(this.readiness, 'protocol.handle');
    this.handlers.set(scheme, handler);
  }
}

export class FakeWebContents extends EventEmitter {
  /** Messages a loaded page received, and when (performance.now()). */
  readonly sent: [string, unknown][] = [];
  readonly sentAt: number[] = [];
  /** Messages sent while no page had loaded: lost, as in Electron. */
  readonly dropped: [string, unknown][] = [];
  loaded = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly session = {
    setPermissionRequestHandler: (): void => undefined,
    setPermissionCheckHandler: (): void => undefined,
  };
  send(channel: string, payload: unknown): void {
    // Structured clone, as IPC does: the page gets a copy, and what cannot be cloned throws.
    const copy = structuredClone(payload);
    if (this.loaded) {
      this.sent.push([channel, copy]);
      this.sentAt.push(performance.now());
    } else this.dropped.push([channel, copy]);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isLoading(): boolean {
    return !this.loaded;
  }
  url = '';
  getURL(): string {
    return this.loaded ? this.url : '';
  }
  /** What the page's JavaScript answers (a test sets it to act as the page would, e.g. through ipcMain). */
  evaluator: ((code: string) => Promise<unknown>) | null = null;
  async executeJavaScript(code: string): Promise<unknown> {
    if (!this.loaded) throw new Error('Script failed to execute: no page');
    if (!this.evaluator) throw new Error('this page runs no script');
    return this.evaluator(code);
  }
}

export interface FakeWorld {
  app: FakeApp;
  protocol: FakeProtocol;
  /** How long a page takes to load once its response arrived. */
  pageLoadMs: number;
}

export function createBrowserWindowClass(world: FakeWorld) {
  return class BrowserWindow extends EventEmitter {
    static readonly created: BrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    loadedUrl = '';
    /** 'blank' until a page loaded; 'failed' when the load failed. */
    page: 'blank' | 'loaded' | 'failed' = 'blank';
    visible = false;
    minimized = false;
    focused = false;
    destroyed = false;
    constructor(readonly options: BrowserWindowConstructorOptions) {
      super();
      requireReady(world.app, 'BrowserWindow');
      BrowserWindow.created.push(this);
      world.app.emit('web-contents-created', {}, this.webContents);
      if (options.show !== false) this.show();
    }
    async loadURL(url: string): Promise<void> {
      this.loadedUrl = url;
      this.webContents.loaded = false;
      this.webContents.emit('did-start-loading');
      const scheme = new URL(url).protocol.replace(/:$/, '');
      const handler = world.protocol.handlers.get(scheme);
      const response = handler ? await handler(new Request(url)) : null;
      if (response?.status !== 200) {
        this.page = 'failed';
        this.webContents.emit('did-fail-load', {}, -302, 'ERR_UNKNOWN_URL_SCHEME', url);
        throw new Error(`ERR_FAILED (-2) loading '${url}'`);
      }
      await new Promise((resolve) => setTimeout(resolve, world.pageLoadMs));
      if (this.destroyed) return;
      this.page = 'loaded';
      this.webContents.url = url;
      this.webContents.loaded = true;
      this.webContents.emit('dom-ready');
      this.webContents.emit('did-finish-load');
      this.emit('ready-to-show');
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    isVisible(): boolean {
      return this.visible;
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    minimize(): void {
      if (this.minimized) return;
      this.minimized = true;
      this.emit('minimize');
    }
    restore(): void {
      if (!this.minimized) return;
      this.minimized = false;
      this.emit('restore');
    }
    show(): void {
      if (this.visible) return;
      this.visible = true;
      this.emit('show');
    }
    hide(): void {
      if (!this.visible) return;
      this.visible = false;
      this.emit('hide');
    }
    focus(): void {
      this.focused = true;
    }
    bounds = { x: 0, y: 0, width: 800, height: 600 };
    maximized = false;
    setBounds(bounds: { x: number; y: number; width: number; height: number }): void {
      this.bounds = bounds;
    }
    getBounds(): { x: number; y: number; width: number; height: number } {
      return this.bounds;
    }
    getNormalBounds(): { x: number; y: number; width: number; height: number } {
      return this.bounds;
    }
    isMaximized(): boolean {
      return this.maximized;
    }
    maximize(): void {
      this.maximized = true;
      this.emit('maximize');
    }
    destroy(): void {
      this.destroyed = true;
      this.visible = false;
      this.emit('closed');
    }
    /** What the window manager does when the user clicks the close button. */
    userClose(): boolean {
      let prevented = false;
      this.emit('close', { preventDefault: () => (prevented = true) });
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a close listener may have called preventDefault
      if (!prevented) this.destroy();
      return prevented;
    }
  };
}

export function createTrayClass(world: FakeWorld) {
  return class Tray extends EventEmitter {
    static readonly created: Tray[] = [];
    image: string;
    toolTip = '';
    menu: MenuItemConstructorOptions[] | null = null;
    menuBuilds = 0;
    toolTipSets = 0;
    destroyed = false;
    constructor(image: string) {
      super();
      requireReady(world.app, 'Tray');
      this.image = image;
      Tray.created.push(this);
    }
    setImage(image: string): void {
      this.image = image;
    }
    setToolTip(toolTip: string): void {
      this.toolTip = toolTip;
      this.toolTipSets += 1;
    }
    /** Every menu set, as the labels a user would see (to tell a changed menu from a rebuilt one). */
    readonly menuHistory: string[] = [];
    setContextMenu(menu: { template: MenuItemConstructorOptions[] } | null): void {
      this.menu = menu?.template ?? null;
      this.menuBuilds += 1;
      this.menuHistory.push(JSON.stringify(this.menu, (key, value: unknown) => (key === 'click' ? undefined : value)));
    }
    destroy(): void {
      this.destroyed = true;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    /** An app indicator (Linux) knows no position. */
    bounds = { x: 0, y: 0, width: 0, height: 0 };
    getBounds(): { x: number; y: number; width: number; height: number } {
      return this.bounds;
    }
    poppedUp = 0;
    popUpContextMenu(menu?: { template: MenuItemConstructorOptions[] }): void {
      if (menu) this.menu = menu.template;
      this.poppedUp += 1;
    }
  };
}

/** A notification as the OS holds it: only its options, and the object through a WeakRef. */
export interface ShownNotification {
  options: NotificationConstructorOptions;
  ref: WeakRef<EventEmitter>;
  closed: boolean;
}

export function createNotificationClass(world: FakeWorld) {
  return class Notification extends EventEmitter {
    static readonly shown: ShownNotification[] = [];
    /** Notifications that were collected (the FinalizationRegistry ran). */
    static collected = 0;
    static readonly registry = new FinalizationRegistry<void>(() => {
      Notification.collected += 1;
    });
    constructor(readonly options: NotificationConstructorOptions) {
      super();
      requireReady(world.app, 'Notification');
      Notification.registry.register(this, undefined);
    }
    show(): void {
      Notification.shown.push({ options: this.options, ref: new WeakRef(this), closed: false });
    }
    /** The user clicks the `index`th notification shown: false when its object was collected. */
    static click(index: number): boolean {
      return Notification.fire(index, 'click');
    }
    /** The user dismisses it. */
    static close(index: number): boolean {
      return Notification.fire(index, 'close');
    }
    /** The user presses its `button`th button (macOS). */
    static act(index: number, button: number): boolean {
      return Notification.fire(index, 'action', button);
    }
    private static fire(index: number, event: 'click' | 'close' | 'action', button?: number): boolean {
      const entry = Notification.shown[index];
      const notification = entry?.ref.deref();
      if (!entry || !notification || entry.closed) return false;
      entry.closed = true;
      notification.emit(event, {}, button);
      return true;
    }
  };
}

/** One end of a MessageChannelMain. Messages wait until `start()`, as in Electron. */
export class FakeMessagePortMain extends EventEmitter {
  peer: FakeMessagePortMain | null = null;
  /** Set once the other end was handed to a child: messages go over its IPC channel. */
  remote: ((data: unknown) => void) | null = null;
  private started = false;
  private closed = false;
  private readonly queue: unknown[] = [];
  postMessage(data: unknown): void {
    if (this.closed) return;
    const copy = structuredClone(data);
    if (this.remote) this.remote(copy);
    else this.peer?.deliver(copy);
  }
  deliver(data: unknown): void {
    if (this.closed) return;
    if (!this.started) this.queue.push(data);
    else this.emit('message', { data, ports: [] });
  }
  start(): void {
    this.started = true;
    for (const data of this.queue.splice(0)) this.emit('message', { data, ports: [] });
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }
}

export class MessageChannelMain {
  readonly port1 = new FakeMessagePortMain();
  readonly port2 = new FakeMessagePortMain();
  constructor() {
    this.port1.peer = this.port2;
    this.port2.peer = this.port1;
  }
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Electron's UtilityProcess over a Node child: messages and handed-over ports travel on its IPC channel. */
export class FakeUtilityProcess extends EventEmitter {
  readonly child: ChildProcess;
  private nextPort = 0;
  private readonly ports = new Map<number, FakeMessagePortMain>();
  constructor(modulePath: string, args: string[], options: { env?: NodeJS.ProcessEnv; execArgv?: string[] }) {
    super();
    this.child = fork(modulePath, args, {
      env: options.env ?? process.env,
      execArgv: ['--require', PARENT_PORT_SHIM, ...(options.execArgv ?? [])],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(this.child);
    this.child.on('spawn', () => this.emit('spawn'));
    this.child.on('message', (message: { kind: string; port?: number; data: unknown }) => {
      if (message.kind === 'parent') this.emit('message', message.data);
      else if (message.kind === 'port' && message.port !== undefined) this.ports.get(message.port)?.deliver(message.data);
    });
    this.child.on('exit', (code, signal) => {
      children.delete(this.child);
      for (const port of this.ports.values()) port.close();
      this.emit('exit', code ?? (signal ? 128 + 15 : 0));
    });
  }
  get pid(): number | undefined {
    return this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }
  postMessage(data: unknown, transfer: FakeMessagePortMain[] = []): void {
    const ids = transfer.map((port) => {
      const id = this.nextPort++;
      const local = port.peer;
      if (local) {
        local.remote = (payload) => {
          if (this.child.connected) this.child.send({ kind: 'port', port: id, data: payload });
        };
        this.ports.set(id, local);
      }
      return id;
    });
    if (this.child.connected) this.child.send({ kind: 'parent', data, ports: ids });
  }
  kill(): boolean {
    return this.child.kill('SIGTERM');
  }
}

/** powerMonitor: Electron throws if it is used before `ready`; tests emit 'resume' themselves. */
export class FakePowerMonitor extends EventEmitter {
  constructor(private readonly readiness: Readiness) {
    super();
  }
  override on(event: string | symbol, listener: (...args: unknown[]) => void): this {
    requireReady(this.readiness, 'powerMonitor');
    return super.on(event, listener);
  }
}

/** net.isOnline() answers `online`, which tests flip; like net, only after `ready`. */
export class FakeNet {
  online = true;
  constructor(private readonly readiness: Readiness) {}
  isOnline(): boolean {
    requireReady(this.readiness, 'net.isOnline');
    return this.online;
  }
}

export class FakeSession {
  /** What resolveProxy answers (Chromium's PAC form), for every URL or per URL. */
  proxy: string | ((url: string) => string) = 'DIRECT';
  readonly asked: string[] = [];
  async resolveProxy(url: string): Promise<string> {
    this.asked.push(url);
    return typeof this.proxy === 'function' ? this.proxy(url) : this.proxy;
  }
}

/** A fresh set of fakes: what `import * as electron from 'electron'` gives, with its own state. */
export function createFakeElectron(options: { pageLoadMs?: number } = {}) {
  const app = new FakeApp();
  const protocol = new FakeProtocol(app);
  const world: FakeWorld = { app, protocol, pageLoadMs: options.pageLoadMs ?? 20 };
  const defaultSession = new FakeSession();
  return {
    world,
    app,
    protocol,
    safeStorage: new FakeSafeStorage(app),
    shell: new FakeShell(),
    dialog: new FakeDialog(app),
    clipboard: new FakeClipboard(),
    screen: fakeScreen,
    ipcMain: new FakeIpcMain(),
    session: { defaultSession },
    powerMonitor: new FakePowerMonitor(app),
    net: new FakeNet(app),
    BrowserWindow: createBrowserWindowClass(world),
    Tray: createTrayClass(world),
    Notification: createNotificationClass(world),
    Menu: {
      applicationMenu: null as { template: MenuItemConstructorOptions[] } | null,
      buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }),
      setApplicationMenu(menu: { template: MenuItemConstructorOptions[] } | null): void {
        this.applicationMenu = menu;
      },
    },
    MessageChannelMain,
    utilityProcess: {
      forked: [] as FakeUtilityProcess[],
      fork(modulePath: string, args: string[] = [], forkOptions: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {}): FakeUtilityProcess {
        requireReady(app, 'utilityProcess.fork');
        const child = new FakeUtilityProcess(modulePath, args, forkOptions);
        this.forked.push(child);
        return child;
      },
    },
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

// The module itself is one such set, for code that imports 'electron' (the app entry, the bench).
const fake = createFakeElectron();
export const {
  app,
  protocol,
  safeStorage,
  shell,
  dialog,
  clipboard,
  screen,
  ipcMain,
  session,
  BrowserWindow,
  Tray,
  Notification,
  Menu,
  utilityProcess,
  powerMonitor,
  net,
} = fake;
