/**
 * What the CLI says when a run fails as a whole: one plain sentence on stderr (or one JSON object
 * on stdout with --json), and an exit status that tells set-up mistakes (2) from a refused key (3)
 * and from a run that failed on the way (1). Errors are told apart by kind and code, never by
 * their message text.
 */
import { connectionFailure, isNoAccess, type ConnectionFailure } from '../engine/api/errors.js';
import { isWsyncError } from '../engine/errors.js';
import { EXIT } from './exit-codes.js';

/** The kinds a JSON error object names: stable words for scripts. */
export type FailureKind =
  | 'usage'
  | 'folder'
  | 'locked'
  | 'bound-elsewhere'
  | 'unreachable'
  | 'tls'
  | 'not-files-api'
  | 'key-refused'
  | 'no-access'
  | 'interrupted'
  | 'failed';

/** A failure the CLI itself found (bad options, a folder it cannot use), already in words. */
export class CliError extends Error {
  readonly kind: FailureKind;
  readonly code: string | undefined;
  readonly exitCode: number;

  constructor(kind: FailureKind, message: string, exitCode: number, code?: string) {
    super(message);
    this.name = 'CliError';
    this.kind = kind;
    this.code = code;
    this.exitCode = exitCode;
  }

  static usage(message: string): CliError {
    return new CliError('usage', message, EXIT.usage);
  }

  static folder(message: string, code: string): CliError {
    return new CliError('folder', message, EXIT.usage, code);
  }

  static bound(message: string): CliError {
    return new CliError('bound-elsewhere', message, EXIT.usage, 'BOUND_ELSEWHERE');
  }
}

export interface Failure {
  kind: FailureKind;
  code?: string | undefined;
  message: string;
  exitCode: number;
}

export interface FailureContext {
  /** The server the run talked to, named in connection errors. */
  server?: string;
  workspace?: string;
  /** True once the server had answered this run: a failure after that is no set-up mistake. */
  connected?: boolean;
}

const CONNECTION_WORDS: Record<ConnectionFailure, string> = {
  refused: 'nothing is listening there (connection refused)',
  'name-not-found': 'no such server name (DNS lookup failed)',
  timeout: 'no answer (the connection timed out)',
  unreachable: 'the network cannot reach it',
  tls: 'no secure connection (TLS)',
};

function tlsDetail(code: string | undefined): string {
  if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER') return ': the server does not speak TLS there (is it http://?)';
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN') return ': its certificate is self-signed and not trusted';
  if (code === 'CERT_HAS_EXPIRED') return ': its certificate has expired';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') return ': its certificate is for another name';
  return code === undefined ? '' : ` (${code})`;
}

export function describeFailure(err: unknown, context: FailureContext = {}): Failure {
  if (err instanceof CliError) return { kind: err.kind, code: err.code, message: err.message, exitCode: err.exitCode };
  const server = context.server ?? 'the server';
  const workspace = context.workspace === undefined ? 'the workspace' : `workspace ${context.workspace}`;
  const connection = connectionFailure(err);
  if (connection !== null && isWsyncError(err)) {
    const words = `${CONNECTION_WORDS[connection]}${connection === 'tls' ? tlsDetail(err.code) : ''}`;
    if (context.connected === true)
      return { kind: 'failed', code: err.code, message: `lost the connection to ${server}: ${words}`, exitCode: EXIT.partial };
    return {
      kind: connection === 'tls' ? 'tls' : 'unreachable',
      code: err.code,
      message: `cannot connect to ${server}: ${words}`,
      exitCode: EXIT.usage,
    };
  }
  if (isNoAccess(err)) {
    return {
      kind: 'no-access',
      code: isWsyncError(err) ? err.code : undefined,
      message: `the API key is valid, but it has no access to ${workspace} on ${server} (HTTP 403); check the workspace id, or ask for access. Nothing was changed locally`,
      exitCode: EXIT.auth,
    };
  }
  if (isWsyncError(err, 'auth')) {
    return {
      kind: 'key-refused',
      code: err.code,
      message: `${server} refused the API key${err.status === undefined ? '' : ` (HTTP ${err.status})`}; check WSYNC_API_KEY or --api-key-file. Nothing was changed locally`,
      exitCode: EXIT.auth,
    };
  }
  if (
    context.connected !== true &&
    (isWsyncError(err, 'invalid-response') || isWsyncError(err, 'not-found') || (isWsyncError(err, 'fatal') && err.status !== undefined))
  ) {
    return {
      kind: 'not-files-api',
      code: err.code,
      message: `${server} does not answer like a Files API server (${err.message}); check --server`,
      exitCode: EXIT.usage,
    };
  }
  if (isWsyncError(err, 'cancelled')) return { kind: 'interrupted', code: err.code, message: 'interrupted', exitCode: EXIT.interrupted };
  if (isWsyncError(err, 'fatal') && err.code === 'LOCKED') return { kind: 'locked', code: err.code, message: err.message, exitCode: EXIT.usage };
  if (isWsyncError(err, 'fatal') && err.code === 'BOUND_ELSEWHERE') {
    return {
      kind: 'bound-elsewhere',
      code: err.code,
      message: `${err.message}; pass --rebind to sync it with the new one instead`,
      exitCode: EXIT.usage,
    };
  }
  if (isWsyncError(err, 'fatal') && err.code === 'NESTED_FOLDER')
    return { kind: 'folder', code: err.code, message: err.message, exitCode: EXIT.usage };
  if (isWsyncError(err, 'fatal') && err.code === 'USAGE') return { kind: 'usage', code: err.code, message: err.message, exitCode: EXIT.usage };
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'failed', code: isWsyncError(err) ? err.code : undefined, message, exitCode: EXIT.partial };
}

export interface FailureOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Prints the failure the way the run was asked to speak; returns its exit status. */
export function reportFailure(failure: Failure, out: FailureOutput, json: boolean): number {
  if (json) {
    const error = { kind: failure.kind, ...(failure.code === undefined ? {} : { code: failure.code }), message: failure.message };
    out.stdout(`${JSON.stringify({ exitCode: failure.exitCode, error })}\n`);
  } else {
    out.stderr(`wsync: ${failure.message}\n`);
  }
  return failure.exitCode;
}
