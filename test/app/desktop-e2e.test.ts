/**
 * The desktop app end to end: the built renderer in chromium (the main window and the tray
 * popover), the real preload, the real main services, and the real engine (FolderController)
 * syncing a real temp folder against the emulator over loopback HTTP. Screenshots of each view,
 * light and dark, go to docs/screenshots with `npm run screenshots`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator } from '../../emulator/types.js';
import type { FolderController } from '../../electron/engine/sync/background/ports.js';
import { createController as createProductController, openFilesApi } from '../../electron/engine-process/controller-factory.js';
import type { FolderRuntime } from '../../electron/engine-process/folder-host.js';
import { FAILING_ATTEMPTS } from '../../electron/main/notify-policy.js';
import { trayIcon, trayTooltip } from '../../electron/main/tray-model.js';
import { launchBrowser, openApp, screenshots, type AppHarness } from './harness.js';

const WS = 'ws_demo';
const KEY = 'wsync-demo-key';
const PHOTOS = Array.from({ length: 12 }, (_, i) => `photos/img-${String(i + 1).padStart(2, '0')}.jpg`);
const ARCHIVE = Array.from({ length: 12 }, (_, i) => `archive/2024-${String(i + 1).padStart(2, '0')}.csv`);
const VIDEO_BYTES = 6_000_000;

/**
 * The production controller (engine-process/controller-factory.ts) with one change: a failing
 * file is tried again on every cycle, not after its growing back-off (1 min, 2, 4…), so that
 * "keeps failing" is reached in seconds here. The back-off itself is execute/'s to test.
 */
const createController = (folder: FolderRuntime): FolderController => createProductController(folder, { fileBackoff: { baseDelayMs: 0 } });

let browser: Browser;
let emu: Emulator;
let app: AppHarness;
let base: string;
let dir: string;
let page: Page;
let popover: Page;

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const status = () => app.statuses()[0];
const state = () => status()?.state;
const badge = () => page.locator('.folder-card .badge').textContent();
const remote = (path: string) => emu.admin.read(WS, path).then((b) => b?.toString());
const local = (path: string) => join(dir, ...path.split('/'));
const kinds = () => app.notifications.map((n) => `${n.kind}: ${n.title}`);
const view = (name: string | RegExp) =>
  page
    .getByRole('button', { name, exact: typeof name === 'string' })
    .first()
    .click();

/** Clicks a destructive action, checks it asks first, and confirms. */
async function confirm(scope: Page | Locator, action: string, confirmLabel: string, question: RegExp): Promise<void> {
  await scope.getByRole('button', { name: action }).click();
  const group = scope.getByRole('group', { name: 'Confirm' });
  await expect(group.textContent()).resolves.toMatch(question);
  await group.getByRole('button', { name: confirmLabel }).click();
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wsync-desktop-e2e-'));
  dir = join(base, 'Workspace');
  emu = await startEmulator({ dataDir: join(base, 'emulator') });
  await emu.admin.put(WS, 'docs/readme.txt', 'Read me first.\n');
  await emu.admin.put(WS, 'docs/plan.txt', 'Plan v1\n');
  await emu.admin.put(WS, 'media/video.bin', Buffer.alloc(VIDEO_BYTES, 7));
  for (const p of PHOTOS) await emu.admin.put(WS, p, `photo ${p}\n`);
  // The local folder already holds a file: onboarding says the two will be merged.
  await mkdir(join(dir, 'notes'), { recursive: true });
  await writeFile(join(dir, 'notes', 'from-this-computer.txt'), 'written before wsync\n');
  browser = await launchBrowser();
  app = await openApp(browser, { createController, openFilesApi, pickedFolder: dir });
  page = app.page;
});

