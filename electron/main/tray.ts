/**
 * Keeps the tray in step with the folders' statuses: picks the icon image, sets the tooltip and
 * rebuilds the menu only when its model changed (progress ticks change the tooltip, not the menu).
 */
import type { MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { FolderStatus } from '../shared/status.js';
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

export class TrayPresenter<M> {
  private shown = { icon: '', tooltip: '', menu: '' };

  constructor(
    private readonly tray: TrayPort<M>,
    private readonly options: {
      iconDir: string;
      platform: NodeJS.Platform;
      buildMenu: (template: MenuItemConstructorOptions[]) => M;
      onAction: (action: TrayAction) => void;
    },
  ) {}

  update(statuses: readonly FolderStatus[]): void {
    const icon = trayIconFile(this.options.iconDir, trayIcon(statuses), this.options.platform);
    if (icon !== this.shown.icon) this.tray.setImage(icon);
    const tooltip = trayTooltip(statuses);
    if (tooltip !== this.shown.tooltip) this.tray.setToolTip(tooltip);
    const model = trayMenu(statuses);
    const menuKey = JSON.stringify(model);
    if (menuKey !== this.shown.menu) this.tray.setContextMenu(this.options.buildMenu(menuTemplate(model, this.options.onAction)));
    this.shown = { icon, tooltip, menu: menuKey };
  }
}
