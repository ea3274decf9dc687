/**
 * The renderer's only door to the main process: the API the preload exposes as `window.wsync`.
 * Everything else in the renderer imports it from here.
 */
import type { WsyncApi } from '../../electron/shared/ipc.js';

declare global {
  interface Window {
    wsync: WsyncApi;
  }
}

export const wsync: WsyncApi = window.wsync;

/** The message of an error thrown by a command, fit to show the user. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
