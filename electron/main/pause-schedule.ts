/**
 * "Pause for 1 hour" and "Pause until tomorrow": every folder pauses, the deadline is saved in the
 * settings (so a restart stays paused), and syncing resumes by itself when it passes.
 */
import type { PauseLength } from './tray-model.js';
import { pauseDeadline } from './tray-model.js';
import type { SettingsStore } from './settings-store.js';

export interface PauseTargets {
  pauseAll(): Promise<void>;
  resumeAll(): void;
}

export interface PauseSchedule {
  pause(length: PauseLength): Promise<void>;
  resume(): Promise<void>;
  /** After start-up: pauses again if a saved deadline is still ahead, forgets it if it passed. */
  restore(): Promise<void>;
  until(): string | null;
  dispose(): void;
}

export interface PauseScheduleOptions {
  settings: SettingsStore;
  targets: PauseTargets;
  now?: () => Date;
  /** Calls `fire` after `ms`; returns a cancel function. */
  timer?: (ms: number, fire: () => void) => () => void;
  /** Told whenever the deadline changes (the tray shows it). */
  onChange?: () => void;
}

/** setTimeout cannot wait longer than about 24.8 days; a longer wait is taken in steps. */
const MAX_TIMEOUT = 2 ** 31 - 1;

const defaultTimer = (ms: number, fire: () => void): (() => void) => {
  const handle = setTimeout(fire, Math.min(ms, MAX_TIMEOUT));
  handle.unref();
  return () => clearTimeout(handle);
};

export function createPauseSchedule(options: PauseScheduleOptions): PauseSchedule {
  const now = options.now ?? (() => new Date());
  const timer = options.timer ?? defaultTimer;
  let cancel: (() => void) | null = null;

  const clear = (): void => {
    cancel?.();
    cancel = null;
  };

  const save = async (until: string | null): Promise<void> => {
    await options.settings.update((s) => ({ ...s, pausedUntil: until }));
    options.onChange?.();
  };

  const arm = (deadline: Date): void => {
    clear();
    cancel = timer(Math.max(0, deadline.getTime() - now().getTime()), () => {
      cancel = null;
      if (deadline.getTime() > now().getTime())
        arm(deadline); // woke early (a capped wait)
      else void schedule.resume();
    });
  };

  const schedule: PauseSchedule = {
    async pause(length) {
      const deadline = pauseDeadline(length, now());
      clear();
      await options.targets.pauseAll();
      await save(deadline ? deadline.toISOString() : null);
      if (deadline) arm(deadline);
    },
    async resume() {
      clear();
      options.targets.resumeAll();
      if (options.settings.get().pausedUntil !== null) await save(null);
    },
    async restore() {
      const saved = options.settings.get().pausedUntil;
      if (saved === null) return;
      const deadline = new Date(saved);
      if (Number.isNaN(deadline.getTime()) || deadline.getTime() <= now().getTime()) {
        await save(null);
        return;
      }
      await options.targets.pauseAll();
      arm(deadline);
    },
    until: () => options.settings.get().pausedUntil,
    dispose: clear,
  };
  return schedule;
}
