/**
 * Update checks with electron-updater against the feed URL in the settings (a "generic" feed:
 * the folder electron-builder's latest*.yml and installers were uploaded to). No URL: no checks.
 * Updates download in the background and install when the user quits; one notification says so.
 */
import type { UpdateCheck } from '../shared/ipc.js';

export interface UpdaterPort {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export interface UpdateCheckerOptions {
  /** electron-updater's autoUpdater, made only once a feed is set (it reads the app's version and paths). */
  updater: () => Promise<UpdaterPort>;
  /** Packaged builds only: a development build has no installer to update. */
  enabled: boolean;
  intervalMs?: number;
  onDownloaded: (version: string) => void;
  log: (message: string) => void;
}

export const UPDATE_INTERVAL_MS = 6 * 3600_000;

export class UpdateChecker {
  private updater: Promise<UpdaterPort> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private feed: string | undefined;

  constructor(private readonly options: UpdateCheckerOptions) {}

  get feedUrl(): string | undefined {
    return this.feed;
  }

  /** Checks now and then every interval against `feedUrl`; none stops checking. Settles after the first check. */
  async configure(feedUrl: string | undefined): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.feed = feedUrl;
    if (!feedUrl || !this.options.enabled) return;
    let updater: UpdaterPort;
    try {
      updater = await this.ready();
    } catch (err) {
      this.options.log(`updates are unavailable: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (this.feed !== feedUrl) return; // changed again meanwhile
    updater.setFeedURL({ provider: 'generic', url: feedUrl });
    this.timer = setInterval(() => void this.check(updater), this.options.intervalMs ?? UPDATE_INTERVAL_MS);
    this.timer.unref();
    await this.check(updater);
  }

  /** "Check for updates" in Settings → About (issue 18): checks now and says what it found. */
  async checkNow(): Promise<UpdateCheck> {
    if (!this.feed) return { state: 'not-configured', message: 'No update feed is set: updates come with your package manager or a new download.' };
    if (!this.options.enabled) return { state: 'not-configured', message: 'This is a development build: it is not updated.' };
    try {
      const updater = await this.ready();
      const result = (await updater.checkForUpdates()) as { isUpdateAvailable?: boolean; updateInfo?: { version?: string } } | null;
      const version = result?.updateInfo?.version;
      return result?.isUpdateAvailable && version ? { state: 'available', version } : { state: 'up-to-date' };
    } catch (err) {
      return { state: 'failed', message: `The update check failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  private ready(): Promise<UpdaterPort> {
    this.updater ??= this.options.updater().then((updater) => {
      updater.autoDownload = true;
      updater.autoInstallOnAppQuit = true;
      updater.on('update-downloaded', (info) => this.options.onDownloaded(info.version));
      updater.on('error', (err) => this.options.log(`update check failed: ${err.message}`));
      return updater;
    });
    return this.updater;
  }

  private async check(updater: UpdaterPort): Promise<void> {
    try {
      await updater.checkForUpdates();
    } catch (err) {
      this.options.log(`update check failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
