/**
 * The tray popover: what a glance at the tray should tell. The overall state with progress and
 * time left, the files moving now, the last files that really moved, and the one thing (if any)
 * that needs the user, with its action. Everything else is one click away in the main window.
 */
import { useState } from 'preact/hooks';
import { baseName, countOf, folderName, formatBytes, formatDuration, overallProgress, overallState } from '../../../electron/shared/format.js';
import type { PublicSettings } from '../../../electron/shared/ipc.js';
import type { View } from '../../../electron/shared/ipc-channels.js';
import type { Activity, FolderStatus } from '../../../electron/shared/status.js';
import { folderProblem } from '../../../electron/shared/explain.js';
import { wsync } from '../bridge.js';
import { Button, ErrorLine, Icon, Logo, PathText, ProgressBar } from '../components/common.js';
import { useAction, useProgress, useTick } from '../hooks.js';
import { timeAgo } from '../time.js';
import { overallHeadline, TransferRow } from './Overview.js';

const MOVED = new Set<Activity['action']>(['upload', 'download', 'rename-local', 'move-remote', 'conflict']);
const RECENT = 6;
const TRANSFERS = 3;

interface Banner {
  text: string;
  action: string;
  view: View;
  tone: 'warn' | 'danger';
}

/** The single most urgent thing that needs the user. */
export function attentionBanner(statuses: readonly FolderStatus[]): Banner | null {
  const signedOut = statuses.find((s) => s.state === 'signed-out');
  if (signedOut) return { text: `${folderName(signedOut)} is signed out: syncing stopped.`, action: 'Sign in', view: 'overview', tone: 'warn' };
  const held = statuses.find((s) => s.heldDeletions.length > 0);
  if (held) {
    const n = held.heldDeletions.reduce((k, h) => k + h.paths.length, 0);
    return {
      text: `${countOf(n, 'file')} deleted in ${held.heldDeletions[0]?.side === 'remote' ? folderName(held) : 'the workspace'}: wsync is waiting for you.`,
      action: 'Review',
      view: 'overview',
      tone: 'warn',
    };
  }
  const stopped = statuses.find((s) => s.state === 'error' && s.errors.length === 0);
  if (stopped)
    return { text: folderProblem(stopped)?.sentence ?? `${folderName(stopped)} stopped syncing.`, action: 'Details', view: 'errors', tone: 'danger' };
  const conflicts = statuses.reduce((n, s) => n + s.conflicts.length, 0);
  if (conflicts > 0) return { text: `${countOf(conflicts, 'file')} changed in two places.`, action: 'Resolve', view: 'conflicts', tone: 'warn' };
  const failing = statuses.reduce((n, s) => n + s.errors.length, 0);
  if (failing > 0) return { text: `${countOf(failing, 'file')} couldn't sync.`, action: 'Show', view: 'errors', tone: 'danger' };
  return null;
}

/** Under the headline when nothing moves: when it last synced, and where. */
function popoverSubline(statuses: readonly FolderStatus[]): string {
  if (statuses.length === 0) return 'Set up a folder to start';
  const last = statuses
    .map((s) => s.lastSyncAt)
    .filter((t): t is string => t !== null)
    .sort()
    .pop();
  const where = statuses.length === 1 && statuses[0] ? folderName(statuses[0]) : countOf(statuses.length, 'folder');
  return last ? `${where} · last synced ${timeAgo(last)}` : where;
}

function PauseMenu({ allPaused, run }: { allPaused: boolean; run: (t: () => Promise<unknown>) => Promise<boolean> }) {
  const [open, setOpen] = useState(false);
  if (allPaused) {
    return (
      <Button kind="quiet" onClick={() => void run(() => wsync.resumeAll())}>
        Resume
      </Button>
    );
  }
  return (
    <span class="menu-wrap">
      <Button kind="quiet" onClick={() => setOpen(!open)} label="Pause syncing">
        <Icon name="pause" /> Pause
      </Button>
      {open ? (
        <span class="menu" role="menu">
          {(
            [
              ['one-hour', 'For 1 hour'],
              ['tomorrow', 'Until tomorrow'],
              ['until-resumed', 'Until I resume'],
            ] as const
          ).map(([length, label]) => (
            <button
              key={length}
              type="button"
              role="menuitem"
              onClick={() => {
                setOpen(false);
                void run(() => wsync.pauseAll({ length }));
              }}
            >
              {label}
            </button>
          ))}
        </span>
      ) : null}
    </span>
  );
}

