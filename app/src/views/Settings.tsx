import { useEffect, useState } from 'preact/hooks';
import { folderName, folderRemote, formatSpeed } from '../../../electron/shared/format.js';
import type { Bandwidth, NotificationKind, ProxySetting, PublicFolder, PublicSettings, UpdateCheck } from '../../../electron/shared/ipc.js';
import type { FolderStatus } from '../../../electron/shared/status.js';
import { wsync } from '../bridge.js';
import { Button, ConfirmButton, ErrorLine } from '../components/common.js';
import { BandwidthFields, ProxyFields } from '../components/NetworkFields.js';
import { useAction } from '../hooks.js';
import { FolderWizard } from './Onboarding.js';

const NOTIFICATIONS: { kind: NotificationKind; label: string; hint: string }[] = [
  { kind: 'held-deletions', label: 'Deletions waiting for me', hint: 'When many files are deleted at once and wsync holds the deletion.' },
  { kind: 'conflict', label: 'Conflicts', hint: 'When a file was changed in two places.' },
  { kind: 'failing-files', label: "Files that couldn't sync", hint: 'Grouped: one notification for many files.' },
  { kind: 'folder-problem', label: 'A folder stopped syncing', hint: 'Disk full, folder missing, server trouble, offline for a while.' },
  { kind: 'signed-out', label: 'Signed out', hint: 'When the server no longer accepts a key.' },
  { kind: 'first-sync-complete', label: 'First sync finished', hint: 'When a new folder is ready.' },
];

function IgnoreRules({ folder }: { folder: PublicFolder }) {
  const [text, setText] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  const { busy, error, run } = useAction();
  useEffect(() => {
    void run(async () => {
      const rules = await wsync.getIgnoreRules({ folderId: folder.id });
      setText(rules.text);
      setSaved(rules.text);
    });
  }, [folder.id, run]);
  if (text === null) return <p class="muted small">Reading .wsyncignore…</p>;
  return (
    <div class="ignore-rules">
      <label class="field">
        <span>
          Ignore rules <span class="muted">(.wsyncignore in the folder, one pattern a line, as in .gitignore)</span>
        </span>
        <textarea
          rows={5}
          spellcheck={false}
          placeholder={'*.tmp\nscratch/\n!keep-this.tmp'}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <p class="muted small">
        Ignored files are neither uploaded nor downloaded, and never deleted on the other side. wsync's own files are always ignored.
      </p>
      <div class="actions">
        <Button
          kind="primary"
          disabled={busy || text === saved}
          onClick={() =>
            void run(async () => {
              await wsync.setIgnoreRules({ folderId: folder.id, text });
              setSaved(text);
            })
          }
        >
          Save rules
        </Button>
        {text !== saved ? <Button onClick={() => setText(saved)}>Discard changes</Button> : null}
      </div>
      <ErrorLine message={error} />
    </div>
  );
}

function FolderRow({ folder, onChanged }: { folder: PublicFolder; onChanged: () => void }) {
  const [rules, setRules] = useState(false);
  const [moved, setMoved] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const name = folderName(folder);
  return (
    <li class="folder-row">
      <div class="row">
        <span class="row-main">
          <span class="row-title">{name}</span>
          <span class="muted row-sub">{folderRemote(folder)}</span>
          <span class="muted row-sub" title={folder.dir}>
            {folder.dir}
          </span>
        </span>
        <Button kind="quiet" onClick={() => setRules(!rules)} label={`Ignore rules of ${name}`}>
          {rules ? 'Hide rules' : 'Ignore rules'}
        </Button>
        <Button
          kind="quiet"
          disabled={busy}
          label={`Move ${name}`}
          onClick={() =>
            void run(async () => {
              const result = await wsync.moveFolder({ folderId: folder.id });
              if (result) {
                setMoved(result.dir);
                onChanged();
              }
            })
          }
        >
          Move…
        </Button>
        <ConfirmButton
          disabled={busy}
          label={`Remove ${name}`}
          confirmLabel="Stop syncing"
          question="wsync stops syncing this folder. Files stay on both sides."
          onConfirm={() => void run(() => wsync.removeFolder({ folderId: folder.id })).then((ok) => ok && onChanged())}
        >
          Remove…
        </ConfirmButton>
      </div>
      {moved ? (
        <p class="ok-line small" role="status">
          Moved to {moved}; syncing goes on from there.
        </p>
      ) : null}
      {rules ? <IgnoreRules folder={folder} /> : null}
      <ErrorLine message={error} />
    </li>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: preact.ComponentChildren }) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Notifications({ settings, onSaved }: { settings: PublicSettings; onSaved: (s: PublicSettings) => void }) {
  const { error, run } = useAction();
  // Shown at once; saved behind (a checkbox must not wait for the disk to flip).
  const [shown, setShown] = useState(settings.notifications);
  return (
    <Section id="notifications-title" title="Notifications">
      <div class="checks">
        {NOTIFICATIONS.map((n) => (
          <label class="check with-hint" key={n.kind}>
            <input
              type="checkbox"
              checked={shown[n.kind] !== false}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setShown({ ...shown, [n.kind]: on });
                void run(async () => onSaved(await wsync.updatePreferences({ notifications: { [n.kind]: on } })));
              }}
            />
            <span>
              {n.label}
              <span class="muted small hint">{n.hint}</span>
            </span>
          </label>
        ))}
      </div>
      <ErrorLine message={error} />
    </Section>
  );
}

