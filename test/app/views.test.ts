/**
 * Visual and interaction checks of states that are slow or awkward to reach with the real engine
 * (several folders at once, signed out, offline). The statuses here are data published by a
 * controller double; the real engine's path is covered by desktop-e2e.test.ts.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FolderRuntime } from '../../electron/engine-process/folder-host.js';
import { RecordingController } from '../main/recording-controller.js';
import { launchBrowser, openApp, screenshots, type AppHarness } from './harness.js';

let browser: Browser;
let app: AppHarness;
const controllers: RecordingController[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  app = await openApp(browser, {
    createController: (folder: FolderRuntime) => {
      const c = new RecordingController(folder);
      controllers.push(c);
      return c;
    },
    openFilesApi: () => {
      throw new Error('no connection test here');
    },
  });
  for (const [workspace, prefix] of [
    ['ws_design', ''],
    ['ws_finance', 'reports/2025/'],
    ['ws_archive', ''],
  ] as const) {
    const dir = await mkdtemp(join(tmpdir(), `wsync-${workspace}-`));
    // As the window does it: the folder comes from the folder dialog.
    app.dialog.answer = dir;
    await app.services.service.handlers.pickFolder(undefined);
    await app.services.service.handlers.addFolder({ server: 'https://files.example.com', apiKey: 'k', workspace, dir, prefix });
  }
  // The folders were added behind the window's back: it reads the settings afresh.
  await app.page.reload();
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
});

describe('several folder pairs in different states', () => {
  it('shows each folder with its own state, and a signed-out folder can take a new key', async () => {
    const [design, finance, archive] = controllers;
    const now = new Date().toISOString();
    design?.publish({
      state: 'syncing',
      lastSyncAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      pending: { uploads: 3, downloads: 9, deletes: 0, bytes: 48_200_000 },
      transfers: [
        { id: 't1', path: 'brand/logo-final-final.psd', direction: 'upload', bytesDone: 12_400_000, bytesTotal: 31_000_000, bytesPerSecond: 2_300_000 },
        { id: 't2', path: 'campaigns/2025/spring/hero-banner-wide-version-for-the-website.png', direction: 'download', bytesDone: 800_000, bytesTotal: 4_100_000, bytesPerSecond: 950_000 },
      ],
    });
    finance?.publish({ state: 'signed-out', message: 'The server refused the API key (401).', lastSyncAt: now });
    archive?.publish({ state: 'offline', message: 'Connection refused: retrying in 30 s', lastSyncAt: new Date(Date.now() - 3 * 3600_000).toISOString() });

    const { page } = app;
    await page.getByText('logo-final-final.psd').waitFor();
    const badges = await page.locator('.folder-card .badge').allTextContents();
    expect(badges).toEqual(['Syncing', 'Signed out', 'Offline']);
    expect(await page.locator('.sidebar-state').textContent()).toBe('Signed out');
    await screenshots(page, 'overview-several-folders');

    await page.getByLabel('New API key').fill('sk-replacement');
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await expect.poll(() => controllers.length).toBe(4);
    expect(controllers[3]?.runtime).toMatchObject({ workspace: 'ws_finance', apiKey: 'sk-replacement' });
  });
});