// A failed step leaves what the window showed and the folder statuses in the temp folder, which is then kept.
let failed = false;
afterEach(async (ctx) => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed, whatever the declared type says
  if (ctx.task.result?.state !== 'fail' || !page) return;
  failed = true;
  const name = join(base, `failed-${ctx.task.name.slice(0, 24).replace(/\W+/g, '-')}`);
  await page.screenshot({ path: `${name}.png`, fullPage: true }).catch(() => undefined);
  const text = await page
    .locator('body')
    .innerText()
    .catch(() => '');
  await writeFile(`${name}.txt`, `${text}\n${JSON.stringify(app.statuses(), null, 1)}\n`).catch(() => undefined);
  console.error(`desktop e2e: what the window showed is in ${name}.png and .txt`);
});

afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed, whatever the declared type says */
  await app?.close();
  await browser?.close();
  await emu?.close();
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
  // The temp folder (12 MB) goes unless a step failed and left its picture there.
  if (!failed && base) await rm(base, { recursive: true, force: true });
});

describe('the desktop app against the real engine and the emulator', () => {
  it('onboarding in steps: connect (tested), choose from the workspace tree, a local folder, a preview of what will happen', async () => {
    await page.getByLabel('Server address', { exact: true }).fill(emu.url);
    await page.getByLabel('API key', { exact: true }).fill('not-the-key');
    await page.getByLabel('Workspace', { exact: true }).fill(WS);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('refused this API key');
    // Not connected: the next step is not offered.
    expect(await page.getByRole('group', { name: 'Choose what to sync' }).count()).toBe(0);

    await page.getByLabel('API key', { exact: true }).fill(KEY);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const choose = page.getByRole('group', { name: 'Choose what to sync' });
    await choose.getByText('Connected to ws_demo: 15 files, 6 MB.').waitFor();
    expect((await choose.locator('.tree-name').allTextContents()).map((t) => t.trim())).toEqual([
      'Whole workspace (ws_demo)',
      'docs',
      'media',
      'photos',
    ]);
    await expect(choose.locator('.tree-row', { hasText: 'photos' }).textContent()).resolves.toContain('12 files, 288 bytes');
    await screenshots(page, 'onboarding-choose');
    await choose.getByRole('button', { name: 'Continue' }).click();

    // A default local folder is offered; "Choose…" picks another.
    const localStep = page.getByRole('form', { name: 'Where to keep the files' });
    await until(
      'the default local folder',
      async () => (await page.getByLabel('Local folder', { exact: true }).inputValue()) === join(app.home, 'wsync', WS),
    );
    await screenshots(page, 'onboarding-location');
    await localStep.getByRole('button', { name: 'Choose…' }).click();
    await until('the picked folder', async () => (await page.getByLabel('Local folder', { exact: true }).inputValue()) === dir);
    await localStep.getByRole('button', { name: 'Continue' }).click();

    const review = page.getByRole('group', { name: 'Review' });
    const preview = review.getByRole('list', { name: 'Preview' });
    await preview.waitFor();
    expect(await preview.locator('li').allTextContents()).toEqual([
      `This will download 15 files (6 MB) to ${dir}.`,
      "This folder is not empty: its 1 file (21 bytes) will be merged with the workspace's, nothing is deleted. 1 file will be uploaded.",
    ]);
    await screenshots(page, 'onboarding-preview');
    // A download limit slow enough to watch the first sync's progress.
    await page.evaluate(() =>
      (globalThis as unknown as { wsync: { updatePreferences(p: unknown): Promise<unknown> } }).wsync.updatePreferences({
        bandwidth: { uploadBps: 0, downloadBps: 300_000 },
      }),
    );
    await review.getByRole('button', { name: 'Start syncing' }).click();
    await page.getByRole('heading', { name: 'Syncing has started' }).waitFor();
    await screenshots(page, 'onboarding-done');
    await page.getByRole('button', { name: 'Show the overview' }).click();
  });

  it('the first sync shows overall progress, time left and the queue; "Last sync" says a first sync is under way', async () => {
    const video = page.locator('.transfer', { hasText: 'media/video.bin' });
    await until('the video transfer under way', async () => {
      const value = Number(
        (await video
          .locator('progress')
          .getAttribute('value')
          .catch(() => '0')) ?? 0,
      );
      return value >= 10 && value < 40;
    });
    await expect(video.textContent()).resolves.toMatch(/[\d.]+ (KB|MB) of 6 MB · [\d.]+ (MB|KB)\/s/);
    await expect(page.getByTestId('progress-line').textContent()).resolves.toMatch(/MB left · (less than a minute|about \d+ minutes?)/);
    await expect(page.getByTestId('queue').textContent()).resolves.toMatch(/\d+ in progress · \d+ queued/);
    expect(await page.locator('.facts div', { hasText: 'Last sync' }).locator('dd').textContent()).toBe('First sync in progress');
    expect(await badge()).toBe('First sync');
    expect(trayIcon(app.statuses())).toBe('syncing');
    await screenshots(page, 'overview-syncing');

    // The tray popover, meanwhile: the state, the progress, what moves now.
    popover = await app.openPopover();
    await popover.getByRole('heading', { name: /^Syncing \d+ files?$/ }).waitFor();
    await expect(popover.getByTestId('popover-progress').textContent()).resolves.toMatch(/left/);
    await popover.getByRole('region', { name: 'Transfers in progress' }).getByText('media/video.bin').waitFor();
    await screenshots(popover, 'popover-syncing');

    await until('"Up to date"', async () => (await badge()) === 'Up to date', 60_000);
    expect(await readFile(local('docs/readme.txt'), 'utf8')).toBe('Read me first.\n');
    expect((await readFile(local('media/video.bin'))).length).toBe(VIDEO_BYTES);
    expect(await remote('notes/from-this-computer.txt')).toBe('written before wsync\n');
    expect(trayIcon(app.statuses())).toBe('idle');
    expect(trayTooltip(app.statuses())).toBe('Up to date');
    expect(kinds()).toContain('first-sync-complete: Workspace is ready');
    expect(await readFile(join(app.home, '.config', 'autostart', 'wsync.desktop'), 'utf8')).toContain('--hidden');
    await page.evaluate(() =>
      (globalThis as unknown as { wsync: { updatePreferences(p: unknown): Promise<unknown> } }).wsync.updatePreferences({
        bandwidth: { uploadBps: 0, downloadBps: 0 },
      }),
    );
    await screenshots(page, 'overview');
  });

  it('the popover lists recent changes that really moved, and opens the window where asked', async () => {
    await popover.getByRole('heading', { name: 'Everything is up to date' }).waitFor();
    const names = await popover.locator('.recent .row-title').allTextContents();
    expect(names.length).toBeGreaterThan(3);
    expect(names).toContain('video.bin');
    expect(await popover.locator('.banner').count()).toBe(0);
    await screenshots(popover, 'popover');
    await popover.getByRole('button', { name: 'Open wsync' }).click();
    await until('the window shown', () => app.shownViews.includes('overview'));
  });

  it('activity is grouped by day, with sizes; double-click opens a file, and "Show" appears on hover', async () => {
    await view('Activity');
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    const videoRow = page.locator('.activity-row', { hasText: 'video.bin' });
    await expect(videoRow.locator('.size').textContent()).resolves.toBe('6 MB');
    const readme = page.locator('.activity-row', { hasText: 'readme.txt' });
    const show = readme.getByRole('button', { name: 'Show readme.txt in folder' });
    expect(await show.isVisible()).toBe(false);
    await readme.hover();
    expect(await show.isVisible()).toBe(true);
    await show.click();
    await until('the file revealed', () => app.shell.revealed.includes(local('docs/readme.txt')));
    await readme.dblclick();
    await until('the file opened', () => app.shell.opened.includes(local('docs/readme.txt')));
    await page.mouse.move(0, 0);
    await screenshots(page, 'activity');
  });

  it('pause stops all requests; the popover pauses for an hour and resumes; what changed meanwhile is uploaded', async () => {
    await view('Overview');
    await page.getByRole('button', { name: 'Pause' }).click();
    await until('paused', async () => (await badge()) === 'Paused');
    expect(trayIcon(app.statuses())).toBe('paused');
    emu.resetCounters();
    await writeFile(local('docs/notes.txt'), 'written while paused\n');
    await page.waitForTimeout(1500);
    expect(emu.requests()).toEqual([]);
    await screenshots(page, 'overview-paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await until('the upload after resume', async () => (await remote('docs/notes.txt')) === 'written while paused\n');

    await popover.bringToFront();
    await popover.getByRole('button', { name: 'Pause syncing' }).click();
    await popover.getByRole('menuitem', { name: 'For 1 hour' }).click();
    await until('paused by the popover', () => state() === 'paused');
    const until1h = Date.parse(app.services.settings.get().pausedUntil ?? '');
    expect(Math.abs(until1h - (Date.now() + 3_600_000))).toBeLessThan(60_000);
    await popover.getByRole('heading', { name: /^Paused until/ }).waitFor();
    await screenshots(popover, 'popover-paused');
    await popover.getByRole('button', { name: 'Resume' }).click();
    await until('resumed', () => state() === 'idle');
    expect(app.services.settings.get().pausedUntil).toBeNull();
    await page.bringToFront();
  });

  it('a conflict shows both versions with size and time; "Keep both" keeps both files on both sides', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await until('paused', () => state() === 'paused');
    await writeFile(local('docs/plan.txt'), 'Plan v2 (mine, longer)\n');
    await emu.admin.put(WS, 'docs/plan.txt', 'Plan v2 (theirs)\n');
    await page.getByRole('button', { name: 'Resume' }).click();

    await until('the conflict', () => (status()?.conflicts.length ?? 0) > 0);
    await until('the conflict announced', () => kinds().includes('conflict: plan.txt was changed in two places'));
    await view(/^Conflicts/);
    const card = page.getByRole('article', { name: 'Conflict in docs/plan.txt' });
    await card.getByRole('heading', { name: 'docs/plan.txt' }).waitFor();
    await until('"Up to date" again', () => state() === 'idle');
    const copy = status()?.conflicts[0]?.conflictCopy ?? '';
    await expect(card.locator('.version', { hasText: 'Workspace version' }).locator('.version-facts').textContent()).resolves.toMatch(
      /^17 bytes · changed /,
    );
    await expect(card.locator('.version', { hasText: 'Your version' }).locator('.version-facts').textContent()).resolves.toMatch(
      /^23 bytes · changed /,
    );
    await screenshots(page, 'conflicts');

    await card.getByRole('button', { name: 'Show your version of plan.txt in folder' }).click();
    await until('your version revealed', () => app.shell.revealed.includes(local(copy)));
    await card.getByRole('button', { name: 'Keep both' }).click();
    await page.getByText('No conflicts').waitFor();
    expect(await readFile(local('docs/plan.txt'), 'utf8')).toBe('Plan v2 (theirs)\n');
    expect(await readFile(local(copy), 'utf8')).toBe('Plan v2 (mine, longer)\n');
    await until(
      'both in the workspace',
      async () => (await remote(copy)) === 'Plan v2 (mine, longer)\n' && (await remote('docs/plan.txt')) === 'Plan v2 (theirs)\n',
    );
    // Kept both: a later cycle does not bring the conflict back.
    await page.getByRole('button', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.waitForTimeout(800);
    expect(status()?.conflicts).toEqual([]);
  });

  it('keeping only your version asks first, and the other one goes to the wsync trash', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await until('paused', () => state() === 'paused');
    await writeFile(local('docs/readme.txt'), 'Read me (mine)\n');
    await emu.admin.put(WS, 'docs/readme.txt', 'Read me (theirs)\n');
    await page.getByRole('button', { name: 'Resume' }).click();
    await until('the conflict', () => (status()?.conflicts.length ?? 0) > 0);
    await until('idle', () => state() === 'idle');
    await view(/^Conflicts/);
    const card = page.getByRole('article', { name: 'Conflict in docs/readme.txt' });
    await confirm(card, 'Keep only your version…', 'Keep your version', /the workspace version moves to Workspace\/\.wsync\/trash/);
    await page.getByText('No conflicts').waitFor();
    expect(await readFile(local('docs/readme.txt'), 'utf8')).toBe('Read me (mine)\n');
    await until('your version uploaded', async () => (await remote('docs/readme.txt')) === 'Read me (mine)\n');
  });

  it('a mass deletion in the folder is held: restoring is the first choice, deleting asks first', async () => {
    await view('Overview');
    await until('idle', () => state() === 'idle');
    await rm(local('photos'), { recursive: true });
    await until('held deletions', () => state() === 'needs-confirmation');
    const prompt = page.getByRole('region', { name: /12 files deleted in Workspace/ });
    await prompt.waitFor();
    const buttons = await prompt.getByRole('button').allTextContents();
    expect(buttons.slice(0, 3)).toEqual(['Show all 12', 'Restore them in my folder', 'Delete from workspace too…']);
    expect(await page.locator('.facts div', { hasText: 'Needs attention' }).locator('dd').textContent()).toBe('12 deletions to review');
    expect(trayIcon(app.statuses())).toBe('needs-confirmation');
    await until('announced', () => kinds().includes('held-deletions: 12 files deleted in Workspace'));
    expect(await remote(PHOTOS[0] as string)).toBe(`photo ${PHOTOS[0]}\n`);
    await prompt.getByRole('button', { name: 'Show all 12' }).click();
    expect(await prompt.locator('.path-list li').count()).toBe(12);
    await screenshots(page, 'held-deletions');

    await confirm(prompt, 'Delete from workspace too…', 'Delete 12 from workspace', /deleted from the workspace ws_demo/);
    await until('the remote deletions', () => emu.admin.list(WS).every((f) => !f.path.startsWith('photos/')));
    await until('"Up to date"', async () => (await badge()) === 'Up to date');
  });

  it('a mass deletion in the workspace is held too; confirmed, the files go to the wsync trash, said so beforehand', async () => {
    for (const p of ARCHIVE) await emu.admin.put(WS, p, `rows of ${p}\n`);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await until('the archive downloaded', () => ARCHIVE.every((p) => existsSync(local(p))));
    await until('idle', () => state() === 'idle');

    for (const p of ARCHIVE) await emu.admin.remove(WS, p);
    await page.getByRole('button', { name: 'Sync now' }).click();
    const prompt = page.getByRole('region', { name: /12 files deleted from the workspace/ });
    await prompt.waitFor();
    expect(ARCHIVE.every((p) => existsSync(local(p)))).toBe(true);
    await screenshots(page, 'held-deletions-workspace');

    await confirm(
      prompt,
      'Delete from this computer too…',
      'Move 12 to wsync trash',
      /moved from this computer to Workspace\/\.wsync\/trash \(not the system Trash\)/,
    );
    await until('moved to the wsync trash', () => ARCHIVE.every((p) => !existsSync(local(p))));
    await until('"Up to date"', async () => (await badge()) === 'Up to date');
  });

  it('the Trash lists what wsync moved there from either side, and Restore puts a file back on both sides', async () => {
    await view('Trash');
    const trash = page.getByRole('region', { name: 'Trash of Workspace' });
    await trash.getByText('13 files', { exact: false }).waitFor();
    await expect(trash.locator('.trash-row', { hasText: '2024-03.csv' }).textContent()).resolves.toContain('Deleted in the workspace');
    await expect(trash.locator('.trash-row', { hasText: 'readme.txt' }).textContent()).resolves.toContain('Not kept in a conflict');
    await screenshots(page, 'trash');

    await trash.getByRole('button', { name: 'Restore archive/2024-03.csv' }).click();
    await trash.getByText('Restored archive/2024-03.csv').waitFor();
    expect(await readFile(local('archive/2024-03.csv'), 'utf8')).toBe('rows of archive/2024-03.csv\n');
    await until('uploaded to the workspace again', async () => (await remote('archive/2024-03.csv')) === 'rows of archive/2024-03.csv\n');
    await trash.getByText('12 files', { exact: false }).waitFor();

    // The version not kept in the conflict comes back beside the file now at its place.
    await trash.getByRole('button', { name: 'Restore docs/readme.txt' }).click();
    await trash.getByText('Restored docs/readme (restored).txt', { exact: false }).waitFor();
    expect(await readFile(local('docs/readme (restored).txt'), 'utf8')).toBe('Read me (theirs)\n');
    expect(await readFile(local('docs/readme.txt'), 'utf8')).toBe('Read me (mine)\n');

    // Nothing is older than the retention yet: emptying "older than 30 days" keeps everything.
    await confirm(trash, 'Empty trash older than 30 days…', 'Delete old files', /more than 30 days are deleted for good/);
    await trash.getByText('Nothing was old enough to delete.').waitFor();
    expect(existsSync(join(dir, '.wsync', 'trash'))).toBe(true);
  });

  it('many files failing alike are one notification and one plain sentence, with Copy details, Open log and Retry all', async () => {
    const failing = ['docs/q1.txt', 'docs/q2.txt', 'docs/q3.txt', 'docs/q4.txt'];
    const locked = local('docs');
    // Immutable even for root: the downloads cannot be renamed into the folder.
    execFileSync('chattr', ['+i', locked]);
    try {
      for (const p of failing) await emu.admin.put(WS, p, `report ${p}\n`);
      await view('Overview');
      for (let round = 0; round < FAILING_ATTEMPTS + 3; round++) {
        const errors = status()?.errors ?? [];
        if (failing.every((p) => (errors.find((e) => e.path === p)?.attempts ?? 0) >= FAILING_ATTEMPTS)) break;
        const before = JSON.stringify(errors.map((e) => e.attempts));
        await page.getByRole('button', { name: 'Sync now' }).click();
        await until('a cycle', () => JSON.stringify((status()?.errors ?? []).map((e) => e.attempts)) !== before && state() !== 'syncing');
      }
      await until('one grouped notification', () => kinds().includes("failing-files: 4 files couldn't sync"));
      expect(kinds().filter((k) => k.startsWith('failing-files'))).toEqual(["failing-files: 4 files couldn't sync"]);
      const grouped = app.notifications.find((n) => n.kind === 'failing-files');
      expect(grouped?.body).toContain("wsync isn't allowed to write them on this computer.");
      expect(grouped?.actions.map((a) => a.label)).toEqual(['Retry all', 'Show']);

      await view(/^Errors/);
      const group = page.getByRole('region', { name: "4 files couldn't sync" });
      await group.waitFor();
      const text = (await page.locator('.content').textContent()) ?? '';
      expect(text).toContain("wsync isn't allowed to write them on this computer.");
      expect(text).not.toMatch(/EPERM|EACCES|\.wsync\/tmp|\.download/);
      await screenshots(page, 'errors');
      await group.getByRole('button', { name: 'Copy details' }).click();
      await until('details copied', () => app.clipboard.text.includes('docs/q1.txt'));
      expect(app.clipboard.text).toMatch(/EPERM|EACCES/);
      expect(app.clipboard.text).not.toContain('.wsync/tmp');
      await group.getByRole('button', { name: 'Open log' }).click();
      await until('the log opened', () => app.shell.opened.includes(join(dir, '.wsync', 'logs', 'wsync.log')));
    } finally {
      execFileSync('chattr', ['-i', locked]);
    }
    await page.getByRole('region', { name: "4 files couldn't sync" }).getByRole('button', { name: 'Retry all' }).click();
    await until('the retried downloads', () => failing.every((p) => existsSync(local(p))));
    await page.getByText('No errors').waitFor();
  });

  it('a debug archive holds the logs and status, never the key', async () => {
    app.dialog.saveAnswer = join(base, 'wsync-debug.tar.gz');
    await page.getByRole('button', { name: 'Create debug archive…' }).click();
    await page.getByText(`Saved as ${app.dialog.saveAnswer}`).waitFor();
    const raw = gunzipSync(await readFile(app.dialog.saveAnswer)).toString('latin1');
    expect(raw).toContain('wsync-debug/status.json');
    expect(raw).toMatch(/wsync-debug\/logs\/[^/]+\/wsync\.log/);
    expect(raw).not.toContain(KEY);
  });

  it('settings: folder names, ignore rules, "Don\'t limit / Limit to", proxy, notifications, trash days, about', async () => {
    await view('Settings');
    const folders = page.getByRole('region', { name: 'Folders' });
    await folders.locator('.row-title', { hasText: 'Workspace' }).waitFor();
    await folders.getByRole('button', { name: 'Ignore rules of Workspace' }).click();
    await folders.locator('textarea').fill('*.tmp\nscratch/\n');
    await folders.getByRole('button', { name: 'Save rules' }).click();
    await until(
      '.wsyncignore written',
      async () => existsSync(local('.wsyncignore')) && (await readFile(local('.wsyncignore'), 'utf8')) === '*.tmp\nscratch/\n',
    );

    const network = page.getByRole('region', { name: 'Network' });
    const upload = network.getByRole('group', { name: 'Upload speed' });
    await upload.getByLabel('Limit to').check();
    await upload.getByLabel('Upload limit in KB/s').fill('500');
    await network.getByRole('button', { name: 'Save network settings' }).click();
    await network.getByText('Now: upload 500 KB/s, download no limit.').waitFor();
    expect(app.services.settings.get().bandwidth).toEqual({ uploadBps: 500_000, downloadBps: 0 });

    const notifications = page.getByRole('region', { name: 'Notifications' });
    await notifications.getByLabel(/First sync finished/).uncheck();
    await until('saved', () => app.services.settings.get().notifications['first-sync-complete'] === false);

    await page.getByRole('button', { name: 'Check for updates' }).click();
    await page.getByText('This build has no update feed', { exact: false }).waitFor();
    // The update address: https only, saved to the settings, and emptied to stop checking.
    const about = page.getByRole('region', { name: 'About' });
    const feed = about.getByLabel('Update address');
    await feed.fill('http://updates.example.org/wsync/');
    await about.getByText('An update address starts with https://').waitFor();
    expect(await about.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await feed.fill('https://updates.example.org/wsync/');
    await about.getByRole('button', { name: 'Save' }).click();
    await about.getByText('every 6 hours', { exact: false }).waitFor();
    expect(app.services.settings.get().updateFeedUrl).toBe('https://updates.example.org/wsync/');
    await feed.fill('');
    await about.getByRole('button', { name: 'Save' }).click();
    await about.getByText('wsync does not look for updates', { exact: false }).waitFor();
    expect(app.services.settings.get().updateFeedUrl).toBeUndefined();
    await screenshots(page, 'settings');
  });

  it('Ctrl+, opens the settings from any view', async () => {
    await view('Activity');
    await page.keyboard.press('Control+Comma');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  });

  it('moves the folder (with its state) and goes on syncing from the new place', async () => {
    const parent = join(base, 'Moved here');
    await mkdir(parent);
    app.dialog.answer = parent;
    await page.getByRole('button', { name: 'Move Workspace', exact: true }).click();
    const moved = join(parent, 'Workspace');
    await page.getByText(`Moved to ${moved}`, { exact: false }).waitFor();
    expect(existsSync(dir)).toBe(false);
    expect((await readdir(join(moved, '.wsync'))).includes('state.db')).toBe(true);
    dir = moved;
    emu.resetCounters();
    await until('idle at the new place', () => status()?.dir === moved && state() === 'idle');
    // Nothing is transferred again: the state moved with the folder.
    expect(emu.requests().filter((r) => r.method !== 'GET')).toEqual([]);
    await writeFile(local('docs/after-move.txt'), 'synced from the new place\n');
    await until('uploaded from the new place', async () => (await remote('docs/after-move.txt')) === 'synced from the new place\n');
  });
});
