import { useState } from 'preact/hooks';
import { folderProblem } from '../../../electron/shared/explain.js';
import {
  bytesLeft,
  countOf,
  folderName,
  folderRemote,
  formatBytes,
  formatDuration,
  formatSpeed,
  overallProgress,
  overallState,
  pendingFiles,
} from '../../../electron/shared/format.js';
import type { PublicSettings } from '../../../electron/shared/ipc.js';
import type { View } from '../../../electron/shared/ipc-channels.js';
import type { FolderStatus, HeldDeletions, Transfer } from '../../../electron/shared/status.js';
import { wsync } from '../bridge.js';
import { Button, ConfirmButton, Empty, ErrorLine, Icon, PathText, ProgressBar, StateBadge } from '../components/common.js';
import { useAction, useProgress, useTick } from '../hooks.js';
import { timeAgo, timeOfDay } from '../time.js';

const SHOWN_PATHS = 5;

/** One line over every folder: what the sidebar, the popover and the summary card say first. */
export function overallHeadline(statuses: readonly FolderStatus[], pausedUntil: string | null = null): string {
  if (statuses.length === 0) return 'No folder set up yet';
  const state = overallState(statuses);
  const needing = statuses.filter((s) => s.state === state).length;
  const which = needing === 1 ? folderName(statuses.find((s) => s.state === state) as FolderStatus) : countOf(needing, 'folder');
  switch (state) {
    case 'idle':
      return 'Everything is up to date';
    case 'syncing': {
      const files = overallProgress(statuses).files;
      return files > 0 ? `Syncing ${countOf(files, 'file')}` : 'Syncing…';
    }
    case 'paused':
      return pausedUntil ? `Paused until ${timeOfDay(pausedUntil)}` : 'Syncing is paused';
    case 'offline':
      return 'Offline: waiting for the server';
    case 'error':
      return `${which} ${needing === 1 ? 'needs' : 'need'} attention`;
    case 'signed-out':
      return `${which}: signed out`;
    case 'needs-confirmation':
      return 'Deletions are waiting for you';
  }
}

/** The second line of the summary when nothing moves: how the folders stand. */
function summaryLine(statuses: readonly FolderStatus[]): string {
  const state = overallState(statuses);
  const total = statuses.length;
  const inState = statuses.filter((s) => s.state === state).length;
  if (state === 'idle') return total === 1 ? 'The folder is in step with the workspace' : `All ${total} folders are in step with their workspaces`;
  if (state === 'paused') return 'Nothing is transferred until you resume';
  if (state === 'offline') return 'wsync keeps trying, and syncs as soon as the server answers';
  const others = total - inState;
  if (others > 0) return `${countOf(others, 'other folder')} ${others === 1 ? 'is' : 'are'} fine`;
  if (state === 'needs-confirmation') return 'Nothing was deleted yet: choose below what wsync should do';
  if (state === 'signed-out') return 'Enter the API key again below to go on syncing';
  return 'What went wrong and how to fix it is below';
}

function Summary({ statuses, settings }: { statuses: FolderStatus[]; settings: PublicSettings }) {
  const progress = overallProgress(statuses);
  const { overall } = useProgress(statuses);
  const syncing = statuses.some((s) => s.state === 'syncing');
  const state = overallState(statuses);
  return (
    <section class="card summary" aria-label="Overall">
      <div class="summary-line">
        <span class={`summary-icon state-${state}`}>
          <Icon name={state === 'syncing' ? 'sync' : state === 'idle' ? 'check' : state === 'paused' ? 'pause' : 'alert'} />
        </span>
        <div class="summary-text">
          <h2>{overallHeadline(statuses, settings.pausedUntil)}</h2>
          {syncing && progress.files > 0 ? (
            <p class="muted" data-testid="progress-line">
              {progress.bytesLeft > 0 ? `${formatBytes(progress.bytesLeft)} left` : 'Finishing'}
              {progress.secondsLeft !== null ? ` · ${formatDuration(progress.secondsLeft)}` : ''}
              {progress.bytesPerSecond > 0 ? ` · ${formatSpeed(progress.bytesPerSecond)}` : ''}
            </p>
          ) : (
            <p class="muted">{summaryLine(statuses)}</p>
          )}
        </div>
        {syncing && progress.files > 0 ? (
          <span class="queue muted" data-testid="queue">
            {progress.active} in progress · {progress.queued} queued
          </span>
        ) : null}
      </div>
      {syncing ? <ProgressBar fraction={overall} label="Overall progress" /> : null}
    </section>
  );
}

