/**
 * What a plan still has to do, in the status model's terms. Counted the way the status store
 * takes completed operations off again: a conflict is one upload (the copy) and one download, a
 * local move is one upload (its old path's delete goes with it).
 */
import type { Plan } from '../plan/types.js';
import type { PendingCounts } from './events.js';

export function pendingOf(plan: Plan): PendingCounts {
  const pending: PendingCounts = { uploads: 0, downloads: 0, deletes: 0, bytes: 0 };
  for (const a of plan.actions) {
    switch (a.kind) {
      case 'upload':
      case 'move-remote':
        pending.uploads += 1;
        pending.bytes += a.local.size;
        break;
      case 'download':
        pending.downloads += 1;
        pending.bytes += a.remote.size;
        break;
      case 'conflict':
        pending.uploads += 1;
        pending.downloads += 1;
        pending.bytes += a.local.size + a.remote.size;
        break;
      case 'delete-remote':
      case 'delete-local':
        pending.deletes += 1;
        break;
      case 'forget':
      case 'record':
      case 'rename-local':
        break;
    }
  }
  return pending;
}
