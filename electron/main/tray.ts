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
import { trayIcon, trayMenu, trayTooltip, type TrayAction, type TrayIconName, type TrayMenuItem } from './tray-model.js';

export interface TrayPort<M> {
  setImage(image: string): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: M | null): void;
}

/** The image file for a state: template images (black and alpha) on macOS, colour elsewhere. */
export function trayIconFile(iconDir: string, name: TrayIconName, platform: NodeJS.Platform): string {
  return join(iconDir, platform === 'darwin' ? `${name}Template.png` : `${name}.png`);
}

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
    },
  ) {
    this.menu = createThrottle(options.menuIntervalMs ?? MENU_INTERVAL_MS, () => this.rebuild());
  }

  update(statuses: readonly FolderStatus[]): void {
    const icon = trayIconFile(this.options.iconDir, trayIcon(statuses), this.options.platform);
    if (icon !== this.shown.icon) this.tray.setImage(icon);
    const tooltip = trayTooltip(statuses);
    if (tooltip !== this.shown.tooltip) this.tray.setToolTip(tooltip);
    this.shown = { ...this.shown, icon, tooltip };
    this.latest = trayMenu(statuses);
    this.latestKey = JSON.stringify(this.latest);
    if (this.latestKey !== this.shown.menu) this.menu.request();
  }

  /** Builds a waiting menu now. */
  flush(): void {
    this.menu.flush();
  }

  private rebuild(): void {
    if (this.latestKey === this.shown.menu) return;
    this.tray.setContextMenu(this.options.buildMenu(menuTemplate(this.latest, this.options.onAction)));
    this.rebuilds += 1;
    this.shown = { ...this.shown, menu: this.latestKey };
  }
}