function Network({ settings, onSaved }: { settings: PublicSettings; onSaved: (s: PublicSettings) => void }) {
  const [bandwidth, setBandwidth] = useState<Bandwidth>(settings.bandwidth);
  const [proxy, setProxy] = useState<ProxySetting>(settings.proxy);
  const { busy, error, run } = useAction();
  const changed = JSON.stringify(bandwidth) !== JSON.stringify(settings.bandwidth) || JSON.stringify(proxy) !== JSON.stringify(settings.proxy);
  const limit = (bps: number) => (bps === 0 ? 'no limit' : formatSpeed(bps));
  return (
    <Section id="network-title" title="Network">
      <BandwidthFields value={bandwidth} onChange={setBandwidth} />
      <p class="muted small" data-testid="bandwidth-now">
        Now: upload {limit(settings.bandwidth.uploadBps)}, download {limit(settings.bandwidth.downloadBps)}.
      </p>
      <ProxyFields value={proxy} onChange={setProxy} />
      <div class="actions">
        <Button
          kind="primary"
          disabled={!changed || busy}
          onClick={() => void run(async () => onSaved(await wsync.updatePreferences({ bandwidth, proxy })))}
        >
          Save network settings
        </Button>
      </div>
      <ErrorLine message={error} />
    </Section>
  );
}

function General({ settings, onSaved }: { settings: PublicSettings; onSaved: (s: PublicSettings) => void }) {
  const [days, setDays] = useState(String(settings.trashRetentionDays));
  const [atLogin, setAtLogin] = useState(settings.startAtLogin);
  const { busy, error, run } = useAction();
  const parsed = Number(days);
  const valid = Number.isInteger(parsed) && parsed >= 1 && parsed <= 3650;
  return (
    <Section id="general-title" title="General">
      <label class="check">
        <input
          type="checkbox"
          checked={atLogin}
          onChange={(e) => {
            const startAtLogin = e.currentTarget.checked;
            setAtLogin(startAtLogin);
            void run(async () => onSaved(await wsync.updatePreferences({ startAtLogin })));
          }}
        />
        <span>Start wsync when I log in</span>
      </label>
      <div class="inline-field">
        <label for="retention">Keep files in the wsync trash for</label>
        <input id="retention" type="number" min={1} max={3650} value={days} onInput={(e) => setDays(e.currentTarget.value)} />
        <span>days</span>
        <Button
          disabled={!valid || busy || parsed === settings.trashRetentionDays}
          onClick={() => void run(async () => onSaved(await wsync.updatePreferences({ trashRetentionDays: parsed })))}
        >
          Save
        </Button>
      </div>
      <ErrorLine message={error} />
    </Section>
  );
}

/** Where updates are looked for: empty means never check (the main process validates the address again). */
function UpdateAddress({ settings, onSaved }: { settings: PublicSettings; onSaved: (s: PublicSettings) => void }) {
  const current = settings.updateFeedUrl ?? '';
  const [address, setAddress] = useState(current);
  const { busy, error, run } = useAction();
  const trimmed = address.trim();
  const valid = trimmed === '' || /^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(trimmed);
  return (
    <>
      <div class="inline-field">
        <label for="update-feed">Update address</label>
        <input
          id="update-feed"
          class="wide"
          type="url"
          spellcheck={false}
          placeholder="https://updates.example.org/wsync/"
          value={address}
          aria-invalid={!valid}
          aria-describedby="update-feed-hint"
          onInput={(e) => setAddress(e.currentTarget.value)}
        />
        <Button
          disabled={!valid || busy || trimmed === current}
          onClick={() => void run(async () => onSaved(await wsync.updatePreferences({ updateFeedUrl: trimmed === '' ? null : trimmed })))}
        >
          Save
        </Button>
      </div>
      <p id="update-feed-hint" class={valid ? 'muted small' : 'error-line small'}>
        {valid
          ? current === ''
            ? 'Empty: wsync does not look for updates.'
            : 'wsync looks here at start-up and every 6 hours; an update installs when you quit.'
          : 'An update address starts with https://'}
      </p>
      <ErrorLine message={error} />
    </>
  );
}

