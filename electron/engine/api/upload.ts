/**
 * Uploads, streamed from disk: multipart up to the size limit, the three-step presigned flow
 * above it (or when the server answers 413). The MD5 is computed while the bytes go out, unless
 * the caller already hashed the file (the scan did), and checked against the etag the server
 * returns, when that etag is a plain MD5.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { WsyncError } from '../errors.js';
import type { TokenBucket } from '../transfer/throttle.js';
import type { ApiCaller } from './api-call.js';
import { ByteMeter, throttled } from './chunks.js';
import { contradictsMd5, encryptionHidesMd5, normalizeEtag } from '../model/etag.js';
import type { RemoteFile } from '../model/trees.js';
import { hashRemoteFile } from './remote-hash.js';
import { storageStatusError, toWsyncError } from './errors.js';
import { multipartBody } from './multipart.js';
import { urlForLog } from './redact.js';
import type { RetryBudget } from './retry-loop.js';
import { FileMetaSchema, toRemoteFile, UploadUrlSchema, type FileMeta } from './schemas.js';
import type { UploadOptions, UploadResult } from './types.js';

/** The contract's multipart ceiling: anything larger goes through the three-step flow. */
export const LARGE_UPLOAD_THRESHOLD = 500_000_000;

const CONTENT_TYPE = 'application/octet-stream';
/**
 * Large reads for large files: fewer trips through the stream machinery per byte sent. Each read
 * allocates a buffer of this size whatever the file's, so a small file reads in small ones.
 */
const READ_CHUNK_BYTES = 1024 * 1024;
const MIN_READ_CHUNK_BYTES = 64 * 1024;

function readChunkBytes(size: number): number {
  return Math.min(READ_CHUNK_BYTES, Math.max(MIN_READ_CHUNK_BYTES, size));
}

export interface UploadDeps {
  caller: ApiCaller;
  largeUploadThreshold: number;
  bucket?: TokenBucket | undefined;
}

interface LocalVersion {
  size: number;
  mtimeMs: number;
  ino: number;
}

interface UploadJob {
  localFile: string;
  remotePath: string;
  folder: string;
  name: string;
  size: number;
  /** The file as it was when the upload started. */
  version: LocalVersion;
  options: UploadOptions;
  /** One budget for every request of the upload, whichever flow it takes. */
  budget: RetryBudget;
}

function splitRemotePath(remotePath: string): { folder: string; name: string } {
  const slash = remotePath.lastIndexOf('/');
  const name = remotePath.slice(slash + 1);
  if (name === '') {
    throw new WsyncError('fatal', `upload: '${remotePath}' is not a file path`, { path: remotePath });
  }
  return { folder: remotePath.slice(0, slash + 1), name };
}

/**
 * A small file in one open, read and close: the stream machinery would cost more than the bytes.
 * Like the stream, it sends at most `size` bytes; a file that grew is the caller's to notice (its
 * mtime moved), one that shrank fails below.
 */
