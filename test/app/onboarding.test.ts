import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, screenshots, type AppHarness } from './harness.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed, whatever the declared type says
  await browser?.close();
});

const unused = () => {
  throw new Error('no folder pair is added in this test');
};

describe('first run, before any folder pair exists', () => {
  let app: AppHarness;
  beforeAll(async () => {
    app = await openApp(browser, { createController: unused, openFilesApi: unused, keyBackend: 'basic_text' });
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed, whatever the declared type says
    await app?.close();
  });

  it('shows onboarding, with the warning that the key is not protected by a keyring', async () => {
    const { page } = app;
    await page.getByRole('heading', { name: 'Set up wsync' }).waitFor();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('not protected by a keyring');
    await screenshots(page, 'onboarding');
  });

  it('is usable from the keyboard: fields in order, and the buttons stay disabled until filled in', async () => {
    const { page } = app;
    await page.getByLabel('Server address').focus();
    const order: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      order.push(await page.evaluate<string>("document.activeElement?.labels?.[0]?.textContent || document.activeElement?.textContent || ''"));
      await page.keyboard.press('Tab');
    }
    expect(order).toEqual(['Server address', 'API key', 'Workspace', 'Connection settings (proxy)…']);
    // Nothing to connect with yet; no later step is reachable before the connection is tested.
    expect(await page.getByRole('button', { name: 'Connect', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Start syncing' }).count()).toBe(0);
  });

  it('the proxy can be set before connecting (Settings from the tray opens it)', async () => {
    const { page } = app;
    await page.evaluate(() =>
      (globalThis as unknown as { __wsyncEmit(c: string, p: unknown): void }).__wsyncEmit('wsync:event:navigate', 'settings'),
    );
    const proxy = page.getByRole('group', { name: 'Proxy' });
    await proxy.waitFor();
    await proxy.getByLabel('This proxy:').check();
    await proxy.getByLabel('Proxy address').fill('http://proxy.lab.example:3128');
    await screenshots(page, 'onboarding-proxy');
  });

  it('the page cannot reach the main process with a message that fails validation', async () => {
    const message = await app.page.evaluate(() =>
      (globalThis as unknown as { wsync: { pause(i: unknown): Promise<void> } }).wsync.pause({ folderId: '../../x' }).then(
        () => 'accepted',
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      ),
    );
    expect(message).toBe('folderId: Unknown folder id');
  });
});
