import { folderLabel, plural } from '../../../electron/shared/format.js';
import type { FolderStatus } from '../../../electron/shared/status.js';
import { wsync } from '../bridge.js';
import { Button, Empty, ErrorLine } from '../components/common.js';
import { useAction, useTick } from '../hooks.js';
import { timeAgo } from '../time.js';

const REASON: Record<string, string> = {
  auth: 'Not allowed',
  'not-found': 'Not found',
  'rate-limited': 'Server busy',
  transient: 'Connection problem',
  'too-large': 'Too large',
  'invalid-response': 'Unexpected server answer',
  'local-io': 'Disk problem',
  conflict: 'Changed meanwhile',
  cancelled: 'Cancelled',
  fatal: 'Unexpected error',
};

export function Errors({ statuses }: { statuses: FolderStatus[] }) {
  useTick(30_000);
  const { busy, error, run } = useAction();
  const rows = statuses.flatMap((folder) => folder.errors.map((e) => ({ folder, e })));
  if (rows.length === 0) return <Empty title="No errors">Files that could not be synced will be listed here with the reason.</Empty>;
  return (
    <div class="card">
      <ErrorLine message={error} />
      <ul class="rows" aria-label="Files that could not be synced">
        {rows.map(({ folder, e }) => (
          <li key={`${folder.folderId}-${e.path}`} class="row">
            <span class="verb action-error">{REASON[e.kind] ?? e.kind}</span>
            <span class="row-main">
              <span class="row-title">{e.path}</span>
              <span class="row-sub wrap">{e.message}</span>
              <span class="muted row-sub">
                {plural(e.attempts, 'attempt')} · last {timeAgo(e.at)}
                {statuses.length > 1 ? ` · ${folderLabel(folder)}` : ''}
              </span>
            </span>
            <Button disabled={busy} label={`Retry ${e.path}`} onClick={() => void run(() => wsync.retry({ folderId: folder.folderId, path: e.path }))}>
              Retry
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}
