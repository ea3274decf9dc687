import { useState } from 'preact/hooks';
import { baseName, countOf, folderName, formatBytes } from '../../../electron/shared/format.js';
import type { PublicSettings } from '../../../electron/shared/ipc.js';
import type { View } from '../../../electron/shared/ipc-channels.js';
import type { Restored, TrashEntry, TrashListing } from '../../../electron/shared/recovery.js';
import type { FolderStatus } from '../../../electron/shared/status.js';
import { wsync } from '../bridge.js';
import { Button, ConfirmButton, Empty, ErrorLine, Icon, PathText } from '../components/common.js';
import { useAction, useLoaded } from '../hooks.js';
import { byDay, clockTime, timeOfDay } from '../time.js';

const ORIGIN: Record<TrashEntry['origin'], string> = {
  'deleted-in-workspace': 'Deleted in the workspace',
  'conflict-resolution': 'Not kept in a conflict',
};

function FolderTrash({
  folder,
  listing,
  refresh,
  retentionDays,
  onNavigate,
}: {
  folder: FolderStatus;
  listing: TrashListing;
  refresh: () => void;
  retentionDays: number;
  onNavigate: (v: View) => void;
}) {
  const folderId = folder.folderId;
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [restored, setRestored] = useState<Restored[] | null>(null);
  const [emptied, setEmptied] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const entries = listing.entries;
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const restore = (ids: string[]) =>
    void run(async () => {
      setRestored(await wsync.restoreFromTrash({ folderId, ids }));
      setSelected(new Set());
      refresh();
    });
  const empty = (olderThanDays: number | null) =>
    void run(async () => {
      const done = await wsync.emptyTrash({ folderId, olderThanDays });
      setEmptied(
        done.files === 0 ? 'Nothing was old enough to delete.' : `Deleted ${countOf(done.files, 'file')} (${formatBytes(done.bytes)}) for good.`,
      );
      refresh();
    });
  const name = folderName(folder);
  const older = entries.filter((e) => Date.parse(e.trashedAt) < Date.now() - retentionDays * 86_400_000).length;

  return (
    <section class="card trash" aria-label={`Trash of ${name}`}>
      <header class="card-header">
        <div>
          <h2>{name}</h2>
          <p class="muted small">
            {listing.totalFiles === 0 ? 'Nothing in the trash' : `${countOf(listing.totalFiles, 'file')}, ${formatBytes(listing.totalBytes)}`} ·{' '}
            <code>{name}/.wsync/trash</code>
          </p>
        </div>
      </header>
      {restored && restored.length > 0 ? (
        <p class="ok-line" role="status">
          {restored.length === 1 ? `Restored ${restored[0]?.path}` : `Restored ${countOf(restored.length, 'file')}`}
          {restored.some((r) => r.renamed) ? ' (beside a file now at the same place, as "… (restored)")' : ''}. It will be uploaded to the workspace
          again.
        </p>
      ) : null}
      {entries.length === 0 ? null : (
        <>
          <div class="toolbar">
            <label class="check">
              <input
                type="checkbox"
                checked={selected.size === entries.length}
                onChange={(e) => setSelected(e.currentTarget.checked ? new Set(entries.map((x) => x.id)) : new Set())}
              />
              <span>Select all</span>
            </label>
            <Button kind="primary" disabled={busy || selected.size === 0} onClick={() => restore([...selected])}>
              {selected.size > 1 ? `Restore ${selected.size} files` : 'Restore'}
            </Button>
          </div>
          {byDay(entries, (e) => e.trashedAt).map((group) => (
            <div key={group.day}>
              <h3 class="day-heading">{group.day}</h3>
              <ul class="rows" aria-label={`Trashed ${group.day}`}>
                {group.items.map((entry) => (
                  <li class="row trash-row" key={entry.id}>
                    <input type="checkbox" checked={selected.has(entry.id)} onChange={() => toggle(entry.id)} aria-label={`Select ${entry.path}`} />
                    <span class="row-main">
                      <span class="row-title">{baseName(entry.path)}</span>
                      <span class="muted row-sub">
                        <PathText path={entry.path} max={60} /> · {ORIGIN[entry.origin]}
                      </span>
                    </span>
                    <span class="size muted">{formatBytes(entry.size)}</span>
                    <time class="muted" dateTime={entry.trashedAt} title={clockTime(entry.trashedAt)}>
                      {timeOfDay(entry.trashedAt)}
                    </time>
                    <span class="reveal">
                      <Button
                        kind="quiet"
                        label={`Show ${entry.path} in the trash folder`}
                        onClick={() => void run(() => wsync.showTrashItem({ folderId, id: entry.id }))}
                      >
                        <Icon name="folder" /> Show
                      </Button>
                    </span>
                    <Button disabled={busy} label={`Restore ${entry.path}`} onClick={() => restore([entry.id])}>
                      Restore
                    </Button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
          {listing.truncated ? <p class="muted small">Showing the newest {entries.length}; older files are in the trash folder.</p> : null}
        </>
      )}
      {entries.length === 0 ? null : (
        <footer class="actions trash-footer">
          <ConfirmButton
            disabled={busy || entries.length === 0}
            confirmLabel={`Delete ${older === 0 ? 'old files' : countOf(older, 'file')}`}
            question={`Files in the trash for more than ${retentionDays} days are deleted for good. This cannot be undone.`}
            onConfirm={() => empty(retentionDays)}
          >
            Empty trash older than {retentionDays} days…
          </ConfirmButton>
          <ConfirmButton
            disabled={busy || entries.length === 0}
            confirmLabel="Empty trash"
            question={`Every file in ${name}'s trash is deleted for good. This cannot be undone.`}
            onConfirm={() => empty(null)}
          >
            Empty trash…
          </ConfirmButton>
          <button type="button" class="link" onClick={() => onNavigate('settings')}>
            Change how long files are kept
          </button>
        </footer>
      )}
      {emptied ? (
        <p class="muted small" role="status">
          {emptied}
        </p>
      ) : null}
      <ErrorLine message={error} />
    </section>
  );
}

export function Trash({ statuses, settings, onNavigate }: { statuses: FolderStatus[]; settings: PublicSettings; onNavigate: (v: View) => void }) {
  // Read again when something may have moved to the trash (an activity, a conflict settled).
  const key = statuses.map((s) => `${s.folderId}:${s.recent[0]?.id ?? 0}:${s.conflicts.length}:${s.heldDeletions.length}`).join();
  const listings = useLoaded(() => Promise.all(statuses.map((s) => wsync.getTrash({ folderId: s.folderId }))), key);
  return (
    <div class="stack">
      <p class="intro muted">
        When wsync removes a file from this computer (because it was deleted in the workspace, or was the version you did not keep in a conflict), it
        moves it to the folder's own <strong>wsync trash</strong>, not your system's Trash. Restoring puts the file back in your folder and uploads it
        to the workspace again. Files are deleted for good after {settings.trashRetentionDays} days.
      </p>
      {!listings.value ? (
        <p class="muted">Reading the trash…</p>
      ) : listings.value.every((l) => l.totalFiles === 0) ? (
        <Empty title="The trash is empty" icon={<Icon name="trash" />}>
          Files deleted in the workspace, and versions you chose not to keep in a conflict, are kept here for {settings.trashRetentionDays} days.
        </Empty>
      ) : (
        statuses.map((folder, i) => {
          const listing = listings.value?.[i];
          return listing ? (
            <FolderTrash
              key={folder.folderId}
              folder={folder}
              listing={listing}
              refresh={listings.refresh}
              retentionDays={settings.trashRetentionDays}
              onNavigate={onNavigate}
            />
          ) : null;
        })
      )}
      <ErrorLine message={listings.error} />
    </div>
  );
}
