import { describe, expect, it } from 'vitest';
import { overallState, recentFiles, trayIcon, trayMenu, trayTooltip, type TrayMenuItem } from '../../electron/main/tray-model.js';
import type { SyncState } from '../../electron/shared/status.js';
import { activity, status } from './status-fixture.js';

const s = (id: string, state: SyncState, extra: Parameters<typeof status>[0] = {}) => status({ folderId: id, state, ...extra });

describe('tray icon follows the state that most needs the user', () => {
  it.each<[string, SyncState[], SyncState]>([
    ['no folders', [], 'idle'],
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
          transfers: [{ id: 't', path: 'v.bin', direction: 'download', bytesDone: 2_500_000, bytesTotal: 6_000_000, bytesPerSecond: 1 }],
        }),
      ],
      'Syncing 1 file, 3.5 MB left',
    ],
    ['syncing only deletions', [s('a', 'syncing', { pending: { uploads: 0, downloads: 0, deletes: 1, bytes: 0 } })], 'Syncing 1 file'],
    ['paused', [s('a', 'paused')], 'Syncing is paused'],
    ['offline names the server', [s('a', 'offline')], 'Offline: waiting for https://files.example.com'],
    [
      'error counts failing files',
      [s('a', 'error', { errors: [{ path: 'a.txt', kind: 'local-io', message: 'Permission denied', at: 'x', attempts: 3 }] })],
      '1 file could not be synced',
    ],
    ['error without files uses the message', [s('a', 'error', { message: 'Disk full' })], 'Disk full'],
    ['signed out names the workspace', [s('a', 'signed-out', { prefix: 'reports/' })], 'Signed out of ws_demo/reports/: enter the API key again'],
    [
      'held deletions counts paths',
      [s('a', 'needs-confirmation', { heldDeletions: [{ side: 'local', paths: ['a', 'b', 'c'], syncedCount: 4 }] })],
      '3 deletions waiting for your confirmation',
    ],
  ])('%s', (_name, statuses, expected) => {
    expect(trayTooltip(statuses)).toBe(expected);
  });
});

const labels = (items: TrayMenuItem[]): string[] =>
  items.map((i) => (i.kind === 'separator' ? '---' : i.kind === 'submenu' ? `${i.label} >` : i.label));

describe('tray menu', () => {
  it('offers open folder, status window, pause, sync now, recent files, preferences and quit', () => {
    expect(labels(trayMenu([s('a', 'idle')]))).toEqual([
      'Up to date',
      '---',
      'Open folder',
      'Open status window',
      'Pause syncing',
      'Sync now',
      'Recent files >',
      '---',
      'Preferences…',
      'Quit wsync',
    ]);
  });

  it('offers resume instead of pause when every folder is paused, and disables sync now', () => {
    const menu = trayMenu([s('a', 'paused'), s('b', 'paused')]);
    expect(menu).toContainEqual({ kind: 'action', label: 'Resume syncing', action: { type: 'resume-all' }, enabled: true });
    expect(menu).toContainEqual({ kind: 'action', label: 'Sync now', action: { type: 'sync-now' }, enabled: false });
  });

  it('lists each folder under "Open folder" when there are several', () => {
    const menu = trayMenu([s('a', 'idle'), s('b', 'idle', { workspace: 'ws_two', prefix: 'x/' })]);
    const open = menu.find((i) => i.kind === 'submenu' && i.label === 'Open folder');
    expect(open && open.kind === 'submenu' ? open.items : []).toEqual([
      { kind: 'action', label: 'ws_demo', action: { type: 'open-folder', folderId: 'a' }, enabled: true },
      { kind: 'action', label: 'ws_two/x/', action: { type: 'open-folder', folderId: 'b' }, enabled: true },
    ]);
  });

  it('disables pause and sync when nothing is set up', () => {
    const menu = trayMenu([]);
    expect(menu).toContainEqual({ kind: 'action', label: 'Pause syncing', action: { type: 'pause-all' }, enabled: false });
    expect(labels(menu)).not.toContain('Open folder');
  });

  it('recent files are the newest distinct files over all folders, deletions left out', () => {
    const statuses = [
      s('a', 'idle', {
        recent: [
          activity(1, 'docs/old.txt', '2025-01-01T09:00:00Z'),
          activity(2, 'docs/new.txt', '2025-01-01T11:00:00Z', 'upload'),
          activity(3, 'gone.txt', '2025-01-01T12:00:00Z', 'delete-local'),
          activity(4, 'docs/old.txt', '2025-01-01T09:30:00Z', 'upload'),
        ],
      }),
      s('b', 'idle', { recent: [activity(1, 'b.txt', '2025-01-01T10:00:00Z')] }),
    ];
    expect(recentFiles(statuses).map((r) => `${r.folderId}:${r.activity.path}`)).toEqual([
      'a:docs/new.txt',
      'b:b.txt',
      'a:docs/old.txt',
    ]);
    const sub = trayMenu(statuses).find((i) => i.kind === 'submenu' && i.label === 'Recent files');
    expect(sub && sub.kind === 'submenu' ? sub.items[0] : null).toEqual({
      kind: 'action',
      label: 'new.txt',
      action: { type: 'show-file', folderId: 'a', path: 'docs/new.txt' },
      enabled: true,
    });
  });

  it('shows a placeholder when there are no recent files', () => {
    const sub = trayMenu([s('a', 'idle')]).find((i) => i.kind === 'submenu' && i.label === 'Recent files');
    expect(sub && sub.kind === 'submenu' ? sub.items : []).toEqual([{ kind: 'label', label: 'No recent files' }]);
  });
});
