import { useState } from 'preact/hooks';
import { bytesLeft, folderLabel, formatBytes, formatSpeed, plural } from '../../../electron/shared/format.js';
import type { FolderStatus, HeldDeletions, SyncState, Transfer } from '../../../electron/shared/status.js';
import { wsync } from '../bridge.js';
import { Button, Empty, ErrorLine, StateBadge } from '../components/common.js';
import { useAction, useTick } from '../hooks.js';
import { timeAgo } from '../time.js';

const SHOWN_PATHS = 5;
/** States whose message says something the card does not already show. */
const SHOWS_MESSAGE = new Set<SyncState>(['paused', 'offline', 'error', 'signed-out']);

function HeldDeletionPrompt({ folderId, held }: { folderId: string; held: HeldDeletions }) {
  const { busy, error, run } = useAction();
  const count = held.paths.length;
  // `side` is where the held deletions would be applied: 'remote' holds the deletion, in the
  // workspace, of files the user deleted in the folder.
  const local = held.side === 'remote';
  const headingId = `held-${folderId}-${held.side}`;
  return (
    <section class="prompt" role="region" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {plural(count, 'file')} {local ? 'deleted in your folder' : 'deleted from the workspace'}
      </h3>
      <p>
        That is {count} of {held.syncedCount} synced files, so wsync is holding the deletion until you decide.{' '}
        {local ? 'Delete them from the workspace too, or bring them back into your folder?' : 'Delete them from this computer too, or put them back in the workspace?'}
      </p>
      <ul class="path-list">
        {held.paths.slice(0, SHOWN_PATHS).map((p) => (
          <li key={p}>{p}</li>
        ))}
        {count > SHOWN_PATHS ? <li class="muted">and {count - SHOWN_PATHS} more</li> : null}
      </ul>
      <div class="actions">
        <Button kind="danger" disabled={busy} onClick={() => void run(() => wsync.confirmDeletions({ folderId }))}>
          {local ? 'Delete from workspace' : 'Delete from this computer'}
        </Button>
        <Button kind="primary" disabled={busy} onClick={() => void run(() => wsync.restoreDeletions({ folderId }))}>
          Restore files
        </Button>
      </div>
      <ErrorLine message={error} />
    </section>
  );
}

function SignedOutForm({ folderId }: { folderId: string }) {
  const [apiKey, setApiKey] = useState('');
  const { busy, error, run } = useAction();
  const inputId = `key-${folderId}`;
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => wsync.replaceApiKey({ folderId, apiKey }));
      }}
    >
      <label for={inputId}>New API key</label>
      <input id={inputId} type="password" autocomplete="off" value={apiKey} onInput={(e) => setApiKey(e.currentTarget.value)} />
      <Button type="submit" kind="primary" disabled={busy || apiKey.trim() === ''} onClick={() => undefined}>
        Sign in again
      </Button>
      <ErrorLine message={error} />
    </form>
  );
}

function TransferRow({ transfer }: { transfer: Transfer }) {
  const percent = transfer.bytesTotal > 0 ? Math.round((transfer.bytesDone / transfer.bytesTotal) * 100) : 0;
  return (
    <li class="transfer">
      <span class={`direction ${transfer.direction}`} aria-label={transfer.direction === 'upload' ? 'Uploading' : 'Downloading'}>
        {transfer.direction === 'upload' ? '↑' : '↓'}
      </span>
      <span class="transfer-path" title={transfer.path}>
        {transfer.path}
      </span>
      <progress max={100} value={percent} aria-label={`${transfer.path}: ${percent}%`} />
      <span class="transfer-figures muted">
        {formatBytes(transfer.bytesDone)} of {formatBytes(transfer.bytesTotal)}
        {transfer.bytesPerSecond > 0 ? ` · ${formatSpeed(transfer.bytesPerSecond)}` : ''}
      </span>
    </li>
  );
}

function PendingLine({ status }: { status: FolderStatus }) {
  const { uploads, downloads, deletes } = status.pending;
  const bytes = bytesLeft(status);
  const parts = [
    uploads > 0 ? `↑ ${plural(uploads, 'upload')}` : null,
    downloads > 0 ? `↓ ${plural(downloads, 'download')}` : null,
    deletes > 0 ? plural(deletes, 'deletion') : null,
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return <span>Nothing pending</span>;
  return <span>{parts.join(' · ') + (bytes > 0 ? ` · ${formatBytes(bytes)} left` : '')}</span>;
}

function attention(status: FolderStatus): string {
  const held = status.heldDeletions.reduce((n, h) => n + h.paths.length, 0);
  const parts = [
    status.conflicts.length > 0 ? plural(status.conflicts.length, 'conflict') : null,
    status.errors.length > 0 ? plural(status.errors.length, 'error') : null,
    held > 0 ? `${plural(held, 'deletion')} to confirm` : null,
  ].filter((p) => p !== null);
  return parts.length === 0 ? 'Nothing' : parts.join(', ');
}

function FolderCard({ status }: { status: FolderStatus }) {
  useTick(30_000);
  const { busy, error, run } = useAction();
  const folderId = status.folderId;
  const paused = status.state === 'paused';
  const headingId = `folder-${folderId}`;
  return (
    <article class="card folder-card" aria-labelledby={headingId}>
      <header class="card-header">
        <div class="folder-title">
          <h2 id={headingId}>{folderLabel(status)}</h2>
          <p class="muted path" title={status.dir}>
            {status.dir}
          </p>
        </div>
        <StateBadge state={status.state} />
      </header>
      {status.message && SHOWS_MESSAGE.has(status.state) ? <p class={`message state-${status.state}`}>{status.message}</p> : null}
      {status.state === 'signed-out' ? <SignedOutForm folderId={folderId} /> : null}
      {status.heldDeletions.map((held) => (
        <HeldDeletionPrompt key={held.side} folderId={folderId} held={held} />
      ))}
      <dl class="facts">
        <div>
          <dt>Last sync</dt>
          <dd>{status.lastSyncAt ? timeAgo(status.lastSyncAt) : 'Not yet'}</dd>
        </div>
        <div>
          <dt>Pending</dt>
          <dd>
            <PendingLine status={status} />
          </dd>
        </div>
        <div>
          <dt>Needs attention</dt>
          <dd>{attention(status)}</dd>
        </div>
      </dl>
      {status.transfers.length > 0 ? (
        <ul class="transfers" aria-label="Transfers in progress">
          {status.transfers.map((t) => (
            <TransferRow key={t.id} transfer={t} />
          ))}
        </ul>
      ) : null}
      <footer class="actions">
        <Button disabled={busy} onClick={() => void run(() => (paused ? wsync.resume({ folderId }) : wsync.pause({ folderId })))}>
          {paused ? 'Resume' : 'Pause'}
        </Button>
        <Button disabled={busy || paused || status.state === 'signed-out'} onClick={() => void run(() => wsync.syncNow({ folderId }))}>
          Sync now
        </Button>
        <Button onClick={() => void run(() => wsync.openFolder({ folderId }))}>Open folder</Button>
      </footer>
      <ErrorLine message={error} />
    </article>
  );
}

export function Overview({ statuses }: { statuses: FolderStatus[] }) {
  if (statuses.length === 0) return <Empty title="No folder is syncing">Add one in Settings.</Empty>;
  return (
    <div class="stack">
      {statuses.map((s) => (
        <FolderCard key={s.folderId} status={s} />
      ))}
    </div>
  );
}