function HeldDeletionPrompt({ folder, held, retentionDays }: { folder: FolderStatus; held: HeldDeletions; retentionDays: number }) {
  const { busy, error, run } = useAction();
  const [all, setAll] = useState(false);
  const folderId = folder.folderId;
  const count = held.paths.length;
  // `side` is where the held deletions would be applied: 'remote' holds the deletion, in the
  // workspace, of files the user deleted in the folder.
  const deletedHere = held.side === 'remote';
  const headingId = `held-${folderId}-${held.side}`;
  const name = folderName(folder);
  const shown = all ? held.paths : held.paths.slice(0, SHOWN_PATHS);
  return (
    <section class="prompt" role="region" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {countOf(count, 'file')} {deletedHere ? `deleted in ${name}` : 'deleted from the workspace'}
      </h3>
      <p>
        That is {count} of the {held.syncedCount} synced files, so wsync has held the deletion until you decide. Nothing has been deleted{' '}
        {deletedHere ? 'from the workspace' : 'from this computer'} yet.
      </p>
      <ul class="path-list">
        {shown.map((p) => (
          <li key={p}>
            <PathText path={p} max={90} />
          </li>
        ))}
      </ul>
      {count > SHOWN_PATHS ? (
        <button type="button" class="link" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${count}`}
        </button>
      ) : null}
      <div class="actions">
        <Button kind="primary" disabled={busy} onClick={() => void run(() => wsync.restoreDeletions({ folderId }))}>
          {deletedHere ? 'Restore them in my folder' : 'Put them back in the workspace'}
        </Button>
        <ConfirmButton
          disabled={busy}
          confirmLabel={deletedHere ? `Delete ${count} from workspace` : `Move ${count} to wsync trash`}
          question={
            deletedHere
              ? `The ${countOf(count, 'file')} will be deleted from the workspace ${folder.workspace}. wsync keeps no copy: they are already gone from your folder.`
              : `The ${countOf(count, 'file')} will be moved from this computer to ${name}/.wsync/trash (not the system Trash), where the Trash view can restore them for ${retentionDays} days.`
          }
          onConfirm={() => void run(() => wsync.confirmDeletions({ folderId }))}
        >
          {deletedHere ? 'Delete from workspace too…' : 'Delete from this computer too…'}
        </ConfirmButton>
      </div>
      <p class="muted small">
        {deletedHere ? 'Restoring downloads them again from the workspace.' : 'Putting them back uploads them again from this computer.'}
      </p>
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

export function TransferRow({ transfer, max = 70 }: { transfer: Transfer; max?: number }) {
  const fraction = transfer.bytesTotal > 0 ? transfer.bytesDone / transfer.bytesTotal : 0;
  const up = transfer.direction === 'upload';
  return (
    <li class="transfer">
      <span class={`direction ${transfer.direction}`} aria-label={up ? 'Uploading' : 'Downloading'}>
        <Icon name={up ? 'up' : 'down'} />
      </span>
      <PathText path={transfer.path} max={max} class="transfer-path" />
      <ProgressBar fraction={fraction} label={`${transfer.path}: ${Math.round(fraction * 100)}%`} />
      <span class="transfer-figures muted">
        {formatBytes(transfer.bytesDone)} of {formatBytes(transfer.bytesTotal)}
        {transfer.bytesPerSecond > 0 ? ` · ${formatSpeed(transfer.bytesPerSecond)}` : ''}
      </span>
    </li>
  );
}

function PendingLine({ status }: { status: FolderStatus }) {
  const files = pendingFiles(status);
  const bytes = bytesLeft(status);
  if (files === 0 && status.transfers.length === 0) return <span>Nothing waiting</span>;
  const queued = Math.max(0, files - status.transfers.length);
  return (
    <span>
      {countOf(Math.max(files, status.transfers.length), 'file')}
      {bytes > 0 ? `, ${formatBytes(bytes)}` : ''}
      {queued > 0 ? <span class="muted"> · {queued} queued</span> : null}
    </span>
  );
}

function LastSync({ status }: { status: FolderStatus }) {
  if (status.lastSyncAt) return <span>{timeAgo(status.lastSyncAt)}</span>;
  // Before the first sync ends there is no "last sync": say what is happening, not "Not yet".
  if (status.state === 'syncing') return <span class="state-syncing">First sync in progress</span>;
  return <span class="muted">Waiting for the first sync</span>;
}

function Attention({ status, onNavigate }: { status: FolderStatus; onNavigate: (v: View) => void }) {
  const held = status.heldDeletions.reduce((n, h) => n + h.paths.length, 0);
  const items: { label: string; view: View }[] = [];
  if (status.conflicts.length > 0) items.push({ label: countOf(status.conflicts.length, 'conflict'), view: 'conflicts' });
  if (status.errors.length > 0) items.push({ label: `${countOf(status.errors.length, 'file')} couldn't sync`, view: 'errors' });
  if (held > 0) items.push({ label: `${countOf(held, 'deletion')} to review`, view: 'overview' });
  if (items.length === 0) return <span>Nothing</span>;
  return (
    <span class="attention-links">
      {items.map((item, i) => (
        <span key={item.label}>
          {i > 0 ? ', ' : ''}
          {item.view === 'overview' ? (
            item.label
          ) : (
            <button type="button" class="link" onClick={() => onNavigate(item.view)}>
              {item.label}
            </button>
          )}
        </span>
      ))}
    </span>
  );
}

function ProblemBanner({ status }: { status: FolderStatus }) {
  const problem = folderProblem(status);
  const { error, run } = useAction();
  if (!problem || problem.kind === 'signed-out') return null;
  const folderId = status.folderId;
  return (
    <div class={`problem problem-${problem.kind}`} role="status">
      <p>
        <strong>{problem.sentence}</strong> {problem.fix}
      </p>
      <div class="actions">
        {problem.kind !== 'offline' ? (
          <Button kind="quiet" onClick={() => void run(() => wsync.openLog({ folderId }))}>
            Open log
          </Button>
        ) : null}
        {problem.details ? (
          <Button kind="quiet" onClick={() => void run(() => wsync.copyText({ text: problem.details }))}>
            Copy details
          </Button>
        ) : null}
      </div>
      <ErrorLine message={error} />
    </div>
  );
}

function FolderCard({ status, retentionDays, onNavigate }: { status: FolderStatus; retentionDays: number; onNavigate: (v: View) => void }) {
  useTick(30_000);
  const { busy, error, run } = useAction();
  const folderId = status.folderId;
  const paused = status.state === 'paused';
  const signedOut = status.state === 'signed-out';
  const headingId = `folder-${folderId}`;
  return (
    <article class="card folder-card" aria-labelledby={headingId}>
      <header class="card-header">
        <div class="folder-title">
          <h2 id={headingId}>{folderName(status)}</h2>
          <p class="muted small" title={status.dir}>
            {folderRemote(status)}
          </p>
        </div>
        <StateBadge status={status} />
      </header>
      {signedOut ? (
        <>
          <p class="message state-signed-out">The server no longer accepts the API key for this folder. Enter a valid key to sync again.</p>
          <SignedOutForm folderId={folderId} />
        </>
      ) : null}
      <ProblemBanner status={status} />
      {status.heldDeletions.map((held) => (
        <HeldDeletionPrompt key={held.side} folder={status} held={held} retentionDays={retentionDays} />
      ))}
      <dl class="facts">
        <div>
          <dt>Last sync</dt>
          <dd>
            <LastSync status={status} />
          </dd>
        </div>
        <div>
          <dt>To sync</dt>
          <dd>
            <PendingLine status={status} />
          </dd>
        </div>
        <div>
          <dt>Needs attention</dt>
          <dd>
            <Attention status={status} onNavigate={onNavigate} />
          </dd>
        </div>
      </dl>
      {status.transfers.length > 0 ? (
        <ul class="transfers" aria-label="Transfers in progress">
          {status.transfers.map((t) => (
            <TransferRow key={t.id} transfer={t} max={48} />
          ))}
        </ul>
      ) : null}
      <footer class="actions">
        {signedOut ? null : (
          <Button disabled={busy} onClick={() => void run(() => (paused ? wsync.resume({ folderId }) : wsync.pause({ folderId })))}>
            {paused ? 'Resume' : 'Pause'}
          </Button>
        )}
        <Button disabled={busy || paused || signedOut} onClick={() => void run(() => wsync.syncNow({ folderId }))}>
          Sync now
        </Button>
        <Button onClick={() => void run(() => wsync.openFolder({ folderId }))}>
          <Icon name="folder" /> Open folder
        </Button>
      </footer>
      <ErrorLine message={error} />
    </article>
  );
}

export function Overview({ statuses, settings, onNavigate }: { statuses: FolderStatus[]; settings: PublicSettings; onNavigate: (v: View) => void }) {
  if (statuses.length === 0) return <Empty title="No folder is syncing">Add one in Settings.</Empty>;
  return (
    <div class="stack">
      <Summary statuses={statuses} settings={settings} />
      {statuses.map((s) => (
        <FolderCard key={s.folderId} status={s} retentionDays={settings.trashRetentionDays} onNavigate={onNavigate} />
      ))}
    </div>
  );
}
