import { useEffect, useState } from 'preact/hooks';
import { countOf, formatBytes } from '../../../electron/shared/format.js';
import type { ProxySetting, PublicSettings } from '../../../electron/shared/ipc.js';
import type { RemoteFolder, SyncPreview } from '../../../electron/shared/recovery.js';
import { wsync } from '../bridge.js';
import { Button, ErrorLine, Icon, Logo } from '../components/common.js';
import { ProxyFields } from '../components/NetworkFields.js';
import { useAction } from '../hooks.js';
import { KeyStorageWarning } from './Settings.js';

type Step = 'connect' | 'choose' | 'local' | 'review' | 'done';
const STEPS: { id: Step; label: string }[] = [
  { id: 'connect', label: 'Connect' },
  { id: 'choose', label: 'Choose' },
  { id: 'local', label: 'Location' },
  { id: 'review', label: 'Review' },
  { id: 'done', label: 'Done' },
];

function Steps({ step }: { step: Step }) {
  const at = STEPS.findIndex((s) => s.id === step);
  return (
    <ol class="steps" aria-label="Setup steps">
      {STEPS.map((s, i) => (
        <li key={s.id} class={i < at ? 'done' : i === at ? 'current' : ''} aria-current={i === at ? 'step' : undefined}>
          <span class="step-number">{i < at ? <Icon name="check" /> : i + 1}</span>
          <span>{s.label}</span>
        </li>
      ))}
    </ol>
  );
}

/** The folders to choose from, as an indented list; deep levels are left out to keep it readable. */
const MAX_DEPTH = 3;
const MAX_ROWS = 400;

