import { useCallback, useEffect, useState } from 'preact/hooks';
import type { PublicSettings } from '../../electron/shared/ipc.js';
import type { View } from '../../electron/shared/ipc-channels.js';
import type { FolderStatus } from '../../electron/shared/status.js';
import { errorMessage, wsync } from './bridge.js';

/** Every folder's status, live. `null` until the first snapshot arrived. */
export function useStatuses(): FolderStatus[] | null {
  const [statuses, setStatuses] = useState<FolderStatus[] | null>(null);
  useEffect(() => {
    let live = true;
    const unsubscribe = wsync.onStatus((next) => setStatuses(next));
    void wsync.getStatus().then((first) => {
      if (live) setStatuses((current) => current ?? first);
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);
  return statuses;
}

export function useSettings(): [PublicSettings | null, () => Promise<void>, (s: PublicSettings) => void] {
  const [settings, setSettings] = useState<PublicSettings | null>(null);
  const reload = useCallback(async () => setSettings(await wsync.getSettings()), []);
  useEffect(() => {
    void reload();
  }, [reload]);
  return [settings, reload, setSettings];
}

export function useNavigate(onNavigate: (view: View) => void): void {
  useEffect(() => wsync.onNavigate(onNavigate), [onNavigate]);
}

/** Runs a command, tracking "busy" and the error message to show beside the button. */
export function useAction(): { busy: boolean; error: string | null; run: (task: () => Promise<unknown>) => Promise<boolean> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (task: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await task();
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}

/** Re-renders every `ms` so that "2 minutes ago" stays true. */
export function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}
