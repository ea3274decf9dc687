/**
 * What state a folder is in, decided in one place: the controller reports what happened (a cycle
 * ended, failed, the user paused) and applies the state this module names. The cycle itself
 * reports only facts (transfers, completed operations, held deletions), never a state.
 */
import type { SyncState } from '../../shared/status.js';
import type { StatusEvent } from './events.js';

export interface FolderState {
  state: SyncState;
  message?: string | undefined;
}

/** What a cycle that ran to its end left behind (the controller's CycleReport, as far as state goes). */
export interface CycleEnd {
  held: readonly { paths: readonly string[] }[];
  failures: readonly unknown[];
}

/** A lasting condition worth showing while idle (e.g. live watching is off), or none. */
export type StandingNotice = string | undefined;

export function stateAfterCycle(end: CycleEnd, notice: StandingNotice): FolderState {
  if (end.held.length > 0) {
    const count = end.held.reduce((n, h) => n + h.paths.length, 0);
    return { state: 'needs-confirmation', message: `${count} deletions are waiting for your confirmation` };
  }
  if (end.failures.length > 0) {
    const n = end.failures.length;
    return { state: 'error', message: `${n} ${n === 1 ? 'file' : 'files'} could not be synced` };
  }
  return idle(notice);
}

export const idle = (notice: StandingNotice): FolderState => ({ state: 'idle', message: notice });

/** A cycle under way: the first cycle, or one whose events show work. */
export const SYNCING: FolderState = { state: 'syncing' };

/** Events that mean the cycle is moving something: the folder shows as syncing from then on. */
export function showsWork(event: StatusEvent): boolean {
  return (
    event.type === 'transfer-start' ||
    event.type === 'completed' ||
    (event.type === 'pending' && event.pending.uploads + event.pending.downloads + event.pending.deletes > 0)
  );
}

export const PAUSED: FolderState = { state: 'paused' };

/** Stopped while a cycle was under way. */
export const STOPPED_MID_SYNC: FolderState = { state: 'paused', message: 'Stopped before the sync finished; it resumes when wsync runs again' };

/** Error codes that mean the server could not be reached at all. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ERR_GOT_REQUEST_ERROR',
]);

export interface FailureMeaning {
  state: 'offline' | 'error' | 'signed-out' | 'paused';
  message: string;
  /** Whether polling goes on (with back-off); signed-out and cancelled stop it. */
  retry: boolean;
  retryAfterMs?: number | undefined;
}

interface FailureLike {
  kind?: string;
  code?: string | undefined;
  status?: number | undefined;
  retryAfterMs?: number | undefined;
  message?: string;
  cause?: unknown;
}

function codeOf(err: FailureLike): string | undefined {
  if (err.code) return err.code;
  const cause = err.cause as FailureLike | undefined;
  return cause && typeof cause === 'object' ? codeOf(cause) : undefined;
}

const CODE_WORDS: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ENOTFOUND: 'Server name not found',
  EAI_AGAIN: 'Server name lookup failed',
  ETIMEDOUT: 'Connection timed out',
  ECONNRESET: 'Connection reset',
};

/** What a failed cycle means for the folder: offline (quiet retries), signed out (stop), or an error. */
export function failureMeaning(err: unknown): FailureMeaning {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as FailureLike;
  const code = codeOf(e);
  if (e.kind === 'cancelled') return { state: 'paused', message: 'Paused', retry: false };
  if (e.kind === 'auth') {
    return { state: 'signed-out', message: 'The API key was refused: sign in again with a valid key', retry: false };
  }
  if (e.kind === 'rate-limited') {
    const seconds = e.retryAfterMs === undefined ? undefined : Math.ceil(e.retryAfterMs / 1000);
    return {
      state: 'error',
      message: seconds === undefined ? 'The server asked to slow down' : `The server asked to slow down for ${seconds} s`,
      retry: true,
      retryAfterMs: e.retryAfterMs,
    };
  }
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return { state: 'offline', message: CODE_WORDS[code] ?? `Server unreachable (${code})`, retry: true };
  }
  if (e.kind === 'transient' && e.status === undefined) {
    return { state: 'offline', message: 'Server unreachable', retry: true };
  }
  return { state: 'error', message: e.message ?? 'Sync failed', retry: true, retryAfterMs: e.retryAfterMs };
}