function FolderChoice({
  folders,
  workspace,
  value,
  onChange,
}: {
  folders: RemoteFolder[];
  workspace: string;
  value: string;
  onChange: (p: string) => void;
}) {
  const rows = folders.filter((f) => f.path.split('/').length - 1 <= MAX_DEPTH).slice(0, MAX_ROWS);
  return (
    <fieldset class="tree" aria-label="What to sync">
      <legend class="visually-hidden">What to sync</legend>
      {rows.map((f) => {
        const depth = f.path === '' ? 0 : f.path.split('/').length - 1;
        const name = f.path === '' ? `Whole workspace (${workspace})` : (f.path.split('/').slice(-2)[0] ?? f.path);
        return (
          <label key={f.path} class={`tree-row${value === f.path ? ' chosen' : ''}`} data-depth={Math.min(depth, MAX_DEPTH)}>
            <input type="radio" name="remote-folder" checked={value === f.path} onChange={() => onChange(f.path)} />
            <span class="tree-name">
              <Icon name="folder" /> {name}
            </span>
            <span class="muted small">
              {countOf(f.files, 'file')}, {formatBytes(f.bytes)}
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}

/** What the first sync will do, in sentences. */
export function previewSentences(preview: SyncPreview, dir: string): { text: string; tone: 'info' | 'warn' }[] {
  const out: { text: string; tone: 'info' | 'warn' }[] = [];
  const { download, upload, local, remote } = preview;
  if (download.files > 0)
    out.push({ text: `This will download ${countOf(download.files, 'file')} (${formatBytes(download.bytes)}) to ${dir}.`, tone: 'info' });
  if (!local.exists) out.push({ text: 'The folder will be created.', tone: 'info' });
  if (local.exists && local.files > 0) {
    const parts = [
      `This folder is not empty: its ${countOf(local.files, 'file')} (${formatBytes(local.bytes)}) will be merged with the workspace's, nothing is deleted.`,
    ];
    if (upload.files > 0) parts.push(`${countOf(upload.files, 'file')} will be uploaded.`);
    if (preview.both > 0) {
      parts.push(
        `${countOf(preview.both, 'file')} ${preview.both === 1 ? 'is' : 'are'} on both sides: identical ones are kept once, different ones are both kept (yours as a "conflicted copy").`,
      );
    }
    out.push({ text: parts.join(' '), tone: 'warn' });
  } else if (local.exists) {
    out.push({ text: 'The folder is empty.', tone: 'info' });
  }
  if (remote.files === 0) out.push({ text: 'The workspace folder is empty: what you put in your folder will be uploaded.', tone: 'info' });
  if (preview.syncedBefore)
    out.push({ text: 'wsync synced this folder before: files already in step are compared, not transferred again.', tone: 'info' });
  if (preview.incomplete) out.push({ text: 'The server did not list everything at once: there may be more files than counted here.', tone: 'warn' });
  if (preview.freeBytes !== null && preview.freeBytes < download.bytes) {
    out.push({
      text: `Not enough free space: this needs ${formatBytes(download.bytes)} and the disk has ${formatBytes(preview.freeBytes)} free.`,
      tone: 'warn',
    });
  }
  return out;
}

export function FolderWizard(props: {
  /** First run: offers start at login and connection settings; otherwise "Add a folder" in Settings. */
  firstRun?: { settings: PublicSettings; setSettings: (s: PublicSettings) => void; showConnectionSettings: boolean };
  onDone: () => void;
  onCancel?: () => void;
  /** The folder is being added: the caller keeps this wizard up until its last step is done. */
  onStart?: () => void;
}) {
  const [step, setStep] = useState<Step>('connect');
  const [server, setServer] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [folders, setFolders] = useState<RemoteFolder[]>([]);
  const [complete, setComplete] = useState(true);
  const [prefix, setPrefix] = useState('');
  const [dir, setDir] = useState('');
  const [preview, setPreview] = useState<SyncPreview | null>(null);
  const [startAtLogin, setStartAtLogin] = useState(true);
  const [connectionError, setConnectionError] = useState<string | null>(null);
  const [showProxy, setShowProxy] = useState(props.firstRun?.showConnectionSettings ?? false);
  const [proxy, setProxy] = useState<ProxySetting>(props.firstRun?.settings.proxy ?? { mode: 'system' });
  const action = useAction();
  useEffect(() => {
    if (props.firstRun?.showConnectionSettings) setShowProxy(true);
  }, [props.firstRun?.showConnectionSettings]);

  const canConnect = server.trim() !== '' && apiKey.trim() !== '' && workspace.trim() !== '';
  const connection = { server: server.trim(), apiKey: apiKey.trim(), workspace: workspace.trim() };
  const chosen = folders.find((f) => f.path === prefix);
  const tooBig = preview !== null && preview.freeBytes !== null && preview.freeBytes < preview.download.bytes;

  const connect = () =>
    void action.run(async () => {
      setConnectionError(null);
      if (props.firstRun && JSON.stringify(proxy) !== JSON.stringify(props.firstRun.settings.proxy)) {
        props.firstRun.setSettings(await wsync.updatePreferences({ proxy }));
      }
      const result = await wsync.browseRemote(connection);
      if (!result.ok) {
        setConnectionError(result.message);
        return;
      }
      setFolders(result.folders);
      setComplete(result.complete);
      setStep('choose');
    });
  const toLocal = () =>
    void action.run(async () => {
      setDir(await wsync.suggestLocalFolder({ workspace: connection.workspace, prefix }));
      setStep('local');
    });
  const toReview = () =>
    void action.run(async () => {
      setPreview(await wsync.previewSync({ ...connection, prefix, dir: dir.trim() }));
      setStep('review');
    });
  const start = () =>
    void action.run(async () => {
      props.onStart?.();
      if (props.firstRun) props.firstRun.setSettings(await wsync.updatePreferences({ startAtLogin }));
      await wsync.addFolder({ ...connection, prefix, dir: dir.trim() });
      setStep('done');
    });
  const back = (to: Step) => () => {
    action.clear();
    setStep(to);
  };

  return (
    <div class="wizard">
      <Steps step={step} />
      {step === 'connect' ? (
        <form
          class="form"
          aria-label="Connect"
          onSubmit={(e) => {
            e.preventDefault();
            if (canConnect && !action.busy) connect();
          }}
        >
          <label class="field">
            <span>Server address</span>
            <input type="url" required placeholder="https://files.example.com" value={server} onInput={(e) => setServer(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>API key</span>
            <input type="password" required autocomplete="off" value={apiKey} onInput={(e) => setApiKey(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>Workspace</span>
            <input type="text" required placeholder="ws_…" value={workspace} onInput={(e) => setWorkspace(e.currentTarget.value)} />
          </label>
          {props.firstRun ? (
            <div>
              <button type="button" class="link" aria-expanded={showProxy} onClick={() => setShowProxy(!showProxy)}>
                {showProxy ? 'Hide connection settings' : 'Connection settings (proxy)…'}
              </button>
              {showProxy ? <ProxyFields value={proxy} onChange={setProxy} /> : null}
            </div>
          ) : null}
          {connectionError ? (
            <p class="error-line" role="alert">
              {connectionError}
            </p>
          ) : null}
          <ErrorLine message={action.error} />
          <div class="actions end">
            {props.onCancel ? <Button onClick={props.onCancel}>Cancel</Button> : null}
            <Button type="submit" kind="primary" disabled={!canConnect || action.busy} onClick={() => undefined}>
              {action.busy ? 'Connecting…' : 'Connect'}
            </Button>
          </div>
        </form>
      ) : null}

      {step === 'choose' ? (
        <div class="form" role="group" aria-label="Choose what to sync">
          <p class="ok-line" role="status">
            Connected to {connection.workspace}: {countOf(folders[0]?.files ?? 0, 'file')}
            {complete ? '' : ' or more'}, {formatBytes(folders[0]?.bytes ?? 0)}.
          </p>
          <p class="muted">Sync the whole workspace, or only one of its folders.</p>
          <FolderChoice folders={folders} workspace={connection.workspace} value={prefix} onChange={setPrefix} />
          <ErrorLine message={action.error} />
          <div class="actions end">
            <Button onClick={back('connect')}>Back</Button>
            <Button kind="primary" disabled={action.busy || !chosen} onClick={toLocal}>
              Continue
            </Button>
          </div>
        </div>
      ) : null}

      {step === 'local' ? (
        <form
          class="form"
          aria-label="Where to keep the files"
          onSubmit={(e) => {
            e.preventDefault();
            if (dir.trim() !== '') toReview();
          }}
        >
          <p class="muted">
            Where on this computer to keep {prefix === '' ? `the workspace ${connection.workspace}` : `the folder ${prefix}`}. A folder that already
            holds files is merged, never emptied.
          </p>
          <div class="field">
            <label for="folder-dir">Local folder</label>
            <span class="with-button">
              {/* Read-only: wsync syncs only a folder it offered or the folder dialog returned (a tampered page cannot pick one). */}
              <input id="folder-dir" type="text" required readOnly value={dir} />
              <Button
                onClick={() =>
                  void action.run(async () => {
                    const picked = await wsync.pickFolder();
                    if (picked) setDir(picked);
                  })
                }
              >
                Choose…
              </Button>
            </span>
          </div>
          <ErrorLine message={action.error} />
          <div class="actions end">
            <Button onClick={back('choose')}>Back</Button>
            <Button type="submit" kind="primary" disabled={action.busy || dir.trim() === ''} onClick={() => undefined}>
              {action.busy ? 'Looking…' : 'Continue'}
            </Button>
          </div>
        </form>
      ) : null}

      {step === 'review' && preview ? (
        <div class="form" role="group" aria-label="Review">
          <h2>What will happen</h2>
          <dl class="review-facts">
            <div>
              <dt>Workspace</dt>
              <dd>
                {prefix === '' ? `${connection.workspace} (the whole workspace)` : `${connection.workspace}/${prefix}`}{' '}
                <span class="muted">on {connection.server.replace(/^https?:\/\//, '')}</span>
              </dd>
            </div>
            <div>
              <dt>This computer</dt>
              <dd>{dir}</dd>
            </div>
          </dl>
          <ul class="preview" aria-label="Preview">
            {previewSentences(preview, dir.trim()).map((s) => (
              <li key={s.text} class={`preview-${s.tone}`}>
                {s.text}
              </li>
            ))}
          </ul>
          {props.firstRun ? (
            <label class="check">
              <input type="checkbox" checked={startAtLogin} onChange={(e) => setStartAtLogin(e.currentTarget.checked)} />
              <span>Start wsync when I log in</span>
            </label>
          ) : null}
          <ErrorLine message={action.error} />
          <div class="actions end">
            <Button onClick={back('local')}>Back</Button>
            <Button kind="primary" disabled={action.busy || tooBig} onClick={start}>
              Start syncing
            </Button>
          </div>
        </div>
      ) : null}

      {step === 'done' ? (
        <div class="form done" role="group" aria-label="Done">
          <p class="done-icon" aria-hidden="true">
            <Icon name="check" />
          </p>
          <h2>Syncing has started</h2>
          <p class="muted">
            Your files appear in {dir} as they arrive. wsync keeps running in the tray; its icon shows whether everything is up to date.
          </p>
          <div class="actions end">
            <Button kind="primary" onClick={props.onDone}>
              Show the overview
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

export function Onboarding(props: {
  settings: PublicSettings;
  setSettings: (s: PublicSettings) => void;
  showConnectionSettings: boolean;
  onStart: () => void;
  onDone: () => void;
}) {
  return (
    <main class="onboarding">
      <div class="onboarding-card card">
        <div class="brand big">
          <Logo size={28} />
          <h1>Set up wsync</h1>
        </div>
        <p class="muted">wsync keeps a folder on this computer in step with a Files API workspace, in both directions.</p>
        <KeyStorageWarning settings={props.settings} />
        <FolderWizard
          firstRun={{ settings: props.settings, setSettings: props.setSettings, showConnectionSettings: props.showConnectionSettings }}
          onStart={props.onStart}
          onDone={props.onDone}
        />
      </div>
    </main>
  );
}
