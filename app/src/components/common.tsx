import type { ComponentChildren } from 'preact';
import { STATE_LABEL } from '../../../electron/shared/format.js';
import type { SyncState } from '../../../electron/shared/status.js';

export function StateBadge({ state }: { state: SyncState }) {
  return (
    <span class={`badge state-${state}`}>
      <span class="dot" aria-hidden="true" />
      {STATE_LABEL[state]}
    </span>
  );
}

export function Button(props: {
  children: ComponentChildren;
  onClick: () => void;
  kind?: 'primary' | 'danger' | 'plain';
  disabled?: boolean;
  label?: string;
  type?: 'button' | 'submit';
}) {
  return (
    <button
      type={props.type ?? 'button'}
      class={`btn btn-${props.kind ?? 'plain'}`}
      onClick={props.onClick}
      disabled={props.disabled}
      aria-label={props.label}
    >
      {props.children}
    </button>
  );
}

export function ErrorLine({ message }: { message: string | null }) {
  return message ? (
    <p class="error-line" role="alert">
      {message}
    </p>
  ) : null;
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children ? <p class="muted">{children}</p> : null}
    </div>
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
