import { baseName, folderLabel } from '../../../electron/shared/format.js';
import type { Activity as ActivityRow, FolderStatus } from '../../../electron/shared/status.js';
import { wsync } from '../bridge.js';
import { Button, Empty, ErrorLine } from '../components/common.js';
import { useAction, useTick } from '../hooks.js';
import { clockTime, timeAgo } from '../time.js';

const VERB: Record<ActivityRow['action'], string> = {
  upload: 'Uploaded',
  download: 'Downloaded',
  'delete-remote': 'Deleted from workspace',
  'delete-local': 'Moved to trash',
  'rename-local': 'Renamed',
  'move-remote': 'Moved in workspace',
  conflict: 'Conflict copy made',
  'record-synced': 'Already in sync',
};

const GONE = new Set<ActivityRow['action']>(['delete-remote', 'delete-local']);
const LIMIT = 200;

export function Activity({ statuses }: { statuses: FolderStatus[] }) {
  useTick(30_000);
  const { error, run } = useAction();
  const rows = statuses
    .flatMap((s) => s.recent.map((a) => ({ folder: s, activity: a })))
    .sort((a, b) => b.activity.at.localeCompare(a.activity.at))
    .slice(0, LIMIT);
  if (rows.length === 0) return <Empty title="No activity yet">Files wsync uploads, downloads or deletes will be listed here.</Empty>;
  const several = statuses.length > 1;
  return (
    <div class="card">
      <ErrorLine message={error} />
      <ul class="rows" aria-label="Recent activity">
        {rows.map(({ folder, activity }) => (
          <li key={`${folder.folderId}-${activity.id}`} class="row">
            <span class={`verb action-${activity.action}`}>{VERB[activity.action]}</span>
            <span class="row-main">
              <span class="row-title" title={activity.path}>
                {baseName(activity.path)}
              </span>
              <span class="muted row-sub">
                {activity.path}
                {several ? ` · ${folderLabel(folder)}` : ''}
              </span>
            </span>
            <time class="muted" dateTime={activity.at} title={clockTime(activity.at)}>
              {timeAgo(activity.at)}
            </time>
            <Button
              disabled={GONE.has(activity.action)}
              label={`Show ${baseName(activity.path)} in folder`}
              onClick={() => void run(() => wsync.showInFolder({ folderId: folder.folderId, path: activity.path }))}
            >
              Show in folder
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}
