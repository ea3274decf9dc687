/**
 * Downloads: presigned URL, bytes into a temporary file, verified (length always, MD5 where the
 * listing's etag is a plain MD5), fsynced and renamed into place. A broken connection resumes
 * with `Range` from the bytes already on disk; a refused (expired) URL is replaced by a fresh one;
 * wrong bytes are thrown away and fetched again.
 */
import { createReadStream } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import type { RemoteFile } from '../model/trees.js';
import { WsyncError } from '../errors.js';
import type { TokenBucket } from '../transfer/throttle.js';
import type { ApiCaller } from './api-call.js';
import { ByteMeter, throttled } from './chunks.js';
import { encryptionHidesMd5, isPlainMd5Etag, normalizeEtag } from '../model/etag.js';
import { storageStatusError, toWsyncError, type CallSite } from './errors.js';
import { urlForLog } from './redact.js';
import type { RetryBudget } from './retry-loop.js';
import { DownloadUrlSchema } from './schemas.js';
import { discardPartial, partialSlot, recordDurable, trustedBytes, type PartialSlot } from './partials.js';
import { TempFile } from './temp-file.js';
import type { DownloadResult, TransferOptions } from './types.js';

export interface DownloadDeps {
  caller: ApiCaller;
  bucket?: TokenBucket | undefined;
}

/** An attempt that moved at least this much further gives its failure back (see AttemptOptions.madeProgress). */
const PROGRESS_BYTES = 1024 * 1024;

export type DownloadOptions = TransferOptions & {
  tempDir?: string;
  /**
   * Where partial downloads are kept across runs (`.wsync/partial/`): an interrupted download of
   * this same version (key, etag, size) resumes from the bytes kept there (partials.ts). Files
   * under RESUMABLE_MIN_BYTES simply start again.
   */
  partialDir?: string;
  /** False: the caller fsyncs the folders the placement changed itself (DownloadResult.folders), e.g. once for many files. */
  syncDirectory?: boolean;
  /**
   * The caller's last look at the destination, asked once the verified bytes are durable and
   * right before they are renamed over it: false leaves it alone and drops the download.
   */
  beforePlacing?: () => boolean | Promise<boolean>;
  /** What the caller last saw at the destination (null: nothing): nothing else is ever replaced (CommitOptions.replacing). */
  replacing?: { size: number; mtimeMs: number; ino: number } | null;
};

/**
 * Below this size a download is not kept across runs: fetching it again costs less than the
 * partial's bookkeeping (a record read, a second open, two removals) costs every file.
 */
export const RESUMABLE_MIN_BYTES = 1024 * 1024;

interface Job {
  file: RemoteFile;
  temp: TempFile;
  meter: ByteMeter;
  options: DownloadOptions;
  budget: RetryBudget;
  /** Bytes received over the network by this call. */
  fetched: number;
  /** Storage said the object is encrypted with SSE-KMS or SSE-C: its etag is no MD5 to check the bytes by. */
  etagIsNoMd5?: boolean;
}

async function presignedUrl(deps: DownloadDeps, job: Job): Promise<string> {
  const spec = {
    operation: 'download',
    method: 'GET' as const,
    path: '/v1/files/download',
    searchParams: { workspace_id: deps.caller.workspace, key: job.file.key },
    file: job.file.path,
    signal: job.options.signal,
  };
  return deps.caller.jsonOnce(spec, DownloadUrlSchema, job.budget);
}

function remoteChanged(job: Job, site: CallSite, detail: string): WsyncError {
  return new WsyncError(
    'conflict',
    `${site.operation} of '${job.file.path}' (${site.endpoint}): the remote file changed since it was listed (${detail})`,
    {
      code: 'remote-changed',
      path: job.file.path,
    },
  );
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Where this response's body starts and the object's full size, from a 200 or 206. */
function bodyExtent(status: number, headers: IncomingHttpHeaders): { start: number; total: number | undefined } {
  if (status === 200) {
    const length = header(headers, 'content-length');
    return { start: 0, total: length === undefined ? undefined : Number(length) };
  }
  const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header(headers, 'content-range') ?? '');
  if (range === null) return { start: Number.NaN, total: undefined };
  return { start: Number(range[1]), total: range[3] === '*' ? undefined : Number(range[3]) };
}

