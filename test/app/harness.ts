/**
 * End-to-end harness for the renderer: builds it with Vite, serves it over loopback HTTP under the
 * app's own CSP, and opens it in chromium with the REAL preload (bundled with a shim for
 * 'electron') talking to the REAL main-process services (settings, key store, engine host, IPC
 * edge). Only the OS parts (safeStorage, shell, dialog, login item API) are fakes.
 */
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { loadAppAsset } from '../../electron/main/app-protocol.js';
import type { FilesApiFactory } from '../../electron/engine-process/connection-test.js';
import { FolderHost, type ControllerFactory } from '../../electron/engine-process/folder-host.js';
import { isAppFrame, registerIpc } from '../../electron/main/ipc-dispatch.js';
import type { AppNotification } from '../../electron/main/notify-policy.js';
import { startMainServices, type MainServices } from '../../electron/main/services.js';
import { eventChannel, type View } from '../../electron/shared/ipc-channels.js';
import type { FolderStatus } from '../../electron/shared/status.js';
import { FakeApp, FakeClipboard, FakeDialog, FakeIpcMain, FakeSafeStorage, FakeShell } from '../support/fake-electron.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/**
 * Screenshots are taken on every run; they replace the committed ones in docs/screenshots only
 * with WSYNC_UPDATE_SCREENSHOTS=1 (`npm run screenshots`), so that a test run leaves the tree clean.
 */
export const SCREENSHOTS = process.env.WSYNC_UPDATE_SCREENSHOTS === '1' ? join(root, 'docs', 'screenshots') : join(tmpdir(), 'wsync-screenshots');

let rendererDir: Promise<string> | undefined;
let preloadScript: Promise<string> | undefined;

/** Builds the renderer once per test file into a temp folder (never touching dist/). */
export function buildRenderer(): Promise<string> {
  rendererDir ??= (async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'wsync-renderer-'));
    await viteBuild({ configFile: join(root, 'app', 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
    return outDir;
  })();
  return rendererDir;
}

/** The real preload, bundled for the page with the shim standing in for 'electron'. */
export function bundlePreload(): Promise<string> {
  preloadScript ??= (async () => {
    const result = await esbuild({
      entryPoints: [join(root, 'electron', 'preload', 'index.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      alias: { electron: join(root, 'test', 'app', 'preload-shim.ts') },
      logLevel: 'error',
    });
    return result.outputFiles[0]?.text ?? '';
  })();
  return preloadScript;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.WSYNC_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

export interface AppHarnessOptions {
  createController: ControllerFactory;
  openFilesApi: FilesApiFactory;
  /** What the fake folder picker answers. */
  pickedFolder?: string;
  keyBackend?: FakeSafeStorage['backend'];
}

export interface AppHarness {
  page: Page;
  services: MainServices;
  shell: FakeShell;
  dialog: FakeDialog;
  clipboard: FakeClipboard;
  notifications: AppNotification[];
  /** Views the popover asked the main window to show. */
  shownViews: View[];
  statuses: () => FolderStatus[];
  home: string;
  userDataDir: string;
  /** The tray popover: the same renderer at #popover, in a popover-sized page on the same services. */
  openPopover(): Promise<Page>;
  close(): Promise<void>;
}

export async function openApp(browser: Browser, options: AppHarnessOptions): Promise<AppHarness> {
  const [appDir, preload] = await Promise.all([buildRenderer(), bundlePreload()]);
  const server: Server = createServer((req, res) => {
    void loadAppAsset(appDir, new URL(req.url ?? '/', 'http://localhost').pathname).then((asset) => {
      res.writeHead(asset.status, asset.headers).end(asset.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const base = await mkdtemp(join(tmpdir(), 'wsync-app-e2e-'));
  const home = join(base, 'home');
  await mkdir(home);
  const safeStorage = new FakeSafeStorage();
  if (options.keyBackend) safeStorage.backend = options.keyBackend;
  const shell = new FakeShell();
  const dialog = new FakeDialog();
  dialog.answer = options.pickedFolder ?? null;
  const clipboard = new FakeClipboard();
  const notifications: AppNotification[] = [];
  const shownViews: View[] = [];
  const context = await browser.newContext({ viewport: { width: 1040, height: 720 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const pages: Page[] = [page];
  let latest: FolderStatus[] = [];
  const userDataDir = join(base, 'userData');
  const emit = (event: 'status' | 'navigate', payload: unknown): void => {
    for (const p of pages) {
      void p
        .evaluate(([channel, value]) => (globalThis as unknown as { __wsyncEmit(c: string, p: unknown): void }).__wsyncEmit(channel, value), [
          eventChannel(event),
          payload,
        ] as const)
        .catch(() => undefined);
    }
  };

  const services = await startMainServices({
    userDataDir,
    platform: 'linux',
    homeDir: home,
    env: {},
    executable: '/opt/wsync/wsync',
    safeStorage,
    loginItemApp: new FakeApp(),
    shell,
    dialog,
    clipboard,
    version: '0.1.0',
    engine: new FolderHost({ createController: options.createController, openFilesApi: options.openFilesApi }),
    isTrustedSender: (url) => isAppFrame(url, origin),
    onStatus: (statuses) => {
      latest = statuses;
      emit('status', { full: true, statuses });
    },
    notify: (n) => notifications.push(n),
    showWindow: (view) => {
      shownViews.push(view);
      emit('navigate', view);
    },
  });
  const ipcMain = new FakeIpcMain();
  registerIpc(ipcMain, services.dispatch);
  const wire = async (p: Page): Promise<void> => {
    await p.exposeFunction('__wsyncIpc', (channel: string, payload: unknown) => ipcMain.invoke(channel, p.url(), payload));
    await p.addInitScript({ content: preload });
  };
  await wire(page);
  await page.goto(origin);

  return {
    page,
    services,
    shell,
    dialog,
    clipboard,
    notifications,
    shownViews,
    statuses: () => latest,
    home,
    userDataDir,
    async openPopover() {
      const popover = await context.newPage();
      await popover.setViewportSize({ width: 380, height: 540 });
      await wire(popover);
      pages.push(popover);
      await popover.goto(`${origin}#popover`);
      return popover;
    },
    async close() {
      services.dispose();
      await services.host.stopAll();
      await context.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Saves the page in light and dark as <name>-light.png and <name>-dark.png under SCREENSHOTS. */
export async function screenshots(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const viewport = page.viewportSize() ?? { width: 1040, height: 720 };
  // The window scrolls inside its content pane: grow the viewport to show the whole view.
  const height = await page.evaluate<number>("Math.max(0, ...Array.from(document.querySelectorAll('.content, .onboarding'), (e) => e.scrollHeight))");
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${colorScheme}.png`), animations: 'disabled', caret: 'hide' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(viewport);
}
