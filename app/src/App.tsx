import { useCallback, useState } from 'preact/hooks';
import { overallState, STATE_LABEL } from '../../electron/shared/format.js';
import type { View } from '../../electron/shared/ipc-channels.js';
import type { FolderStatus } from '../../electron/shared/status.js';
import { Logo } from './components/common.js';
import { useNavigate, useSettings, useStatuses } from './hooks.js';
import { Activity } from './views/Activity.js';
import { Conflicts } from './views/Conflicts.js';
import { Errors } from './views/Errors.js';
import { FolderForm } from './views/FolderForm.js';
import { Overview } from './views/Overview.js';
import { KeyStorageWarning, Settings } from './views/Settings.js';

const TITLES: Record<View, string> = {
  overview: 'Overview',
  activity: 'Recent activity',
  conflicts: 'Conflicts',
  errors: 'Errors',
  settings: 'Settings',
};

function Nav({ view, onSelect, statuses }: { view: View; onSelect: (v: View) => void; statuses: FolderStatus[] }) {
  const counts: Partial<Record<View, number>> = {
    conflicts: statuses.reduce((n, s) => n + s.conflicts.length, 0),
    errors: statuses.reduce((n, s) => n + s.errors.length, 0),
  };
  return (
    <nav class="sidebar" aria-label="Views">
      <div class="brand">
        <Logo />
        <span>wsync</span>
      </div>
      <ul>
        {(Object.keys(TITLES) as View[]).map((v) => (
          <li key={v}>
            <button type="button" class="nav-item" aria-current={v === view ? 'page' : undefined} onClick={() => onSelect(v)}>
              <span>{TITLES[v]}</span>
              {counts[v] ? (
                <span class="count" aria-label={`${counts[v]} to look at`}>
                  {counts[v]}
                </span>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
      {statuses.length > 0 ? (
        <p class={`sidebar-state state-${overallState(statuses)}`} role="status" aria-live="polite">
          <span class="dot" aria-hidden="true" />
          {STATE_LABEL[overallState(statuses)]}
        </p>
      ) : null}
    </nav>
  );
}

export function App() {
  const statuses = useStatuses();
  const [settings, reload, setSettings] = useSettings();
  const [view, setView] = useState<View>('overview');
  useNavigate(useCallback((v: View) => setView(v), []));

  if (!settings || !statuses) return <main class="loading" aria-busy="true" />;

  if (settings.folders.length === 0) {
    return (
      <main class="onboarding">
        <div class="onboarding-card card">
          <div class="brand big">
            <Logo size={28} />
            <h1>Set up wsync</h1>
          </div>
          <p class="muted">wsync keeps a folder on this computer in step with a Files API workspace. Enter your server and key, then choose the folder.</p>
          <KeyStorageWarning settings={settings} />
          <FolderForm
            submitLabel="Start syncing"
            withPreferences={{ bandwidth: settings.bandwidth, startAtLogin: true }}
            onDone={() => {
              setView('overview');
              void reload();
            }}
          />
        </div>
      </main>
    );
  }

  return (
    <div class="layout">
      <Nav view={view} onSelect={setView} statuses={statuses} />
      <main class="content" aria-labelledby="view-title">
        <h1 id="view-title">{TITLES[view]}</h1>
        {view === 'overview' ? <Overview statuses={statuses} /> : null}
        {view === 'activity' ? <Activity statuses={statuses} /> : null}
        {view === 'conflicts' ? <Conflicts statuses={statuses} /> : null}
        {view === 'errors' ? <Errors statuses={statuses} /> : null}
        {view === 'settings' ? <Settings settings={settings} reload={reload} setSettings={setSettings} /> : null}
      </main>
    </div>
  );
}
