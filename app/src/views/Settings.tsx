import { useState } from 'preact/hooks';
import { formatSpeed } from '../../../electron/shared/format.js';
import type { Bandwidth, PublicFolder, PublicSettings } from '../../../electron/shared/ipc.js';
import { wsync } from '../bridge.js';
import { Button, ErrorLine } from '../components/common.js';
import { useAction } from '../hooks.js';
import { BandwidthFields, FolderForm } from './FolderForm.js';

function FolderRow({ folder, onRemoved }: { folder: PublicFolder; onRemoved: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  return (
    <li class="row">
      <span class="row-main">
        <span class="row-title">
          {folder.workspace}
          {folder.prefix ? `/${folder.prefix}` : ''}
        </span>
        <span class="muted row-sub">
          {folder.dir} · {folder.server}
        </span>
      </span>
      {confirming ? (
        <>
          <span class="muted">Stop syncing? Files stay on both sides.</span>
          <Button onClick={() => setConfirming(false)}>Keep</Button>
          <Button kind="danger" disabled={busy} onClick={() => void run(() => wsync.removeFolder({ folderId: folder.id })).then((ok) => ok && onRemoved())}>
            Remove
          </Button>
        </>
      ) : (
        <Button onClick={() => setConfirming(true)} label={`Remove ${folder.workspace}`}>
          Remove…
        </Button>
      )}
      <ErrorLine message={error} />
    </li>
  );
}

function Preferences({ settings, onSaved }: { settings: PublicSettings; onSaved: (s: PublicSettings) => void }) {
  const [bandwidth, setBandwidth] = useState<Bandwidth>(settings.bandwidth);
  const { busy, error, run } = useAction();
  const changed = bandwidth.uploadBps !== settings.bandwidth.uploadBps || bandwidth.downloadBps !== settings.bandwidth.downloadBps;
  const limit = (bps: number) => (bps === 0 ? 'unlimited' : formatSpeed(bps));
  return (
    <section class="card" aria-labelledby="prefs-title">
      <h2 id="prefs-title">Preferences</h2>
      <label class="check">
        <input
          type="checkbox"
          checked={settings.startAtLogin}
          disabled={busy}
          onChange={(e) => {
            const startAtLogin = e.currentTarget.checked;
            void run(async () => onSaved(await wsync.updatePreferences({ startAtLogin })));
          }}
        />
        <span>Start wsync when I log in</span>
      </label>
      <BandwidthFields value={bandwidth} onChange={setBandwidth} />
      <p class="muted">
        Now: upload {limit(settings.bandwidth.uploadBps)}, download {limit(settings.bandwidth.downloadBps)}.
      </p>
      <div class="actions">
        <Button kind="primary" disabled={!changed || busy} onClick={() => void run(async () => onSaved(await wsync.updatePreferences({ bandwidth })))}>
          Save limits
        </Button>
      </div>
      <ErrorLine message={error} />
    </section>
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

function KeyStorageNote({ settings }: { settings: PublicSettings }) {
  const { keyStorage } = settings;
  return keyStorage.protectedByKeyring ? <p class="muted">API keys are stored encrypted by the system keyring ({keyStorage.backend}).</p> : null;
}

export function Settings({ settings, reload, setSettings }: { settings: PublicSettings; reload: () => Promise<void>; setSettings: (s: PublicSettings) => void }) {
  const [adding, setAdding] = useState(false);
  return (
    <div class="stack">
      <KeyStorageWarning settings={settings} />
      {settings.settingsWarning ? <p class="warning">{settings.settingsWarning}</p> : null}
      <section class="card" aria-labelledby="folders-title">
        <h2 id="folders-title">Folders</h2>
        <ul class="rows">
          {settings.folders.map((f) => (
            <FolderRow key={f.id} folder={f} onRemoved={() => void reload()} />
          ))}
        </ul>
        <KeyStorageNote settings={settings} />
        {adding ? (
          <FolderForm
            submitLabel="Add folder"
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
      </section>
      <Preferences settings={settings} onSaved={setSettings} />
    </div>
  );
}
