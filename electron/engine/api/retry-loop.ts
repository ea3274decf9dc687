/**
 * The client's own retry loop, for what got cannot replay: streamed bodies (the file is opened
 * again) and downloads (which resume rather than restart). Same back-off policy as got's retries.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { WsyncError } from '../errors.js';
import type { Logger } from '../logger.js';
import { retryDelay, type RetryPolicy } from './retry-policy.js';

export interface RetryLoopOptions {
  policy: RetryPolicy;
  logger: Logger;
  signal?: AbortSignal | undefined;
  /** For the log line: what is being retried. */
  operation: string;
  file?: string | undefined;
  /** Which failures earn another attempt (default: the error's own `retryable`). */
  retryable?: (error: WsyncError) => boolean;
  /** True when the failed attempt still moved bytes: the failure count then starts over. */
  madeProgress?: () => boolean;
}

function cancelled(options: RetryLoopOptions): WsyncError {
  return new WsyncError('cancelled', `${options.operation}${options.file === undefined ? '' : ` of '${options.file}'`} cancelled`, {
    ...(options.file === undefined ? {} : { path: options.file }),
  });
}

function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

export async function withRetries<T>(options: RetryLoopOptions, attempt: () => Promise<T>): Promise<T> {
  const retryable = options.retryable ?? ((error: WsyncError) => error.retryable);
  let failures = 0;
  let startedAt = Date.now();
  for (;;) {
    if (aborted(options.signal)) throw cancelled(options);
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof WsyncError)) throw err;
      if (aborted(options.signal)) throw cancelled(options);
      if (!retryable(err)) throw err;
      if (options.madeProgress?.() === true) {
        failures = 0;
        startedAt = Date.now();
      }
      failures += 1;
      const delay = retryDelay(options.policy, { failures, startedAt, retryAfterMs: err.retryAfterMs });
      if (delay === null) throw err;
      options.logger.warn(
        { operation: options.operation, file: options.file, attempt: failures, delayMs: delay, status: err.status, kind: err.kind, code: err.code },
        `retrying: ${err.message}`,
      );
      try {
        await sleep(delay, undefined, options.signal === undefined ? {} : { signal: options.signal });
      } catch {
        throw cancelled(options);
      }
    }
  }
}
