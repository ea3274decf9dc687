import type { Activity, FolderStatus } from '../../electron/shared/status.js';

/** A folder status as data, for the pure tray and notification functions. */
export function status(overrides: Partial<FolderStatus> = {}): FolderStatus {
  return {
    folderId: 'f1',
    dir: '/home/ana/Work',
    server: 'https://files.example.com',
    workspace: 'ws_demo',
    prefix: '',
    state: 'idle',
    pending: { uploads: 0, downloads: 0, deletes: 0, bytes: 0 },
    transfers: [],
    lastSyncAt: '2025-01-01T10:00:00.000Z',
    recent: [],
    conflicts: [],
    errors: [],
    heldDeletions: [],
    ...overrides,
  };
}

export function activity(id: number, path: string, at: string, action: Activity['action'] = 'download'): Activity {
  return { id, at, path, action, decision: action === 'upload' ? 2 : 3 };
}
