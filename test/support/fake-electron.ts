/**
 * A fake of the few Electron APIs the main process uses. vitest aliases 'electron' to this file,
 * because the real module needs the Electron binary, which cannot be downloaded here.
 * Each fake keeps what it was asked, so tests can check it; encryption is real (AES-GCM with a
 * key per fake), so ciphertext never contains the plain text.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type {
  BrowserWindowConstructorOptions,
  CustomScheme,
  IpcMainInvokeEvent,
  LoginItemSettings,
  MenuItemConstructorOptions,
  NotificationConstructorOptions,
  OpenDialogOptions,
  OpenDialogReturnValue,
  Settings,
} from 'electron';

type StorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

export class FakeSafeStorage {
  available = true;
  backend: StorageBackend = 'gnome_libsecret';
  /** Set to make the next decryptions report a rotated OS key. */
  rotated = false;
  private key = randomBytes(32);

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return this.available;
  }
  getSelectedStorageBackend(): StorageBackend {
    return this.backend;
  }
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!this.available) throw new Error('Encryption is not available');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }
  async decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    const result = Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    return { result, shouldReEncrypt: this.rotated };
  }
  /** Another machine's keyring: what was encrypted before can no longer be read. */
  forgetKey(): void {
    this.key = randomBytes(32);
  }
}

export class FakeApp extends EventEmitter {
  loginItem: Settings = {};
  /** What the tests set before the app entry is imported. */
  appPath = process.cwd();
  paths: Record<string, string> = {};
  isPackaged = false;
  singleInstance = true;
  quitCalls = 0;
  getLoginItemSettings(): LoginItemSettings {
    return { openAtLogin: this.loginItem.openAtLogin ?? false, wasOpenedAtLogin: false } as LoginItemSettings;
  }
  setLoginItemSettings(settings: Settings): void {
    this.loginItem = settings;
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getAppPath(): string {
    return this.appPath;
  }
  getPath(name: string): string {
    const path = this.paths[name];
    if (!path) throw new Error(`Failed to get '${name}' path`);
    return path;
  }
  quit(): void {
    this.quitCalls += 1;
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
  async showOpenDialog(_options: OpenDialogOptions): Promise<OpenDialogReturnValue> {
    return this.answer === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [this.answer] };
  }
}

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

export class FakeWebContents extends EventEmitter {
  readonly sent: [string, unknown][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly session = {
    setPermissionRequestHandler: (): void => undefined,
    setPermissionCheckHandler: (): void => undefined,
  };
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl = '';
  visible = false;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    BrowserWindow.created.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.emit('ready-to-show');
  }
  isDestroyed(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {}
  /** What the window manager does when the user clicks the close button. */
  userClose(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.visible = false;
    return prevented;
  }
}

export class Tray extends EventEmitter {
  static readonly created: Tray[] = [];
  image: string;
  toolTip = '';
  menu: MenuItemConstructorOptions[] | null = null;
  constructor(image: string) {
    super();
    this.image = image;
    Tray.created.push(this);
  }
  setImage(image: string): void {
    this.image = image;
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }
  setContextMenu(menu: { template: MenuItemConstructorOptions[] } | null): void {
    this.menu = menu?.template ?? null;
  }
}

export const Menu = {
  buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }),
};

export class Notification extends EventEmitter {
  static readonly shown: NotificationConstructorOptions[] = [];
  constructor(readonly options: NotificationConstructorOptions) {
    super();
  }
  show(): void {
    Notification.shown.push(this.options);
  }
}

export const protocol = {
  schemes: [] as CustomScheme[],
  handlers: new Map<string, (request: Request) => Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
    this.schemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    this.handlers.set(scheme, handler);
  },
};

export const safeStorage = new FakeSafeStorage();
export const app = new FakeApp();
export const shell = new FakeShell();
export const dialog = new FakeDialog();
export const ipcMain = new FakeIpcMain();
