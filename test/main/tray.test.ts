import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate, TrayPresenter, trayIconFile } from '../../electron/main/tray.js';
import type { TrayAction } from '../../electron/main/tray-model.js';
import { status } from './status-fixture.js';

class RecordingTray {
  readonly calls: string[] = [];
  setImage(image: string): void {
    this.calls.push(`image ${image}`);
  }
  setToolTip(text: string): void {
    this.calls.push(`tooltip ${text}`);
  }
  setContextMenu(menu: MenuItemConstructorOptions[] | null): void {
    this.calls.push(`menu ${menu?.length}`);
  }
}

describe('tray presenter', () => {
  it.each([
    ['darwin', '/icons/syncingTemplate.png'],
    ['linux', '/icons/syncing.png'],
    ['win32', '/icons/syncing.png'],
  ] as const)('on %s uses %s', (platform, file) => {
    expect(trayIconFile('/icons', 'syncing', platform)).toBe(file);
  });

  it('updates only what changed: a progress tick changes the tooltip, not the menu or icon', () => {
    const tray = new RecordingTray();
    const presenter = new TrayPresenter(tray, { iconDir: '/i', platform: 'linux', buildMenu: (t) => t, onAction: () => undefined });
    const syncing = (bytes: number) => status({ state: 'syncing', pending: { uploads: 2, downloads: 0, deletes: 0, bytes } });
    presenter.update([syncing(2_000_000)]);
    presenter.update([syncing(2_000_000)]);
    presenter.update([syncing(1_000_000)]);
    presenter.update([status({ state: 'idle' })]);
    expect(tray.calls).toEqual([
      'image /i/syncing.png',
      'tooltip Syncing 2 files, 2 MB left',
      'menu 10',
      'tooltip Syncing 2 files, 1 MB left',
      'menu 10',
      'image /i/idle.png',
      'tooltip Up to date',
      'menu 10',
    ]);
  });

  it('menu clicks run the item’s action; labels are disabled', () => {
    const actions: TrayAction[] = [];
    const template = menuTemplate(
      [
        { kind: 'label', label: 'Up to date' },
        { kind: 'submenu', label: 'Recent files', items: [{ kind: 'action', label: 'a.txt', enabled: true, action: { type: 'show-file', folderId: 'f', path: 'a.txt' } }] },
        { kind: 'action', label: 'Quit wsync', enabled: true, action: { type: 'quit' } },
      ],
      (a) => actions.push(a),
    );
    expect(template[0]).toEqual({ label: 'Up to date', enabled: false });
    const sub = template[1]?.submenu as MenuItemConstructorOptions[];
    sub[0]?.click?.({} as never, undefined, {} as never);
    template[2]?.click?.({} as never, undefined, {} as never);
    expect(actions).toEqual([{ type: 'show-file', folderId: 'f', path: 'a.txt' }, { type: 'quit' }]);
  });
});
