/**
 * Stands in for the 'electron' module when the real preload (electron/preload/index.ts) is
 * bundled for the browser tests: contextBridge puts the API on window, and ipcRenderer reaches
 * the Node side through a function the harness exposes with page.exposeFunction.
 */
type Listener = (event: unknown, payload: unknown) => void;

interface HarnessWindow {
  __wsyncIpc(channel: string, payload: unknown): Promise<unknown>;
  __wsyncEmit(channel: string, payload: unknown): void;
}

const page = globalThis as unknown as HarnessWindow;
const listeners = new Map<string, Set<Listener>>();

page.__wsyncEmit = (channel, payload) => {
  for (const listener of listeners.get(channel) ?? []) listener({}, payload);
};

export const ipcRenderer = {
  invoke: (channel: string, payload: unknown): Promise<unknown> => page.__wsyncIpc(channel, payload),
  on(channel: string, listener: Listener): void {
    const set = listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(channel, set);
  },
  removeListener(channel: string, listener: Listener): void {
    listeners.get(channel)?.delete(listener);
  },
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    Object.defineProperty(globalThis, key, { value: Object.freeze(api), enumerable: true });
  },
};
