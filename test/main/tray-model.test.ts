import { describe, expect, it } from 'vitest';
import {
  attentionItems,
  overallState,
  pauseDeadline,
  recentFiles,
  SYNCING_FRAMES,
  TOOLTIP_MAX,
  trayIcon,
  trayIconFrame,
  trayMenu,
  trayTooltip,
  type TrayMenuItem,
} from '../../electron/main/tray-model.js';
import type { SyncState } from '../../electron/shared/status.js';
import { activity, status } from './status-fixture.js';

const s = (id: string, state: SyncState, extra: Parameters<typeof status>[0] = {}) => status({ folderId: id, state, ...extra });

describe('tray icon follows the state that most needs the user', () => {
  it.each<[string, SyncState[], SyncState]>([
    ['one idle folder', ['idle'], 'idle'],
    ['syncing beats idle', ['idle', 'syncing'], 'syncing'],
    ['offline beats syncing', ['syncing', 'offline'], 'offline'],
    ['error beats offline', ['offline', 'error'], 'error'],
    ['held deletions beat an error', ['error', 'needs-confirmation'], 'needs-confirmation'],
    ['signed out beats everything', ['needs-confirmation', 'signed-out', 'syncing'], 'signed-out'],
    ['all paused shows paused', ['paused', 'paused'], 'paused'],
    ['one paused beside an idle folder is idle', ['paused', 'idle'], 'idle'],
    ['paused beside syncing shows syncing', ['paused', 'syncing'], 'syncing'],
  ])('%s', (_name, states, expected) => {
    const statuses = states.map((state, i) => s(`f${i}`, state));
    expect(overallState(statuses)).toBe(expected);
    expect(trayIcon(statuses)).toBe(expected);
  });

  it('with no folder set up, the icon says so (not a check mark)', () => {
    expect(trayIcon([])).toBe('not-set-up');
  });

  it('the syncing icon turns through its frames; other states have one image', () => {
    const frames = Array.from({ length: SYNCING_FRAMES + 1 }, (_, i) => trayIconFrame('syncing', i));
    expect(frames).toEqual(['syncing', 'syncing-1', 'syncing-2', 'syncing-3', 'syncing-4', 'syncing-5', 'syncing-6', 'syncing-7', 'syncing']);
    expect(trayIconFrame('paused', 3)).toBe('paused');
  });
});

describe('tray tooltip summarises in one line', () => {
  it.each<[string, ReturnType<typeof status>[], string]>([
    ['nothing set up', [], 'wsync: no folder set up yet'],
    ['idle', [s('a', 'idle')], 'Up to date'],
    ['two idle folders', [s('a', 'idle'), s('b', 'idle')], '2 folders up to date'],
    [
      'syncing counts files and bytes left',
      [s('a', 'syncing', { pending: { uploads: 5, downloads: 7, deletes: 0, bytes: 34_000_000 } })],
      'Syncing 12 files, 34 MB left',
    ],
    [
      'syncing with speed says the time left',
      [
        s('a', 'syncing', {
          pending: { uploads: 0, downloads: 3, deletes: 0, bytes: 120_000_000 },
          transfers: [{ id: 't', path: 'v.bin', direction: 'download', bytesDone: 0, bytesTotal: 100_000_000, bytesPerSecond: 1_000_000 }],
        }),
      ],
      'Syncing 3 files, 120 MB left, about 2 minutes',
    ],
    [
      'syncing sums over syncing folders',
      [
        s('a', 'syncing', { pending: { uploads: 1, downloads: 0, deletes: 0, bytes: 1_500_000 } }),
        s('b', 'syncing', { pending: { uploads: 0, downloads: 0, deletes: 1, bytes: 0 } }),
      ],
      'Syncing 2 files, 1.5 MB left',
    ],
    [
      'bytes already moved by transfers in flight are not left',
      [
        s('a', 'syncing', {
          pending: { uploads: 0, downloads: 1, deletes: 0, bytes: 6_000_000 },
          transfers: [{ id: 't', path: 'v.bin', direction: 'download', bytesDone: 2_500_000, bytesTotal: 6_000_000, bytesPerSecond: 0 }],
        }),
      ],
      'Syncing 1 file, 3.5 MB left',
    ],
    ['syncing only deletions', [s('a', 'syncing', { pending: { uploads: 0, downloads: 0, deletes: 1, bytes: 0 } })], 'Syncing 1 file'],
    ['paused', [s('a', 'paused')], 'Syncing is paused'],
    ['offline names the server', [s('a', 'offline')], 'Offline: waiting for files.example.com'],
    [
      'error counts failing files',
      [s('a', 'error', { errors: [{ path: 'a.txt', kind: 'local-io', message: 'Permission denied', at: 'x', attempts: 3 }] })],
      "1 file couldn't sync",
    ],
    ['error without files uses the message', [s('a', 'error', { message: 'Disk full' })], 'Disk full'],
    ['signed out names the folder', [s('a', 'signed-out', { prefix: 'reports/' })], 'Signed out of Work: enter the API key again'],
    [
      'several signed out are counted, not listed (Windows cuts tooltips at 127 characters)',
      [s('a', 'signed-out'), s('b', 'signed-out', { dir: '/home/ana/Lab' }), s('c', 'signed-out', { dir: '/x/Archive' })],
      'Signed out of 3 folders: enter the API key again',
    ],
    [
      'held deletions counts paths',
      [s('a', 'needs-confirmation', { heldDeletions: [{ side: 'local', paths: ['a', 'b', 'c'], syncedCount: 4 }] })],
      '3 deletions waiting for your confirmation',
    ],
  ])('%s', (_name, statuses, expected) => {
    expect(trayTooltip(statuses)).toBe(expected);
  });

  it('a timed pause says until when', () => {
    expect(trayTooltip([s('a', 'paused')], { pausedUntil: '2025-01-01T11:00:00Z', formatTime: () => 'Wed 11:00' })).toBe(
      'Syncing is paused until Wed 11:00',
    );
  });

  it('never exceeds 127 characters', () => {
    const long = s('a', 'error', { message: 'x'.repeat(300) });
    expect(trayTooltip([long]).length).toBe(TOOLTIP_MAX);
  });
});

