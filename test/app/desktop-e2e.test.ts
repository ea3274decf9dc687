/**
 * The desktop app end to end: the built renderer in chromium, the real preload, the real main
 * services, and the real engine (FolderController) syncing a real temp folder against the
 * emulator over loopback HTTP. Screenshots of each view, light and dark, go to docs/screenshots.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator } from '../../emulator/types.js';
import { createController, openFilesApi } from '../../electron/engine-process/controller-factory.js';
import { trayIcon, trayTooltip } from '../../electron/main/tray-model.js';
import { launchBrowser, openApp, screenshots, type AppHarness } from './harness.js';

const WS = 'ws_demo';
const KEY = 'wsync-demo-key';
const PHOTOS = Array.from({ length: 12 }, (_, i) => `photos/img-${String(i + 1).padStart(2, '0')}.jpg`);
const VIDEO_BYTES = 6_000_000;

let browser: Browser;
let emu: Emulator;
let app: AppHarness;
let dir: string;
let page: Page;

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const state = () => app.statuses()[0]?.state;
const badge = () => page.locator('.folder-card .badge').textContent();
const remote = (path: string) => emu.admin.read(WS, path).then((b) => b?.toString());

beforeAll(async () => {
  const base = await mkdtemp(join(tmpdir(), 'wsync-desktop-e2e-'));
  dir = join(base, 'Workspace');
  emu = await startEmulator({ dataDir: join(base, 'emulator') });
  await emu.admin.put(WS, 'docs/readme.txt', 'Read me first.\n');
  await emu.admin.put(WS, 'docs/plan.txt', 'Plan v1\n');
  await emu.admin.put(WS, 'media/video.bin', Buffer.alloc(VIDEO_BYTES, 7));
  for (const p of PHOTOS) await emu.admin.put(WS, p, `photo ${p}\n`);
  browser = await launchBrowser();
  app = await openApp(browser, { createController, openFilesApi, pickedFolder: dir });
  page = app.page;
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
  await emu?.close();
});

describe('the desktop app against the real engine and the emulator', () => {
  it('onboarding: test connection shows the file count, then the first sync shows progress and reaches "Up to date"', async () => {
    await page.getByLabel('Server address', { exact: true }).fill(emu.url);
    await page.getByLabel('API key', { exact: true }).fill('not-the-key');
    await page.getByLabel('Workspace', { exact: true }).fill(WS);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('refused this API key');

    await page.getByLabel('API key', { exact: true }).fill(KEY);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(`Connected: ${PHOTOS.length + 3} files in this workspace.`).waitFor();
    await page.getByRole('button', { name: 'Choose…' }).click();
    expect(await page.getByLabel('Local folder', { exact: true }).inputValue()).toBe(dir);
    // A download limit slow enough to watch the first sync's progress.
    await page.getByLabel('Download', { exact: true }).fill('1500');
    await screenshots(page, 'onboarding-connected');
    await page.getByRole('button', { name: 'Start syncing' }).click();

    await page.locator('.transfer progress').first().waitFor({ timeout: 20_000 });
    const video = page.locator('.transfer', { hasText: 'media/video.bin' });
    await until('the video transfer under way', async () => {
      const value = Number((await video.locator('progress').getAttribute('value')) ?? 0);
      return value >= 40 && value < 100;
    });
    await expect(video.textContent()).resolves.toMatch(/MB of 6 MB · [\d.]+ (MB|KB)\/s/);
    await screenshots(page, 'overview-syncing');

    await until('"Up to date"', async () => (await badge()) === 'Up to date', 60_000);
    expect(await readFile(join(dir, 'docs', 'readme.txt'), 'utf8')).toBe('Read me first.\n');
    expect((await readFile(join(dir, 'media', 'video.bin'))).length).toBe(VIDEO_BYTES);
    expect(trayIcon(app.statuses())).toBe('idle');
    expect(trayTooltip(app.statuses())).toBe('Up to date');
    expect(await readFile(join(app.home, '.config', 'autostart', 'wsync.desktop'), 'utf8')).toContain('--hidden');
    await screenshots(page, 'overview');
  });

  it('activity lists what was downloaded, with "show in folder"', async () => {
    await page.getByRole('button', { name: 'Recent activity' }).click();
    await page.getByText('readme.txt', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Show readme.txt in folder' }).click();
    await until('the file revealed', () => app.shell.revealed.includes(join(dir, 'docs', 'readme.txt')));
    await screenshots(page, 'activity');
  });

  it('pause stops all requests; resume uploads what changed meanwhile', async () => {
    await page.getByRole('button', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Pause' }).click();
    await until('paused', async () => (await badge()) === 'Paused');
    expect(trayIcon(app.statuses())).toBe('paused');
    emu.resetCounters();
    await writeFile(join(dir, 'docs', 'notes.txt'), 'written while paused\n');
    await page.waitForTimeout(1500);
    expect(emu.requests()).toEqual([]);
    await screenshots(page, 'overview-paused');

    await page.getByRole('button', { name: 'Resume' }).click();
    await until('the upload after resume', async () => (await remote('docs/notes.txt')) === 'written while paused\n');
    await until('"Up to date"', async () => (await badge()) === 'Up to date');
  });

  it('a conflict is announced, shown with both versions, and resolved by keeping one', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await until('paused', () => state() === 'paused');
    await writeFile(join(dir, 'docs', 'plan.txt'), 'Plan v2 (mine)\n');
    await emu.admin.put(WS, 'docs/plan.txt', 'Plan v2 (theirs)\n');
    await page.getByRole('button', { name: 'Resume' }).click();

    await until('the conflict', () => (app.statuses()[0]?.conflicts.length ?? 0) > 0);
    expect(app.notifications.map((n) => n.kind)).toContain('conflict');
    await page.getByRole('button', { name: /^Conflicts/ }).click();
    await page.getByRole('heading', { name: 'docs/plan.txt' }).waitFor();
    await until('"Up to date" again', () => state() === 'idle');
    await screenshots(page, 'conflicts');

    const copy = app.statuses()[0]?.conflicts[0]?.conflictCopy ?? '';
    await page.getByRole('button', { name: 'Open your version of plan.txt' }).click();
    await until('your version opened', () => app.shell.opened.includes(join(dir, ...copy.split('/'))));
    expect(await readFile(join(dir, ...copy.split('/')), 'utf8')).toBe('Plan v2 (mine)\n');

    await page.locator('.version', { hasText: 'Your version' }).getByRole('button', { name: 'Keep this one' }).click();
    await page.getByText('No conflicts').waitFor();
    expect(await readFile(join(dir, 'docs', 'plan.txt'), 'utf8')).toBe('Plan v2 (mine)\n');
    expect(existsSync(join(dir, ...copy.split('/')))).toBe(false);
    await until('the kept version uploaded', async () => (await remote('docs/plan.txt')) === 'Plan v2 (mine)\n');
  });

  it('a mass deletion is held until the user confirms it, then goes ahead', async () => {
    await page.getByRole('button', { name: 'Overview' }).click();
    await until('idle', () => state() === 'idle');
    await rm(join(dir, 'photos'), { recursive: true });
    await until('held deletions', () => state() === 'needs-confirmation');
    await page.getByRole('region', { name: /12 files deleted in your folder/ }).waitFor();
    expect(await page.locator('.facts div', { hasText: 'Needs attention' }).locator('dd').textContent()).toBe('12 deletions to confirm');
    expect(trayIcon(app.statuses())).toBe('needs-confirmation');
    expect(app.notifications.map((n) => n.kind)).toContain('held-deletions');
    expect(await remote(PHOTOS[0] as string)).toBe(`photo ${PHOTOS[0]}\n`);
    await screenshots(page, 'held-deletions');

    await page.getByRole('button', { name: 'Delete from workspace' }).click();
    await until('the remote deletions', () => emu.admin.list(WS).every((f) => !f.path.startsWith('photos/')));
    await until('"Up to date"', async () => (await badge()) === 'Up to date');
  });

  it('a mass deletion in the workspace is held too, and Restore brings the files back there', async () => {
    const archive = Array.from({ length: 12 }, (_, i) => `archive/2024-${String(i + 1).padStart(2, '0')}.csv`);
    for (const p of archive) await emu.admin.put(WS, p, `rows of ${p}\n`);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await until('the archive downloaded', () => archive.every((p) => existsSync(join(dir, ...p.split('/')))));
    await until('idle', () => state() === 'idle');

    for (const p of archive) await emu.admin.remove(WS, p);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('region', { name: /12 files deleted from the workspace/ }).waitFor();
    expect(archive.every((p) => existsSync(join(dir, ...p.split('/'))))).toBe(true);
    await screenshots(page, 'held-deletions-workspace');

    await page.getByRole('button', { name: 'Restore files' }).click();
    await until('the files restored in the workspace', async () => (await remote(archive[0] as string)) === `rows of ${archive[0]}\n`);
    await until('all restored', () => archive.every((p) => emu.admin.list(WS).some((f) => f.path === p)));
    await until('"Up to date"', async () => (await badge()) === 'Up to date');
  });

  it('a file that cannot be written is listed under Errors with its reason, and Retry syncs it once fixed', async () => {
    const locked = join(dir, 'docs');
    // Immutable even for root: the download's temporary file cannot be created in the folder.
    execFileSync('chattr', ['+i', locked]);
    try {
      await emu.admin.put(WS, 'docs/report.txt', 'Quarterly report\n');
      await page.getByRole('button', { name: 'Sync now' }).click();
      await until('the file error', () => app.statuses()[0]?.errors.some((e) => e.path === 'docs/report.txt'));
      await page.getByRole('button', { name: /^Errors/ }).click();
      await page.locator('.row-title', { hasText: 'docs/report.txt' }).waitFor();
      await expect(page.locator('.rows').textContent()).resolves.toContain('Disk problem');
      await screenshots(page, 'errors');
    } finally {
      execFileSync('chattr', ['-i', locked]);
    }
    await page.getByRole('button', { name: 'Retry docs/report.txt' }).click();
    await until('the retried download', async () => existsSync(join(dir, 'docs', 'report.txt')));
    await page.getByText('No errors').waitFor();
  });

  it('settings show the folder pair and save bandwidth limits', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByText(dir, { exact: false }).first().waitFor();
    await page.getByLabel('Download', { exact: true }).fill('0');
    await page.getByLabel('Upload', { exact: true }).fill('500');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('Now: upload 500 KB/s, download unlimited.').waitFor();
    expect(app.services.settings.get().bandwidth).toEqual({ uploadBps: 500_000, downloadBps: 0 });
    await screenshots(page, 'settings');
  });
});