function Support({ settings, onSaved }: { settings: PublicSettings; onSaved: (s: PublicSettings) => void }) {
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState<string | null>(null);
  const [update, setUpdate] = useState<UpdateCheck | null>(null);
  const [logFolder, setLogFolder] = useState(settings.folders[0]?.id ?? '');
  return (
    <>
      <Section id="logs-title" title="Logs and support">
        <div class="inline-field">
          <label for="log-folder">Log of</label>
          <select id="log-folder" value={logFolder} onChange={(e) => setLogFolder(e.currentTarget.value)}>
            {settings.folders.map((f) => (
              <option key={f.id} value={f.id}>
                {folderName(f)}
              </option>
            ))}
          </select>
          <Button disabled={busy || logFolder === ''} onClick={() => void run(() => wsync.openLog({ folderId: logFolder }))}>
            Open log
          </Button>
        </div>
        <div class="inline-field">
          <Button disabled={busy} onClick={() => void run(async () => setSaved(await wsync.createDebugArchive()))}>
            Create debug archive…
          </Button>
          <span class="muted small">Logs and sync status for whoever helps you, never your API key or download links.</span>
        </div>
        {saved ? (
          <p class="ok-line small" role="status">
            Saved as {saved}
          </p>
        ) : null}
        <ErrorLine message={error} />
      </Section>
      <Section id="about-title" title="About">
        <p>
          wsync {settings.about.version} <span class="muted">({settings.about.platform})</span>
        </p>
        <UpdateAddress settings={settings} onSaved={onSaved} />
        <div class="inline-field">
          <Button disabled={busy} onClick={() => void run(async () => setUpdate(await wsync.checkForUpdates()))}>
            Check for updates
          </Button>
          {update ? (
            <span class={update.state === 'available' ? 'ok-line' : 'muted'} role="status">
              {update.state === 'up-to-date'
                ? 'wsync is up to date.'
                : update.state === 'available'
                  ? `Version ${update.version ?? ''} is available.`
                  : (update.message ?? 'Could not check for updates.')}
            </span>
          ) : null}
        </div>
      </Section>
    </>
  );
}

export function KeyStorageWarning({ settings }: { settings: PublicSettings }) {
  const { keyStorage } = settings;
  if (!keyStorage.available) {
    return (
      <p class="warning" role="alert">
        This computer offers no encrypted storage for the API key, so wsync cannot save one.
      </p>
    );
  }
  return keyStorage.warning ? (
    <p class="warning" role="alert">
      <strong>Your API key is not protected by a keyring.</strong> {keyStorage.warning}
    </p>
  ) : null;
}

export function Settings({
  settings,
  reload,
  setSettings,
}: {
  settings: PublicSettings;
  reload: () => Promise<void>;
  setSettings: (s: PublicSettings) => void;
  statuses: FolderStatus[];
}) {
  const [adding, setAdding] = useState(false);
  const { keyStorage } = settings;
  return (
    <div class="stack">
      <KeyStorageWarning settings={settings} />
      {settings.settingsWarning ? <p class="warning">{settings.settingsWarning}</p> : null}
      <Section id="folders-title" title="Folders">
        <ul class="rows folder-rows">
          {settings.folders.map((f) => (
            <FolderRow key={f.id} folder={f} onChanged={() => void reload()} />
          ))}
        </ul>
        {keyStorage.protectedByKeyring ? (
          <p class="muted small">API keys are stored encrypted by the system keyring ({keyStorage.backend}).</p>
        ) : null}
        {adding ? (
          <FolderWizard
            onCancel={() => setAdding(false)}
            onDone={() => {
              setAdding(false);
              void reload();
            }}
          />
        ) : (
          <div class="actions">
            <Button onClick={() => setAdding(true)}>Add a folder…</Button>
          </div>
        )}
      </Section>
      <Notifications settings={settings} onSaved={setSettings} />
      <Network settings={settings} onSaved={setSettings} />
      <General settings={settings} onSaved={setSettings} />
      <Support settings={settings} onSaved={setSettings} />
    </div>
  );
}
