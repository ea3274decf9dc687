import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { countOf, shortenMiddle } from '../../../electron/shared/format.js';
import type { FolderStatus, SyncState } from '../../../electron/shared/status.js';

/** The words for a folder's state on its badge: short, and true to what is wrong. */
export function stateWords(status: Pick<FolderStatus, 'state' | 'errors' | 'lastSyncAt'>): string {
  switch (status.state) {
    case 'idle':
      return 'Up to date';
    case 'syncing':
      return status.lastSyncAt === null ? 'First sync' : 'Syncing';
    case 'paused':
      return 'Paused';
    case 'offline':
      return 'Offline';
    case 'error':
      return status.errors.length > 0 ? `${countOf(status.errors.length, 'file')} couldn't sync` : 'Not syncing';
    case 'signed-out':
      return 'Signed out';
    case 'needs-confirmation':
      return 'Waiting for you';
  }
}

export function StateBadge({ status }: { status: Pick<FolderStatus, 'state' | 'errors' | 'lastSyncAt'> }) {
  return (
    <span class={`badge state-${status.state}`}>
      <span class="dot" aria-hidden="true" />
      {stateWords(status)}
    </span>
  );
}

export function StateDot({ state }: { state: SyncState }) {
  return <span class={`dot state-${state}`} aria-hidden="true" />;
}

export function Button(props: {
  children: ComponentChildren;
  onClick: () => void;
  kind?: 'primary' | 'danger' | 'plain' | 'quiet';
  disabled?: boolean;
  label?: string;
  type?: 'button' | 'submit';
  class?: string;
}) {
  return (
    <button
      type={props.type ?? 'button'}
      class={`btn btn-${props.kind ?? 'plain'}${props.class ? ` ${props.class}` : ''}`}
      onClick={props.onClick}
      disabled={props.disabled}
      aria-label={props.label}
    >
      {props.children}
    </button>
  );
}

/**
 * A destructive action that asks first: the first click shows what will happen and a second,
 * red button; "Cancel" (focused first) backs out.
 */
export function ConfirmButton(props: {
  children: ComponentChildren;
  /** What will happen, in one sentence. */
  question: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  label?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button disabled={props.disabled} label={props.label} onClick={() => setAsking(true)}>
        {props.children}
      </Button>
    );
  }
  return (
    <span class="confirm" role="group" aria-label="Confirm">
      <span class="confirm-question">{props.question}</span>
      <span class="actions">
        <Button onClick={() => setAsking(false)}>Cancel</Button>
        <Button
          kind="danger"
          disabled={props.disabled}
          onClick={() => {
            setAsking(false);
            props.onConfirm();
          }}
        >
          {props.confirmLabel}
        </Button>
      </span>
    </span>
  );
}

export function ErrorLine({ message }: { message: string | null }) {
  return message ? (
    <p class="error-line" role="alert">
      {message}
    </p>
  ) : null;
}

export function Empty({ title, children, icon }: { title: string; children?: ComponentChildren; icon?: ComponentChildren }) {
  return (
    <div class="empty">
      {icon ? (
        <div class="empty-icon" aria-hidden="true">
          {icon}
        </div>
      ) : null}
      <p class="empty-title">{title}</p>
      {children ? <p class="muted">{children}</p> : null}
    </div>
  );
}

/** A path shortened in the middle (the file name stays whole); the full path on hover. */
export function PathText({ path, max = 64, class: cls }: { path: string; max?: number; class?: string }) {
  return (
    <span class={cls} title={path}>
      {shortenMiddle(path, max)}
    </span>
  );
}

export function ProgressBar({ fraction, label }: { fraction: number; label: string }) {
  const percent = Math.max(0, Math.min(100, Math.round(fraction * 100)));
  return <progress class="bar" max={100} value={percent} aria-label={label} />;
}

/** Small line icons, drawn inline (the CSP allows no remote images). */
export function Icon({ name }: { name: 'check' | 'sync' | 'pause' | 'alert' | 'trash' | 'folder' | 'up' | 'down' | 'gear' | 'cloud' | 'conflict' }) {
  const paths: Record<typeof name, string> = {
    check: 'M5 12.5l4.2 4.2L19 7',
    sync: 'M5.5 12a6.5 6.5 0 0 1 11.2-4.5M17 4v3.5h-3.5M18.5 12a6.5 6.5 0 0 1-11.2 4.5M7 20v-3.5h3.5',
    pause: 'M9 6v12M15 6v12',
    alert: 'M12 4l9 16H3zM12 10v4.5M12 17.5v.5',
    trash: 'M4 7h16M9 7V4.5h6V7M6.5 7l1 13h9l1-13M10 11v5.5M14 11v5.5',
    folder: 'M3.5 6.5h6l2 2h9v10h-17z',
    up: 'M12 19V6M6.5 11.5L12 6l5.5 5.5',
    down: 'M12 5v13M6.5 12.5L12 18l5.5-5.5',
    gear: 'M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6M12 3v2.5M12 18.5V21M3 12h2.5M18.5 12H21M5.6 5.6l1.8 1.8M16.6 16.6l1.8 1.8M5.6 18.4l1.8-1.8M16.6 7.4l1.8-1.8',
    cloud: 'M7 18h10.5a4 4 0 0 0 .5-8a6 6 0 0 0-11.5 1.5A3.3 3.3 0 0 0 7 18z',
    conflict: 'M7 4v9M7 17v.5M17 4v9M17 17v.5',
  };
  return (
    <svg class={`icon icon-${name}`} width="16" height="16" viewBox="0 0 24 24" aria-hidden="true">
      <path d={paths[name]} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

/** The app icon (build/icons), drawn inline so that it follows the page's scale. */
export function Logo({ size = 22 }: { size?: number }) {
  return (
    <svg class="logo" width={size} height={size} viewBox="0 0 512 512" aria-hidden="true">
      <defs>
        <linearGradient id="logo-g" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color="#4f8df7" />
          <stop offset="1" stop-color="#1d4ed8" />
        </linearGradient>
      </defs>
      <rect x="24" y="24" width="464" height="464" rx="104" fill="url(#logo-g)" />
      <path d="M120 196c0-16 13-29 29-29h62l26 28h126c16 0 29 13 29 29v124c0 16-13 29-29 29H149c-16 0-29-13-29-29z" fill="#fff" />
      <path
        d="M206 290a52 52 0 0 1 91-34M302 226v32h-32M306 290a52 52 0 0 1-91 34M210 354v-32h32"
        fill="none"
        stroke="#1d4ed8"
        stroke-width="22"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}
