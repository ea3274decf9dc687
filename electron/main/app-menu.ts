/**
 * The application menu. Packaged builds get the minimum: the Edit menu (so that copy, paste and
 * undo work in the fields), and on macOS the app and Window menus; no View menu, so no reload and
 * no DevTools shortcut. Development builds keep the View menu for DevTools.
 */
import type { MenuItemConstructorOptions } from 'electron';

export function appMenuTemplate(platform: NodeJS.Platform, packaged: boolean): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [];
  if (platform === 'darwin') items.push({ role: 'appMenu' });
  items.push({ role: 'editMenu' });
  if (!packaged) items.push({ role: 'viewMenu' });
  if (platform === 'darwin') items.push({ role: 'windowMenu' });
  return items;
}