/** One GET of the storage URL, from `temp.position` on, appended to the temp file. */
async function fetchRest(deps: DownloadDeps, job: Job, url: string): Promise<void> {
  const site = deps.caller.site('download', `GET ${urlForLog(url)}`, job.file.path);
  const { temp, meter, file } = job;
  await deps.caller.retrier.beforeRequest(job.budget);
  const stream = deps.caller.http.storage.stream(url, {
    decompress: false,
    throwHttpErrors: false,
    headers: temp.position > 0 ? { range: `bytes=${temp.position}-` } : {},
    ...(job.options.signal ? { signal: job.options.signal } : {}),
  });
  try {
    const response = await new Promise<{ statusCode: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
      stream.once('response', resolve);
      stream.once('error', reject);
    });
    const status = response.statusCode;
    if (status === 416 && temp.position === file.size) return;
    if (status !== 200 && status !== 206) {
      if (status === 416) await restart(job);
      throw storageStatusError(status, site);
    }
    const extent = bodyExtent(status, response.headers);
    if (extent.start !== temp.position) {
      if (status === 200) await restart(job);
      else
        throw new WsyncError(
          'transient',
          `download of '${file.path}' (${site.endpoint}): storage answered a range that does not start at byte ${temp.position}`,
          { code: 'bad-range', path: file.path },
        );
    }
    if (extent.total !== undefined && extent.total !== file.size) {
      throw remoteChanged(job, site, `${extent.total} bytes, listed as ${file.size}`);
    }
    job.etagIsNoMd5 = encryptionHidesMd5({
      serverSide: header(response.headers, 'x-amz-server-side-encryption'),
      customerAlgorithm: header(response.headers, 'x-amz-server-side-encryption-customer-algorithm'),
    });
    const storageEtag = normalizeEtag(header(response.headers, 'etag'));
    if (isPlainMd5Etag(storageEtag) && isPlainMd5Etag(file.etag) && storageEtag.toLowerCase() !== file.etag.toLowerCase()) {
      throw remoteChanged(job, site, 'a different etag');
    }
    for await (const chunk of throttled(stream as AsyncIterable<Buffer>, deps.bucket, job.options.signal)) {
      if (temp.position + chunk.length > file.size) throw remoteChanged(job, site, `more than the listed ${file.size} bytes`);
      job.fetched += chunk.length;
      const hashing = meter.add(chunk);
      if (hashing !== undefined) await hashing;
      await temp.append(chunk);
    }
    await temp.flush();
    if (temp.position !== file.size) {
      throw new WsyncError(
        'transient',
        `download of '${file.path}' (${site.endpoint}): the body ended after ${temp.position} of ${file.size} bytes`,
        {
          code: 'short-body',
          path: file.path,
        },
      );
    }
  } catch (err) {
    const failure = toWsyncError(err, site, job.options.signal);
    // A resumed attempt asks for the bytes from temp.position on: they must all be on disk first.
    try {
      await temp.flush();
    } catch (flushErr) {
      throw toWsyncError(flushErr, deps.caller.site('download', 'local temporary file', file.path));
    }
    throw failure;
  } finally {
    stream.destroy();
  }
}

async function restart(job: Job): Promise<void> {
  await job.temp.truncate();
  job.meter.reset();
}

async function verifyMd5(job: Job): Promise<string> {
  const md5 = await job.meter.md5();
  const expected = job.file.etag;
  if (isPlainMd5Etag(expected) && job.etagIsNoMd5 !== true && expected.toLowerCase() !== md5) {
    throw new WsyncError('invalid-response', `download of '${job.file.path}': the bytes received do not match the listed MD5; fetching again`, {
      code: 'md5-mismatch',
      path: job.file.path,
    });
  }
  return md5;
}

