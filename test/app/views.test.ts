/**
 * Visual and interaction checks of states that are slow or awkward to reach with the real engine
 * (several folders at once, signed out, offline, a folder that stopped, empty views). The statuses
 * here are data published by a controller double; the real engine's path is covered by
 * desktop-e2e.test.ts.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
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
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

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
  const base = await mkdtemp(join(tmpdir(), 'wsync-views-'));
  for (const [name, workspace, prefix] of [
    ['Design', 'ws_design', ''],
    ['Finance reports', 'ws_finance', 'reports/2025/'],
    ['Sequencing archive', 'ws_archive', ''],
  ] as const) {
    const dir = join(base, name);
    await mkdir(dir);
    // As the window does it: the folder comes from the folder dialog.
    app.dialog.answer = dir;
    await app.services.service.handlers.pickFolder(undefined);
    await app.services.service.handlers.addFolder({ server: 'https://files.example.com', apiKey: 'k', workspace, dir, prefix });
  }
  // The folders were added behind the window's back: it reads the settings afresh.
  await app.page.reload();
});

afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed, whatever the declared type says */
  await app?.close();
  await browser?.close();
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

describe('several folder pairs in different states', () => {
  it('shows each folder by its name with its own state; a signed-out folder offers a new key, never Pause', async () => {
    const [design, finance, archive] = controllers;
    design?.publish({
      state: 'syncing',
      lastSyncAt: minutesAgo(5),
      pending: { uploads: 3, downloads: 9, deletes: 0, bytes: 48_200_000 },
      transfers: [
        {
          id: 't1',
          path: 'brand/logo-final-final.psd',
          direction: 'upload',
          bytesDone: 12_400_000,
          bytesTotal: 31_000_000,
          bytesPerSecond: 2_300_000,
        },
        {
          id: 't2',
          path: 'campaigns/2025/spring/social/instagram/hero-banner-wide-version-for-the-website.png',
          direction: 'download',
          bytesDone: 800_000,
          bytesTotal: 4_100_000,
          bytesPerSecond: 950_000,
        },
      ],
    });
    finance?.publish({ state: 'signed-out', message: 'The server refused the API key (401).', lastSyncAt: minutesAgo(1) });
    archive?.publish({ state: 'offline', message: 'Connection refused', lastSyncAt: minutesAgo(180) });

    const { page } = app;
    await page.getByText('logo-final-final.psd').waitFor();
    expect(await page.locator('.folder-card h2').allTextContents()).toEqual(['Design', 'Finance reports', 'Sequencing archive']);
    expect(await page.locator('.folder-card .badge').allTextContents()).toEqual(['Syncing', 'Signed out', 'Offline']);
    // The long path is shortened in the middle: its file name stays whole.
    await expect(page.locator('.transfer-path').nth(1).textContent()).resolves.toMatch(/…\/hero-banner-wide-version-for-the-website\.png$/);
    const signedOut = page.locator('.folder-card', { hasText: 'Finance reports' });
    expect(await signedOut.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    expect(await page.locator('.sidebar-state').textContent()).toBe('Finance reports: signed out');
    await screenshots(page, 'overview-several-folders');

    await page.getByLabel('New API key').fill('sk-replacement');
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await expect.poll(() => controllers.length).toBe(4);
    expect(controllers[3]?.runtime).toMatchObject({ workspace: 'ws_finance', apiKey: 'sk-replacement' });
  });

  it('a folder that stopped says why in a plain sentence, with the fix, in Overview and Errors', async () => {
    const [design, , archive, finance] = controllers;
    design?.publish({ state: 'idle', transfers: [], pending: { uploads: 0, downloads: 0, deletes: 0, bytes: 0 } });
    finance?.publish({ state: 'idle', lastSyncAt: minutesAgo(2) });
    archive?.publish({ state: 'error', message: 'list (GET /v1/files) failed: HTTP 503', lastSyncAt: minutesAgo(20) });
    const { page } = app;
    await page.getByRole('button', { name: 'Overview' }).click();
    await page.getByText('files.example.com is having problems').waitFor();
    await page.getByRole('button', { name: /^Errors/ }).click();
    await page.getByRole('region', { name: 'Sequencing archive stopped syncing' }).waitFor();
    await screenshots(page, 'errors-folder-stopped');
    await page.getByRole('button', { name: 'Copy details' }).click();
    await expect.poll(() => app.clipboard.text).toContain('HTTP 503');
  });

  it('the popover names the one thing that needs the user, and its action opens the right view', async () => {
    const [design, , archive] = controllers;
    archive?.publish({ state: 'idle', message: undefined });
    design?.publish({
      state: 'needs-confirmation',
      heldDeletions: [{ side: 'remote', paths: Array.from({ length: 40 }, (_, i) => `renders/frame-${i}.exr`), syncedCount: 120 }],
      recent: [
        { id: 3, at: minutesAgo(2), path: 'brand/logo-final-final.psd', action: 'upload', decision: 2, bytes: 31_000_000 },
        { id: 2, at: minutesAgo(9), path: 'campaigns/2025/spring/hero.png', action: 'download', decision: 3, bytes: 4_100_000 },
        { id: 1, at: minutesAgo(30), path: 'notes/already.txt', action: 'record-synced', decision: 7 },
      ],
    });
    const popover = await app.openPopover();
    await popover.getByText('40 files deleted in Design: wsync is waiting for you.').waitFor();
    // "Already in sync" moved nothing: it is no recent change.
    expect(await popover.locator('.recent .row-title').allTextContents()).toEqual(['logo-final-final.psd', 'hero.png']);
    await screenshots(popover, 'popover-attention');
    await popover.getByRole('button', { name: 'Review' }).click();
    await expect.poll(() => app.shownViews).toEqual(['overview']);
    await popover.close();
  });

  it('empty views say what will appear there', async () => {
    const { page } = app;
    const [design] = controllers;
    design?.publish({ state: 'idle', heldDeletions: [], recent: [] });
    await page.getByRole('button', { name: /^Conflicts/ }).click();
    await page.getByText('No conflicts').waitFor();
    await screenshots(page, 'conflicts-empty');
    await page.getByRole('button', { name: 'Trash' }).click();
    await page.getByText('The trash is empty').waitFor();
    await screenshots(page, 'trash-empty');
  });
});
