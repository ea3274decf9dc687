import { useId, useState } from 'preact/hooks';
import { plural } from '../../../electron/shared/format.js';
import type { Bandwidth, ConnectionResult } from '../../../electron/shared/ipc.js';
import { wsync } from '../bridge.js';
import { Button, ErrorLine } from '../components/common.js';
import { useAction } from '../hooks.js';

/** Bandwidth is typed in KB/s (0 = unlimited) and stored in bytes per second. */
export function BandwidthFields({ value, onChange }: { value: Bandwidth; onChange: (next: Bandwidth) => void }) {
  const id = useId();
  const field = (key: keyof Bandwidth, label: string) => (
    <div class="field">
      <label for={`${id}-${key}`}>{label}</label>
      <span class="with-unit">
        <input
          id={`${id}-${key}`}
          type="number"
          min={0}
          step={100}
          inputMode="numeric"
          aria-describedby={`${id}-unit`}
          value={Math.round(value[key] / 1000)}
          onInput={(e) => onChange({ ...value, [key]: Math.max(0, Math.round(Number(e.currentTarget.value) || 0)) * 1000 })}
        />
        <span class="unit">KB/s</span>
      </span>
    </div>
  );
  return (
    <fieldset class="row-fields">
      <legend>
        Bandwidth limits <span id={`${id}-unit`}>in KB/s, 0 = unlimited</span>
      </legend>
      {field('uploadBps', 'Upload')}
      {field('downloadBps', 'Download')}
    </fieldset>
  );
}

function ConnectionLine({ result }: { result: ConnectionResult | null }) {
  if (!result) return null;
  return result.ok ? (
    <p class="ok-line" role="status">
      Connected: {plural(result.fileCount, 'file')}
      {result.complete ? '' : ' or more'} in this workspace{result.fileCount > 0 ? '' : ' (it is empty)'}.
    </p>
  ) : (
    <p class="error-line" role="alert">
      {result.message}
    </p>
  );
}

/**
 * Server, key, workspace, folder and prefix. Onboarding shows it with the preferences, which are
 * saved before the folder is added so that its first sync already keeps to the bandwidth limits.
 */
export function FolderForm(props: {
  submitLabel: string;
  withPreferences?: { bandwidth: Bandwidth; startAtLogin: boolean };
  onDone: () => void;
  onCancel?: () => void;
}) {
  const [server, setServer] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [dir, setDir] = useState('');
  const [prefix, setPrefix] = useState('');
  const [bandwidth, setBandwidth] = useState<Bandwidth>(props.withPreferences?.bandwidth ?? { uploadBps: 0, downloadBps: 0 });
  const [startAtLogin, setStartAtLogin] = useState(props.withPreferences?.startAtLogin ?? true);
  const [connection, setConnection] = useState<ConnectionResult | null>(null);
  const test = useAction();
  const save = useAction();

  const canTest = server.trim() !== '' && apiKey.trim() !== '' && workspace.trim() !== '';
  const canSave = canTest && dir.trim() !== '';

  return (
    <form
      class="form"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run(async () => {
          if (props.withPreferences) await wsync.updatePreferences({ bandwidth, startAtLogin });
          await wsync.addFolder({ server, apiKey, workspace, dir, prefix });
          props.onDone();
        });
      }}
    >
      <h2 class="form-section">Connection</h2>
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
      <div class="field-actions">
        <Button disabled={!canTest || test.busy} onClick={() => void test.run(async () => setConnection(await wsync.testConnection({ server, apiKey, workspace, prefix })))}>
          {test.busy ? 'Testing…' : 'Test connection'}
        </Button>
        <ConnectionLine result={connection} />
        <ErrorLine message={test.error} />
      </div>
      <h2 class="form-section">Folder</h2>
      <div class="field">
        <label for="folder-dir">Local folder</label>
        <span class="with-button">
          <input id="folder-dir" type="text" required placeholder="/home/you/Workspace" value={dir} onInput={(e) => setDir(e.currentTarget.value)} />
          <Button
            onClick={() =>
              void save.run(async () => {
                const picked = await wsync.pickFolder();
                if (picked) setDir(picked);
              })
            }
          >
            Choose…
          </Button>
        </span>
      </div>
      <label class="field">
        <span>
          Folder in the workspace <span class="muted">(optional)</span>
        </span>
        <input type="text" placeholder="Whole workspace" value={prefix} onInput={(e) => setPrefix(e.currentTarget.value)} />
      </label>
      {props.withPreferences ? (
        <>
          <h2 class="form-section">Preferences</h2>
          <BandwidthFields value={bandwidth} onChange={setBandwidth} />
          <label class="check">
            <input type="checkbox" checked={startAtLogin} onChange={(e) => setStartAtLogin(e.currentTarget.checked)} />
            <span>Start wsync when I log in</span>
          </label>
        </>
      ) : null}
      <ErrorLine message={save.error} />
      <div class="actions">
        {props.onCancel ? <Button onClick={props.onCancel}>Cancel</Button> : null}
        <Button type="submit" kind="primary" disabled={!canSave || save.busy} onClick={() => undefined}>
          {props.submitLabel}
        </Button>
      </div>
    </form>
  );
}

