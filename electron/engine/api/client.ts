/**
 * The engine's only door to the remote: `createFilesApi` wires the HTTP clients, the one retry
 * layer with its rate gate, the clock and the logger into the FilesApi the engine calls. One
 * client is one rate gate: a host keeps one client per folder for as long as it syncs it.
 */
import { systemClock, type Clock } from '../clock.js';
import { silentLogger, type Logger } from '../logger.js';
import type { TokenBucket } from '../transfer/throttle.js';
import { ApiCaller } from './api-call.js';
import { downloadFile } from './download.js';
import { hashRemoteFile } from './remote-hash.js';
import { createHttpClients, DEFAULT_TIMEOUTS, type Timeouts } from './http.js';
import { listAll, listPages, statPath, type ListingPage, type ListPagesOptions } from './listing.js';
import { RateGate } from './rate-gate.js';
import { Retrier } from './retry-loop.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import type { FilesApi } from './types.js';
import { LARGE_UPLOAD_THRESHOLD, uploadFile } from './upload.js';

export interface FilesApiOptions {
  /** Server root, e.g. https://api.example.com (the client adds /v1/...). */
  server: string;
  workspace: string;
  apiKey: string;
  logger?: Logger;
  /** Items asked for per list page (`limit`); default 1000, lowered to 100 if the server refuses it. */
  pageSize?: number;
  retry?: Partial<RetryPolicy>;
  timeouts?: Partial<Timeouts>;
  /** Files larger than this use the three-step presigned flow; default 500,000,000 bytes. */
  largeUploadThreshold?: number;
  /** Shared per-direction bandwidth buckets (the folder's limits). */
  bandwidth?: { upload?: TokenBucket; download?: TokenBucket };
  /** Every back-off and rate-gate wait runs on this clock (tests pass a fake one). */
  clock?: Clock;
  /** Jitter source for the back-off (tests pass a fixed one). */
  random?: () => number;
  /**
   * Keep-alive connections per host: at least the transfers the engine runs at once (each makes
   * one request at a time, a download's URL request a second one ahead of it). Default 32.
   */
  socketsPerHost?: number;
}

export interface FilesApiClient extends FilesApi {
  /** One page at a time, so a poller never holds more than one page of raw JSON; pages it knows (`reuse`) are not parsed again. */
  listPages(prefix?: string, options?: ListPagesOptions): AsyncIterable<ListingPage>;
  /** The policy its retry loop runs under (attempts per call are at most `limit + 1`). */
  readonly retryPolicy: RetryPolicy;
  /** Milliseconds until the server lets this client send again (0 unless it said to slow down). */
  rateLimitedForMs(): number;
}

export const DEFAULT_PAGE_SIZE = 1000;

export function createFilesApi(options: FilesApiOptions): FilesApiClient {
  const logger = options.logger ?? silentLogger;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const timeouts: Timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const pageSize = { size: options.pageSize ?? DEFAULT_PAGE_SIZE };
  const clock = options.clock ?? systemClock;
  const http = createHttpClients({
    apiKey: options.apiKey,
    timeouts,
    ...(options.socketsPerHost === undefined ? {} : { socketsPerHost: options.socketsPerHost }),
  });
  const gate = new RateGate(clock, logger);
  const retrier = new Retrier(policy, gate, clock, logger, options.random);
  const caller = new ApiCaller(options.server, options.workspace, http, [options.apiKey], logger, retrier);
  const uploads = {
    caller,
    largeUploadThreshold: options.largeUploadThreshold ?? LARGE_UPLOAD_THRESHOLD,
    bucket: options.bandwidth?.upload,
  };
  const downloads = { caller, bucket: options.bandwidth?.download };

  return {
    retryPolicy: policy,
    rateLimitedForMs: () => gate.remainingMs(),
    list: (prefix = '', opts = {}) => listAll(caller, prefix, pageSize, opts.signal),
    listPages: (prefix = '', opts = {}) => listPages(caller, prefix, pageSize, opts),
    stat: (path, opts = {}) => statPath(caller, path, pageSize, opts.signal),
    upload: (localFile, remotePath, opts) => uploadFile(uploads, localFile, remotePath, opts),
    download: (file, destination, opts) => downloadFile(downloads, file, destination, opts),
    hashRemote: (file, opts) => hashRemoteFile(downloads, file, opts),
    async delete(key, opts = {}) {
      await caller.send(
        {
          operation: 'delete',
          method: 'DELETE',
          path: '/v1/files',
          searchParams: { workspace_id: caller.workspace, key },
          file: key,
          signal: opts.signal,
        },
        [404],
      );
    },
  };
}

export type { KnownPage, ListingPage, ListPagesOptions } from './listing.js';
export type { RetryPolicy } from './retry-policy.js';
export type { Timeouts } from './http.js';
