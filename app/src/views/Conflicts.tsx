import { baseName, folderName, formatBytes } from '../../../electron/shared/format.js';
import type { FileVersion } from '../../../electron/shared/recovery.js';
import type { Conflict, FolderStatus } from '../../../electron/shared/status.js';
import { wsync } from '../bridge.js';
import { Button, ConfirmButton, Empty, ErrorLine, Icon, PathText } from '../components/common.js';
import { useAction, useLoaded } from '../hooks.js';
import { clockTime } from '../time.js';

function VersionFacts({ version }: { version: FileVersion | undefined }) {
  if (!version) return <p class="muted small">…</p>;
  if (version.size === null) return <p class="muted small">No longer on this computer</p>;
  return (
    <p class="version-facts">
      <span>{formatBytes(version.size)}</span>
      {version.modifiedAt ? <span class="muted"> · changed {clockTime(version.modifiedAt)}</span> : null}
    </p>
  );
}

function ConflictCard({ folder, conflict }: { folder: FolderStatus; conflict: Conflict }) {
  const { busy, error, run } = useAction();
  const versions = useLoaded(
    () => wsync.conflictVersions({ folderId: folder.folderId, path: conflict.path }),
    `${folder.folderId}:${conflict.conflictCopy}`,
  );
  const folderId = folder.folderId;
  const name = baseName(conflict.path);
  const copyName = baseName(conflict.conflictCopy);
  const trash = `${folderName(folder)}/.wsync/trash`;
  const version = (which: 'workspace' | 'yours') => {
    const path = which === 'workspace' ? conflict.path : conflict.conflictCopy;
    const label = which === 'workspace' ? `the workspace version of ${name}` : `your version of ${name}`;
    return (
      <div class="version">
        <h3>{which === 'workspace' ? 'Workspace version' : 'Your version'}</h3>
        <PathText path={which === 'workspace' ? name : copyName} max={34} class="version-name" />
        <VersionFacts version={versions.value?.[which]} />
        <div class="actions">
          <Button onClick={() => void run(() => wsync.openFile({ folderId, path }))} label={`Open ${label}`}>
            Open
          </Button>
          <Button kind="quiet" onClick={() => void run(() => wsync.showInFolder({ folderId, path }))} label={`Show ${label} in folder`}>
            <Icon name="folder" /> Show in folder
          </Button>
        </div>
      </div>
    );
  };
  return (
    <article class="card conflict" aria-label={`Conflict in ${conflict.path}`}>
      <header>
        <h2>{conflict.path}</h2>
        <p class="muted">
          Changed on this computer and in the workspace before wsync could sync them ({clockTime(conflict.at)}, {folderName(folder)}). Nothing was
          lost: both versions are in your folder and in the workspace.
        </p>
      </header>
      <div class="versions">
        {version('workspace')}
        {version('yours')}
      </div>
      <div class="choices">
        <div class="actions">
          <Button kind="primary" disabled={busy} onClick={() => void run(() => wsync.keepBoth({ folderId, path: conflict.path }))}>
            Keep both
          </Button>
          <ConfirmButton
            disabled={busy}
            confirmLabel="Keep workspace version"
            question={`${copyName} moves to ${trash} (restorable from Trash) and is deleted from the workspace.`}
            onConfirm={() => void run(() => wsync.resolveConflict({ folderId, path: conflict.path, keep: 'remote' }))}
          >
            Keep only the workspace version…
          </ConfirmButton>
          <ConfirmButton
            disabled={busy}
            confirmLabel="Keep your version"
            question={`Your version replaces ${name} on both sides; the workspace version moves to ${trash} (restorable from Trash).`}
            onConfirm={() => void run(() => wsync.resolveConflict({ folderId, path: conflict.path, keep: 'local' }))}
          >
            Keep only your version…
          </ConfirmButton>
        </div>
        <p class="muted small">
          Keep both leaves both files as they are, on this computer and in the workspace. Keeping only one moves the other to {trash}, where the Trash
          view can restore it.
        </p>
      </div>
      <ErrorLine message={error ?? versions.error} />
    </article>
  );
}

export function Conflicts({ statuses }: { statuses: FolderStatus[] }) {
  const conflicts = statuses.flatMap((folder) => folder.conflicts.map((conflict) => ({ folder, conflict })));
  if (conflicts.length === 0) {
    return (
      <Empty title="No conflicts" icon={<Icon name="check" />}>
        When a file changes on both sides before wsync syncs it, both versions are kept and shown here so you can choose.
      </Empty>
    );
  }
  return (
    <div class="stack">
      {conflicts.map(({ folder, conflict }) => (
        <ConflictCard key={`${folder.folderId}-${conflict.conflictCopy}`} folder={folder} conflict={conflict} />
      ))}
    </div>
  );
}