/** The bytes a resumed download starts with go through the meter first, so its MD5 covers the whole file. */
async function hashKept(job: Job): Promise<void> {
  if (job.temp.position === 0) return;
  const stream = createReadStream(job.temp.path, { start: 0, end: job.temp.position - 1, highWaterMark: 1024 * 1024 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const hashing = job.meter.add(chunk);
    if (hashing !== undefined) await hashing;
  }
}

/** Failures that leave the kept bytes good: the next attempt (or run) resumes from them. */
function keepsPartial(err: unknown): boolean {
  return err instanceof WsyncError && (err.kind === 'cancelled' || err.kind === 'transient' || err.kind === 'rate-limited' || err.kind === 'auth');
}

async function openTemp(file: RemoteFile, destination: string, options: DownloadOptions, slot: PartialSlot | null): Promise<TempFile> {
  if (slot === null) return TempFile.create(destination, options.tempDir);
  const temp = await TempFile.resume(slot.path, await trustedBytes(slot, file.size));
  temp.onDurable = (bytes) => recordDurable(slot, bytes);
  return temp;
}

export async function downloadFile(
  deps: DownloadDeps,
  file: RemoteFile,
  destination: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  if (options.signal?.aborted === true) {
    throw new WsyncError('cancelled', `download of '${file.path}' cancelled`, { path: file.path });
  }
  const slot = options.partialDir === undefined || file.size < RESUMABLE_MIN_BYTES ? null : partialSlot(options.partialDir, file);
  let temp: TempFile;
  try {
    temp = await openTemp(file, destination, options, slot);
  } catch (err) {
    throw toWsyncError(err, deps.caller.site('download', 'local temporary file', file.path));
  }
  const budget = deps.caller.budget({ operation: 'download', file: file.path, signal: options.signal });
  const job: Job = { file, temp, meter: new ByteMeter(file.size, options.onProgress), options, budget, fetched: 0 };
  const resumedFrom = temp.position;
  try {
    if (resumedFrom > 0) {
      deps.caller.logger.info({ file: file.path, resumedFrom, size: file.size }, 'resuming a partial download');
      await hashKept(job).catch((err: unknown) => {
        throw toWsyncError(err, deps.caller.site('download', 'local partial file', file.path));
      });
    }
    let url: string | null = null;
    let positionBefore = 0;
    const md5 = await deps.caller.retrier.run(
      budget,
      async () => {
        positionBefore = temp.position;
        url ??= await presignedUrl(deps, job);
        try {
          await fetchRest(deps, job, url);
        } catch (err) {
          if (err instanceof WsyncError && err.code === 'url-refused') url = null;
          throw err;
        }
        try {
          return await verifyMd5(job);
        } catch (err) {
          await restart(job);
          throw err;
        }
      },
      {
        retryable: (err) => err.retryable || err.code === 'md5-mismatch',
        madeProgress: () => temp.position > positionBefore && temp.position >= Math.min(file.size, positionBefore + PROGRESS_BYTES),
      },
    );
    let committed;
    try {
      committed = await temp.commit(destination, {
        syncDirectory: options.syncDirectory !== false,
        ...(options.beforePlacing === undefined ? {} : { beforePlacing: options.beforePlacing }),
        ...(options.replacing === undefined ? {} : { replacing: options.replacing }),
      });
    } catch (err) {
      throw toWsyncError(err, deps.caller.site('download', 'local rename', file.path));
    }
    if (slot !== null) await discardPartial(slot);
    job.meter.report();
    return { md5, size: file.size, fetched: job.fetched, resumedFrom, ...committed };
  } catch (err) {
    await settleTemp(temp, slot, err);
    throw err;
  } finally {
    job.meter.dispose();
  }
}

/** After a failure: a resumable partial is kept (flushed, fsynced, recorded); anything else goes. */
async function settleTemp(temp: TempFile, slot: PartialSlot | null, err: unknown): Promise<void> {
  if (slot !== null && keepsPartial(err)) {
    try {
      await temp.keep();
      return;
    } catch {
      // Could not be made durable: not worth resuming.
    }
  }
  await temp.discard();
  if (slot !== null) await discardPartial(slot);
}
