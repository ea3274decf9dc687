/**
 * The back-off rule of the client's one retry loop (retry-loop.ts): how long to wait before the
 * next attempt of a call, and when to give up. A call makes at most `limit + 1` attempts.
 */

export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number;
  /** First back-off; each later one doubles, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server asking to wait longer than this is not waited for: the rate-limited error goes up. */
  maxRetryAfterMs: number;
  /** No retry starts once this long has passed since the first attempt (or the last progress). */
  maxTotalMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  limit: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  maxTotalMs: 5 * 60_000,
};

export interface RetryState {
  /** Failed attempts so far, this one included (1 after the first failure). */
  failures: number;
  /** When the first attempt (or the last attempt that made progress) started. */
  startedAt: number;
  /** From the server's Retry-After, when it sent one. */
  retryAfterMs?: number | undefined;
}

/**
 * Milliseconds to wait before the next attempt, or null to give up. Back-off is exponential with
 * "equal jitter" (half fixed, half random), so that many clients do not retry in step; a
 * Retry-After is honoured as a floor with a little jitter on top.
 */
export function retryDelay(policy: RetryPolicy, state: RetryState, now: number = Date.now(), random: () => number = Math.random): number | null {
  if (state.failures > policy.limit) return null;
  let delay: number;
  if (state.retryAfterMs !== undefined) {
    if (state.retryAfterMs > policy.maxRetryAfterMs) return null;
    delay = state.retryAfterMs + random() * Math.min(policy.baseDelayMs, 1000);
  } else {
    const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (state.failures - 1));
    delay = exp / 2 + random() * (exp / 2);
  }
  if (now + delay - state.startedAt > policy.maxTotalMs) return null;
  return Math.ceil(delay);
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
