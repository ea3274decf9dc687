/**
 * The status window: created on demand, hidden (not closed) when the user closes it, so the app
 * keeps running in the tray. Quitting is only through the tray menu or the OS.
 * A page only hears what is sent once it has loaded: a view asked for before then (the tray's
 * "Preferences…" or a notification click that creates the window) waits for the load, and so
 * does anything else sent. `onPageShown` tells when the page can be seen, so that the status goes
 * out only while someone can see it.
 */
import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { eventChannel, type View } from '../shared/ipc-channels.js';
import { APP_URL, secureWebPreferences } from './security.js';
import type { WindowState } from './settings-store.js';
import { MIN_WINDOW, windowBounds } from './window-state.js';

export interface StatusWindowOptions {
  preload: string;
  icon: string;
  create: (options: BrowserWindowConstructorOptions) => BrowserWindowType;
  isQuitting: () => boolean;
  /** False in packaged builds: DevTools cannot be opened at all. */
  devTools: boolean;
  /** The page became visible (shown, restored or loaded while shown) or stopped being visible. */
  onVisibility?: (visible: boolean) => void;
  /** Where the window was last (issue 18: it opens there again), and the screens' work areas. */
  savedState?: () => { saved: WindowState | undefined; workAreas: Rectangle[] };
  onStateChange?: (state: WindowState) => void;
}

export class StatusWindow {
  private window: BrowserWindowType | null = null;
  private loaded = false;
  private pendingView: View | null = null;
  private visible = false;

  constructor(private readonly options: StatusWindowOptions) {}

  get webContents(): BrowserWindowType['webContents'] | null {
    return this.window && !this.window.isDestroyed() ? this.window.webContents : null;
  }

  /** Loaded, shown and not minimised. */
  get pageVisible(): boolean {
    const window = this.window;
    return window !== null && !window.isDestroyed() && this.loaded && window.isVisible() && !window.isMinimized();
  }

  /** Sends to the page if it has loaded; returns whether it was sent. */
  send(channel: string, payload: unknown): boolean {
    const contents = this.loaded ? this.webContents : null;
    if (!contents) return false;
    contents.send(channel, payload);
    return true;
  }

  show(): void {
    const window = this.window && !this.window.isDestroyed() ? this.window : this.createWindow();
    if (window.isMinimized()) window.restore();
    // A new window shows itself once its page is ready, not blank before.
    if (this.loaded) window.show();
    window.focus();
  }

  /** Shows the window on `view`, now if its page has loaded, else as soon as it has. */
  navigate(view: View): void {
    this.pendingView = view;
    this.show();
    this.deliverView();
  }

  private deliverView(): void {
    if (this.pendingView !== null && this.send(eventChannel('navigate'), this.pendingView)) this.pendingView = null;
  }

  private visibilityChanged(): void {
    const visible = this.pageVisible;
    if (visible === this.visible) return;
    this.visible = visible;
    this.options.onVisibility?.(visible);
  }

  private createWindow(): BrowserWindowType {
    const placed = this.options.savedState?.();
    const window = this.options.create({
      ...windowBounds(placed?.saved, placed?.workAreas ?? []),
      minWidth: MIN_WINDOW.width,
      minHeight: MIN_WINDOW.height,
      show: false,
      title: 'wsync',
      icon: this.options.icon,
      autoHideMenuBar: true,
      webPreferences: { ...secureWebPreferences(this.options.preload), devTools: this.options.devTools },
    });
    this.window = window;
    this.loaded = false;
    window.on('close', (event) => {
      if (this.options.isQuitting()) return;
      event.preventDefault();
      window.hide();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = null;
      this.loaded = false;
      this.visibilityChanged();
    });
    for (const event of ['show', 'hide', 'minimize', 'restore'] as const) {
      window.on(event as 'show', () => this.visibilityChanged());
    }
    window.once('ready-to-show', () => {
      if (placed?.saved?.maximized) window.maximize();
      window.show();
    });
    const remember = (): void => {
      if (window.isDestroyed() || window.isMinimized()) return;
      const maximized = window.isMaximized();
      this.options.onStateChange?.({ ...(maximized ? window.getNormalBounds() : window.getBounds()), maximized });
    };
    window.on('resize', remember);
    window.on('move', remember);
    window.on('maximize', remember);
    window.on('unmaximize', remember);
    const contents = window.webContents;
    contents.on('did-start-loading', () => {
      this.loaded = false;
      this.visibilityChanged();
    });
    contents.on('did-finish-load', () => {
      this.loaded = true;
      this.deliverView();
      this.visibilityChanged();
    });
    contents.on('render-process-gone', () => {
      this.loaded = false;
      this.visibilityChanged();
    });
    void window.loadURL(APP_URL).catch(() => undefined);
    return window;
  }
}
