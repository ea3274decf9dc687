/**
 * Desktop notifications, each kept referenced until the user closed or clicked it: Electron may
 * collect a Notification (and its click handler with it) once nothing in JS holds it.
 */
import type { NotificationConstructorOptions } from 'electron';
import type { View } from '../shared/ipc-channels.js';

export interface NotificationLike {
  on(event: 'click' | 'close' | 'failed', listener: () => void): unknown;
  on(event: 'action', listener: (event: unknown, index: number) => void): unknown;
  show(): void;
}

export interface ShownNotification<A = never> {
  title: string;
  body: string;
  /** Where a click takes the user. */
  view: View;
  /** Buttons, shown where the platform has them (macOS); the handler runs the chosen one. */
  actions?: { label: string; action: A }[];
}

/** At most this many are held: a platform that never reports `close` would otherwise keep them all. */
export const KEPT_NOTIFICATIONS = 32;

export class Notifier<A = never> {
  private readonly kept = new Set<NotificationLike>();

  constructor(
    private readonly create: (options: NotificationConstructorOptions) => NotificationLike,
    private readonly onClick: (view: View) => void,
    /** Electron shows notification buttons on macOS only. */
    private readonly buttons: { supported: boolean; run: (action: A) => void } = { supported: false, run: () => undefined },
  ) {}

  get held(): number {
    return this.kept.size;
  }

  show(note: ShownNotification<A>): void {
    const actions = this.buttons.supported ? (note.actions ?? []) : [];
    const notification = this.create({
      title: note.title,
      body: note.body,
      ...(actions.length > 0 ? { actions: actions.map((a) => ({ type: 'button' as const, text: a.label })) } : {}),
    });
    notification.on('action', (_event, index) => {
      const chosen = actions[index];
      forget();
      if (chosen) this.buttons.run(chosen.action);
    });
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
