/**
 * The status window, its status feed and the notifications, against fake-electron's strict
 * BrowserWindow (pages load later; what is sent before a page loaded is lost) and Notification
 * (held by the "OS" only through a WeakRef, so a notification nothing references can be collected).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { APP_SCHEME } from '../../electron/main/app-protocol.js';
import { Notifier } from '../../electron/main/notifications.js';
import { StatusWindow } from '../../electron/main/window.js';
import { WindowStatus } from '../../electron/main/window-status.js';
import type { View } from '../../electron/shared/ipc-channels.js';
import { applyStatusUpdate, type StatusUpdate } from '../../electron/shared/status-patch.js';
import type { FolderStatus } from '../../electron/shared/status.js';
import { createFakeElectron } from '../support/fake-electron.js';
import { activity, status } from './status-fixture.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function collectGarbage(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function until(probe: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !probe(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!probe()) throw new Error(`timed out waiting for ${what}`);
}

function setup(options: { pageLoadMs?: number } = {}) {
  const electron = createFakeElectron(options);
  electron.app.becomeReady();
  electron.protocol.handle(APP_SCHEME, async () => new Response('<!doctype html><title>wsync</title>', { status: 200 }));
  let statuses: FolderStatus[] = [];
  const visibility: boolean[] = [];
  const window = new StatusWindow({
    preload: '/app/preload.cjs',
    icon: '/app/icon.png',
    create: (o) => new electron.BrowserWindow(o) as never,
    isQuitting: () => false,
    devTools: false,
    onVisibility: (visible) => {
      visibility.push(visible);
      feed.visibility(visible);
    },
  });
  const feed = new WindowStatus({ send: (c, p) => window.send(c, p), visible: () => window.pageVisible, request: () => feed.update(statuses) });
  const created = () => electron.BrowserWindow.created[0];
  const navigations = () => (created()?.webContents.sent ?? []).filter(([c]) => c === 'wsync:event:navigate');
  const statusMessages = () => (created()?.webContents.sent ?? []).filter(([c]) => c === 'wsync:event:status').map(([, p]) => p as StatusUpdate);
  return { electron, window, feed, created, navigations, statusMessages, visibility, setStatuses: (s: FolderStatus[]) => (statuses = s) };
}

describe('the status window', () => {
  it('a view asked for before the window exists reaches the page once it has loaded', async () => {
    const { window, created, navigations } = setup({ pageLoadMs: 30 });
    window.navigate('settings');
    const win = created();
    expect(win?.visible).toBe(false); // not shown blank: it shows when its page is ready
    await until(() => win?.page === 'loaded', 'the page');
    expect(win?.visible).toBe(true);
    expect(navigations()).toEqual([['wsync:event:navigate', 'settings']]);
    expect(win?.webContents.dropped).toEqual([]);
  });

  it('a view asked for while the page loads is delivered once, after the load', async () => {
    const { window, created, navigations } = setup({ pageLoadMs: 30 });
    window.show();
    window.navigate('errors');
    window.navigate('conflicts');
    await until(() => created()?.page === 'loaded', 'the page');
    expect(navigations()).toEqual([['wsync:event:navigate', 'conflicts']]);
    window.navigate('activity');
    expect(navigations().at(-1)).toEqual(['wsync:event:navigate', 'activity']);
  });

  it('turns DevTools off when asked to, and closing only hides it', async () => {
    const { window, created } = setup();
    window.show();
    await until(() => created()?.visible === true, 'the window');
    expect(created()?.options.webPreferences).toMatchObject({ devTools: false, sandbox: true, contextIsolation: true });
    expect(created()?.userClose()).toBe(true);
    expect(created()?.visible).toBe(false);
  });
});

describe('status to the window', () => {
  it('sends nothing while hidden, one full snapshot on show, then patches; the page rebuilds every status', async () => {
    const { window, feed, created, statusMessages, setStatuses } = setup();
    const first = [status({ folderId: 'a', state: 'syncing', recent: [activity(1, 'a.txt', '2025-01-01T10:00:00.000Z')] })];
    setStatuses(first);
    feed.update(first); // no window yet
    window.show();
    await until(() => created()?.page === 'loaded', 'the page');
    expect(statusMessages()).toEqual([{ full: true, statuses: first }]);

    const second = [{ ...first[0], recent: [activity(2, 'b.txt', '2025-01-01T10:00:01.000Z'), ...(first[0]?.recent ?? [])] } as FolderStatus];
    setStatuses(second);
    feed.update(second);
    const patch = statusMessages()[1];
    expect(patch).toEqual({ full: false, order: ['a'], patches: { a: { recent: { prepend: [second[0]?.recent[0]], length: 2 } } } });
    let page: FolderStatus[] | null = null;
    for (const update of statusMessages()) page = applyStatusUpdate(page, update);
    expect(page).toEqual(second);

    created()?.hide();
    const hidden = [{ ...second[0], state: 'idle' } as FolderStatus];
    setStatuses(hidden);
    for (let i = 0; i < 5; i++) feed.update(hidden);
    expect(statusMessages()).toHaveLength(2);

    window.show();
    expect(statusMessages()).toHaveLength(3);
    expect(statusMessages()[2]).toEqual({ full: true, statuses: hidden });
    created()?.minimize();
    feed.update([{ ...hidden[0], state: 'paused' } as FolderStatus]);
    expect(statusMessages()).toHaveLength(3);
  });
});

describe('notifications', () => {
  it('the fake is strict: a notification nothing holds is collected with its click handler', async () => {
    const { electron } = setup();
    const clicked: string[] = [];
    (() => {
      const n = new electron.Notification({ title: 'dropped', body: '' });
      n.on('click', () => clicked.push('dropped'));
      n.show();
    })();
    await collectGarbage();
    expect(electron.Notification.click(0)).toBe(false);
    expect(clicked).toEqual([]);
  });

  it('are kept until clicked or closed, so a later click still opens its view, in a window that did not exist', async () => {
    const { electron, window, created, navigations } = setup({ pageLoadMs: 20 });
    const views: View[] = [];
    const notifier = new Notifier(
      (options) => new electron.Notification(options),
      (view) => {
        views.push(view);
        window.navigate(view);
      },
    );
    notifier.show({ title: 'report.csv keeps failing', body: 'Permission denied', view: 'errors' });
    notifier.show({ title: 'Conflict in plan.txt', body: '…', view: 'conflicts' });
    await collectGarbage();
    expect(notifier.held).toBe(2);
    expect(electron.Notification.click(0)).toBe(true);
    expect(views).toEqual(['errors']);
    await until(() => created()?.page === 'loaded', 'the page');
    expect(navigations()).toEqual([['wsync:event:navigate', 'errors']]);
    expect(notifier.held).toBe(1);
    expect(electron.Notification.close(1)).toBe(true);
    expect(notifier.held).toBe(0);
  });
});
