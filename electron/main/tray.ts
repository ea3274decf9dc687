/**
 * Keeps the tray in step with the folders' statuses: picks the icon image, sets the tooltip on its
 * own, and rebuilds the menu only when its model changed (progress ticks change the tooltip, not
 * the menu), at most once per `menuIntervalMs`: during a sync the recent files change with every
 * file, and rebuilding a native menu (re-exported over D-Bus on Linux) is not free.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { FolderStatus } from '../shared/status.js';
import { createThrottle, type Throttle } from '../shared/throttle.js';
import {
  SYNCING_FRAME_MS,
  trayIcon,
  trayIconFrame,
  trayMenu,
  trayTooltip,
  type TrayAction,
  type TrayContext,
  type TrayMenuItem,
} from './tray-model.js';

export interface TrayPort<M> {
  setImage(image: string): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: M | null): void;
}

/** The image file for a state (or a frame of the syncing icon): template images (black and alpha) on macOS, colour elsewhere. */
export function trayIconFile(iconDir: string, name: string, platform: NodeJS.Platform): string {
  return join(iconDir, platform === 'darwin' ? `${name}Template.png` : `${name}.png`);
}

/** Runs `tick` every `ms` until the returned function is called. */
export type Repeat = (ms: number, tick: () => void) => () => void;

const repeatWithTimers: Repeat = (ms, tick) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};

export function menuTemplate(items: TrayMenuItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'label':
        return { label: item.label, enabled: false };
      case 'submenu':
        return { label: item.label, submenu: menuTemplate(item.items, onAction) };
      case 'action':
        return { label: item.label, enabled: item.enabled, click: () => onAction(item.action) };
    }
  });
}

export const MENU_INTERVAL_MS = 1000;

export class TrayPresenter<M> {
  private shown = { icon: '', tooltip: '', menu: '' };
  private latest: TrayMenuItem[] = [];
  private latestKey = '';
  private readonly menu: Throttle;
  private built: M | null = null;
  private frame = 0;
  private stopAnimation: (() => void) | null = null;
  /** Menus built so far (the benchmark reads it). */
  rebuilds = 0;

  constructor(
    private readonly tray: TrayPort<M>,
    private readonly options: {
      iconDir: string;
      platform: NodeJS.Platform;
      buildMenu: (template: MenuItemConstructorOptions[]) => M;
      onAction: (action: TrayAction) => void;
      menuIntervalMs?: number;
      /** The syncing icon's animation clock (tests pass a manual one). */
      repeat?: Repeat;
      /** Adds "Show status" (the popover) to the menu, where the tray reports no clicks (Linux). */
      popoverInMenu?: boolean;
      /** False on macOS: a set menu would take the left click, which opens the popover there. */
      attachMenu?: boolean;
    },
  ) {
    this.menu = createThrottle(options.menuIntervalMs ?? MENU_INTERVAL_MS, () => this.rebuild());
  }

  update(statuses: readonly FolderStatus[], given: TrayContext = {}): void {
    const context: TrayContext = { ...given, ...(this.options.popoverInMenu ? { popoverInMenu: true } : {}) };
    const name = trayIcon(statuses);
    this.animate(name === 'syncing');
    const icon = trayIconFile(this.options.iconDir, name, this.options.platform);
    if (icon !== this.shown.icon) {
      this.frame = 0;
      this.tray.setImage(icon);
    }
    const tooltip = trayTooltip(statuses, context);
    if (tooltip !== this.shown.tooltip) this.tray.setToolTip(tooltip);
    this.shown = { ...this.shown, icon, tooltip };
    this.latest = trayMenu(statuses, context);
    this.latestKey = JSON.stringify(this.latest);
    if (this.latestKey !== this.shown.menu) this.menu.request();
  }

  /** Builds a waiting menu now. */
  flush(): void {
    this.menu.flush();
  }

  /** Shows the current menu through `popUp` (macOS right-click). */
  popUpMenu(popUp: (menu: M) => void): void {
    this.menu.flush();
    if (this.built) popUp(this.built);
  }

  /** Stops the syncing animation (the app is quitting). */
  dispose(): void {
    this.animate(false);
  }

  private animate(on: boolean): void {
    if (on && !this.stopAnimation) {
      this.stopAnimation = (this.options.repeat ?? repeatWithTimers)(SYNCING_FRAME_MS, () => {
        this.frame += 1;
        this.tray.setImage(trayIconFile(this.options.iconDir, trayIconFrame('syncing', this.frame), this.options.platform));
      });
    } else if (!on && this.stopAnimation) {
      this.stopAnimation();
      this.stopAnimation = null;
    }
  }

  private rebuild(): void {
    if (this.latestKey === this.shown.menu) return;
    this.built = this.options.buildMenu(menuTemplate(this.latest, this.options.onAction));
    if (this.options.attachMenu !== false) this.tray.setContextMenu(this.built);
    this.rebuilds += 1;
    this.shown = { ...this.shown, menu: this.latestKey };
  }
}