async function* smallFileBytes(job: UploadJob): AsyncGenerator<Buffer, void, undefined> {
  const handle = await open(job.localFile, 'r');
  const buffer = Buffer.allocUnsafe(job.size);
  let filled = 0;
  try {
    while (filled < job.size) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
  } finally {
    await handle.close();
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

/** The file's bytes, checked to be exactly `size` of them: a file that changes mid-upload fails. */
async function* fileChunks(job: UploadJob, meter: ByteMeter, bucket: TokenBucket | undefined): AsyncGenerator<Buffer, void, undefined> {
  if (job.options.signal?.aborted === true) throw new WsyncError('cancelled', `upload of '${job.remotePath}' cancelled`, { path: job.remotePath });
  const stream =
    job.size < MIN_READ_CHUNK_BYTES
      ? null
      : createReadStream(job.localFile, {
          highWaterMark: readChunkBytes(job.size),
          ...(job.options.signal ? { signal: job.options.signal } : {}),
        });
  const source = stream ?? smallFileBytes(job);
  for await (const chunk of throttled(source as AsyncIterable<Buffer>, bucket, job.options.signal)) {
    if (meter.bytes + chunk.length > job.size) break;
    const hashing = meter.add(chunk);
    if (hashing !== undefined) await hashing;
    yield chunk;
  }
  stream?.destroy();
  if (meter.bytes !== job.size) {
    throw new WsyncError('local-io', `upload of '${job.remotePath}': the local file changed size while it was being sent`, {
      code: 'changed-during-upload',
      path: job.remotePath,
    });
  }
}

function newMeter(job: UploadJob): ByteMeter {
  const meter = new ByteMeter(job.size, job.options.onProgress, job.options.md5);
  meter.report();
  return meter;
}

async function changedSinceStart(job: UploadJob): Promise<boolean> {
  try {
    const now = await stat(job.localFile);
    return now.size !== job.version.size || now.mtimeMs !== job.version.mtimeMs || now.ino !== job.version.ino;
  } catch {
    return true;
  }
}

/**
 * The MD5 of the bytes that went out, or null when the server's etag contradicts it. Hashed while
 * sending, that is the meter's. Hashed beforehand, a contradicting etag is either damage on the
 * way or a file written to while it was read: in the second case the server's etag is the MD5
 * of what was actually sent, and the caller (which sees the file changed) records it as such.
 */
async function sentMd5(job: UploadJob, etag: string | undefined, meter: ByteMeter): Promise<string | null> {
  const md5 = await meter.md5();
  if (!contradictsMd5(etag, md5)) return md5;
  if (job.options.md5 !== undefined && (await changedSinceStart(job))) return (normalizeEtag(etag) ?? md5).toLowerCase();
  return null;
}

/**
 * A 32-hex etag that contradicts the bytes sent proves damage only where storage vouches that it is
 * their MD5; an SSE-KMS or SSE-C object's etag never is (model/etag.ts). One look at the stored
 * object's headers tells, without reading it.
 */
async function etagIsMd5(deps: UploadDeps, file: RemoteFile, signal: AbortSignal | undefined): Promise<boolean> {
  const { md5 } = await hashRemoteFile(deps, file, { readBody: false, ...(signal === undefined ? {} : { signal }) });
  return md5 !== undefined;
}

async function checkedResult(deps: UploadDeps, job: UploadJob, meta: FileMeta, sent: ByteMeter | string, endpoint: string): Promise<UploadResult> {
  const file = toRemoteFile(meta);
  let md5 = typeof sent === 'string' ? (contradictsMd5(file.etag, sent) ? null : sent) : await sentMd5(job, file.etag, sent);
  if (md5 === null && !(await etagIsMd5(deps, file, job.options.signal))) md5 = typeof sent === 'string' ? sent : await sent.md5();
  if (md5 === null) {
    throw new WsyncError(
      'invalid-response',
      `upload of '${job.remotePath}' (${endpoint}): the server's etag does not match the MD5 of the bytes sent`,
      {
        code: 'md5-mismatch',
        path: job.remotePath,
      },
    );
  }
  if (file.size !== job.size) {
    throw new WsyncError('invalid-response', `upload of '${job.remotePath}' (${endpoint}): the server stored ${file.size} bytes, not ${job.size}`, {
      code: 'size-mismatch',
      path: job.remotePath,
    });
  }
  return { file, md5 };
}

async function multipartOnce(deps: UploadDeps, job: UploadJob): Promise<UploadResult> {
  const meter = newMeter(job);
  const fields: [string, string][] = [['workspace_id', deps.caller.workspace]];
  if (job.folder !== '') fields.push(['path', job.folder]);
  const form = multipartBody(fields, {
    field: 'file',
    filename: job.name,
    contentType: CONTENT_TYPE,
    size: job.size,
    content: fileChunks(job, meter, deps.bucket),
  });
  const spec = {
    operation: 'upload',
    method: 'POST' as const,
    path: '/v1/files/upload',
    body: form,
    file: job.remotePath,
    signal: job.options.signal,
  };
  try {
    const meta = await deps.caller.jsonOnce(spec, FileMetaSchema, job.budget);
    return await checkedResult(deps, job, meta, meter, 'POST /v1/files/upload');
  } finally {
    meter.dispose();
  }
}

async function reserveUploadUrl(deps: UploadDeps, job: UploadJob): Promise<{ uploadUrl: string; fileKey: string }> {
  const json: Record<string, unknown> = {
    filename: job.name,
    workspace_id: deps.caller.workspace,
    content_type: CONTENT_TYPE,
    size: job.size,
  };
  if (job.folder !== '') json.path = job.folder;
  const spec = { operation: 'upload', method: 'POST' as const, path: '/v1/files/upload-url', json, file: job.remotePath, signal: job.options.signal };
  return deps.caller.jsonOnce(spec, UploadUrlSchema, job.budget);
}

/** Step 2: the bytes to storage, with exactly the Content-Type named in step 1 and no key; the MD5 sent. */
async function putToStorage(deps: UploadDeps, job: UploadJob, uploadUrl: string): Promise<string> {
  const meter = newMeter(job);
  const site = deps.caller.site('upload', `PUT ${urlForLog(uploadUrl)}`, job.remotePath);
  try {
    await deps.caller.retrier.beforeRequest(job.budget);
    const response = await deps.caller.http.storage.put(uploadUrl, {
      body: Readable.from(fileChunks(job, meter, deps.bucket)),
      headers: { 'content-type': CONTENT_TYPE, 'content-length': String(job.size) },
      throwHttpErrors: false,
      responseType: 'text',
      ...(job.options.signal ? { signal: job.options.signal } : {}),
    });
    if (response.statusCode < 200 || response.statusCode >= 300) throw storageStatusError(response.statusCode, site, response.body);
    const hidden = encryptionHidesMd5({
      serverSide: firstHeader(response.headers['x-amz-server-side-encryption']),
      customerAlgorithm: firstHeader(response.headers['x-amz-server-side-encryption-customer-algorithm']),
    });
    const md5 = await sentMd5(job, hidden ? undefined : response.headers.etag, meter);
    if (md5 === null) {
      throw new WsyncError('transient', `upload of '${job.remotePath}' (${site.endpoint}): storage's etag does not match the MD5 of the bytes sent`, {
        code: 'md5-mismatch',
        path: job.remotePath,
      });
    }
    return md5;
  } catch (err) {
    throw toWsyncError(err, site, job.options.signal);
  } finally {
    meter.dispose();
  }
}

const firstHeader = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

interface Reservation {
  uploadUrl: string;
  fileKey: string;
}

async function largeUpload(deps: UploadDeps, job: UploadJob): Promise<UploadResult> {
  const current: { reservation: Reservation | null } = { reservation: null };
  const sent = await deps.caller.retrier.run(job.budget, async () => {
    const reservation = current.reservation ?? (await reserveUploadUrl(deps, job));
    current.reservation = reservation;
    try {
      return { md5: await putToStorage(deps, job, reservation.uploadUrl), fileKey: reservation.fileKey };
    } catch (err) {
      // An expired or refused URL is not tried again: the next attempt reserves a fresh one.
      if (err instanceof WsyncError && err.code === 'url-refused') current.reservation = null;
      throw err;
    }
  });
  const spec = {
    operation: 'upload',
    method: 'POST' as const,
    path: '/v1/files/upload-confirm',
    json: { file_key: sent.fileKey, workspace_id: deps.caller.workspace, filename: job.name, size: job.size },
    file: job.remotePath,
    signal: job.options.signal,
  };
  const meta = await deps.caller.json(spec, FileMetaSchema, job.budget);
  return checkedResult(deps, job, meta, sent.md5, 'POST /v1/files/upload-confirm');
}

/**
 * EPIPE: the server closed the connection while the body was still going out. A server that
 * refuses a large body (413) often answers before reading it and closes, and the client then
 * sees the broken pipe instead of the 413; the three-step flow takes any size, and surfaces a
 * real auth or network problem just as well.
 */
function refusedBody(err: WsyncError): boolean {
  return err.kind === 'transient' && err.code === 'EPIPE';
}

export async function uploadFile(deps: UploadDeps, localFile: string, remotePath: string, options: UploadOptions = {}): Promise<UploadResult> {
  const { folder, name } = splitRemotePath(remotePath);
  let version: LocalVersion;
  try {
    const info = await stat(localFile);
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    version = { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino };
  } catch (err) {
    throw toWsyncError(err, deps.caller.site('upload', 'local file', remotePath));
  }
  const size = version.size;
  const budget = deps.caller.budget({ operation: 'upload', file: remotePath, signal: options.signal });
  const job: UploadJob = { localFile, remotePath, folder, name, size, version, options, budget };
  if (size > deps.largeUploadThreshold) return largeUpload(deps, job);
  try {
    return await deps.caller.retrier.run(budget, () => multipartOnce(deps, job), { retryable: (err) => err.retryable && !refusedBody(err) });
  } catch (err) {
    if (err instanceof WsyncError && (err.kind === 'too-large' || refusedBody(err))) {
      deps.caller.logger.info({ file: remotePath, size, reason: err.code ?? err.kind }, 'multipart upload refused; using the presigned upload flow');
      return largeUpload(deps, job);
    }
    throw err;
  }
}
