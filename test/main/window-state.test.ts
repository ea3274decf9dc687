import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW, debounced, windowBounds } from '../../electron/main/window-state.js';

const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('the window opens where it was left', () => {
  it.each([
    ['never opened before: the default size, centred', undefined, { ...DEFAULT_WINDOW }],
    ['where it was', { x: 100, y: 80, width: 1100, height: 760, maximized: false }, { x: 100, y: 80, width: 1100, height: 760 }],
    ['on a screen no longer there: its size, centred', { x: 2500, y: 80, width: 900, height: 600, maximized: false }, { width: 900, height: 600 }],
    [
      'larger than the screen now: cut to the screen',
      { x: 0, y: 0, width: 3000, height: 2000, maximized: true },
      { x: 0, y: 0, width: 1920, height: 1080 },
    ],
    ['never below the minimum size', { x: 10, y: 10, width: 300, height: 200, maximized: false }, { x: 10, y: 10, width: 720, height: 480 }],
  ])('%s', (_name, saved, expected) => {
    expect(windowBounds(saved, screens)).toEqual(expected);
  });

  it('saves once the window stops moving', () => {
    const saved: number[] = [];
    const pending: (() => void)[] = [];
    const timers = {
      set: ((fn: () => void) => (pending.push(fn), pending.length)) as unknown as typeof setTimeout,
      clear: ((id: number) => (pending[id - 1] = () => undefined)) as unknown as typeof clearTimeout,
    };
    const save = debounced((n: number) => saved.push(n), 500, timers);
    save(1);
    save(2);
    save(3);
    for (const fn of pending) fn();
    expect(saved).toEqual([3]);
  });
});
