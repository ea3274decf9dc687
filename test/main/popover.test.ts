import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { describe, expect, it } from 'vitest';
import { POPOVER_SIZE, POPOVER_URL, popoverBounds, TrayPopover, type PopoverWindowPort } from '../../electron/main/popover.js';

const screen = { x: 0, y: 0, width: 1920, height: 1080 };
const size = { width: 380, height: 540 };

describe('where the popover opens', () => {
  it.each<[string, Rectangle, Rectangle, NodeJS.Platform, Rectangle]>([
    [
      'below a macOS menu bar icon, centred on it',
      { x: 1500, y: 0, width: 24, height: 24 },
      { x: 0, y: 25, width: 1920, height: 1055 },
      'darwin',
      { x: 1322, y: 31, ...size },
    ],
    [
      'kept on screen at the right edge',
      { x: 1890, y: 0, width: 24, height: 24 },
      { x: 0, y: 25, width: 1920, height: 1055 },
      'darwin',
      { x: 1534, y: 31, ...size },
    ],
    [
      'above a Windows taskbar at the bottom',
      { x: 1700, y: 1040, width: 32, height: 40 },
      { x: 0, y: 0, width: 1920, height: 1040 },
      'win32',
      { x: 1526, y: 494, ...size },
    ],
    [
      'beside a taskbar on the left',
      { x: 4, y: 900, width: 32, height: 32 },
      { x: 48, y: 0, width: 1872, height: 1080 },
      'win32',
      { x: 54, y: 534, ...size },
    ],
    [
      'at the top right when the tray has no position (Linux app indicator)',
      { x: 0, y: 0, width: 0, height: 0 },
      screen,
      'linux',
      { x: 1534, y: 6, ...size },
    ],
    ['at the bottom right on Windows when unknown', { x: 0, y: 0, width: 0, height: 0 }, screen, 'win32', { x: 1534, y: 534, ...size }],
  ])('%s', (_name, tray, workArea, platform, expected) => {
    expect(popoverBounds(tray, workArea, size, platform)).toEqual(expected);
  });
});

class FakePopoverWindow implements PopoverWindowPort {
  readonly calls: string[] = [];
  visible = false;
  destroyed = false;
  private readonly listeners = new Map<string, () => void>();
  readonly webContents = { sent: [] as unknown[], send: (channel: string, payload: unknown) => this.webContents.sent.push([channel, payload]) };
  constructor(readonly options: BrowserWindowConstructorOptions) {}
  setBounds(b: Rectangle): void {
    this.calls.push(`bounds ${b.x},${b.y}`);
  }
  show(): void {
    this.visible = true;
    this.calls.push('show');
  }
  hide(): void {
    this.visible = false;
    this.calls.push('hide');
  }
  focus(): void {
    // a stand-in window has no focus to take
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  async loadURL(url: string): Promise<void> {
    this.calls.push(`load ${url}`);
  }
  on(event: 'blur' | 'closed', listener: () => void): this {
    this.listeners.set(event, listener);
    return this;
  }
  emit(event: 'blur' | 'closed'): void {
    this.listeners.get(event)?.();
  }
}

function popover() {
  const windows: FakePopoverWindow[] = [];
  let clock = 1000;
  let shown = 0;
  const p = new TrayPopover({
    preload: '/p.cjs',
    platform: 'darwin',
    create: (o) => {
      const w = new FakePopoverWindow(o);
      windows.push(w);
      return w;
    },
    anchor: () => ({ tray: { x: 1500, y: 0, width: 24, height: 24 }, workArea: { x: 0, y: 25, width: 1920, height: 1055 } }),
    now: () => clock,
    onShown: () => (shown += 1),
  });
  return { p, windows, tick: (ms: number) => (clock += ms), shown: () => shown };
}

describe('the tray popover', () => {
  it('is a frameless, sandboxed window of the app at #popover, created on the first click', () => {
    const { p, windows } = popover();
    expect(windows).toHaveLength(0);
    p.toggle();
    const [w] = windows;
    expect(w?.options).toMatchObject({
      ...POPOVER_SIZE,
      frame: false,
      skipTaskbar: true,
      show: false,
      webPreferences: { sandbox: true, contextIsolation: true, preload: '/p.cjs' },
    });
    expect(w?.calls).toEqual([`load ${POPOVER_URL}`, 'bounds 1322,31', 'show']);
    expect(POPOVER_URL).toBe('wsync://app/index.html#popover');
  });

  it('a second click hides it; it hides when it loses focus; the click that blurred it does not reopen it', () => {
    const { p, windows, tick, shown } = popover();
    p.toggle();
    p.toggle();
    expect(windows[0]?.visible).toBe(false);
    tick(1000);
    p.toggle();
    windows[0]?.emit('blur'); // the user clicked the tray icon: blur comes first…
    tick(50);
    p.toggle(); // …then the click, which must not show it again
    expect(windows[0]?.visible).toBe(false);
    tick(1000);
    p.toggle();
    expect(windows[0]?.visible).toBe(true);
    expect(windows).toHaveLength(1);
    expect(shown()).toBe(3);
  });

  it('is made again after it was closed', () => {
    const { p, windows } = popover();
    p.show();
    windows[0]?.emit('closed');
    if (windows[0]) windows[0].destroyed = true;
    p.show();
    expect(windows).toHaveLength(2);
  });

  it('offers its web contents for status pushes only while visible', () => {
    const { p } = popover();
    p.show();
    expect(p.webContents).not.toBeNull();
    p.hide();
    expect(p.webContents).toBeNull();
  });
});
