/**
 * The tray popover: a small frameless window anchored to the tray icon, as Dropbox and Nextcloud
 * show on a click, with the overall state, the transfers, recent changes and what needs the user.
 * It is the same renderer as the main window, at `#popover`. A click on the tray toggles it; it
 * hides when it loses focus. Where the tray reports no position (Linux app indicators, whose clicks
 * only open the menu), the menu's "Show status" opens it at the top right of the screen.
 */
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { APP_URL, secureWebPreferences } from './security.js';

export const POPOVER_SIZE = { width: 380, height: 540 } as const;
const GAP = 6;

/**
 * Where the popover goes: beside the tray icon, on the side of the screen away from the bar the
 * icon sits in (below a top bar, above a bottom taskbar, beside a side taskbar), kept inside the
 * work area. An empty tray rectangle means "unknown": the top right (or bottom right on Windows).
 */
export function popoverBounds(tray: Rectangle, workArea: Rectangle, size: { width: number; height: number }, platform: NodeJS.Platform): Rectangle {
  const clampX = (x: number): number => Math.min(Math.max(x, workArea.x + GAP), workArea.x + workArea.width - size.width - GAP);
  const clampY = (y: number): number => Math.min(Math.max(y, workArea.y + GAP), workArea.y + workArea.height - size.height - GAP);
  const unknown = tray.width === 0 && tray.height === 0 && tray.x === 0 && tray.y === 0;
  if (unknown) {
    const x = workArea.x + workArea.width - size.width - GAP;
    const y = platform === 'win32' ? workArea.y + workArea.height - size.height - GAP : workArea.y + GAP;
    return { x, y, ...size };
  }
  const centreX = tray.x + tray.width / 2;
  const centreY = tray.y + tray.height / 2;
  const bottom = workArea.y + workArea.height;
  const right = workArea.x + workArea.width;
  let x: number;
  let y: number;
  if (tray.x + tray.width <= workArea.x) {
    x = workArea.x + GAP; // taskbar on the left
    y = clampY(centreY - size.height / 2);
  } else if (tray.x >= right) {
    x = right - size.width - GAP; // taskbar on the right
    y = clampY(centreY - size.height / 2);
  } else if (centreY > workArea.y + workArea.height / 2) {
    x = clampX(centreX - size.width / 2); // a bottom taskbar
    y = Math.min(tray.y, bottom) - size.height - GAP;
  } else {
    x = clampX(centreX - size.width / 2); // a top bar (macOS)
    y = Math.max(tray.y + tray.height, workArea.y) + GAP;
  }
  return { x: Math.round(x), y: Math.round(clampY(y)), width: size.width, height: size.height };
}

/** The few BrowserWindow methods the popover uses (a fake in tests). */
export interface PopoverWindowPort {
  setBounds(bounds: Rectangle): void;
  show(): void;
  hide(): void;
  focus(): void;
  isVisible(): boolean;
  isDestroyed(): boolean;
  loadURL(url: string): Promise<void>;
  on(event: 'blur' | 'closed', listener: () => void): unknown;
  readonly webContents: { send(channel: string, payload: unknown): void };
}

export interface PopoverOptions {
  preload: string;
  platform: NodeJS.Platform;
  create: (options: BrowserWindowConstructorOptions) => PopoverWindowPort;
  /** The tray icon's rectangle and the work area of the display it is on. */
  anchor: () => { tray: Rectangle; workArea: Rectangle };
  /** Clicking the tray also blurs the popover: a blur this soon before a toggle is that click. */
  now?: () => number;
  /** The popover became visible: it needs the current status (none is sent while hidden). */
  onShown?: () => void;
}

export const POPOVER_URL = `${APP_URL}#popover`;

export class TrayPopover {
  private window: PopoverWindowPort | null = null;
  private hiddenAt = 0;

  constructor(private readonly options: PopoverOptions) {}

  get webContents(): PopoverWindowPort['webContents'] | null {
    return this.window && !this.window.isDestroyed() && this.window.isVisible() ? this.window.webContents : null;
  }

  get visible(): boolean {
    return this.window !== null && !this.window.isDestroyed() && this.window.isVisible();
  }

  /** A tray click: shows the popover, or hides it when it is showing. */
  toggle(): void {
    const now = (this.options.now ?? Date.now)();
    if (this.visible) {
      this.hide();
      return;
    }
    // The click that blurred (and so hid) the popover must not show it again at once.
    if (now - this.hiddenAt < 250) return;
    this.show();
  }

  show(): void {
    const window = this.ensure();
    const { tray, workArea } = this.options.anchor();
    window.setBounds(popoverBounds(tray, workArea, POPOVER_SIZE, this.options.platform));
    window.show();
    window.focus();
    this.options.onShown?.();
  }

  hide(): void {
    if (!this.visible || !this.window) return;
    this.window.hide();
    this.hiddenAt = (this.options.now ?? Date.now)();
  }

  private ensure(): PopoverWindowPort {
    if (this.window && !this.window.isDestroyed()) return this.window;
    const window = this.options.create({
      ...POPOVER_SIZE,
      show: false,
      frame: false,
      resizable: false,
      movable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      title: 'wsync',
      webPreferences: secureWebPreferences(this.options.preload),
    });
    window.on('blur', () => this.hide());
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    void window.loadURL(POPOVER_URL);
    this.window = window;
    return window;
  }
}
