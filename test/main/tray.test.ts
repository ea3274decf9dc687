import type { MenuItemConstructorOptions } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { menuTemplate, TrayPresenter, trayIconFile } from '../../electron/main/tray.js';
import type { TrayAction } from '../../electron/main/tray-model.js';
import { activity, status } from './status-fixture.js';

class RecordingTray {
  readonly calls: string[] = [];
  setImage(image: string): void {
    this.calls.push(`image ${image}`);
  }
  setToolTip(text: string): void {
    this.calls.push(`tooltip ${text}`);
  }
  setContextMenu(menu: MenuItemConstructorOptions[] | null): void {
    this.calls.push(`menu ${menu?.length}`);
  }
}

describe('tray presenter', () => {
  it.each([
    ['darwin', '/icons/syncingTemplate.png'],
    ['linux', '/icons/syncing.png'],
    ['win32', '/icons/syncing.png'],
  ] as const)('on %s uses %s', (platform, file) => {
    expect(trayIconFile('/icons', 'syncing', platform)).toBe(file);
  });

  it('sets the tooltip on its own; a progress tick changes the tooltip, never the menu or the icon', () => {
    vi.useFakeTimers();
    try {
      const tray = new RecordingTray();
      const presenter = new TrayPresenter(tray, { iconDir: '/i', platform: 'linux', buildMenu: (t) => t, onAction: () => undefined });
      const syncing = (bytes: number) => status({ state: 'syncing', pending: { uploads: 2, downloads: 0, deletes: 0, bytes } });
      presenter.update([syncing(2_000_000)]);
      vi.advanceTimersByTime(0);
      for (let bytes = 1_900_000; bytes > 0; bytes -= 100_000) {
        presenter.update([syncing(bytes)]);
        vi.advanceTimersByTime(100);
      }
      vi.advanceTimersByTime(2000);
      expect(tray.calls.filter((c) => c.startsWith('menu'))).toEqual(['menu 11']);
      expect(tray.calls.filter((c) => c.startsWith('tooltip'))).toHaveLength(20);
      expect(presenter.rebuilds).toBe(1);
      presenter.update([status({ state: 'idle' })]);
      vi.advanceTimersByTime(1000);
      expect(tray.calls.slice(-3)).toEqual(['image /i/idle.png', 'tooltip Up to date', 'menu 11']);
      expect(presenter.rebuilds).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rebuilds a menu whose items keep changing at most once a second, and always ends on the latest', () => {
    vi.useFakeTimers();
    try {
      const tray = new RecordingTray();
      const built: string[] = [];
      const presenter = new TrayPresenter(tray, {
        iconDir: '/i',
        platform: 'linux',
        buildMenu: (t) => {
          const recent = t.find((i) => i.label === 'Recent files')?.submenu as { label?: string }[];
          built.push(recent[0]?.label ?? '');
          return t;
        },
        onAction: () => undefined,
      });
      // A file completes every 50 ms for 3 s: each changes the recent files.
      for (let i = 1; i <= 60; i++) {
        presenter.update([status({ state: 'syncing', recent: [activity(i, `f${i}.txt`, new Date(i * 1000).toISOString())] })]);
        vi.advanceTimersByTime(50);
      }
      vi.advanceTimersByTime(1000);
      expect(built.length).toBeLessThanOrEqual(5);
      expect(built.at(-1)).toBe('f60.txt');
    } finally {
      vi.useRealTimers();
    }
  });

  it('animates the syncing icon while syncing (a timer of its own, not status ticks), and stops when it ends', () => {
    const tray = new RecordingTray();
    const ticks: (() => void)[] = [];
    let stopped = 0;
    const presenter = new TrayPresenter(tray, {
      iconDir: '/i',
      platform: 'darwin',
      buildMenu: (t) => t,
      onAction: () => undefined,
      repeat: (_ms, tick) => {
        ticks.push(tick);
        return () => (stopped += 1);
      },
    });
    presenter.update([status({ state: 'syncing' })]);
    presenter.update([status({ state: 'syncing', pending: { uploads: 1, downloads: 0, deletes: 0, bytes: 5 } })]);
    expect(ticks).toHaveLength(1);
    ticks[0]?.();
    ticks[0]?.();
    presenter.update([status({ state: 'paused' })]);
    expect(stopped).toBe(1);
    expect(tray.calls.filter((c) => c.startsWith('image'))).toEqual([
      'image /i/syncingTemplate.png',
      'image /i/syncing-1Template.png',
      'image /i/syncing-2Template.png',
      'image /i/pausedTemplate.png',
    ]);
  });

  it('menu clicks run the item’s action; labels are disabled', () => {
    const actions: TrayAction[] = [];
    const template = menuTemplate(
      [
        { kind: 'label', label: 'Up to date' },
        {
          kind: 'submenu',
          label: 'Recent files',
          items: [{ kind: 'action', label: 'a.txt', enabled: true, action: { type: 'show-file', folderId: 'f', path: 'a.txt' } }],
        },
        { kind: 'action', label: 'Quit wsync', enabled: true, action: { type: 'quit' } },
      ],
      (a) => actions.push(a),
    );
    expect(template[0]).toEqual({ label: 'Up to date', enabled: false });
    const sub = template[1]?.submenu as MenuItemConstructorOptions[];
    sub[0]?.click?.({} as never, undefined, {});
    template[2]?.click?.({} as never, undefined, {});
    expect(actions).toEqual([{ type: 'show-file', folderId: 'f', path: 'a.txt' }, { type: 'quit' }]);
  });
});

describe('tray icon assets', () => {
  const iconDir = join(import.meta.dirname, '..', '..', 'build', 'icons', 'tray');
  const states = [
    'idle',
    'syncing',
    'syncing-1',
    'syncing-4',
    'syncing-7',
    'paused',
    'offline',
    'error',
    'signed-out',
    'needs-confirmation',
    'not-set-up',
  ] as const;

  it.each(states.flatMap((s) => (['darwin', 'linux', 'win32'] as const).map((p) => [s, p] as const)))(
    'the %s icon for %s exists as a 16 px PNG with a 32 px @2x beside it',
    async (state, platform) => {
      const file = trayIconFile(iconDir, state, platform);
      for (const [path, size] of [
        [file, 16],
        [file.replace(/\.png$/, '@2x.png'), 32],
      ] as const) {
        const png = await readFile(path);
        expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
      }
    },
  );

  it('macOS template images are black and alpha only', async () => {
    for (const state of states) {
      const pixels = decodeRgba(await readFile(join(iconDir, `${state}Template@2x.png`)));
      const visible = pixels.filter(([, , , a]) => a > 0);
      expect(visible.length).toBeGreaterThan(50);
      expect(visible.filter(([r, g, b]) => r + g + b !== 0)).toEqual([]);
    }
  });

  it('colour images carry colour', async () => {
    const pixels = decodeRgba(await readFile(join(iconDir, 'error@2x.png')));
    expect(pixels.some(([r, g, b, a]) => a === 255 && r > 180 && g < 80 && b < 80)).toBe(true);
  });
});

/** The pixels of an 8-bit RGBA, non-interlaced PNG (what chromium writes), undoing each row's filter. */
function decodeRgba(png: Buffer): [number, number, number, number][] {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect([png[24], png[25], png[28]]).toEqual([8, 6, 0]);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += length + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x += 1) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= 4 ? (out[y * stride + x - 4] ?? 0) : 0;
      const up = y > 0 ? (out[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= 4 && y > 0 ? (out[(y - 1) * stride + x - 4] ?? 0) : 0;
      const paeth = (): number => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = [0, left, up, (left + up) >> 1, paeth()][filter ?? 0] ?? 0;
      out[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  const pixels: [number, number, number, number][] = [];
  for (let i = 0; i < out.length; i += 4) pixels.push([out[i] ?? 0, out[i + 1] ?? 0, out[i + 2] ?? 0, out[i + 3] ?? 0]);
  return pixels;
}
