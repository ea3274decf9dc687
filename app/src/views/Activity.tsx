import { useState } from 'preact/hooks';
import { baseName, folderName, formatBytes } from '../../../electron/shared/format.js';
import type { Activity as ActivityRow, FolderStatus } from '../../../electron/shared/status.js';
import { wsync } from '../bridge.js';
import { Button, Empty, ErrorLine, Icon, PathText } from '../components/common.js';
import { useAction, useTick } from '../hooks.js';
import { byDay, clockTime, timeOfDay } from '../time.js';

const VERB: Record<ActivityRow['action'], string> = {
  upload: 'Uploaded',
  download: 'Downloaded',
  'delete-remote': 'Deleted from workspace',
  'delete-local': 'Moved to wsync trash',
  'rename-local': 'Renamed',
  'move-remote': 'Moved in workspace',
  conflict: 'Conflict: both kept',
  'record-synced': 'Already in sync',
};

const FILTERS = {
  moved: { label: 'Changes', actions: ['upload', 'download', 'delete-remote', 'delete-local', 'rename-local', 'move-remote', 'conflict'] },
  upload: { label: 'Uploads', actions: ['upload', 'move-remote'] },
  download: { label: 'Downloads', actions: ['download', 'rename-local'] },
  delete: { label: 'Deletions', actions: ['delete-remote', 'delete-local'] },
  conflict: { label: 'Conflicts', actions: ['conflict'] },
  all: { label: 'Everything', actions: Object.keys(VERB) },
} as const satisfies Record<string, { label: string; actions: readonly string[] }>;
type Filter = keyof typeof FILTERS;

const GONE = new Set<ActivityRow['action']>(['delete-remote', 'delete-local']);
const LIMIT = 300;

function Row({
  folder,
  activity,
  several,
  run,
}: {
  folder: FolderStatus;
  activity: ActivityRow;
  several: boolean;
  run: (task: () => Promise<unknown>) => Promise<boolean>;
}) {
  const gone = GONE.has(activity.action);
  const name = baseName(activity.path);
  const open = () => void run(() => wsync.openFile({ folderId: folder.folderId, path: activity.path }));
  return (
    <li class={`row activity-row${gone ? ' gone' : ''}`} onDblClick={gone ? undefined : open} title={gone ? undefined : 'Double-click to open'}>
      <span class={`verb action-${activity.action}`}>{VERB[activity.action]}</span>
      <span class="row-main">
        <span class="row-title">{name}</span>
        <span class="muted row-sub">
          <PathText path={activity.path} max={70} />
          {several ? ` · ${folderName(folder)}` : ''}
        </span>
      </span>
      <span class="size muted">{activity.bytes !== undefined && !gone ? formatBytes(activity.bytes) : ''}</span>
      <time class="muted" dateTime={activity.at} title={clockTime(activity.at)}>
        {timeOfDay(activity.at)}
      </time>
      <span class="reveal">
        {gone ? null : (
          <Button
            kind="quiet"
            label={`Show ${name} in folder`}
            onClick={() => void run(() => wsync.showInFolder({ folderId: folder.folderId, path: activity.path }))}
          >
            <Icon name="folder" /> Show
          </Button>
        )}
      </span>
    </li>
  );
}

export function Activity({ statuses }: { statuses: FolderStatus[] }) {
  useTick(60_000);
  const { error, run } = useAction();
  const [filter, setFilter] = useState<Filter>('moved');
  const [text, setText] = useState('');
  const wanted = new Set<string>(FILTERS[filter].actions);
  const needle = text.trim().toLowerCase();
  const everything = statuses.flatMap((s) => s.recent.map((a) => ({ folder: s, activity: a })));
  const rows = everything
    .filter(({ activity }) => wanted.has(activity.action) && (needle === '' || activity.path.toLowerCase().includes(needle)))
    .sort((a, b) => b.activity.at.localeCompare(a.activity.at))
    .slice(0, LIMIT);
  const several = statuses.length > 1;
  if (everything.length === 0)
    return <Empty title="No activity yet">Files wsync uploads, downloads or deletes will be listed here, grouped by day.</Empty>;
  return (
    <div class="stack">
      <div class="toolbar">
        <label class="search">
          <span class="visually-hidden">Filter by name</span>
          <input type="search" placeholder="Filter by name" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <label class="select">
          <span class="visually-hidden">Show</span>
          <select value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)} aria-label="Show">
            {(Object.keys(FILTERS) as Filter[]).map((f) => (
              <option key={f} value={f}>
                {FILTERS[f].label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorLine message={error} />
      {rows.length === 0 ? (
        <Empty title="Nothing matches">Try another name, or show everything.</Empty>
      ) : (
        byDay(rows, (r) => r.activity.at).map((group) => (
          <section class="card day" key={group.day} aria-label={group.day}>
            <h2 class="day-heading">{group.day}</h2>
            <ul class="rows" aria-label={`Activity ${group.day}`}>
              {group.items.map(({ folder, activity }) => (
                <Row key={`${folder.folderId}-${activity.id}`} folder={folder} activity={activity} several={several} run={run} />
              ))}
            </ul>
          </section>
        ))
      )}
    </div>
  );
}
