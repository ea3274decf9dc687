/**
 * The window's status feed: one full snapshot when the page becomes visible (shown, restored,
 * loaded), then only patches against what the page already has (status-patch.ts), and nothing at
 * all while it cannot be seen.
 */
import { eventChannel } from '../shared/ipc-channels.js';
import { statusUpdate } from '../shared/status-patch.js';
import type { FolderStatus } from '../shared/status.js';

export interface WindowStatusOptions {
  /** Sends to the page; false when it could not (not loaded). */
  send: (channel: string, payload: unknown) => boolean;
  visible: () => boolean;
  /** Asks the status feed for an update on its next turn (which keeps its pace: ≤ 10 a second). */
  request: () => void;
}

export class WindowStatus {
  /** What the page holds; null: nothing it can patch (hidden since, or reloaded). */
  private sent: FolderStatus[] | null = null;

  constructor(private readonly options: WindowStatusOptions) {}

  /** A status tick (already coalesced). */
  update(statuses: FolderStatus[]): void {
    if (!this.options.visible()) {
      this.sent = null;
      return;
    }
    const update = statusUpdate(this.sent, statuses);
    if (update === null) return;
    if (this.options.send(eventChannel('status'), update)) this.sent = statuses;
    else this.sent = null;
  }

  /** Shown: the next update is a full snapshot, at the feed's pace. */
  visibility(visible: boolean): void {
    this.sent = null;
    if (visible) this.options.request();
  }
}
