/**
 * Turns whatever a request ended with (an HTTP status, a network error, a file-system error, an
 * abort) into a WsyncError of the right kind. Got's own errors are never passed on, not even as a
 * cause: their messages and options hold the full URL (with a presigned signature) and the
 * Authorization header.
 */
import { HTTPError, RequestError } from 'got';
import { WsyncError, type ErrorKind } from '../errors.js';
import { parseRetryAfter } from './retry-policy.js';
import { scrubText } from './redact.js';

export interface CallSite {
  /** What the client was doing, e.g. "upload", "list". */
  operation: string;
  /** Method and path, never a query string: "POST /v1/files/upload", "GET storage". */
  endpoint: string;
  /** The workspace path (or key) it was about. */
  file?: string | undefined;
  /** Strings that must never reach a message (the API key). */
  secrets: readonly string[];
}

const NETWORK_CODES = new Set([
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EAI_AGAIN',
  'EADDRINUSE',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_GOT_REQUEST_ERROR',
  'HPE_INVALID_CONSTANT',
  'HPE_INVALID_CHUNK_SIZE',
  'HPE_UNEXPECTED_CONTENT_LENGTH',
]);

const LOCAL_IO_CODES = new Set([
  'ENOSPC',
  'EDQUOT',
  'EACCES',
  'EPERM',
  'EROFS',
  'EMFILE',
  'ENFILE',
  'EISDIR',
  'ENOTDIR',
  'ENOENT',
  'EBUSY',
  'EEXIST',
  'EIO',
  'EXDEV',
  'ENAMETOOLONG',
  'ETXTBSY',
]);

export function kindForStatus(status: number): ErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too-large';
  if (status === 429) return 'rate-limited';
  if (status === 408 || status >= 500) return 'transient';
  return 'fatal';
}

function where(site: CallSite): string {
  return site.file === undefined ? `${site.operation} (${site.endpoint})` : `${site.operation} of '${site.file}' (${site.endpoint})`;
}

function pathOption(site: CallSite): { path?: string } {
  return site.file === undefined ? {} : { path: site.file };
}

/** The contract's `{"error": {"code", "message"}}`, when the body is one. */
function errorBody(body: unknown): { code?: string; message?: string } {
  if (typeof body !== 'string' || body === '') return {};
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    const error = (parsed as { error?: unknown }).error;
    if (typeof error !== 'object' || error === null) return {};
    const { code, message } = error as { code?: unknown; message?: unknown };
    return {
      ...(typeof code === 'string' ? { code: code.slice(0, 100) } : {}),
      ...(typeof message === 'string' ? { message: message.slice(0, 300) } : {}),
    };
  } catch {
    return {};
  }
}

