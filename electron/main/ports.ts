/**
 * The few Electron APIs the main-process modules use, as narrow types taken from electron's own
 * typings. Modules receive them as arguments, so tests pass fakes instead of the real binary.
 */
import type { App, Dialog, IpcMain, SafeStorage, Shell } from 'electron';

export type SafeStoragePort = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
>;
export type LoginItemPort = Pick<App, 'setLoginItemSettings' | 'getLoginItemSettings'>;
export type ShellPort = Pick<Shell, 'openPath' | 'showItemInFolder'>;
export type DialogPort = Pick<Dialog, 'showOpenDialog'>;
export type IpcMainPort = Pick<IpcMain, 'handle'>;
export type SaveDialogPort = Pick<Dialog, 'showSaveDialog'>;
export interface ClipboardPort {
  writeText(text: string): void;
}
/** powerMonitor's 'resume' only (wake-sources.ts); like every powerMonitor use, after `ready`. */
export interface PowerMonitorPort {
  on(event: 'resume', listener: () => void): unknown;
  removeListener(event: 'resume', listener: () => void): unknown;
}
