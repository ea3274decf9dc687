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