export function Popover({ statuses, settings }: { statuses: FolderStatus[]; settings: PublicSettings }) {
  useTick(30_000);
  const { error, run } = useAction();
  const { overall } = useProgress(statuses);
  const state = overallState(statuses);
  const progress = overallProgress(statuses);
  const banner = attentionBanner(statuses);
  const transfers = statuses.flatMap((s) => s.transfers);
  const recent = statuses
    .flatMap((s) => s.recent.filter((a) => MOVED.has(a.action)).map((a) => ({ folder: s, activity: a })))
    .sort((a, b) => b.activity.at.localeCompare(a.activity.at))
    .slice(0, RECENT);
  const running = statuses.filter((s) => s.state !== 'signed-out');
  const allPaused = running.length > 0 && running.every((s) => s.state === 'paused');
  const open = (view: View) => void run(() => wsync.showWindow({ view }));

  return (
    <main class="popover" aria-label="wsync status">
      <header class="popover-head">
        <Logo size={20} />
        <div class="popover-state">
          <h1 class={`state-${statuses.length === 0 ? 'idle' : state}`}>{overallHeadline(statuses, settings.pausedUntil)}</h1>
          {state === 'syncing' && progress.files > 0 ? (
            <p class="muted small" data-testid="popover-progress">
              {progress.bytesLeft > 0 ? `${formatBytes(progress.bytesLeft)} left` : 'Finishing'}
              {progress.secondsLeft !== null ? ` · ${formatDuration(progress.secondsLeft)}` : ''}
              {progress.queued > 0 ? ` · ${progress.queued} queued` : ''}
            </p>
          ) : (
            <p class="muted small">{popoverSubline(statuses)}</p>
          )}
        </div>
        <Button kind="quiet" label="Settings" onClick={() => open('settings')}>
          <Icon name="gear" />
        </Button>
      </header>
      {state === 'syncing' ? <ProgressBar fraction={overall} label="Overall progress" /> : null}

      {banner ? (
        <div class={`banner banner-${banner.tone}`} role="alert">
          <Icon name="alert" />
          <span>{banner.text}</span>
          <Button kind="primary" onClick={() => open(banner.view)}>
            {banner.action}
          </Button>
        </div>
      ) : null}

      {transfers.length > 0 ? (
        <section aria-label="Transfers in progress">
          <h2 class="popover-section">Now</h2>
          <ul class="transfers compact">
            {transfers.slice(0, TRANSFERS).map((t) => (
              <TransferRow key={t.id} transfer={t} max={34} />
            ))}
          </ul>
          {transfers.length > TRANSFERS ? <p class="muted small">and {transfers.length - TRANSFERS} more</p> : null}
        </section>
      ) : null}

      <section aria-label="Recent changes" class="popover-recent">
        <h2 class="popover-section">Recent changes</h2>
        {recent.length === 0 ? (
          <p class="muted small empty-line">No files have moved yet.</p>
        ) : (
          <ul class="recent">
            {recent.map(({ folder, activity }) => (
              <li key={`${folder.folderId}-${activity.id}`}>
                <button
                  type="button"
                  class="recent-item"
                  title={`Show ${activity.path} in its folder`}
                  onClick={() => void run(() => wsync.showInFolder({ folderId: folder.folderId, path: activity.path }))}
                >
                  <span class={`direction ${activity.action === 'upload' || activity.action === 'move-remote' ? 'upload' : 'download'}`}>
                    <Icon
                      name={
                        activity.action === 'upload' || activity.action === 'move-remote'
                          ? 'up'
                          : activity.action === 'conflict'
                            ? 'conflict'
                            : 'down'
                      }
                    />
                  </span>
                  <span class="recent-name">
                    <span class="row-title">{baseName(activity.path)}</span>
                    <PathText path={activity.path} max={40} class="muted small" />
                  </span>
                  <time class="muted small" dateTime={activity.at}>
                    {timeAgo(activity.at)}
                  </time>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <footer class="popover-foot">
        <PauseMenu allPaused={allPaused} run={run} />
        <Button kind="quiet" onClick={() => open('activity')}>
          Activity
        </Button>
        <Button kind="primary" onClick={() => open('overview')}>
          Open wsync
        </Button>
      </footer>
      <ErrorLine message={error} />
    </main>
  );
}
