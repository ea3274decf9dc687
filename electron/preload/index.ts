/**
 * The sandboxed preload: exposes `window.wsync` (the typed API of electron/shared/ipc.ts) through
 * contextBridge. It forwards commands and events only; the main process validates every message.
 * Bundled to one CommonJS file, because sandboxed preloads cannot load ES modules or other files.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_COMMANDS, commandChannel, eventChannel, type IpcEvent, type IpcResult, type View } from '../shared/ipc-channels.js';
import type { WsyncApi } from '../shared/ipc.js';
import { applyStatusUpdate, type StatusUpdate } from '../shared/status-patch.js';
import type { FolderStatus } from '../shared/status.js';

async function invoke(command: (typeof IPC_COMMANDS)[number], input: unknown): Promise<unknown> {
  const result = (await ipcRenderer.invoke(commandChannel(command), input)) as IpcResult<unknown>;
  if (result.ok) return result.value;
  throw Object.assign(new Error(result.error.message), { kind: result.error.kind });
}

/** What main sends with each event (main is the trusted end of this channel). */
interface EventPayloads {
  status: StatusUpdate;
  navigate: View;
}

function subscribe<E extends IpcEvent>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
  const forward = (_event: IpcRendererEvent, payload: EventPayloads[E]): void => listener(payload);
  ipcRenderer.on(eventChannel(event), forward);
  return () => {
    ipcRenderer.removeListener(eventChannel(event), forward);
  };
}

const commands = Object.fromEntries(IPC_COMMANDS.map((command) => [command, (input?: unknown) => invoke(command, input)]));

/**
 * The main process sends a full status when the window becomes visible and patches after that
 * (electron/shared/status-patch.ts); listeners get every folder's whole status each time.
 */
let statuses: FolderStatus[] | null = null;
const statusListeners = new Set<(statuses: FolderStatus[]) => void>();
subscribe('status', (update) => {
  try {
    statuses = applyStatusUpdate(statuses, update);
  } catch {
    return; // a patch for a status this page never had: the next full one replaces it
  }
  for (const listener of [...statusListeners]) listener(statuses);
});

const events: Pick<WsyncApi, 'onStatus' | 'onNavigate'> = {
  onStatus: (listener) => {
    statusListeners.add(listener);
    return () => {
      statusListeners.delete(listener);
    };
  },
  onNavigate: (listener) => subscribe('navigate', listener),
};

const api = { ...commands, ...events } as WsyncApi;

contextBridge.exposeInMainWorld('wsync', api);
