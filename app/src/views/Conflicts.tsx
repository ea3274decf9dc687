import { baseName, folderLabel } from '../../../electron/shared/format.js';
import type { Conflict, FolderStatus } from '../../../electron/shared/status.js';
import { wsync } from '../bridge.js';
import { Button, Empty, ErrorLine } from '../components/common.js';
import { useAction } from '../hooks.js';
import { clockTime } from '../time.js';

function ConflictCard({ folder, conflict }: { folder: FolderStatus; conflict: Conflict }) {
  const { busy, error, run } = useAction();
  const folderId = folder.folderId;
  const name = baseName(conflict.path);
  return (
    <article class="card conflict" aria-label={`Conflict in ${conflict.path}`}>
      <h2>{conflict.path}</h2>
      <p class="muted">
        Changed on both sides ({clockTime(conflict.at)}) in {folderLabel(folder)}. The workspace version kept the name; your version was saved as{' '}
        <strong>{baseName(conflict.conflictCopy)}</strong>.
      </p>
      <div class="versions">
        <div class="version">
          <h3>Workspace version</h3>
          <p class="muted">{name}</p>
          <div class="actions">
            <Button onClick={() => void run(() => wsync.openFile({ folderId, path: conflict.path }))} label={`Open the workspace version of ${name}`}>
              Open
            </Button>
            <Button kind="primary" disabled={busy} onClick={() => void run(() => wsync.resolveConflict({ folderId, path: conflict.path, keep: 'remote' }))}>
              Keep this one
            </Button>
          </div>
        </div>
        <div class="version">
          <h3>Your version</h3>
          <p class="muted">{baseName(conflict.conflictCopy)}</p>
          <div class="actions">
            <Button onClick={() => void run(() => wsync.openFile({ folderId, path: conflict.conflictCopy }))} label={`Open your version of ${name}`}>
              Open
            </Button>
            <Button kind="primary" disabled={busy} onClick={() => void run(() => wsync.resolveConflict({ folderId, path: conflict.path, keep: 'local' }))}>
              Keep this one
            </Button>
          </div>
        </div>
      </div>
      <ErrorLine message={error} />
    </article>
  );
}

export function Conflicts({ statuses }: { statuses: FolderStatus[] }) {
  const conflicts = statuses.flatMap((folder) => folder.conflicts.map((conflict) => ({ folder, conflict })));
  if (conflicts.length === 0) return <Empty title="No conflicts">When a file changes on both sides, both versions are kept and listed here.</Empty>;
  return (
    <div class="stack">
      {conflicts.map(({ folder, conflict }) => (
        <ConflictCard key={`${folder.folderId}-${conflict.conflictCopy}`} folder={folder} conflict={conflict} />
      ))}
    </div>
  );
}
