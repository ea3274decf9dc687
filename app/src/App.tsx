import { useCallback, useEffect, useState } from 'preact/hooks';
import { overallState } from '../../electron/shared/format.js';
import type { View } from '../../electron/shared/ipc-channels.js';
import type { FolderStatus } from '../../electron/shared/status.js';
import { Logo, StateDot } from './components/common.js';
import { useNavigate, useSettings, useStatuses } from './hooks.js';
import { Activity } from './views/Activity.js';
import { Conflicts } from './views/Conflicts.js';
import { Errors } from './views/Errors.js';
import { Onboarding } from './views/Onboarding.js';
import { Overview, overallHeadline } from './views/Overview.js';
import { Popover } from './views/Popover.js';
import { Settings } from './views/Settings.js';
import { Trash } from './views/Trash.js';

const TITLES: Record<View, string> = {
  overview: 'Overview',
  activity: 'Activity',
  conflicts: 'Conflicts',
  errors: 'Errors',
  trash: 'Trash',
  settings: 'Settings',
};

function Nav({ view, onSelect, statuses }: { view: View; onSelect: (v: View) => void; statuses: FolderStatus[] }) {
  const counts: Partial<Record<View, number>> = {
    conflicts: statuses.reduce((n, s) => n + s.conflicts.length, 0),
    errors: statuses.reduce((n, s) => n + s.errors.length + (s.state === 'error' && s.errors.length === 0 ? 1 : 0), 0),
  };
  const state = overallState(statuses);
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
        <p class={`sidebar-state state-${state}`} role="status" aria-live="polite">
          <StateDot state={state} />
          <span>{overallHeadline(statuses)}</span>
        </p>
      ) : null}
    </nav>
  );
}

/** Ctrl+, (Cmd+, on macOS) opens the settings, as in every desktop app. */
function useSettingsShortcut(open: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === ',' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) {
        e.preventDefault();
        open();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
}

function MainWindow() {
  const statuses = useStatuses();
  const [settings, reload, setSettings] = useSettings();
  const [view, setView] = useState<View>('overview');
  const [onboardingSettings, setOnboardingSettings] = useState(false);
  /** Onboarding stays up through its last step, though the folder exists from "Start syncing" on. */
  const [finishingSetup, setFinishingSetup] = useState(false);
  const navigate = useCallback((v: View) => {
    setView(v);
    if (v === 'settings') setOnboardingSettings(true);
  }, []);
  useNavigate(navigate);
  useSettingsShortcut(useCallback(() => navigate('settings'), [navigate]));
  // A timed pause shows in the headline: read the settings again when folders pause or resume.
  const pausedKey = statuses?.map((s) => s.state === 'paused').join() ?? '';
  useEffect(() => {
    void reload();
  }, [pausedKey, reload]);

  if (!settings || !statuses) return <main class="loading" aria-busy="true" />;

  if (settings.folders.length === 0 || finishingSetup) {
    return (
      <Onboarding
        settings={settings}
        setSettings={setSettings}
        showConnectionSettings={onboardingSettings}
        onStart={() => setFinishingSetup(true)}
        onDone={() => {
          setFinishingSetup(false);
          setView('overview');
          void reload();
        }}
      />
    );
  }

  return (
    <div class="layout">
      <Nav view={view} onSelect={setView} statuses={statuses} />
      <main class="content" aria-labelledby="view-title">
        <h1 id="view-title">{TITLES[view]}</h1>
        {view === 'overview' ? <Overview statuses={statuses} settings={settings} onNavigate={setView} /> : null}
        {view === 'activity' ? <Activity statuses={statuses} /> : null}
        {view === 'conflicts' ? <Conflicts statuses={statuses} /> : null}
        {view === 'errors' ? <Errors statuses={statuses} /> : null}
        {view === 'trash' ? <Trash statuses={statuses} settings={settings} onNavigate={setView} /> : null}
        {view === 'settings' ? <Settings settings={settings} reload={reload} setSettings={setSettings} statuses={statuses} /> : null}
      </main>
    </div>
  );
}

function PopoverWindow() {
  const statuses = useStatuses();
  const [settings, reload] = useSettings();
  const pausedKey = statuses?.map((s) => s.state === 'paused').join() ?? '';
  useEffect(() => {
    void reload();
  }, [pausedKey, reload]);
  if (!statuses || !settings) return <main class="popover loading" aria-busy="true" />;
  return <Popover statuses={statuses} settings={settings} />;
}

export function App() {
  return location.hash === '#popover' ? <PopoverWindow /> : <MainWindow />;
}
