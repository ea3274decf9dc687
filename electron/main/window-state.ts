/**
 * The main window opens where and as large as the user left it, unless that place is no longer
 * on any screen (a monitor was unplugged): then it opens at the default size, centred.
 */
import type { Rectangle } from 'electron';
import type { WindowState } from './settings-store.js';

export const DEFAULT_WINDOW = { width: 960, height: 680 } as const;
export const MIN_WINDOW = { width: 720, height: 480 } as const;

/** At least this much of the window's title bar must be on a screen to reuse the saved place. */
const VISIBLE = 80;

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/** The bounds to open with: the saved ones if still visible (and no larger than the screen), else none (centred). */
export function windowBounds(
  saved: WindowState | undefined,
  workAreas: readonly Rectangle[],
): Partial<Rectangle> & { width: number; height: number } {
  if (!saved) return { ...DEFAULT_WINDOW };
  const titleBar: Rectangle = { x: saved.x, y: saved.y, width: saved.width, height: 32 };
  const screen = workAreas.find((area) => {
    const o = overlap(titleBar, area);
    return o.width >= Math.min(VISIBLE, saved.width) && o.height > 0;
  });
  if (!screen)
    return {
      width: Math.max(MIN_WINDOW.width, Math.min(saved.width, DEFAULT_WINDOW.width)),
      height: Math.max(MIN_WINDOW.height, Math.min(saved.height, DEFAULT_WINDOW.height)),
    };
  return {
    x: saved.x,
    y: saved.y,
    width: Math.max(MIN_WINDOW.width, Math.min(saved.width, screen.width)),
    height: Math.max(MIN_WINDOW.height, Math.min(saved.height, screen.height)),
  };
}

/** Calls `save` once the window has stopped moving or resizing for `ms` (a drag sends many events). */
export function debounced<T>(save: (value: T) => void, ms: number, timers = { set: setTimeout, clear: clearTimeout }): (value: T) => void {
  let handle: ReturnType<typeof setTimeout> | null = null;
  return (value) => {
    if (handle) timers.clear(handle);
    handle = timers.set(() => {
      handle = null;
      save(value);
    }, ms);
  };
}
