import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { bytesLeft, progressFraction } from '../../electron/shared/format.js';
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
export function useAction(): { busy: boolean; error: string | null; run: (task: () => Promise<unknown>) => Promise<boolean>; clear: () => void } {
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
  return { busy, error, run, clear: useCallback(() => setError(null), []) };
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

/**
 * The share done of each syncing folder's work, and over all of them: the bytes left measured
 * against the most that was left since the folder began syncing (reset when it stops).
 */
export function useProgress(statuses: readonly FolderStatus[]): { overall: number; of: (folderId: string) => number } {
  const totals = useRef(new Map<string, number>());
  const fractions = new Map<string, number>();
  let left = 0;
  let total = 0;
  for (const s of statuses) {
    if (s.state !== 'syncing') {
      totals.current.delete(s.folderId);
      continue;
    }
    const now = bytesLeft(s);
    // Opened mid-transfer: what the transfers in flight already moved counts as done.
    const inFlight = s.transfers.reduce((n, t) => n + t.bytesDone, 0);
    const next = progressFraction(now, Math.max(totals.current.get(s.folderId) ?? 0, now + inFlight));
    totals.current.set(s.folderId, next.total);
    fractions.set(s.folderId, next.fraction);
    left += now;
    total += next.total;
  }
  return { overall: total === 0 ? 0 : 1 - left / total, of: (id) => fractions.get(id) ?? 0 };
}

/** Loads `load()` when `key` changes; `refresh` loads again. */
export function useLoaded<T>(load: () => Promise<T>, key: string): { value: T | null; error: string | null; refresh: () => void } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    let live = true;
    loader.current().then(
      (v) => {
        if (live) {
          setValue(v);
          setError(null);
        }
      },
      (err: unknown) => {
        if (live) setError(errorMessage(err));
      },
    );
    return () => {
      live = false;
    };
  }, [key, round]);
  return { value, error, refresh: useCallback(() => setRound((r) => r + 1), []) };
}
