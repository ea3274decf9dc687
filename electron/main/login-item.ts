/**
 * Start at login. macOS and Windows through Electron's login item API; on Linux that API does
 * nothing, so an XDG autostart entry is written to ~/.config/autostart instead.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import type { LoginItemPort } from './ports.js';

export interface LoginItem {
  isEnabled(): Promise<boolean>;
  setEnabled(enabled: boolean): Promise<void>;
  /** Rewrites an enabled entry for the program as it runs now (an AppImage that was moved, say). */
  refresh(): Promise<void>;
}

export interface LoginItemOptions {
  platform: NodeJS.Platform;
  app: LoginItemPort;
  /** The command that starts the app: the AppImage path when run from one, else the executable. */
  executable: string;
  env: NodeJS.ProcessEnv;
  homeDir: string;
}

/** Launched at login, the app starts in the tray without opening its window. */
export const HIDDEN_FLAG = '--hidden';

/**
 * What starts this program again. From an AppImage, the AppImage file: `execPath` is inside its
 * mount, which is gone after a reboot. `APPIMAGE` counts only when this process runs from that
 * mount (`APPDIR`): a wsync installed from the .deb but started from a shell that another
 * AppImage opened inherits that AppImage's variables, and must not write them into its login item.
 */
export function launchCommand(env: NodeJS.ProcessEnv, execPath: string): string {
  const { APPIMAGE: appImage, APPDIR: appDir } = env;
  if (appImage && isAbsolute(appImage) && appDir && isAbsolute(appDir) && execPath.startsWith(`${appDir.replace(/\/+$/, '')}${sep}`)) {
    return appImage;
  }
  return execPath;
}

/** Quoting per the Desktop Entry spec's Exec key. */
function execQuote(arg: string): string {
  return /[\s"'\\`$]/.test(arg) ? `"${arg.replace(/(["`$\\])/g, '\\$1')}"` : arg;
}

export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=wsync',
    'Comment=Keeps a Files API workspace in sync with a folder',
    `Exec=${execQuote(executable)} ${HIDDEN_FLAG}`,
    'Icon=wsync',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function autostartFile(env: NodeJS.ProcessEnv, homeDir: string): string {
  const configHome = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(homeDir, '.config');
  return join(configHome, 'autostart', 'wsync.desktop');
}

export function createLoginItem(options: LoginItemOptions): LoginItem {
  if (options.platform !== 'linux') {
    return {
      isEnabled: async () => options.app.getLoginItemSettings().openAtLogin,
      setEnabled: async (enabled) => {
        options.app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
      },
      refresh: async () => undefined,
    };
  }
  const file = autostartFile(options.env, options.homeDir);
  const read = async (): Promise<string | null> => {
    try {
      return await readFile(file, 'utf8');
    } catch {
      return null;
    }
  };
  const write = async (): Promise<void> => {
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, autostartEntry(options.executable));
  };
  return {
    isEnabled: async () => (await read())?.includes('Exec=') === true,
    async setEnabled(enabled) {
      if (enabled) await write();
      else await rm(file, { force: true });
    },
    async refresh() {
      const current = await read();
      if (current !== null && current.includes('Exec=') && current !== autostartEntry(options.executable)) await write();
    },
  };
}
