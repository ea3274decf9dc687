import { useState } from 'preact/hooks';
import { folderProblem, groupFileErrors, scrubDetails, type FileErrorGroup } from '../../../electron/shared/explain.js';
import { countOf, folderName, plural } from '../../../electron/shared/format.js';
import type { FileError, FolderStatus } from '../../../electron/shared/status.js';
import { wsync } from '../bridge.js';
import { Button, Empty, ErrorLine, Icon, PathText } from '../components/common.js';
import { useAction, useTick } from '../hooks.js';
import { timeAgo, timeUntil } from '../time.js';

const SHOWN = 8;

/** What "Copy details" puts on the clipboard: the paths and the engine's words, scrubbed. */
function details(folder: FolderStatus, errors: readonly FileError[]): string {
  return [
    `wsync: ${countOf(errors.length, 'file')} couldn't sync in ${folderName(folder)} (${folder.workspace}${folder.prefix ? `/${folder.prefix}` : ''})`,
    ...errors.map((e) => `${e.path}\t${e.kind}\t${plural(e.attempts, 'attempt')}\t${e.at}\t${scrubDetails(e.message)}`),
  ].join('\n');
}

function FileRow({
  folder,
  error,
  run,
  busy,
}: {
  folder: FolderStatus;
  error: FileError;
  run: (t: () => Promise<unknown>) => Promise<boolean>;
  busy: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <li class="row error-row">
      <span class="row-main">
        <PathText path={error.path} max={80} class="row-title" />
        <span class="muted row-sub">
          {plural(error.attempts, 'attempt')} · last {timeAgo(error.at)}
          {error.nextAttemptAt ? ` · next try ${timeUntil(error.nextAttemptAt)}` : ''}
        </span>
        {open ? <code class="details">{scrubDetails(error.message)}</code> : null}
      </span>
      <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide details' : 'Details'}
      </button>
      <Button
        disabled={busy}
        label={`Retry ${error.path}`}
        onClick={() => void run(() => wsync.retry({ folderId: folder.folderId, path: error.path }))}
      >
        Retry
      </Button>
    </li>
  );
}

function Group({ folder, group }: { folder: FolderStatus; group: FileErrorGroup }) {
  const { busy, error, run } = useAction();
  const [all, setAll] = useState(false);
  const [copied, setCopied] = useState(false);
  const count = group.errors.length;
  const shown = all ? group.errors : group.errors.slice(0, SHOWN);
  return (
    <section class="card error-group" aria-label={`${countOf(count, 'file')} couldn't sync`}>
      <header class="error-head">
        <span class="error-icon" aria-hidden="true">
          <Icon name="alert" />
        </span>
        <div>
          <h2>{count === 1 ? `${group.errors[0]?.path.split('/').pop() ?? 'A file'} couldn't sync` : `${countOf(count, 'file')} couldn't sync`}</h2>
          <p>{count === 1 ? group.explanation.sentence : group.explanation.many}</p>
          <p class="fix">{group.explanation.fix}</p>
        </div>
      </header>
      <div class="actions">
        <Button kind="primary" disabled={busy} onClick={() => void run(() => wsync.retryAll({ folderId: folder.folderId }))}>
          Retry all
        </Button>
        <Button
          onClick={() =>
            void run(async () => {
              await wsync.copyText({ text: details(folder, group.errors) });
              setCopied(true);
            })
          }
        >
          {copied ? 'Copied' : 'Copy details'}
        </Button>
        <Button onClick={() => void run(() => wsync.openLog({ folderId: folder.folderId }))}>Open log</Button>
      </div>
      <ul class="rows" aria-label="Files that could not be synced">
        {shown.map((e) => (
          <FileRow key={e.path} folder={folder} error={e} run={run} busy={busy} />
        ))}
      </ul>
      {count > SHOWN ? (
        <button type="button" class="link" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${count}`}
        </button>
      ) : null}
      <ErrorLine message={error} />
    </section>
  );
}

function FolderFailure({ folder }: { folder: FolderStatus }) {
  const problem = folderProblem(folder);
  const { busy, error, run } = useAction();
  if (!problem || folder.errors.length > 0 || problem.kind === 'signed-out' || problem.kind === 'offline') return null;
  return (
    <section class="card error-group" aria-label={`${folderName(folder)} stopped syncing`}>
      <header class="error-head">
        <span class="error-icon" aria-hidden="true">
          <Icon name="alert" />
        </span>
        <div>
          <h2>{folderName(folder)}</h2>
          <p>{problem.sentence}</p>
          <p class="fix">{problem.fix}</p>
        </div>
      </header>
      <div class="actions">
        <Button kind="primary" disabled={busy} onClick={() => void run(() => wsync.syncNow({ folderId: folder.folderId }))}>
          Sync now
        </Button>
        <Button onClick={() => void run(() => wsync.copyText({ text: `wsync: ${folderName(folder)}: ${problem.details}` }))}>Copy details</Button>
        <Button onClick={() => void run(() => wsync.openLog({ folderId: folder.folderId }))}>Open log</Button>
      </div>
      <ErrorLine message={error} />
    </section>
  );
}

export function Errors({ statuses }: { statuses: FolderStatus[] }) {
  useTick(30_000);
  const support = useAction();
  const [saved, setSaved] = useState<string | null>(null);
  const any = statuses.some((s) => s.errors.length > 0 || (s.state === 'error' && folderProblem(s) !== null));
  return (
    <div class="stack">
      {!any ? (
        <Empty title="No errors" icon={<Icon name="check" />}>
          Files that could not be synced are listed here, with what to do about them.
        </Empty>
      ) : (
        statuses.flatMap((folder) => [
          <FolderFailure key={`${folder.folderId}-folder`} folder={folder} />,
          ...groupFileErrors(folder.errors).map((group) => <Group key={`${folder.folderId}-${group.cause}`} folder={folder} group={group} />),
        ])
      )}
      <section class="support">
        <p class="muted small">
          Need help? A debug archive holds the logs and the sync status (never your API key or download links) to send to whoever supports you.
        </p>
        <Button
          kind="quiet"
          disabled={support.busy}
          onClick={() =>
            void support.run(async () => {
              setSaved(await wsync.createDebugArchive());
            })
          }
        >
          Create debug archive…
        </Button>
        {saved ? (
          <p class="ok-line small" role="status">
            Saved as {saved}
          </p>
        ) : null}
        <ErrorLine message={support.error} />
      </section>
    </div>
  );
}
