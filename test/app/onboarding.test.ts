import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, screenshots, type AppHarness } from './harness.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
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
    for (let i = 0; i < 5; i += 1) {
      order.push(
        await page.evaluate<string>("document.activeElement?.labels?.[0]?.textContent || document.activeElement?.textContent || ''"),
      );
      await page.keyboard.press('Tab');
    }
    expect(order).toEqual(['Server address', 'API key', 'Workspace', 'Local folder', 'Choose…']);
    expect(await page.getByRole('button', { name: 'Test connection' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Start syncing' }).isDisabled()).toBe(true);
  });

  it('the page cannot reach the main process with a message that fails validation', async () => {
    const message = await app.page.evaluate(() =>
      (globalThis as unknown as { wsync: { pause(i: unknown): Promise<void> } }).wsync.pause({ folderId: '../../x' }).then(
        () => 'accepted',
        (err: Error) => err.message,
      ),
    );
    expect(message).toBe('folderId: Unknown folder id');
  });
});
