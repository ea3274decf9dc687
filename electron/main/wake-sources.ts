/**
 * The app's wake-ups, as users of Dropbox or Nextcloud expect them: a sync right after the machine
 * resumes from sleep, when the network comes back, and when the window is shown. Electron's main
 * process has no "online" event, so net.isOnline() (a cheap, local answer) is sampled and a change
 * to online is the wake-up. What a wake does to each folder is the engine's rule
 * (sync/background/wake-policy.ts): this module only says that something happened.
 */
import type { WakeReason } from '../shared/engine-protocol.js';
import type { PowerMonitorPort } from './ports.js';

/** Sampling the network every 2 s: a sync starts within moments of the network coming back. */
export const NETWORK_SAMPLE_MS = 2_000;

export interface WakeSourcesOptions {
  powerMonitor: PowerMonitorPort;
  isOnline: () => boolean;
  wake: (reason: WakeReason) => void;
  networkSampleMs?: number;
}

export interface WakeSources {
  /** The window's page became visible. */
  shown(): void;
  stop(): void;
}

export function watchWakeUps(options: WakeSourcesOptions): WakeSources {
  const { powerMonitor, isOnline, wake } = options;
  const onResume = (): void => wake('resume');
  powerMonitor.on('resume', onResume);
  let online = isOnline();
  const sampler = setInterval(() => {
    const now = isOnline();
    if (now && !online) wake('network');
    online = now;
  }, options.networkSampleMs ?? NETWORK_SAMPLE_MS);
  // Sampling never keeps the app alive by itself.
  sampler.unref();
  return {
    shown: () => wake('shown'),
    stop() {
      clearInterval(sampler);
      powerMonitor.removeListener('resume', onResume);
    },
  };
}
