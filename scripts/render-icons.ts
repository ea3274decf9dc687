/**
 * Draws wsync's icons as SVG and renders them to PNG with chromium (playwright-core), into
 * build/icons/. Run again after changing a drawing: `npm run icons`. The PNGs are committed.
 * - tray/<state>.png (16 px) and @2x (32 px): colour, for Linux and Windows.
 * - tray/<state>Template.png and @2x: black and alpha, for the macOS menu bar (template images).
 * - tray/syncing-1 … syncing-7: the frames of the turning syncing icon (syncing.png is frame 0).
 * - tray/not-set-up: a hollow ring with a plus, before any folder is set up.
 * - 256x256.png, 512x512.png: the application icon.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { SYNCING_FRAMES } from '../electron/main/tray-model.js';
import type { SyncState } from '../electron/shared/status.js';

const out = fileURLToPath(new URL('../build/icons/', import.meta.url));

type IconState = SyncState | 'not-set-up';

/** Up to date is green, syncing blue, so the two differ by colour at any size, not only by glyph. */
const COLOURS: Record<IconState, string> = {
  idle: '#16a34a',
  syncing: '#2563eb',
  'not-set-up': '#6b7280',
  paused: '#6b7280',
  offline: '#6b7280',
  error: '#dc2626',
  'signed-out': '#d97706',
  'needs-confirmation': '#d97706',
};

/** Each state's glyph in a 24-unit box, drawn with `ink` (strokes and small fills). */
function glyph(state: IconState, ink: string, frame = 0): string {
  const stroke = `fill="none" stroke="${ink}" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"`;
  const dot = (cx: number, cy: number) => `<circle cx="${cx}" cy="${cy}" r="1.5" fill="${ink}"/>`;
  switch (state) {
    case 'idle':
      return `<path ${stroke} d="M7.4 12.4l3.1 3.1 6.1-6.6"/>`;
    case 'syncing': {
      // The two arrows are symmetric under a half turn: the frames cover 180 degrees.
      const angle = (frame * 180) / SYNCING_FRAMES;
      return `<g transform="rotate(${angle} 12 12)"><path ${stroke} d="M6.6 12a5.4 5.4 0 0 1 9.4-3.6M16.5 5.7v3.1h-3.1M17.4 12a5.4 5.4 0 0 1-9.4 3.6M7.5 18.3v-3.1h3.1"/></g>`;
    }
    case 'not-set-up':
      return `<path ${stroke} d="M12 8.2v7.6M8.2 12h7.6"/>`;
    case 'paused':
      return `<path ${stroke} d="M9.6 8v8M14.4 8v8"/>`;
    case 'offline':
      return `<circle cx="12" cy="12" r="4.6" ${stroke}/><path ${stroke} d="M8.9 15.1l6.2-6.2"/>`;
    case 'error':
      return `<path ${stroke} d="M12 6.8v6.2"/>${dot(12, 16.9)}`;
    case 'signed-out':
      return `<rect x="7.8" y="11" width="8.4" height="6.6" rx="1.3" fill="${ink}"/><path ${stroke} d="M9.7 11V9.3a2.3 2.3 0 0 1 4.6 0V11"/>`;
    case 'needs-confirmation':
      return `<path ${stroke} d="M9.5 9.6a2.6 2.6 0 1 1 3.7 2.3c-.8.4-1.2.9-1.2 1.7v.3"/>${dot(12, 17)}`;
  }
}

function traySvg(state: IconState, template: boolean, frame = 0): string {
  const open = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">';
  if (state === 'not-set-up') {
    // Hollow: nothing syncs yet. A ring, not a disc, with a plus.
    const ink = template ? '#000' : COLOURS[state];
    return `${open}<circle cx="12" cy="12" r="9.8" fill="none" stroke="${ink}" stroke-width="2.4"/>${glyph(state, ink)}</svg>`;
  }
  if (!template) {
    return `${open}<circle cx="12" cy="12" r="11" fill="${COLOURS[state]}"/>${glyph(state, '#fff', frame)}</svg>`;
  }
  // Template: a black disc with the glyph cut out, so macOS can tint it for light and dark bars.
  return `${open}<defs><mask id="m"><rect width="24" height="24" fill="#fff"/>${glyph(state, '#000', frame)}</mask></defs><circle cx="12" cy="12" r="11" fill="#000" mask="url(#m)"/></svg>`;
}

const appSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#4f8df7"/><stop offset="1" stop-color="#1d4ed8"/></linearGradient></defs>
  <rect x="24" y="24" width="464" height="464" rx="104" fill="url(#g)"/>
  <path d="M120 196c0-16 13-29 29-29h62l26 28h126c16 0 29 13 29 29v124c0 16-13 29-29 29H149c-16 0-29-13-29-29z" fill="#fff" opacity="0.95"/>
  <g fill="none" stroke="#1d4ed8" stroke-width="22" stroke-linecap="round" stroke-linejoin="round">
    <path d="M206 290a52 52 0 0 1 91-34M302 226v32h-32M306 290a52 52 0 0 1-91 34M210 354v-32h32"/>
  </g>
</svg>`;

const STATES: IconState[] = ['idle', 'syncing', 'paused', 'offline', 'error', 'signed-out', 'needs-confirmation', 'not-set-up'];

const browser = await chromium.launch({
  executablePath: process.env.WSYNC_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  const page = await browser.newPage();
  const render = async (svg: string, size: number, file: string): Promise<void> => {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
    );
    await page.screenshot({ path: file, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  };
  await mkdir(join(out, 'tray'), { recursive: true });
  const images: { name: string; state: IconState; frame: number }[] = [
    ...STATES.map((state) => ({ name: state, state, frame: 0 })),
    ...Array.from({ length: SYNCING_FRAMES - 1 }, (_, i) => ({ name: `syncing-${i + 1}`, state: 'syncing' as const, frame: i + 1 })),
  ];
  for (const { name, state, frame } of images) {
    for (const template of [false, true]) {
      const base = join(out, 'tray', `${name}${template ? 'Template' : ''}`);
      await render(traySvg(state, template, frame), 16, `${base}.png`);
      await render(traySvg(state, template, frame), 32, `${base}@2x.png`);
    }
  }
  for (const size of [16, 32, 48, 64, 128, 256, 512]) await render(appSvg, size, join(out, `${size}x${size}.png`));
} finally {
  await browser.close();
}
