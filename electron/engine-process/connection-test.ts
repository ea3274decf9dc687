/**
 * "Test connection" in onboarding: lists the workspace (under the prefix) with the key the user
 * typed and reports how many files it holds, or why it could not.
 */
import type { FilesApi } from '../engine/api/types.js';
import { isWsyncError } from '../engine/errors.js';
import type { ConnectionResult } from '../shared/ipc.js';

export interface Connection {
  server: string;
  workspace: string;
  prefix: string;
  apiKey: string;
}

export type ConnectionTester = (connection: Connection) => Promise<ConnectionResult>;
export type FilesApiFactory = (connection: Omit<Connection, 'prefix'>) => FilesApi;

export const CONNECTION_TIMEOUT_MS = 20_000;

/** Why listing with the key typed in failed, in words fit for onboarding. */
export function connectionFailure(err: unknown, connection: Pick<Connection, 'server' | 'workspace'>): Extract<ConnectionResult, { ok: false }> {
  if (isWsyncError(err, 'auth')) {
    return { ok: false, kind: 'auth', message: `The server refused this API key for workspace ${connection.workspace}.` };
  }
  if (isWsyncError(err)) {
    const reason = err.kind === 'transient' || err.kind === 'cancelled' ? `Could not reach ${connection.server}: ` : '';
    return { ok: false, kind: err.kind === 'cancelled' ? 'transient' : err.kind, message: `${reason}${err.message}` };
  }
  return { ok: false, kind: 'fatal', message: err instanceof Error ? err.message : String(err) };
}

export function createConnectionTester(openApi: FilesApiFactory): ConnectionTester {
  return async ({ prefix, ...connection }) => {
    try {
      const listing = await openApi(connection).list(prefix, { signal: AbortSignal.timeout(CONNECTION_TIMEOUT_MS) });
      return { ok: true, fileCount: listing.files.length, complete: listing.complete };
    } catch (err) {
      return connectionFailure(err, connection);
    }
  };
}