export function statusError(
  status: number,
  site: CallSite,
  details: { body?: unknown; retryAfter?: string | string[] | undefined; kind?: ErrorKind } = {},
): WsyncError {
  const { code, message } = errorBody(details.body);
  const reason = message === undefined ? '' : `: ${scrubText(message, site.secrets)}`;
  // A 503 may say when to come back as well (S3's SlowDown, a server in maintenance).
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(details.retryAfter) : undefined;
  return new WsyncError(
    details.kind ?? kindForStatus(status),
    `${where(site)} failed: HTTP ${status}${code === undefined ? '' : ` ${code}`}${reason}`,
    {
      status,
      ...(code === undefined ? {} : { code }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...pathOption(site),
    },
  );
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The innermost WsyncError in a cause chain: ours, raised inside a body stream or a hook. */
function wrappedWsyncError(err: unknown): WsyncError | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth += 1) {
    if (current instanceof WsyncError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function toWsyncError(err: unknown, site: CallSite, signal?: AbortSignal): WsyncError {
  const ours = wrappedWsyncError(err);
  if (ours !== undefined) return ours;
  if (signal?.aborted === true || (err instanceof Error && err.name === 'AbortError')) {
    return new WsyncError('cancelled', `${where(site)} cancelled`, pathOption(site));
  }
  if (err instanceof HTTPError) {
    const response = err.response;
    return statusError(response.statusCode, site, { body: response.body, retryAfter: response.headers['retry-after'] });
  }
  const code = errorCode(err) ?? errorCode((err as { cause?: unknown } | null)?.cause);
  if (code !== undefined && LOCAL_IO_CODES.has(code)) {
    const syscall = (err as { syscall?: unknown }).syscall;
    return new WsyncError('local-io', `${where(site)} failed: local file ${code}${typeof syscall === 'string' ? ` (${syscall})` : ''}`, {
      code,
      ...pathOption(site),
      ...(err instanceof RequestError ? {} : { cause: err }),
    });
  }
  const networkError = err instanceof RequestError && (err.name === 'ReadError' || err.name === 'TimeoutError');
  if (networkError || (code !== undefined && NETWORK_CODES.has(code))) {
    return new WsyncError('transient', `${where(site)} failed: ${code ?? 'network error'}`, {
      ...(code === undefined ? {} : { code }),
      ...pathOption(site),
    });
  }
  if (code !== undefined && TLS_CODE.test(code)) {
    // Not transient: a certificate the system does not trust stays untrusted however often it is tried.
    return new WsyncError('fatal', `${where(site)} failed: TLS ${code}`, { code, ...pathOption(site) });
  }
  const message = err instanceof Error ? scrubText(err.message, site.secrets) : 'unknown error';
  return new WsyncError('fatal', `${where(site)} failed: ${message}`, pathOption(site));
}

/** TLS handshake and certificate failures (OpenSSL's and Node's codes). */
const TLS_CODE = /^(EPROTO|ERR_SSL_.*|ERR_TLS_.*|CERT_.*|UNABLE_TO_.*|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)$/;

/** Why no conversation with the server took place at all. */
export type ConnectionFailure = 'refused' | 'name-not-found' | 'timeout' | 'unreachable' | 'tls';

const CONNECTION_FAILURES: Record<string, ConnectionFailure> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'name-not-found',
  EAI_AGAIN: 'name-not-found',
  ETIMEDOUT: 'timeout',
  ENETUNREACH: 'unreachable',
  ENETDOWN: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
};

/** The connection failure behind an error, or null when the server answered (or it is no network error). */
export function connectionFailure(err: unknown): ConnectionFailure | null {
  if (!(err instanceof WsyncError) || err.status !== undefined || err.code === undefined) return null;
  if (TLS_CODE.test(err.code)) return 'tls';
  return CONNECTION_FAILURES[err.code] ?? null;
}

/** A 403 from the API: the server knows the key, which may not use this workspace (or lacks the files scope). */
export function isNoAccess(err: unknown): boolean {
  return err instanceof WsyncError && err.kind === 'auth' && err.status === 403;
}

/** S3 answers errors as XML: `<Error><Code>AccessDenied</Code>...`. */
function xmlErrorCode(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  const match = /<Code>([A-Za-z0-9_.-]{1,64})<\/Code>/.exec(body);
  return match?.[1];
}

/**
 * A storage URL's refusal. 401/403 there means the presigned URL expired (or its signature no
 * longer fits): not the key's fault, and cured by asking for a fresh URL, so it is transient with
 * code `url-refused` rather than `auth`.
 */
export function storageStatusError(status: number, site: CallSite, body?: unknown): WsyncError {
  if (status !== 401 && status !== 403) return statusError(status, site, { body });
  const code = xmlErrorCode(body) ?? errorBody(body).code;
  return new WsyncError(
    'transient',
    `${where(site)} failed: storage refused the presigned URL (HTTP ${status}${code === undefined ? '' : ` ${code}`})`,
    {
      status,
      code: 'url-refused',
      ...pathOption(site),
    },
  );
}
