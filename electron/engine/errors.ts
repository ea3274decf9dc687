/**
 * Errors carry a kind so that callers decide by kind, never by message text.
 * Messages must never contain an API key or a presigned URL's query string.
 */
export type ErrorKind =
  | 'auth' // 401/403: never retried; the folder stops until the key is replaced
  | 'not-found'
  | 'rate-limited' // 429, with retryAfterMs when the server said
  | 'transient' // 5xx, resets, timeouts, refused connections
  | 'too-large' // 413
  | 'invalid-response' // the server's answer does not fit the contract
  | 'local-io' // disk full, permission denied, ...
  | 'conflict' // the remote is no longer the version last synced
  | 'cancelled' // an AbortSignal fired
  | 'fatal'; // anything else: a bug or bad configuration

export interface WsyncErrorOptions {
  status?: number;
  retryAfterMs?: number;
  path?: string;
  code?: string;
  cause?: unknown;
}

export class WsyncError extends Error {
  readonly kind: ErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly path: string | undefined;
  readonly code: string | undefined;
  /**
   * How many times the client tried before it gave up with this error (set by its retry loop;
   * undefined for errors that never went through it).
   */
  attempts: number | undefined;

  constructor(kind: ErrorKind, message: string, options: WsyncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WsyncError';
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.path = options.path;
    this.code = options.code;
    this.attempts = undefined;
  }

  /** Kinds worth another attempt within the same cycle. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate-limited';
  }
}

export function isWsyncError(err: unknown, kind?: ErrorKind): err is WsyncError {
  return err instanceof WsyncError && (kind === undefined || err.kind === kind);
}
