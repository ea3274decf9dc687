/**
 * Start at login. macOS and Windows through Electron's login item API; on Linux that API does
 * nothing, so an XDG autostart entry is written to ~/.config/autostart instead.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoginItemPort } from './ports.js';

export interface LoginItem {
  isEnabled(): Promise<boolean>;
  setEnabled(enabled: boolean): Promise<void>;
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
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homeDir, '.config');
  return join(configHome, 'autostart', 'wsync.desktop');
}

export function createLoginItem(options: LoginItemOptions): LoginItem {
  if (options.platform !== 'linux') {
    return {
      isEnabled: async () => options.app.getLoginItemSettings().openAtLogin,
      setEnabled: async (enabled) => {
        options.app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
      },
    };
  }
  const file = autostartFile(options.env, options.homeDir);
  return {
    async isEnabled() {
      try {
        return (await readFile(file, 'utf8')).includes('Exec=');
      } catch {
        return false;
      }
    },
    async setEnabled(enabled) {
      if (!enabled) {
        await rm(file, { force: true });
        return;
      }
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, autostartEntry(options.executable));
    },
  };
}
