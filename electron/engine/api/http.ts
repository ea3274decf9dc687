/**
 * The two HTTP doors of the client. `api` carries the Bearer key, retries JSON calls with got's
 * own machinery under the shared back-off policy, and never follows a redirect (which could carry
 * the key elsewhere). `storage` opens presigned URLs: no key, ever, and no automatic retries,
 * because streamed bodies are retried (and resumed) by the transfer code itself.
 */
import got, { type Got, type RequestError } from 'got';
import type { Logger } from '../logger.js';
import { toWsyncError, type CallSite } from './errors.js';
import { retryDelay, type RetryPolicy } from './retry-policy.js';

export interface Timeouts {
  /** Time to open the TCP (and TLS) connection. */
  connectMs: number;
  /** Longest silence on an open socket, in either direction, before the request is abandoned. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 15_000, idleMs: 60_000 };

const USER_AGENT = 'wsync';

const RETRY_STATUSES = [408, 429, 500, 502, 503, 504, 521, 522, 524];
const RETRY_ERROR_CODES = [
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
];

/** Carried in got's per-request `context`, so the retry hook knows the call it is retrying. */
interface CallContext extends Record<string, unknown> {
  startedAt: number;
  site: CallSite;
}

function isCallContext(value: unknown): value is CallContext {
  return typeof value === 'object' && value !== null && typeof (value as { startedAt?: unknown }).startedAt === 'number';
}

export interface HttpSettings {
  apiKey: string;
  timeouts: Timeouts;
  policy: RetryPolicy;
  logger: Logger;
}

export interface HttpClients {
  api: Got;
  storage: Got;
}

export function createHttpClients(settings: HttpSettings): HttpClients {
  const { policy, logger, timeouts } = settings;
  const timeout = { connect: timeouts.connectMs, socket: timeouts.idleMs };

  const calculateDelay = ({
    attemptCount,
    retryOptions,
    error,
    retryAfter,
  }: {
    attemptCount: number;
    retryOptions: { limit: number };
    error: RequestError;
    retryAfter?: number | undefined;
  }): number => {
    const context = error.options.context;
    // A call with a streamed body sets limit 0: got cannot replay it, the caller's loop retries.
    if (!isCallContext(context) || attemptCount > retryOptions.limit) return 0;
    const status = error.response?.statusCode;
    const retryable = status === undefined ? RETRY_ERROR_CODES.includes(error.code) : RETRY_STATUSES.includes(status);
    if (!retryable) return 0;
    const delay = retryDelay(policy, { failures: attemptCount, startedAt: context.startedAt, retryAfterMs: retryAfter });
    if (delay === null) return 0;
    const reason = toWsyncError(error, context.site);
    logger.warn(
      {
        operation: context.site.operation,
        endpoint: context.site.endpoint,
        file: context.site.file,
        attempt: attemptCount,
        delayMs: delay,
        status,
        kind: reason.kind,
      },
      `retrying: ${reason.message}`,
    );
    return delay;
  };

  const api = got.extend({
    headers: { authorization: `Bearer ${settings.apiKey}`, 'user-agent': USER_AGENT },
    timeout,
    followRedirect: false,
    responseType: 'text',
    retry: {
      limit: policy.limit,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      statusCodes: RETRY_STATUSES,
      errorCodes: RETRY_ERROR_CODES,
      maxRetryAfter: policy.maxRetryAfterMs,
      calculateDelay,
    },
  });

  const storage = got.extend({
    headers: { 'user-agent': USER_AGENT },
    timeout,
    retry: { limit: 0 },
    hooks: {
      beforeRequest: [
        (options) => {
          // Belt and braces: whatever merged into these options, the key stays off storage URLs.
          delete options.headers.authorization;
        },
      ],
    },
  });

  return { api, storage };
}

export function callContext(site: CallSite): CallContext {
  return { startedAt: Date.now(), site };
}
