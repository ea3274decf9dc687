/**
 * Desktop notifications, each kept referenced until the user closed or clicked it: Electron may
 * collect a Notification (and its click handler with it) once nothing in JS holds it.
 */
import type { NotificationConstructorOptions } from 'electron';
import type { View } from '../shared/ipc-channels.js';

export interface NotificationLike {
  on(event: 'click' | 'close' | 'failed', listener: () => void): unknown;
  show(): void;
}

export interface ShownNotification {
  title: string;
  body: string;
  /** Where a click takes the user. */
  view: View;
}

/** At most this many are held: a platform that never reports `close` would otherwise keep them all. */
export const KEPT_NOTIFICATIONS = 32;

export class Notifier {
  private readonly kept = new Set<NotificationLike>();

  constructor(
    private readonly create: (options: NotificationConstructorOptions) => NotificationLike,
    private readonly onClick: (view: View) => void,
  ) {}

  get held(): number {
    return this.kept.size;
  }

  show(note: ShownNotification): void {
    const notification = this.create({ title: note.title, body: note.body });
    const forget = (): void => {
      this.kept.delete(notification);
    };
    notification.on('click', () => {
      forget();
      this.onClick(note.view);
    });
    notification.on('close', forget);
    notification.on('failed', forget);
    this.kept.add(notification);
    for (const oldest of this.kept) {
      if (this.kept.size <= KEPT_NOTIFICATIONS) break;
      this.kept.delete(oldest);
    }
    notification.show();
  }
}
