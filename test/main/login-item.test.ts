import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autostartEntry, autostartFile, createLoginItem } from '../../electron/main/login-item.js';
import { FakeApp } from '../support/fake-electron.js';

describe('start at login', () => {
  it('on Linux writes and removes an XDG autostart entry that starts the app hidden', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wsync-home-'));
    const app = new FakeApp();
    const item = createLoginItem({ platform: 'linux', app, executable: '/opt/wsync/wsync', env: {}, homeDir: home });
    expect(await item.isEnabled()).toBe(false);
    await item.setEnabled(true);
    const file = join(home, '.config', 'autostart', 'wsync.desktop');
    expect(await readFile(file, 'utf8')).toContain('Exec=/opt/wsync/wsync --hidden');
    expect(await item.isEnabled()).toBe(true);
    await item.setEnabled(false);
    await expect(stat(file)).rejects.toThrow();
    expect(await item.isEnabled()).toBe(false);
    expect(app.loginItem).toEqual({});
  });

  it('honours XDG_CONFIG_HOME when it is an absolute path', () => {
    expect(autostartFile({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/a')).toBe('/x/cfg/autostart/wsync.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: 'relative' }, '/home/a')).toBe('/home/a/.config/autostart/wsync.desktop');
  });

  it('quotes an executable path with spaces as the Desktop Entry spec asks', () => {
    expect(autostartEntry('/home/a/My Apps/wsync.AppImage')).toContain('Exec="/home/a/My Apps/wsync.AppImage" --hidden');
  });

  it.each(['darwin', 'win32'] as const)('on %s uses the login item API', async (platform) => {
    const app = new FakeApp();
    const item = createLoginItem({ platform, app, executable: 'x', env: {}, homeDir: '/nonexistent' });
    await item.setEnabled(true);
    expect(app.loginItem).toEqual({ openAtLogin: true, args: ['--hidden'] });
    expect(await item.isEnabled()).toBe(true);
    await item.setEnabled(false);
    expect(await item.isEnabled()).toBe(false);
  });
});
