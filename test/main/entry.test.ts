/**
 * The app entry (electron/main/index.ts) run against the fake Electron that vitest puts in place
 * of 'electron': what it registers, the window it opens, the tray it shows, and how it answers a
 * second launch, a close and the menu. app-lifecycle.test.ts covers the orderings and platforms.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { beforeAll, describe, expect, it } from 'vitest';
import { IPC_COMMANDS, commandChannel } from '../../electron/shared/ipc-channels.js';
import { app, BrowserWindow, ipcMain, protocol, Tray } from '../support/fake-electron.js';

let root: string;

async function until(probe: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !probe(); i += 1) await new Promise((r) => setTimeout(r, 10));
  expect(probe()).toBe(true);
}

const menuItem = (label: string): MenuItemConstructorOptions | undefined => Tray.created[0]?.menu?.find((i) => i.label === label);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wsync-entry-'));
  await mkdir(join(root, 'dist', 'app'), { recursive: true });
  await writeFile(join(root, 'dist', 'app', 'index.html'), '<!doctype html><title>wsync</title>');
  // An engine that says it is ready (the app starts it with the window); engine-process.test.ts runs the real one.
  await mkdir(join(root, 'dist', 'electron', 'engine'), { recursive: true });
  await writeFile(
    join(root, 'dist', 'electron', 'engine', 'index.cjs'),
    "process.parentPort.postMessage({ type: 'ready', pid: process.pid, node: process.versions.node });\nsetInterval(() => undefined, 1000);\n",
  );
  app.appPath = root;
  app.paths = { userData: join(root, 'userData'), logs: join(root, 'logs') };
  await import('../../electron/main/index.js');
  await until(() => Tray.created.length === 1 && BrowserWindow.created[0]?.visible === true);
});

describe('the app entry', () => {
  it('registers the app scheme as privileged (standard, secure) before the app is ready', () => {
    expect(protocol.schemes).toEqual([
      expect.objectContaining({ scheme: 'wsync', privileges: expect.objectContaining({ standard: true, secure: true }) as unknown }),
    ]);
  });

  it('serves the renderer from wsync://app/ with the CSP, and nothing from another host', async () => {
    const handler = protocol.handlers.get('wsync');
    const page = await handler?.(new Request('wsync://app/index.html'));
    expect(page?.status).toBe(200);
    expect(page?.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page?.text()).toContain('<title>wsync</title>');
    expect((await handler?.(new Request('wsync://other/index.html')))?.status).toBe(404);
  });

  it('handles every IPC command, only from the app frame', async () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(IPC_COMMANDS.map(commandChannel).sort());
    expect(await ipcMain.invoke(commandChannel('getSettings'), 'wsync://app/index.html')).toMatchObject({ ok: true, value: { folders: [] } });
    expect(await ipcMain.invoke(commandChannel('getSettings'), 'https://example.com/')).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  });

  it('opens the status window on first run, sandboxed, from the app scheme, with the bundled preload', () => {
    const window = BrowserWindow.created[0];
    expect(window?.visible).toBe(true);
    expect(window?.loadedUrl).toBe('wsync://app/index.html');
    expect(window?.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      preload: join(root, 'dist', 'electron', 'preload', 'index.cjs'),
    });
    expect(window?.webContents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('closing the window hides it and keeps the app running in the tray; a second launch shows it again', () => {
    const window = BrowserWindow.created[0];
    expect(window?.userClose()).toBe(true);
    expect(window?.visible).toBe(false);
    app.emit('second-instance');
    expect(window?.visible).toBe(true);
    expect(BrowserWindow.created).toHaveLength(1);
  });

  it('shows the tray with the not-set-up image, a tooltip and the menu', () => {
    const tray = Tray.created[0];
    expect(tray?.image).toBe(join(root, 'build', 'icons', 'tray', process.platform === 'darwin' ? 'not-set-upTemplate.png' : 'not-set-up.png'));
    expect(tray?.toolTip).toBe('wsync: no folder set up yet');
    expect(tray?.menu?.map((i) => i.label ?? i.type)).toEqual(['No folder set up yet', 'Set up wsync…', 'separator', 'Settings…', 'Quit wsync']);
  });

  it('"Settings…" in the tray shows the window on the settings view; "Quit" quits', () => {
    const window = BrowserWindow.created[0];
    window?.hide();
    menuItem('Settings…')?.click?.({} as never, undefined, {});
    expect(window?.visible).toBe(true);
    expect(window?.webContents.sent).toContainEqual(['wsync:event:navigate', 'settings']);
    expect(window?.webContents.dropped).toEqual([]);
    menuItem('Quit wsync')?.click?.({} as never, undefined, {});
    expect(app.quitCalls).toBe(1);
  });

  it('sends the visible window one full status, and a hidden one none', async () => {
    const window = BrowserWindow.created[0];
    const statuses = () => window?.webContents.sent.filter(([c]) => c === 'wsync:event:status') ?? [];
    expect(statuses()[0]).toEqual(['wsync:event:status', { full: true, statuses: [] }]);
    const before = statuses().length;
    window?.hide();
    window?.show();
    await until(() => statuses().length === before + 1);
    expect(statuses().at(-1)?.[1]).toMatchObject({ full: true });
  });
});
