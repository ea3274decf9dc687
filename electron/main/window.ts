/**
 * The status window: created on demand, hidden (not closed) when the user closes it, so the app
 * keeps running in the tray. Quitting is only through the tray menu or the OS.
 */
import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions } from 'electron';
import { APP_URL, secureWebPreferences } from './security.js';

export interface StatusWindowOptions {
  preload: string;
  icon: string;
  create: (options: BrowserWindowConstructorOptions) => BrowserWindowType;
  isQuitting: () => boolean;
}

export class StatusWindow {
  private window: BrowserWindowType | null = null;

  constructor(private readonly options: StatusWindowOptions) {}

  get webContents(): BrowserWindowType['webContents'] | null {
    return this.window && !this.window.isDestroyed() ? this.window.webContents : null;
  }

  show(): void {
    if (this.window && !this.window.isDestroyed()) {
      if (this.window.isMinimized()) this.window.restore();
      this.window.show();
      this.window.focus();
      return;
    }
    const window = this.options.create({
      width: 960,
      height: 680,
      minWidth: 720,
      minHeight: 480,
      show: false,
      title: 'wsync',
      icon: this.options.icon,
      autoHideMenuBar: true,
      webPreferences: secureWebPreferences(this.options.preload),
    });
    window.on('close', (event) => {
      if (this.options.isQuitting()) return;
      event.preventDefault();
      window.hide();
    });
    window.once('ready-to-show', () => window.show());
    void window.loadURL(APP_URL);
    this.window = window;
  }
}