const labels = (items: TrayMenuItem[]): string[] =>
  items.map((i) => (i.kind === 'separator' ? '---' : i.kind === 'submenu' ? `${i.label} >` : i.label));

describe('tray menu', () => {
  it('offers each folder with its state, open wsync, pause, sync now, recent files, settings and quit', () => {
    expect(labels(trayMenu([s('a', 'idle')]))).toEqual([
      'Everything is up to date',
      '---',
      'Work — Up to date >',
      '---',
      'Open wsync',
      'Pause syncing >',
      'Sync now',
      'Recent files >',
      '---',
      'Settings…',
      'Quit wsync',
    ]);
  });

  it('with nothing set up, offers to set up (and settings, for a proxy) instead', () => {
    expect(labels(trayMenu([]))).toEqual(['No folder set up yet', 'Set up wsync…', '---', 'Settings…', 'Quit wsync']);
  });

  it('pauses for an hour, until tomorrow or until resumed', () => {
    const pause = trayMenu([s('a', 'idle')]).find((i) => i.kind === 'submenu' && i.label === 'Pause syncing');
    expect(pause?.kind === 'submenu' ? pause.items : []).toEqual([
      { kind: 'action', label: 'For 1 hour', action: { type: 'pause-all', length: 'one-hour' }, enabled: true },
      { kind: 'action', label: 'Until tomorrow', action: { type: 'pause-all', length: 'tomorrow' }, enabled: true },
      { kind: 'action', label: 'Until I resume', action: { type: 'pause-all', length: 'until-resumed' }, enabled: true },
    ]);
  });

  it('offers resume when every folder is paused, and disables sync now', () => {
    const menu = trayMenu([s('a', 'paused'), s('b', 'paused', { dir: '/home/ana/Lab' })], { pausedUntil: 'x', formatTime: () => 'Wed 11:00' });
    expect(menu[0]).toEqual({ kind: 'label', label: 'Syncing is paused until Wed 11:00' });
    expect(menu).toContainEqual({ kind: 'action', label: 'Resume syncing', action: { type: 'resume-all' }, enabled: true });
    expect(menu).toContainEqual({ kind: 'action', label: 'Sync now', action: { type: 'sync-now' }, enabled: false });
  });

  it('one folder paused beside an idle one: that folder can be resumed from the tray', () => {
    const menu = trayMenu([s('a', 'paused'), s('b', 'idle', { dir: '/home/ana/Lab' })]);
    expect(labels(menu)).toContain('Work — Paused >');
    expect(labels(menu)).toContain('Lab — Up to date >');
    const work = menu.find((i) => i.kind === 'submenu' && i.label.startsWith('Work'));
    expect(work?.kind === 'submenu' ? work.items : []).toEqual([
      { kind: 'action', label: 'Open folder', action: { type: 'open-folder', folderId: 'a' }, enabled: true },
      { kind: 'action', label: 'Resume syncing', action: { type: 'resume-folder', folderId: 'a' }, enabled: true },
    ]);
    const lab = menu.find((i) => i.kind === 'submenu' && i.label.startsWith('Lab'));
    expect(lab?.kind === 'submenu' ? labels(lab.items) : []).toEqual(['Open folder', 'Pause syncing', 'Sync now']);
  });

  it('a signed-out folder offers to sign in again, never pause', () => {
    const menu = trayMenu([s('a', 'signed-out')]);
    const work = menu.find((i) => i.kind === 'submenu' && i.label.startsWith('Work'));
    expect(work?.kind === 'submenu' ? labels(work.items) : []).toEqual(['Open folder', 'Sign in again…']);
  });

  it.each<[string, ReturnType<typeof status>[], [string, string][]]>([
    ['signed out', [s('a', 'signed-out')], [['Sign in to Work again…', 'overview']]],
    [
      'held deletions',
      [s('a', 'needs-confirmation', { heldDeletions: [{ side: 'remote', paths: ['a', 'b'], syncedCount: 3 }] })],
      [['Review 2 deletions…', 'overview']],
    ],
    [
      'conflicts over all folders',
      [
        s('a', 'idle', { conflicts: [{ path: 'a', conflictCopy: 'a (c)', at: 'x' }] }),
        s('b', 'idle', { conflicts: [{ path: 'b', conflictCopy: 'b (c)', at: 'x' }] }),
      ],
      [['Resolve 2 conflicts…', 'conflicts']],
    ],
    [
      'failing files',
      [s('a', 'error', { errors: [{ path: 'a', kind: 'local-io', message: 'EACCES', at: 'x', attempts: 1 }] })],
      [["1 file couldn't sync…", 'errors']],
    ],
    ['a folder that stopped', [s('a', 'error', { message: 'HTTP 503' })], [['Work stopped syncing…', 'errors']]],
    ['nothing', [s('a', 'idle')], []],
  ])('what needs the user is an action, not a label: %s', (_name, statuses, expected) => {
    expect(
      attentionItems(statuses).map((i) => (i.kind === 'action' && i.action.type === 'show-view' ? [i.label, i.action.view] : [i.kind, ''])),
    ).toEqual(expected);
  });

  it('puts those actions right under the headline', () => {
    expect(labels(trayMenu([s('a', 'signed-out')])).slice(0, 3)).toEqual(['Signed out', 'Sign in to Work again…', '---']);
  });

  it('has no figure that ticks while files move, so progress never rebuilds it', () => {
    const at = (bytes: number, done: number) =>
      s('a', 'syncing', {
        pending: { uploads: 0, downloads: 7, deletes: 0, bytes },
        transfers: [{ id: 't', path: 'v.bin', direction: 'download', bytesDone: done, bytesTotal: 9, bytesPerSecond: done }],
      });
    expect(trayMenu([at(9_000_000, 1)])).toEqual(trayMenu([at(4_000_000, 5)]));
  });

  it('recent files are the newest distinct files that really moved, over all folders', () => {
    const statuses = [
      s('a', 'idle', {
        recent: [
          activity(1, 'docs/old.txt', '2025-01-01T09:00:00Z'),
          activity(2, 'docs/new.txt', '2025-01-01T11:00:00Z', 'upload'),
          activity(3, 'gone.txt', '2025-01-01T12:00:00Z', 'delete-local'),
          activity(4, 'docs/old.txt', '2025-01-01T09:30:00Z', 'upload'),
          activity(5, 'docs/same.txt', '2025-01-01T13:00:00Z', 'record-synced'),
        ],
      }),
      s('b', 'idle', { recent: [activity(1, 'b.txt', '2025-01-01T10:00:00Z')] }),
    ];
    expect(recentFiles(statuses).map((r) => `${r.folderId}:${r.activity.path}`)).toEqual(['a:docs/new.txt', 'b:b.txt', 'a:docs/old.txt']);
    const sub = trayMenu(statuses).find((i) => i.kind === 'submenu' && i.label === 'Recent files');
    expect(sub?.kind === 'submenu' ? sub.items[0] : null).toEqual({
      kind: 'action',
      label: 'new.txt',
      action: { type: 'show-file', folderId: 'a', path: 'docs/new.txt' },
      enabled: true,
    });
  });

  it('shows a placeholder when no file moved yet', () => {
    const sub = trayMenu([s('a', 'idle')]).find((i) => i.kind === 'submenu' && i.label === 'Recent files');
    expect(sub?.kind === 'submenu' ? sub.items : []).toEqual([{ kind: 'label', label: 'No files synced yet' }]);
  });

  it('where the tray reports no clicks, the menu opens the popover', () => {
    expect(labels(trayMenu([s('a', 'idle')], { popoverInMenu: true }))).toContain('Show status');
  });
});

describe('timed pauses', () => {
  const now = new Date('2025-03-04T21:30:00Z');
  it.each([
    ['one-hour', '2025-03-04T22:30:00.000Z'],
    ['tomorrow', '2025-03-05T00:00:00.000Z'],
    ['until-resumed', null],
  ] as const)('%s ends at %s', (length, expected) => {
    const utcMidnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
    expect(pauseDeadline(length, now, utcMidnight)?.toISOString() ?? null).toBe(expected);
  });
});
