/**
 * The first contact with the server, before anything else: one request, tried once, with a short
 * timeout, so that a set-up mistake (nothing listening, a wrong name, TLS refused, something that
 * is not a Files API server, a refused key, a workspace the key may not use) is reported in seconds
 * instead of after the retry layer's back-off. A server that answers but is briefly failing (5xx,
 * 429, a reset) passes: the cycle's own retries deal with that.
 */
import { createFilesApi } from '../engine/api/client.js';
import { connectionFailure } from '../engine/api/errors.js';
import { STATE_DIR } from '../engine/model/state-folder.js';
import { isWsyncError } from '../engine/errors.js';

export const FIRST_CONTACT_TIMEOUT_MS = 5_000;

export interface ServerCheckTarget {
  server: string;
  workspace: string;
  prefix: string;
  apiKey: string;
}

/**
 * Throws the server's answer when it shows a set-up mistake; otherwise resolves true when the
 * server answered (the key is proven) and false when it was briefly failing (the cycle will see).
 */
export async function checkServer(target: ServerCheckTarget, signal?: AbortSignal): Promise<boolean> {
  const api = createFilesApi({
    server: target.server,
    workspace: target.workspace,
    apiKey: target.apiKey,
    retry: { limit: 0 },
    timeouts: { connectMs: FIRST_CONTACT_TIMEOUT_MS, idleMs: FIRST_CONTACT_TIMEOUT_MS },
  });
  try {
    // A path that never exists: the answer is an empty listing, whatever the workspace holds.
    await api.stat(`${target.prefix}${STATE_DIR}/auth-check`, signal === undefined ? {} : { signal });
    return true;
  } catch (err) {
    if (isSetUpMistake(err)) throw err;
    return false;
  }
}

export function isSetUpMistake(err: unknown): boolean {
  if (connectionFailure(err) !== null) return true;
  if (isWsyncError(err, 'auth') || isWsyncError(err, 'invalid-response') || isWsyncError(err, 'not-found')) return true;
  // A status the contract does not use for a listing (400, 405, a redirect): not a Files API server.
  return isWsyncError(err, 'fatal') && err.status !== undefined;
}
